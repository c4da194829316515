"""Escalation: after K overdue reminders the chair hears once, in one message per chair."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from sqlalchemy.orm import Session

from handlers.messages import Outgoing, ToMember
from scheduler.calendar import zone_for
from scheduler.context import Delivery, Send, SweepContext, send_slots
from scheduler.messages import escalation_message
from store import audit, chase_log, chasing
from store.db import transaction
from store.models import ActionOwner, Member

log = logging.getLogger(__name__)


def escalate(ctx: SweepContext) -> None:
    """Tell each chair, in one message, about the owners' parts that have slipped."""
    with ctx.sessions() as session:
        thresholds = [ctx.policy(g).escalate_after for g in chasing.group_settings(session)]
        thresholds = [k for k in [*thresholds, ctx.policy(None).escalate_after] if k > 0]
        if not thresholds:
            return
        candidates = [
            row
            for row in chasing.escalation_candidates(session, ctx.now, min_overdue=min(thresholds))
            if 0 < ctx.policy(row.action.group).escalate_after <= row.overdue_chases
        ]
        chairs: dict[tuple[int | None, bool], Member | None] = {}
        by_chair: dict[int, tuple[Member, list[ActionOwner]]] = {}
        nobody: list[ActionOwner] = []
        for row in candidates:
            key = (row.action.group_id, row.action.restricted)
            if key not in chairs:
                chairs[key] = chasing.chair_for(session, row.action)
            chair = chairs[key]
            if chair is None:
                nobody.append(row)
            else:
                by_chair.setdefault(chair.id, (chair, []))[1].append(row)
    if nobody:
        _no_chair(ctx, nobody)
    for chair, rows in by_chair.values():
        _escalate_to(ctx, chair, rows)


def _escalate_to(ctx: SweepContext, chair: Member, rows: Sequence[ActionOwner]) -> None:
    zone = zone_for(chair.timezone)
    if not ctx.policy(rows[0].action.group).calendar.can_send(ctx.now, zone):
        ctx.report.held += len(rows)
        return
    if ctx.dry_run:
        ids = [r.id for r in rows]
    else:
        with transaction(ctx.sessions) as session:
            ids = chasing.claim_ids(
                session, [r.id for r in rows], ctx.now, instance=ctx.instance, until=ctx.lease_until
            )
    taken = [r for r in rows if r.id in set(ids)]
    if not taken:
        return
    status = send_slots(ctx, _escalation(ctx, chair, taken, ctx.now.astimezone(zone).date()))
    if status == "busy":
        with transaction(ctx.sessions) as session:
            chasing.release(session, ids, instance=ctx.instance)


def _escalation(
    ctx: SweepContext, chair: Member, taken: Sequence[ActionOwner], today: dt.date
) -> Send:
    ids = [r.id for r in taken]
    message = escalation_message(taken, today)
    refs = tuple(r.action.ref or "" for r in taken)
    slots = [
        chase_log.SendSlot(f"escalate:{r.id}", "escalation", f"member:{chair.id}", chair.id, r.id)
        for r in taken
    ]

    def done(session: Session) -> None:
        chasing.mark_escalated(session, ids, instance=ctx.instance, now=ctx.now)
        for row in taken:
            audit.record(
                session,
                actor="scheduler",
                via="scheduler",
                entity="owner",
                entity_id=row.id,
                event="escalated",
                ref=row.action.ref,
                chair=chair.name,
            )

    return Send(
        slots=slots,
        outgoing=Outgoing(to=ToMember(chair.id), message=message, action_refs=refs),
        delivery=Delivery(chair.name, "escalation", refs, message.summary, "", chair.id),
        max_attempts=ctx.policy(taken[0].action.group).max_attempts,
        on_sent=done,
        on_failed=lambda session, retry_at: chasing.release(
            session, ids, instance=ctx.instance, hold_until=retry_at
        ),
        on_given_up=done,
    )


def _no_chair(ctx: SweepContext, rows: Sequence[ActionOwner]) -> None:
    refs = tuple(r.action.ref or "" for r in rows)
    log.error("no chair to escalate %s to: set a chair for the group or the board", refs)
    ctx.report.deliveries.append(
        Delivery("no chair", "escalation", refs, "no chair to escalate to", "undeliverable")
    )
    if ctx.dry_run:
        return
    with transaction(ctx.sessions) as session:
        for row in rows:
            audit.record(
                session,
                actor="scheduler",
                via="scheduler",
                entity="owner",
                entity_id=row.id,
                event="escalation_unsent",
                ref=row.action.ref,
                error="no chair for the group or the board",
            )
        ids = chasing.claim_ids(
            session, [r.id for r in rows], ctx.now, instance=ctx.instance, until=ctx.lease_until
        )
        chasing.mark_escalated(session, ids, instance=ctx.instance, now=ctx.now)
