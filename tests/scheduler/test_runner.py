"""The APScheduler jobs: stable ids, safe defaults, a first sweep at start-up, a clean stop."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from scheduler.notifier import RecordingNotifier
from scheduler.runner import DIGEST_JOB, SWEEP_JOB, start_scheduler, stop_scheduler
from store.db import make_engine, make_session_factory
from tests.scheduler.conftest import at, make_world


@dataclass
class FakeSettings:
    sweep_seconds: int = 60


@dataclass
class FakeChaser:
    sessions: sessionmaker[Session]
    clock: Callable[[], dt.datetime]
    settings: FakeSettings


def test_jobs_start_sweep_at_once_and_stop(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    sessions = make_session_factory(engine)
    world = make_world(sessions)
    world.action("Draft the plan", [world.fiona], dt.date(2026, 9, 2))
    notifier = RecordingNotifier()
    handle = start_scheduler(FakeChaser(sessions, lambda: at(2026, 9, 2), FakeSettings()), notifier)
    try:
        jobs = {job.id: job for job in handle.scheduler.get_jobs()}
        assert set(jobs) == {SWEEP_JOB, DIGEST_JOB}
        for job in jobs.values():
            assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 3600)
        deadline = time.monotonic() + 20
        while not notifier.sent and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [m.summary for m in notifier.to_member(world.fiona)] == ["Reminder: 1 action due"]
    finally:
        stop_scheduler(handle)
    assert not handle.scheduler.running
    engine.dispose()
