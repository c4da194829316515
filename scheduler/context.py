"""What one sweep carries between its steps: the store, the notifier, the instant, the report."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from handlers.messages import Outgoing
from scheduler.notifier import Notifier, SendError
from scheduler.policy import ChasePolicy, policy_for, retry_delay
from store import audit, chasing
from store.db import transaction
from store.models import Group
from store.models.chasing import FAILED, SENT, UNDELIVERABLE

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Delivery:
    """One message the sweep sent (or would send, or could not send), for people to read."""

    to: str  # a member's name or "slack:C123"
    why: str  # before due | due today | overdue 2 | escalation | pre-meeting | failure report
    refs: tuple[str, ...]
    summary: str
    status: str  # sent | would send | failed | reported | undeliverable | already sent
    member_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly form."""
        data = asdict(self)
        data["refs"] = list(self.refs)
        return data


@dataclass
class SweepReport:
    """What one sweep did."""

    at: dt.datetime
    instance: str
    dry_run: bool
    scheduled: int = 0  # owner rows given a next chase time
    held: int = 0  # due rows kept for the sending window (quiet hours, weekend, bank holiday)
    lost_claims: int = 0  # rows another instance took over while this one was sending
    deliveries: list[Delivery] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly form."""
        return {
            "at": self.at.isoformat(),
            "instance": self.instance,
            "dry_run": self.dry_run,
            "scheduled": self.scheduled,
            "held": self.held,
            "lost_claims": self.lost_claims,
            "deliveries": [d.as_dict() for d in self.deliveries],
        }


@dataclass
class SweepContext:
    """The parts of one sweep, shared by its steps."""

    sessions: sessionmaker[Session]
    notifier: Notifier
    now: dt.datetime
    instance: str
    lease: dt.timedelta
    dry_run: bool
    report: SweepReport
    batch_members: int = 200
    _policies: dict[int | None, ChasePolicy] = field(default_factory=dict)

    @property
    def lease_until(self) -> dt.datetime:
        """Until when this sweep's claims hold."""
        return self.now + self.lease

    def policy(self, group: Group | None) -> ChasePolicy:
        """The chase policy of ``group`` (defaults when there is none), read once per sweep."""
        key = group.id if group is not None else None
        if key not in self._policies:
            self._policies[key] = policy_for(group.settings if group is not None else None)
        return self._policies[key]


def send_slots(
    ctx: SweepContext,
    slots: Sequence[chasing.SendSlot],
    outgoing: Outgoing,
    delivery: Delivery,
    *,
    max_attempts: int,
    on_sent: Callable[[Session], None],
    on_failed: Callable[[Session, dt.datetime], object],
    on_given_up: Callable[[Session], None],
) -> str:
    """Log, send and record one message standing for ``slots``; the resulting status.

    The log rows are committed before the platform is called and marked sent in the same
    transaction as ``on_sent``'s changes. A failure is recorded and retried after a backoff
    (``on_failed`` gets the retry time); after ``max_attempts`` the slots are marked
    undeliverable, ``on_given_up`` runs and the failure is audited and logged as an error:
    never dropped silently.
    """
    keys = [s.key for s in slots]
    if ctx.dry_run:
        ctx.report.deliveries.append(_with(delivery, "would send"))
        return "would send"
    with transaction(ctx.sessions) as session:
        sent = chasing.already_sent(session, keys)
        if sent and sent == set(keys):
            on_sent(session)
            ctx.report.deliveries.append(_with(delivery, "already sent"))
            return "already sent"
        rows = chasing.begin_sends(
            session, slots, instance=ctx.instance, now=ctx.now, lease=ctx.lease_until
        )
        if rows is None:
            ctx.report.deliveries.append(_with(delivery, "busy"))
            return "busy"
        attempts = max(row.attempts for row in rows.values())
    try:
        ctx.notifier.send(outgoing)
    except SendError as exc:
        return _failed(
            ctx, keys, delivery, (attempts, max_attempts), str(exc), on_failed, on_given_up
        )
    with transaction(ctx.sessions) as session:
        chasing.finish_sends(session, keys, status=SENT, now=ctx.now)
        on_sent(session)
    ctx.report.deliveries.append(_with(delivery, "sent"))
    return "sent"


def _failed(
    ctx: SweepContext,
    keys: Sequence[str],
    delivery: Delivery,
    tries: tuple[int, int],
    error: str,
    on_failed: Callable[[Session, dt.datetime], object],
    on_given_up: Callable[[Session], None],
) -> str:
    attempts, max_attempts = tries
    with transaction(ctx.sessions) as session:
        if attempts < max_attempts:
            retry_at = ctx.now + retry_delay(attempts)
            chasing.finish_sends(
                session, keys, status=FAILED, now=ctx.now, retry_at=retry_at, error=error
            )
            on_failed(session, retry_at)
            ctx.report.deliveries.append(_with(delivery, "failed"))
            return "failed"
        chasing.finish_sends(session, keys, status=UNDELIVERABLE, now=ctx.now, error=error)
        audit.record(
            session,
            actor="scheduler",
            via="scheduler",
            entity="send",
            entity_id=None,
            event="undeliverable",
            keys=list(keys),
            to=delivery.to,
            error=error,
            attempts=attempts,
        )
        on_given_up(session)
    log.error(
        "gave up sending %s to %s after %d attempts: %s", delivery.why, delivery.to, attempts, error
    )
    ctx.report.deliveries.append(_with(delivery, "undeliverable"))
    return "undeliverable"


def _with(delivery: Delivery, status: str) -> Delivery:
    return Delivery(
        to=delivery.to,
        why=delivery.why,
        refs=delivery.refs,
        summary=delivery.summary,
        status=status,
        member_id=delivery.member_id,
    )
