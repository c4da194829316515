"""Time one chase sweep over many due reminders on SQLite and on PostgreSQL.

    .venv/bin/python bench/sweep_bench.py [--chases 10000] [--per-member 1] [--skip-sqlite]
                                          [--skip-postgres]

PostgreSQL comes from CHASER_BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test);
the benchmark creates a fresh database there and drops it afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scheduler.notifier import RecordingNotifier  # noqa: E402
from scheduler.sweep import Sweeper  # noqa: E402
from store.db import make_engine, make_session_factory, normalise_url  # noqa: E402
from store.migrate import upgrade  # noqa: E402
from store.models import Action, ActionOwner, Group, Member, Membership  # noqa: E402
from store.models.chasing import ChaseSend  # noqa: E402

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
# a Wednesday morning in term time: inside the sending window, no bank holiday
SWEEP_AT = dt.datetime(2026, 9, 2, 10, 0, tzinfo=ZoneInfo("Europe/London"))


def seed_due_chases(
    sessions: sessionmaker[Session], members: int, per_member: int, due_at: dt.datetime
) -> None:
    """Add a board with a chair and ``members`` members owning ``per_member`` actions each,
    every owner row due at ``due_at`` (bulk inserts: seconds for tens of thousands of rows),
    then refresh PostgreSQL's statistics as autovacuum would."""
    with sessions.begin() as session:
        board = Group(name=f"Bench board {uuid.uuid4().hex[:6]}", kind="board")
        chair = Member(name="Bench Chair")
        session.add_all([board, chair])
        session.flush()
        session.add(Membership(member_id=chair.id, group_id=board.id, role="chair"))
        first = (session.scalar(select(func.max(Member.id))) or 0) + 1
        session.execute(
            insert(Member),
            [{"id": first + i, "name": f"Member {i}", "aliases": []} for i in range(members)],
        )
        action_first = (session.scalar(select(func.max(Action.id))) or 0) + 1
        due = due_at.date() - dt.timedelta(days=14)
        count = members * per_member
        session.execute(
            insert(Action),
            [
                {"id": action_first + i, "ref": f"A-{action_first + i}",
                 "text": f"Bench action {i}", "source_kind": "cli", "group_id": board.id,
                 "due_date": due, "status": "open"}
                for i in range(count)
            ],
        )  # fmt: skip
        session.execute(
            insert(ActionOwner),
            [
                {"action_id": action_first + i, "position": 0,
                 "written": f"Member {i // per_member}", "member_id": first + i // per_member,
                 "match_status": "matched", "status": "open", "next_chase_at": due_at}
                for i in range(count)
            ],
        )  # fmt: skip
        postgres = session.get_bind().dialect.name == "postgresql"
        if postgres:
            for table in ("members", "actions"):
                session.execute(
                    text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")  # noqa: S608
                )
    if postgres:
        # what autovacuum does within a minute of a bulk load; without statistics the planner
        # takes the fresh tables for empty and picks nested loops
        with sessions.begin() as session:
            session.execute(text("ANALYZE members, actions, action_owners"))


def bench(url: str, chases: int, per_member: int) -> dict[str, float]:
    """Seed ``chases`` due reminders in the (migrated, empty) database at ``url``; time a sweep."""
    engine = make_engine(url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    started = time.perf_counter()
    seed_due_chases(sessions, chases // per_member, per_member, SWEEP_AT - dt.timedelta(days=1))
    seeded = time.perf_counter() - started
    notifier = RecordingNotifier()
    sweeper = Sweeper(sessions, notifier, clock=lambda: SWEEP_AT, instance="bench")
    started = time.perf_counter()
    report = sweeper.chase(at=SWEEP_AT)
    elapsed = time.perf_counter() - started
    with sessions() as session:
        logged = session.scalar(select(func.count()).select_from(ChaseSend))
    engine.dispose()
    assert logged == chases, f"expected {chases} send-log rows, found {logged}"
    assert len(notifier.sent) == chases // per_member
    assert report.deliveries and all(d.status == "sent" for d in report.deliveries)
    return {"seed_s": seeded, "sweep_s": elapsed, "messages": len(notifier.sent)}


def _postgres(url: str, chases: int, per_member: int) -> dict[str, float]:
    admin = create_engine(normalise_url(url), isolation_level="AUTOCOMMIT")
    name = f"chaser_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        return bench(f"{normalise_url(url).rsplit('/', 1)[0]}/{name}", chases, per_member)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chases", type=int, default=10_000)
    parser.add_argument("--per-member", type=int, default=1, help="due reminders per member")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            results["sqlite"] = bench(f"sqlite:///{tmp}/bench.db", args.chases, args.per_member)
    if not args.skip_postgres:
        url = os.environ.get("CHASER_BENCH_POSTGRES_URL", DEFAULT_PG)
        results["postgresql"] = _postgres(url, args.chases, args.per_member)
    for engine, figures in results.items():
        rate = args.chases / figures["sweep_s"]
        print(
            f"{engine:10} {args.chases} due chases, {figures['messages']:.0f} messages: "
            f"sweep {figures['sweep_s']:.2f} s ({rate:,.0f} chases/s), "
            f"seed {figures['seed_s']:.2f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
