"""Owner reminders: claim what is due, one digest per member, send once, then plan the next."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from handlers.messages import Outgoing, ToMember
from scheduler.calendar import zone_for
from scheduler.context import Delivery, Send, SweepContext, send_many
from scheduler.messages import ChaseLine, chase_message, failure_report
from scheduler.notifier import SendError
from scheduler.policy import next_chase_at, reason_at
from store import audit, chase_log, chasing
from store.db import transaction
from store.models import ActionOwner, Member
from store.models.actions import OPEN
from store.models.chasing import REPORTED

VIA = "scheduler"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MemberPlan:
    """One member's due reminders, ready to send as one digest."""

    member: Member
    lines: tuple[ChaseLine, ...]
    today: dt.date
    meetings: Mapping[int, Sequence[dt.date]]  # future meeting dates per group

    def meetings_of(self, row: ActionOwner) -> Sequence[dt.date]:
        """The future meetings of the row's group."""
        return self.meetings.get(row.action.group_id or -1, ())

    def slots(self) -> list[chase_log.SendSlot]:
        """One send-log slot per owner row: its id and the instant it was scheduled for."""
        return [
            chase_log.SendSlot(
                key=chase_key(line.owner),
                kind=line.reason.kind,
                recipient=f"member:{self.member.id}",
                recipient_id=self.member.id,
                owner_id=line.owner.id,
            )
            for line in self.lines
        ]

    @property
    def owner_ids(self) -> list[int]:
        """The owner rows this digest stands for."""
        return [ln.owner.id for ln in self.lines]

    def delivery(self, summary: str) -> Delivery:
        """How this digest shows in the sweep report."""
        whys = dict.fromkeys(ln.reason.describe(ln.owner.overdue_chases + 1) for ln in self.lines)
        refs = tuple(ln.owner.action.ref or "" for ln in self.lines)
        return Delivery(self.member.name, ", ".join(whys), refs, summary, "", self.member.id)


def chase_key(owner: ActionOwner) -> str:
    """The send-log key of an owner's current slot: stable until the reminder is delivered."""
    at = owner.next_chase_at.isoformat() if owner.next_chase_at else "unscheduled"
    return f"chase:{owner.id}:{at}"


def chase_due(ctx: SweepContext, extra_due: Sequence[int] = ()) -> None:
    """Send every due reminder: claim a batch of members, send each a digest, repeat."""
    if ctx.dry_run:
        with ctx.sessions() as session:
            rows = chasing.due_owners(session, ctx.now)
            rows += chasing.load_owners(session, list(extra_due))
            send_plans(ctx, plan_batch(ctx, session, rows))
        return
    seen: set[int] = set()
    while True:
        with transaction(ctx.sessions) as session:
            ids = chasing.claim_due(
                session,
                ctx.now,
                instance=ctx.instance,
                until=ctx.lease_until,
                members=ctx.batch_members,
            )
        if not ids:
            return
        if seen.issuperset(ids):  # only rows this sweep already handed back: leave them be
            with transaction(ctx.sessions) as session:
                chasing.release(session, ids, instance=ctx.instance, hold_until=ctx.now)
            return
        seen.update(ids)
        with transaction(ctx.sessions) as session:
            plans = plan_batch(ctx, session, chasing.load_owners(session, ids))
        send_plans(ctx, plans)


def plan_batch(
    ctx: SweepContext, session: Session, rows: Sequence[ActionOwner]
) -> list[MemberPlan]:
    """Split claimed rows into one digest per member to send now (see :func:`_line`)."""
    groups = {r.action.group_id for r in rows if r.action.group_id is not None}
    meetings = chasing.future_meetings(session, groups, ctx.now.date() - dt.timedelta(days=1))
    sent = chase_log.already_sent(session, [chase_key(r) for r in rows]) if rows else set()
    by_member: dict[int, list[ActionOwner]] = defaultdict(list)
    for row in rows:
        if row.member is not None:
            by_member[row.member.id].append(row)
    plans = []
    for member_rows in by_member.values():
        member = member_rows[0].member
        assert member is not None
        today = ctx.now.astimezone(zone_for(member.timezone)).date()
        lines = [_line(ctx, session, row, meetings, sent) for row in member_rows]
        kept = tuple(line for line in lines if line is not None)
        if kept:
            plans.append(MemberPlan(member, kept, today, meetings))
    return plans


def _line(
    ctx: SweepContext,
    session: Session,
    row: ActionOwner,
    meetings: Mapping[int, Sequence[dt.date]],
    sent: set[str],
) -> ChaseLine | None:
    """The row's reminder, or None after dealing with it: a closed action is unscheduled, a
    row outside the sending window is held until it opens, a row with nothing to say (an
    undated action whose meetings are gone) or whose slot was already sent moves on."""
    policy = ctx.policy(row.action.group)
    zone = zone_for(row.member.timezone if row.member else None)
    group_meetings = meetings.get(row.action.group_id or -1, [])
    if row.action.status != OPEN:
        if not ctx.dry_run:
            chasing.reschedule(session, row.id, None, instance=ctx.instance)
        return None
    if not policy.calendar.can_send(ctx.now, zone):
        ctx.report.held += 1
        if not ctx.dry_run:
            hold = policy.calendar.next_send_time(ctx.now, zone)
            chasing.release(session, [row.id], instance=ctx.instance, hold_until=hold)
        return None
    today = ctx.now.astimezone(zone).date()
    reason = reason_at(due=row.action.due_date, meetings=group_meetings, today=today, policy=policy)
    if reason is None or chase_key(row) in sent:
        if not ctx.dry_run:
            _move_on(ctx, session, row, group_meetings)
        return None
    return ChaseLine(row, reason)


