"""What one sweep carries between its steps: the store, the notifier, the instant, the report."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from handlers.messages import Outgoing
from scheduler.notifier import Notifier, SendError
from scheduler.policy import ChasePolicy, policy_for, retry_delay
from store import audit, chase_log
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
    started: float = field(default_factory=time.monotonic)
    _policies: dict[int | None, ChasePolicy] = field(default_factory=dict)

    @property
    def lease_until(self) -> dt.datetime:
        """Until when a claim taken now holds: the sweep's instant plus the real time elapsed
        since it started (a long sweep's later claims last as long as its first) plus the lease.
        """
        return self.now + dt.timedelta(seconds=time.monotonic() - self.started) + self.lease

    def policy(self, group: Group | None) -> ChasePolicy:
        """The chase policy of ``group`` (defaults when there is none), read once per sweep."""
        key = group.id if group is not None else None
        if key not in self._policies:
            self._policies[key] = policy_for(group.settings if group is not None else None)
        return self._policies[key]


@dataclass(frozen=True)
class Send:
    """One message standing for one or more send-log slots, and what to do with the outcome.

    ``on_sent`` runs in the transaction that marks the slots sent; ``on_failed`` gets the retry
    time; ``on_given_up`` runs when ``max_attempts`` is reached.
    """

    slots: Sequence[chase_log.SendSlot]
    outgoing: Outgoing
    delivery: Delivery
    max_attempts: int
    on_sent: Callable[[Session], None]
    on_failed: Callable[[Session, dt.datetime], object]
    on_given_up: Callable[[Session], None]

    @property
    def keys(self) -> list[str]:
        return [s.key for s in self.slots]


def send_slots(ctx: SweepContext, send: Send) -> str:
    """Log, send and record one message; the resulting status (see :func:`send_many`)."""
    return send_many(ctx, [send])[0]


def send_many(ctx: SweepContext, sends: Sequence[Send]) -> list[str]:
    """Log every message's slots in one transaction, then send each and record it; statuses.

    The log rows are committed before the platform is called, and each message is marked sent
    in its own transaction together with ``on_sent``'s changes, so a crash leaves at most the
    message in flight unrecorded. A failure is recorded and retried after a backoff; after
    ``max_attempts`` the slots are marked undeliverable, ``on_given_up`` runs and the failure
    is audited and logged as an error: never dropped silently.
    """
    if ctx.dry_run:
        for send in sends:
            ctx.report.deliveries.append(_with(send.delivery, "would send"))
        return ["would send"] * len(sends)
    with transaction(ctx.sessions) as session:
        begun = chase_log.begin_sends(
            session,
            [send.slots for send in sends],
            instance=ctx.instance,
            now=ctx.now,
            lease=ctx.lease_until,
        )
        for send, outcome in zip(sends, begun, strict=True):
            if outcome == chase_log.ALREADY_SENT:
                send.on_sent(session)
            if isinstance(outcome, str):
                ctx.report.deliveries.append(_with(send.delivery, outcome))
    # stop well before the claims run out, so no other instance can take over mid-send
    deadline = time.monotonic() + 0.75 * ctx.lease.total_seconds()
    statuses = []
    for send, outcome in zip(sends, begun, strict=True):
        if isinstance(outcome, str):
            statuses.append(outcome)
        elif time.monotonic() > deadline:
            statuses.append(_defer(ctx, send))
        else:
            statuses.append(_deliver(ctx, send, outcome))
    return statuses


def _defer(ctx: SweepContext, send: Send) -> str:
    """Hand a message that was logged but not sent back for the next sweep, uncounted."""
    with transaction(ctx.sessions) as session:
        chase_log.abandon_sends(session, send.keys, now=ctx.now)
        send.on_failed(session, ctx.now)
    ctx.report.deliveries.append(_with(send.delivery, "deferred"))
    return "deferred"


def _deliver(ctx: SweepContext, send: Send, attempts: int) -> str:
    try:
        ctx.notifier.send(send.outgoing)
    except SendError as exc:
        return _failed(ctx, send, (attempts, send.max_attempts), str(exc))
    with transaction(ctx.sessions) as session:
        chase_log.finish_sends(session, send.keys, status=SENT, now=ctx.now)
        send.on_sent(session)
    ctx.report.deliveries.append(_with(send.delivery, "sent"))
    return "sent"


def _failed(ctx: SweepContext, send: Send, tries: tuple[int, int], error: str) -> str:
    attempts, max_attempts = tries
    keys, delivery = send.keys, send.delivery
    with transaction(ctx.sessions) as session:
        if attempts < max_attempts:
            retry_at = ctx.now + retry_delay(attempts)
            chase_log.finish_sends(
                session, keys, status=FAILED, now=ctx.now, retry_at=retry_at, error=error
            )
            send.on_failed(session, retry_at)
            ctx.report.deliveries.append(_with(delivery, "failed"))
            return "failed"
        chase_log.finish_sends(session, keys, status=UNDELIVERABLE, now=ctx.now, error=error)
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
        send.on_given_up(session)
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
