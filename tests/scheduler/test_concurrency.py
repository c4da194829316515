"""Several sweeps at once on real PostgreSQL: each due reminder is sent exactly once."""

from __future__ import annotations

import collections
import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bench.sweep_bench import seed_due_chases
from handlers.messages import Outgoing, ToMember
from scheduler.notifier import RecordingNotifier
from scheduler.sweep import Sweeper
from store.db import make_engine, make_session_factory
from store.migrate import upgrade
from store.models import ActionOwner
from store.models.chasing import SENT, ChaseSend
from tests.conftest import _reset_postgres
from tests.scheduler.conftest import at

pytestmark = pytest.mark.postgres

NOW = at(2026, 9, 2, 10)
MEMBERS, PER_MEMBER = 300, 10  # 3,000 due chases, one digest of ten per member


@pytest.fixture
def pg_sessions(postgres_server_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(postgres_server_url, pool_size=10)
    _reset_postgres(engine)
    upgrade(engine)
    yield make_session_factory(engine)
    engine.dispose()


class SharedRecorder(RecordingNotifier):
    """One recorder for every sweeper; list.append is atomic, so threads may share it."""

    def __init__(self) -> None:
        super().__init__()
        self.by_thread: collections.Counter[str] = collections.Counter()

    def send(self, outgoing: Outgoing) -> None:
        super().send(outgoing)
        self.by_thread[threading.current_thread().name] += 1


def test_three_concurrent_sweeps_send_each_of_3000_chases_exactly_once(
    pg_sessions: sessionmaker[Session],
) -> None:
    seed_due_chases(pg_sessions, MEMBERS, PER_MEMBER, NOW - dt.timedelta(hours=1))
    notifier = SharedRecorder()
    start = threading.Barrier(3)
    errors: list[BaseException] = []

    def run(name: str) -> None:
        sweeper = Sweeper(pg_sessions, notifier, clock=lambda: NOW, instance=name, batch_members=50)
        start.wait()
        try:
            sweeper.chase(at=NOW)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [
        threading.Thread(target=run, args=(f"sweep-{i}",), name=f"sweep-{i}") for i in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    refs = collections.Counter(ref for o in notifier.sent for ref in o.action_refs)
    assert len(refs) == MEMBERS * PER_MEMBER and set(refs.values()) == {1}
    members = collections.Counter(
        o.to.member_id for o in notifier.sent if isinstance(o.to, ToMember)
    )
    assert len(members) == MEMBERS and set(members.values()) == {1}  # one digest each
    assert len(notifier.by_thread) >= 2, notifier.by_thread  # the work was shared
    with pg_sessions() as session:
        counts = session.execute(
            select(ActionOwner.chase_count, func.count()).group_by(ActionOwner.chase_count)
        ).all()
        assert counts == [(1, MEMBERS * PER_MEMBER)]
        log = session.execute(
            select(ChaseSend.status, ChaseSend.attempts, func.count()).group_by(
                ChaseSend.status, ChaseSend.attempts
            )
        ).all()
        assert log == [(SENT, 1, MEMBERS * PER_MEMBER)]
