"""The data-protection and operations commands, run as an operator would run them."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from store import actions
from store.db import make_engine, transaction
from store.models import Action, Member
from store.models.actions import DONE

SECRET_TOKEN = "xoxb-111-222-SuperSecretBotToken"
SECRET_SIGNING = "signing-secret-value-abc123"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No .env and no platform settings leak in from the machine running the tests."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith(
            ("SLACK_", "Microsoft", "MICROSOFT_", "CHASER_")
        ) and not name.startswith(("CHASER_TEST_", "CHASER_REQUIRE_")):
            monkeypatch.delenv(name)


@pytest.fixture
def db(
    db_url: str, monkeypatch: pytest.MonkeyPatch, sessions: sessionmaker[Session]
) -> sessionmaker[Session]:
    monkeypatch.setenv("CHASER_DATABASE_URL", db_url)
    with transaction(sessions) as session:
        fiona = Member(name="Fiona Taylor", aliases=["Fi"], email="fiona@example.gov.uk")
        session.add(fiona)
        session.flush()
        actions.create(
            session,
            actions.NewAction(
                text="Fiona Taylor to circulate the MARAC figures",
                source_kind="cli",
                owners=[actions.NewOwner("Fiona Taylor", fiona.id, "matched")],
            ),
            actor="test",
            via="cli",
        )
    return sessions


def test_member_export_prints_json(
    db: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["member", "export", "fiona taylor"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["member"]["email"] == "fiona@example.gov.uk"
    assert data["action_parts"][0]["action_text"] == "Fiona Taylor to circulate the MARAC figures"


def test_member_export_to_a_private_file(
    db: sessionmaker[Session], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "fiona.json"
    assert main(["member", "export", "Fiona Taylor", "--output", str(target)]) == 0
    assert json.loads(target.read_text())["member"]["name"] == "Fiona Taylor"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("command", ["export", "erase"])
def test_unknown_member_is_one_clear_line(
    db: sessionmaker[Session], capsys: pytest.CaptureFixture[str], command: str
) -> None:
    assert (
        main(
            ["member", command, "Nobody Atall", "--yes"]
            if command == "erase"
            else ["member", command, "Nobody Atall"]
        )
        == 1
    )
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: no member called 'Nobody Atall'") and "\n" not in err


def test_erase_without_yes_and_without_a_terminal_refuses(
    db: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["member", "erase", "Fiona Taylor"]) == 1
    assert "not erasing without confirmation" in capsys.readouterr().err
    with db() as session:
        assert session.scalars(select(Member.name)).one() == "Fiona Taylor"


class _Terminal:
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("answer", "erased"), [("erase", True), ("no", False)])
def test_erase_asks_on_a_terminal(
    db: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch, answer: str, erased: bool
) -> None:
    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setattr("builtins.input", lambda prompt: answer)
    assert main(["member", "erase", "Fiona Taylor"]) == (0 if erased else 1)
    with db() as session:
        member = session.scalars(select(Member)).one()
        assert member.erased is erased


def test_erase_with_yes(db: sessionmaker[Session], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["member", "erase", "Fi", "--yes"]) == 0
    assert "now shown as 'Erased member #1'" in capsys.readouterr().out
    with db() as session:
        assert (
            session.scalars(select(Action.text)).one()
            == "Erased member #1 to circulate the MARAC figures"
        )
    assert main(["member", "export", "Fiona Taylor"]) == 1


def _close(sessions: sessionmaker[Session], years_ago: float) -> str:
    with transaction(sessions) as session:
        action = actions.create(
            session,
            actions.NewAction(text=f"closed {years_ago}y ago", source_kind="cli"),
            actor="t",
            via="cli",
        )
        assert action is not None and action.ref
        action.status = DONE
        action.closed_at = dt.datetime.now(dt.UTC) - dt.timedelta(days=365.25 * years_ago)
        return action.ref


def test_retention_dry_run_then_real(
    db: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    old, recent = _close(db, 7), _close(db, 1)
    assert main(["retention", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("would remove 1 closed actions closed before ") and out.strip().endswith(
        old
    )
    with db() as session:
        assert len(session.scalars(select(Action)).all()) == 3
    assert main(["retention", "--older-than", "6y"]) == 0
    assert capsys.readouterr().out.strip().endswith(f": {old}")
    with db() as session:
        assert sorted(session.scalars(select(Action.ref))) == sorted(["A-1", recent])


def test_retention_period_from_the_environment(
    db: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    recent = _close(db, 1)
    monkeypatch.setenv("CHASER_RETENTION", "6m")
    assert main(["retention", "--dry-run"]) == 0
    assert capsys.readouterr().out.strip().endswith(recent)
    assert main(["retention", "--older-than", "90d", "--dry-run"]) == 0
    assert main(["retention", "--older-than", "2w", "--dry-run"]) == 0
    assert main(["retention", "--older-than", "soon"]) == 2
    assert "use e.g. 6y, 18m, 90d or 2w" in capsys.readouterr().err


def test_doctor_on_a_good_configuration(
    db: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", SECRET_TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET_SIGNING)
    monkeypatch.setenv("MicrosoftAppId", "00000000-0000-0000-0000-00000000abcd")
    monkeypatch.setenv("MicrosoftAppPassword", "teams~password~value")
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    lines = out.strip().splitlines()
    assert [line.split(":")[0] for line in lines[:-1]] == [
        "ok    configuration", "ok    timezone", "ok    retention", "ok    slack",
        "ok    teams", "ok    database", "ok    migrations",
    ]  # fmt: skip
    assert (
        "SLACK_BOT_TOKEN set, SLACK_SIGNING_SECRET set" in out and lines[-1] == "all checks passed"
    )
    for secret in (SECRET_TOKEN, SECRET_SIGNING, "teams~password~value"):
        assert secret not in out


def test_doctor_on_a_bad_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    unmigrated = f"sqlite:///{tmp_path / 'new.db'}"
    make_engine(unmigrated).dispose()
    monkeypatch.setenv("CHASER_DATABASE_URL", unmigrated)
    monkeypatch.setenv("SLACK_BOT_TOKEN", SECRET_TOKEN)  # but no signing secret
    monkeypatch.setenv("MicrosoftAppId", "00000000-0000-0000-0000-00000000abcd")  # no password
    monkeypatch.setenv("CHASER_TIMEZONE", "Mars/Olympus")
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  slack: SLACK_BOT_TOKEN set, SLACK_SIGNING_SECRET missing" in out
    assert "fix: SLACK_SIGNING_SECRET is required to receive Slack requests" in out
    assert "FAIL  teams: MicrosoftAppId set, MicrosoftAppPassword missing" in out
    assert "FAIL  timezone: unknown zone 'Mars/Olympus'" in out
    assert "FAIL  migrations:" in out and "fix: run `chaser db upgrade`" in out
    assert "ok    database" in out and SECRET_TOKEN not in out


def test_doctor_on_an_unreachable_database(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CHASER_DATABASE_URL", "postgresql://chaser:pw-in-url@127.0.0.1:9/chaser")
    monkeypatch.setenv("CHASER_PORT", "not-a-number")
    assert main(["doctor"]) == 1
    assert capsys.readouterr().out.startswith("FAIL  configuration: bad configuration")
    monkeypatch.setenv("CHASER_PORT", "3978")
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  database: cannot reach postgresql+psycopg://chaser:***@127.0.0.1:9/chaser" in out
    assert "FAIL  migrations: not checked" in out and "pw-in-url" not in out
