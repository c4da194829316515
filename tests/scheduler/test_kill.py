"""An instance killed mid-sweep (SIGKILL): after another sweep nothing is lost or doubled."""

from __future__ import annotations

import collections
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bench.sweep_bench import seed_due_chases
from scheduler.notifier import RecordingNotifier
from scheduler.sweep import Sweeper
from store.db import make_engine, make_session_factory
from store.migrate import upgrade
from store.models.chasing import SENDING, SENT, ChaseSend
from tests.conftest import ROOT, _reset_postgres
from tests.scheduler.conftest import at

pytestmark = pytest.mark.postgres

NOW = at(2026, 9, 2, 10)
MEMBERS, PER_MEMBER = 200, 3
BATCH = 20  # members the child claims at a time
STOP_AT = 50  # the child is killed while sending its 50th digest, mid-way through a batch
# digests the child had logged as "sending" (its third batch: 41-60) but not recorded as sent
UNFINISHED = (3 * BATCH - STOP_AT + 1) * PER_MEMBER


@pytest.fixture
def pg(postgres_server_url: str) -> Iterator[tuple[str, sessionmaker[Session]]]:
    engine = make_engine(postgres_server_url)
    _reset_postgres(engine)
    upgrade(engine)
    sessions = make_session_factory(engine)
    seed_due_chases(sessions, MEMBERS, PER_MEMBER, NOW - dt.timedelta(hours=1))
    yield postgres_server_url, sessions
    engine.dispose()


def kill_child_mid_send(url: str, out: Path, mode: str) -> list[dict[str, Any]]:
    """Run a sweep in a child process, SIGKILL it at digest STOP_AT; what it delivered."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.scheduler.sweep_child", url, NOW.isoformat(), str(out),
         str(STOP_AT), mode, str(BATCH)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    stopped = Path(f"{out}.stopped")
    deadline = time.monotonic() + 60
    while not stopped.exists():
        assert child.poll() is None, "the child sweep ended before it was killed"
        assert time.monotonic() < deadline, "the child sweep never reached the kill point"
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL
    return [json.loads(line) for line in out.read_text().splitlines()]


def finish_after_lease(sessions: sessionmaker[Session]) -> RecordingNotifier:
    notifier = RecordingNotifier()
    # before the child's 15-minute lease runs out nothing it claimed is touched ...
    Sweeper(sessions, notifier, clock=lambda: NOW, instance="second").chase(
        at=NOW + dt.timedelta(minutes=5)
    )
    first = len(notifier.sent)
    assert all(len(o.action_refs) == PER_MEMBER for o in notifier.sent)
    # ... afterwards its claims have expired and the rest is sent
    Sweeper(sessions, notifier, clock=lambda: NOW, instance="third").chase(
        at=NOW + dt.timedelta(minutes=16)
    )
    assert len(notifier.sent) > first
    return notifier


def deliveries(
    child: list[dict[str, Any]], notifier: RecordingNotifier
) -> collections.Counter[str]:
    refs: collections.Counter[str] = collections.Counter()
    for line in child:
        refs.update(line["refs"])
    for outgoing in notifier.sent:
        refs.update(outgoing.action_refs)
    return refs


def test_killed_while_a_send_is_in_flight_nothing_is_lost_or_doubled(
    pg: tuple[str, sessionmaker[Session]], tmp_path: Path
) -> None:
    url, sessions = pg
    child = kill_child_mid_send(url, tmp_path / "child.jsonl", "before")
    assert len(child) == STOP_AT - 1
    refs = deliveries(child, finish_after_lease(sessions))
    assert len(refs) == MEMBERS * PER_MEMBER and set(refs.values()) == {1}
    with sessions() as session:
        statuses = collections.Counter(session.scalars(select(ChaseSend.status)))
        retried = session.scalars(select(ChaseSend).where(ChaseSend.attempts > 1)).all()
    assert statuses == {SENT: MEMBERS * PER_MEMBER}
    # the in-flight digest and the rest of its batch were taken over and sent once each
    assert len(retried) == UNFINISHED


def test_killed_after_the_platform_accepted_at_most_that_one_digest_is_repeated(
    pg: tuple[str, sessionmaker[Session]], tmp_path: Path
) -> None:
    url, sessions = pg
    child = kill_child_mid_send(url, tmp_path / "child.jsonl", "after")
    assert len(child) == STOP_AT
    refs = deliveries(child, finish_after_lease(sessions))
    assert len(refs) == MEMBERS * PER_MEMBER  # nothing lost
    doubled = {ref for ref, n in refs.items() if n > 1}
    assert doubled == set(child[-1]["refs"])
    assert set(refs.values()) <= {1, 2}
    with sessions() as session:
        rows = session.scalars(select(ChaseSend).where(ChaseSend.attempts > 1)).all()
        assert {r.status for r in rows} == {SENT} and len(rows) == UNFINISHED
        assert not session.scalars(select(ChaseSend).where(ChaseSend.status == SENDING)).all()
