"""Pre-meeting digests: the chair (everything) and the group's channels (nothing restricted)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import cast
from zoneinfo import ZoneInfo

from handlers.messages import Outgoing, Place, Platform, ToMember, ToPlace
from scheduler.calendar import DEFAULT_ZONE, zone_for
from scheduler.context import Delivery, Send, SweepContext, send_slots
from scheduler.messages import meeting_digest
from scheduler.policy import digest_day
from store import audit, chase_log, chasing
from store.db import transaction
from store.models import Action, Group, Meeting, Member

log = logging.getLogger(__name__)

HORIZON = dt.timedelta(days=62)  # further ahead than any digest lead time in working days


def send_meeting_digests(ctx: SweepContext) -> None:
    """Send every pre-meeting digest whose day has come; each meeting's once."""
    today = ctx.now.astimezone(ZoneInfo(DEFAULT_ZONE)).date()
    with ctx.sessions() as session:
        meetings = chasing.meetings_awaiting_digest(session, today, today + HORIZON)
    for meeting in meetings:
        policy = ctx.policy(meeting.group)
        if today >= digest_day(meeting.date, policy):
            _digest(ctx, meeting)


Target = tuple[chase_log.SendSlot, Outgoing, Delivery]


def _digest(ctx: SweepContext, meeting: Meeting) -> None:
    policy = ctx.policy(meeting.group)
    with ctx.sessions() as session:
        chair = chasing.chair_of(session, meeting.group_id)
        zone = zone_for(chair.timezone if chair else None)
        if not policy.calendar.can_send(ctx.now, zone):
            return
        groups = chasing.group_tree(session, meeting.group_id)
        actions = chasing.outstanding(session, [g.id for g in groups])
        channels = chasing.channels_of(session, meeting.group_id)
        readable = [a for a in actions if chair and chasing.may_read(session, chair.id, a)]
    today = ctx.now.astimezone(zone).date()
    targets = _to_chair(meeting, chair, groups, readable, today)
    public = meeting_digest(meeting, groups, actions, today, include_restricted=False)
    public_refs = tuple(a.ref or "" for a in actions if not a.restricted)
    for channel in channels:
        where = f"{channel.platform}:{channel.channel_id}"
        key = f"meeting:{meeting.id}:channel:{channel.id}"
        slot = chase_log.SendSlot(key, "meeting_digest", where, meeting_id=meeting.id)
        place = Place(cast(Platform, channel.platform), channel.channel_id)
        delivery = Delivery(where, "pre-meeting digest", public_refs, public.summary, "")
        targets.append((slot, Outgoing(to=ToPlace(place), message=public), delivery))
    if not targets:
        log.error("nobody to send the digest for %s on %s to", meeting.group.name, meeting.date)
    statuses = [send_slots(ctx, _send(target, policy.max_attempts)) for target in targets]
    if not ctx.dry_run and all(s in {"sent", "already sent", "undeliverable"} for s in statuses):
        _mark_sent(ctx, meeting, statuses)


def _to_chair(
    meeting: Meeting,
    chair: Member | None,
    groups: Sequence[Group],
    actions: Sequence[Action],
    today: dt.date,
) -> list[Target]:
    if chair is None:
        return []
    message = meeting_digest(meeting, groups, actions, today, include_restricted=True)
    key = f"meeting:{meeting.id}:chair"
    slot = chase_log.SendSlot(
        key, "meeting_digest", f"member:{chair.id}", chair.id, None, meeting.id
    )
    refs = tuple(a.ref or "" for a in actions)
    delivery = Delivery(chair.name, "pre-meeting digest", refs, message.summary, "", chair.id)
    return [(slot, Outgoing(to=ToMember(chair.id), message=message), delivery)]


def _send(target: Target, max_attempts: int) -> Send:
    slot, outgoing, delivery = target
    return Send(
        slots=[slot],
        outgoing=outgoing,
        delivery=delivery,
        max_attempts=max_attempts,
        on_sent=_nothing,
        on_failed=_nothing,
        on_given_up=_nothing,
    )


def _mark_sent(ctx: SweepContext, meeting: Meeting, statuses: Sequence[str]) -> None:
    with transaction(ctx.sessions) as session:
        if chasing.mark_digest_sent(session, meeting.id, ctx.now):
            audit.record(
                session,
                actor="scheduler",
                via="scheduler",
                entity="meeting",
                entity_id=meeting.id,
                event="digest_sent",
                statuses=list(statuses),
            )


def _nothing(*_args: object) -> None:
    """Meeting digests change nothing else when sent: digest_sent_at is set once all are."""