def _next_time(
    ctx: SweepContext, row: ActionOwner, meetings: Sequence[dt.date]
) -> dt.datetime | None:
    zone = zone_for(row.member.timezone if row.member else None)
    snoozed = row.snoozed_until if row.snoozed_until and row.snoozed_until > ctx.now else None
    return next_chase_at(
        due=row.action.due_date,
        meetings=meetings,
        now=ctx.now,
        zone=zone,
        policy=ctx.policy(row.action.group),
        last_chased_at=ctx.now,
        snoozed_until=snoozed,
    )


def _move_on(
    ctx: SweepContext, session: Session, row: ActionOwner, meetings: Sequence[dt.date]
) -> None:
    """Give a row its next slot without sending or counting anything."""
    chasing.reschedule(session, row.id, _next_time(ctx, row, meetings), instance=ctx.instance)


def send_plans(ctx: SweepContext, plans: Sequence[MemberPlan]) -> list[str]:
    """Send each member's digest through the send log; advance the rows once delivered."""
    statuses = send_many(ctx, [_send(ctx, plan) for plan in plans])
    for plan, status in zip(plans, statuses, strict=True):
        if status == "busy":
            with transaction(ctx.sessions) as session:
                chasing.release(session, plan.owner_ids, instance=ctx.instance)
        elif status == "undeliverable":
            report_failure(ctx, plan)
    return statuses


def _send(ctx: SweepContext, plan: MemberPlan) -> Send:
    message = chase_message(plan.lines, plan.today)
    outgoing = Outgoing(
        to=ToMember(plan.member.id),
        message=message,
        action_refs=tuple(ln.owner.action.ref or "" for ln in plan.lines),
    )
    return Send(
        slots=plan.slots(),
        outgoing=outgoing,
        delivery=plan.delivery(message.summary),
        max_attempts=ctx.policy(plan.lines[0].owner.action.group).max_attempts,
        on_sent=lambda session: _delivered(ctx, session, plan),
        on_failed=lambda session, retry_at: chasing.release(
            session, plan.owner_ids, instance=ctx.instance, hold_until=retry_at
        ),
        on_given_up=lambda session: _given_up(ctx, session, plan),
    )


def _delivered(ctx: SweepContext, session: Session, plan: MemberPlan) -> None:
    moves = []
    for line in plan.lines:
        row = line.owner
        at = _next_time(ctx, row, plan.meetings_of(row))
        moves.append(chasing.Advance(row.id, at, overdue=line.reason.kind == "overdue"))
        audit.record(
            session,
            actor="scheduler",
            via=VIA,
            entity="owner",
            entity_id=row.id,
            event="chased",
            ref=row.action.ref,
            reason=line.reason.kind,
            key=chase_key(row),
            next_chase_at=at.isoformat() if at else None,
        )
    ctx.report.lost_claims += len(
        chasing.advance(session, moves, instance=ctx.instance, now=ctx.now)
    )


def _given_up(ctx: SweepContext, session: Session, plan: MemberPlan) -> None:
    for line in plan.lines:
        row = line.owner
        at = _next_time(ctx, row, plan.meetings_of(row))
        chasing.reschedule(session, row.id, at, instance=ctx.instance)


def report_failure(ctx: SweepContext, plan: MemberPlan) -> None:
    """Tell each chair concerned that a member's reminder could not be delivered."""
    by_chair: dict[int, tuple[Member, list[ActionOwner]]] = {}
    nobody: list[ActionOwner] = []
    with ctx.sessions() as session:
        for line in plan.lines:
            chair = chasing.chair_for(session, line.owner.action)
            if chair is None:
                nobody.append(line.owner)
            else:
                by_chair.setdefault(chair.id, (chair, []))[1].append(line.owner)
    if nobody:
        refs = tuple(o.action.ref or "" for o in nobody)
        log.error("no chair to tell that %s was not reached about %s", plan.member.name, refs)
        delivery = Delivery("no chair", "failure report", refs, "", "", plan.member.id)
        _record(ctx, delivery, "undeliverable", error="no chair for the group")
    policy = ctx.policy(plan.lines[0].owner.action.group)
    for chair, owners in by_chair.values():
        message = failure_report(plan.member.name, owners, policy.max_attempts, "not delivered")
        delivery = Delivery(
            chair.name,
            "failure report",
            tuple(o.action.ref or "" for o in owners),
            message.summary,
            "",
            chair.id,
        )
        try:
            ctx.notifier.send(Outgoing(to=ToMember(chair.id), message=message))
        except SendError as exc:
            _record(ctx, delivery, "undeliverable", error=str(exc))
            continue
        keys = [chase_key(o) for o in owners]
        _record(ctx, delivery, "reported", keys=keys)


def _record(
    ctx: SweepContext,
    delivery: Delivery,
    status: str,
    error: str | None = None,
    keys: Sequence[str] = (),
) -> None:
    with transaction(ctx.sessions) as session:
        if status == "reported" and keys:
            chase_log.finish_sends(session, keys, status=REPORTED, now=ctx.now, error="reported")
        audit.record(
            session,
            actor="scheduler",
            via=VIA,
            entity="member",
            entity_id=delivery.member_id,
            event="failure_reported" if status == "reported" else "failure_unreported",
            refs=list(delivery.refs),
            error=error,
        )
    ctx.report.deliveries.append(
        Delivery(
            delivery.to, delivery.why, delivery.refs, delivery.summary, status, delivery.member_id
        )
    )
