"""``chaser chase``: one sweep from the command line, dry or real, as text or JSON."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from store.models import Base
from tests.scheduler.conftest import make_world


def snapshot(sessions: sessionmaker[Session]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table."""
    with sessions() as session:
        return {
            table.name: [tuple(row) for row in session.execute(select(table)).all()]
            for table in Base.metadata.sorted_tables
        }


@pytest.fixture
def seeded(
    db_url: str, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> sessionmaker[Session]:
    monkeypatch.setenv("CHASER_DATABASE_URL", db_url)
    for name in ("SLACK_BOT_TOKEN", "SLACK_CLIENT_ID"):
        monkeypatch.delenv(name, raising=False)
    world = make_world(sessions)
    world.action("Draft the knife crime plan", [world.fiona], dt.date(2026, 9, 2))
    world.action("Send the data", [world.tom], dt.date(2026, 8, 20))
    return sessions


def test_dry_run_says_what_would_be_sent_and_changes_nothing(
    seeded: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(seeded)
    assert main(["chase", "--dry-run", "--at", "2026-09-02T15:00", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["dry_run"] is True
    got = [(d["to"], d["why"], d["refs"], d["status"]) for d in report["deliveries"]]
    assert got == [
        ("Fiona Taylor", "due today", ["A-1"], "would send"),
        ("Tom Hook", "overdue 1", ["A-2"], "would send"),
    ]
    assert snapshot(seeded) == before


def test_a_real_sweep_printed_to_the_terminal_counts_as_sent(
    seeded: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["chase", "--print", "--at", "2026-09-02T15:00+01:00"]) == 0
    out = capsys.readouterr()
    assert "Overdue: A-2 Send the data" in out.err  # the message itself
    assert "Fiona Taylor" in out.out and "due today" in out.out  # the summary table
    assert main(["chase", "--print", "--at", "2026-09-02T15:05", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["deliveries"] == []  # sent once


def test_without_a_platform_or_with_a_bad_time_one_clear_error(
    seeded: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(seeded)
    assert main(["chase", "--at", "2026-09-02T15:00"]) == 2
    assert "no chat platform is configured" in capsys.readouterr().err
    assert main(["chase", "--dry-run", "--at", "next tuesday"]) == 2
    err = capsys.readouterr().err.strip()
    assert (
        err == "error: --at: 'next tuesday' is not an ISO date-time (for example 2026-09-02T10:00)"
    )
    assert snapshot(seeded) == before
