"""One sweep: schedule new owner rows, send due reminders, escalate, send pre-meeting digests."""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from collections.abc import Callable
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from scheduler.calendar import DEFAULT_ZONE, zone_for
from scheduler.chases import chase_due
from scheduler.context import SweepContext, SweepReport
from scheduler.digests import send_meeting_digests
from scheduler.escalations import escalate
from scheduler.notifier import Notifier
from scheduler.policy import next_chase_at
from store import chasing
from store.db import transaction

Clock = Callable[[], dt.datetime]
LEASE = dt.timedelta(minutes=15)


def instance_name() -> str:
    """A name for this process in claims and the send log: host, pid and a random tag."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Sweeper:
    """Runs sweeps against one database through one notifier.

    Several sweepers (threads, processes, machines) may share a database: each due reminder is
    claimed by one of them. See :mod:`scheduler` for the sent-once guarantee.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        notifier: Notifier,
        *,
        clock: Clock,
        instance: str | None = None,
        lease: dt.timedelta = LEASE,
        batch_members: int = 200,
    ) -> None:
        self.sessions = sessions
        self.notifier = notifier
        self.clock = clock
        self.instance = instance or instance_name()
        self.lease = lease
        self.batch_members = batch_members

    def _context(self, at: dt.datetime | None, dry_run: bool) -> SweepContext:
        now = (at or self.clock()).astimezone(dt.UTC)
        report = SweepReport(at=now, instance=self.instance, dry_run=dry_run)
        return SweepContext(
            sessions=self.sessions,
            notifier=self.notifier,
            now=now,
            instance=self.instance,
            lease=self.lease,
            dry_run=dry_run,
            report=report,
            batch_members=self.batch_members,
        )

    def chase(self, *, at: dt.datetime | None = None, dry_run: bool = False) -> SweepReport:
        """Schedule new rows, send every due reminder, then escalate what has slipped."""
        ctx = self._context(at, dry_run)
        due_now = schedule_unscheduled(ctx)
        chase_due(ctx, extra_due=due_now if dry_run else ())
        escalate(ctx)
        return ctx.report

    def meeting_digests(
        self, *, at: dt.datetime | None = None, dry_run: bool = False
    ) -> SweepReport:
        """Send the pre-meeting digests whose day has come."""
        ctx = self._context(at, dry_run)
        send_meeting_digests(ctx)
        return ctx.report

    def sweep(self, *, at: dt.datetime | None = None, dry_run: bool = False) -> SweepReport:
        """Everything once: reminders, escalations and pre-meeting digests."""
        report = self.chase(at=at, dry_run=dry_run)
        digests = self.meeting_digests(at=report.at, dry_run=dry_run)
        report.deliveries.extend(digests.deliveries)
        report.held += digests.held
        return report


def schedule_unscheduled(ctx: SweepContext) -> list[int]:
    """Give every open owner row without a next chase time one; the ids due at once.

    A dry run computes the times without storing them. Rows are written with compare-and-set,
    so two instances scheduling the same row at once agree (the policy is a pure function).
    """
    today = ctx.now.astimezone(ZoneInfo(DEFAULT_ZONE)).date() - dt.timedelta(days=1)
    due_now: list[int] = []
    after = 0
    while True:
        with transaction(ctx.sessions) as session:
            rows = chasing.unscheduled(session, today, after_id=after)
            if not rows:
                return due_now
            groups = {r.action.group_id for r in rows if r.action.group_id is not None}
            meetings = chasing.future_meetings(session, groups, today)
            times: dict[int, dt.datetime] = {}
            for row in rows:
                at = next_chase_at(
                    due=row.action.due_date,
                    meetings=meetings.get(row.action.group_id or -1, []),
                    now=ctx.now,
                    zone=zone_for(row.member.timezone if row.member else None),
                    policy=ctx.policy(row.action.group),
                    last_chased_at=row.last_chased_at,
                    snoozed_until=row.snoozed_until,
                )
                if at is not None:
                    times[row.id] = at
            if not ctx.dry_run:
                chasing.schedule(session, times)
            ctx.report.scheduled += len(times)
            due_now += [owner_id for owner_id, at in times.items() if at <= ctx.now]
            after = rows[-1].id
