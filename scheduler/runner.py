"""APScheduler jobs that run the sweep and the meeting digests inside a Chaser process."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.orm import Session, sessionmaker

from scheduler.context import SweepReport
from scheduler.notifier import Notifier
from scheduler.sweep import Sweeper

log = logging.getLogger(__name__)

SWEEP_JOB = "chaser-sweep"
DIGEST_JOB = "chaser-meeting-digests"
DIGEST_EVERY = dt.timedelta(minutes=15)


class _SweepSettings(Protocol):
    @property
    def sweep_seconds(self) -> int: ...


class ChaserLike(Protocol):
    """What the runner needs from the application (bot.app.Chaser fits)."""

    @property
    def sessions(self) -> sessionmaker[Session]: ...

    @property
    def clock(self) -> Callable[[], dt.datetime]: ...

    @property
    def settings(self) -> _SweepSettings: ...


@dataclass
class SchedulerHandle:
    """A running scheduler and the sweeper its jobs use."""

    scheduler: BackgroundScheduler
    sweeper: Sweeper

    def stop(self, wait: bool = True) -> None:
        """Stop the jobs; with ``wait`` a sweep in progress finishes first."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=wait)


def _log_report(job: str, report: SweepReport) -> None:
    if report.deliveries or report.scheduled:
        statuses: dict[str, int] = {}
        for delivery in report.deliveries:
            statuses[delivery.status] = statuses.get(delivery.status, 0) + 1
        log.info("%s: scheduled %d, held %d, %s", job, report.scheduled, report.held, statuses)


def start_scheduler(
    chaser: ChaserLike, notifier: Notifier, *, run_now: bool = True
) -> SchedulerHandle:
    """Start the periodic jobs in a background thread: the sweep every ``sweep_seconds`` and
    the meeting digests every 15 minutes, each first run at once (catching up after downtime).

    The job store is in memory on purpose: the database is the source of truth for what is
    due, so nothing is lost with the process and no job store is shared between instances.
    A late run is coalesced into one (``coalesce``), never overlaps itself
    (``max_instances=1``) and still runs when up to an hour late. The notifier is called from
    the scheduler's thread, so it must be safe to call from there.
    """
    sweeper = Sweeper(chaser.sessions, notifier, clock=chaser.clock)
    scheduler = BackgroundScheduler(
        timezone=dt.UTC,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
    )
    # the triggers run on the real clock (the sweeps read chaser.clock); without run_now the
    # first run comes after one interval (next_run_time=None would add the jobs paused)
    first = {"next_run_time": dt.datetime.now(dt.UTC)} if run_now else {}

    def sweep() -> None:
        _log_report(SWEEP_JOB, sweeper.chase())

    def digests() -> None:
        _log_report(DIGEST_JOB, sweeper.meeting_digests())

    every = max(int(chaser.settings.sweep_seconds), 5)
    scheduler.add_job(
        sweep,
        IntervalTrigger(seconds=every),
        id=SWEEP_JOB,
        name="chase sweep",
        **first,
        replace_existing=True,
    )
    scheduler.add_job(
        digests,
        IntervalTrigger(seconds=int(DIGEST_EVERY.total_seconds())),
        id=DIGEST_JOB,
        name="pre-meeting digests",
        **first,
        replace_existing=True,
    )
    scheduler.start()
    log.info("scheduler started as %s, sweeping every %ds", sweeper.instance, every)
    return SchedulerHandle(scheduler, sweeper)


def stop_scheduler(handle: SchedulerHandle, wait: bool = True) -> None:
    """Stop a scheduler started by :func:`start_scheduler`."""
    handle.stop(wait=wait)


stop = stop_scheduler
