"""``GET /readyz`` over HTTP, and start-up refusing a database that has not been migrated."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import inspect, text

from bot.app import Chaser, build
from bot.cli import main
from bot.server import SCHEDULERS, build_web_app, start_site
from bot.settings import Settings
from store.db import make_engine, make_session_factory
from store.migrate import NotMigratedError, is_current
from tests.conftest import ROOT, _reset_postgres

UNREACHABLE = "postgresql://chaser:hunter2-db-password@127.0.0.1:1/chaser"


def _settings(url: str) -> Settings:
    return Settings(CHASER_DATABASE_URL=url, CHASER_SWEEP_SECONDS=3600)


async def _get_readyz(app: Any, *, stop_scheduler: bool = False) -> tuple[int, dict[str, Any]]:
    runner, port = await start_site(app, "127.0.0.1", 0)
    try:
        if stop_scheduler:
            for handle in app[SCHEDULERS]:
                await asyncio.to_thread(handle.stop)
        async with (
            aiohttp.ClientSession() as client,
            client.get(f"http://127.0.0.1:{port}/readyz") as response,
        ):
            body: dict[str, Any] = await response.json()
            return response.status, body
    finally:
        await runner.cleanup()


def _readyz(chaser: Chaser, *, scheduler: bool, stop_scheduler: bool = False) -> tuple[int, Any]:
    app = build_web_app(chaser, scheduler=scheduler)
    try:
        return asyncio.run(_get_readyz(app, stop_scheduler=stop_scheduler))
    finally:
        chaser.engine.dispose()


def _details(body: dict[str, Any]) -> dict[str, tuple[bool, str]]:
    return {name: (c["ok"], c["detail"]) for name, c in body["checks"].items()}


def test_ready_when_database_schema_and_scheduler_are_all_fine(db_url: str) -> None:
    status, body = _readyz(build(_settings(db_url)), scheduler=True)
    assert status == 200
    assert body["ok"] is True
    assert _details(body) == {
        "database": (True, "reachable"),
        "migrations": (True, "current"),
        "scheduler": (True, "running"),
    }


def test_not_ready_once_the_scheduler_has_stopped(db_url: str) -> None:
    status, body = _readyz(build(_settings(db_url)), scheduler=True, stop_scheduler=True)
    assert status == 503
    assert body["ok"] is False
    assert _details(body)["scheduler"] == (False, "not running")
    assert _details(body)["database"] == (True, "reachable")


def test_an_instance_without_the_scheduler_is_ready_and_says_so(db_url: str) -> None:
    status, body = _readyz(build(_settings(db_url)), scheduler=False)
    assert status == 200
    ok, detail = _details(body)["scheduler"]
    assert ok and "CHASER_SCHEDULER=false" in detail


def test_not_ready_when_the_schema_is_behind_the_code(db_url: str) -> None:
    chaser = build(_settings(db_url))
    with chaser.engine.begin() as connection:
        connection.execute(text("DELETE FROM alembic_version WHERE version_num = '0003_chasing'"))
    status, body = _readyz(chaser, scheduler=False)
    assert status == 503
    assert _details(body)["migrations"] == (False, "needs `chaser db upgrade`")


def test_not_ready_when_the_database_is_unreachable_and_no_credentials_are_shown() -> None:
    engine = make_engine(UNREACHABLE)
    chaser = Chaser(_settings(UNREACHABLE), engine, make_session_factory(engine))
    status, body = _readyz(chaser, scheduler=False)
    assert status == 503
    checks = _details(body)
    assert checks["database"][0] is False and checks["database"][1].startswith("unreachable")
    assert checks["migrations"][0] is False
    assert "hunter2" not in str(body) and "127.0.0.1:1" not in str(body)


# --- start-up on a database nobody has migrated ----------------------------------------------


@pytest.fixture
def empty_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'never-migrated.db'}"
    monkeypatch.setenv("CHASER_DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    return url


@pytest.fixture
def empty_postgres(postgres_server_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    engine = make_engine(postgres_server_url)
    _reset_postgres(engine)
    engine.dispose()
    monkeypatch.setenv("CHASER_DATABASE_URL", postgres_server_url)
    return postgres_server_url


def test_building_the_app_on_an_unmigrated_database_is_refused(empty_db: str) -> None:
    with pytest.raises(NotMigratedError, match="chaser db upgrade"):
        build(_settings(empty_db))


COMMANDS = [
    ["actions"],
    ["ask", "--as", "Fiona Taylor", "who leads on ASB?"],
    ["chase", "--dry-run"],
    ["directory", "show"],
    ["member", "export", "Fiona Taylor"],
    ["retention", "--older-than", "6y", "--dry-run"],
]


@pytest.mark.postgres
@pytest.mark.parametrize("argv", COMMANDS, ids=lambda argv: " ".join(argv[:2]))
def test_commands_refuse_an_unmigrated_shared_database_with_one_clear_line(
    empty_postgres: str, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) != 0
    err = capsys.readouterr().err
    assert "run `chaser db upgrade`" in err
    assert "Traceback" not in err
    engine = make_engine(empty_postgres)
    try:
        assert inspect(engine).get_table_names() == []  # nothing was created behind its back
    finally:
        engine.dispose()


def test_commands_bring_a_new_local_sqlite_file_up_to_date_themselves(
    empty_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["actions"]) == 0
    assert "No actions match." in capsys.readouterr().err
    engine = make_engine(empty_db)
    try:
        assert is_current(engine)
    finally:
        engine.dispose()


def test_serve_refuses_an_unmigrated_database_then_starts_after_db_upgrade(
    empty_db: str,
) -> None:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "Microsoft"))}
    env = keep | {"CHASER_DATABASE_URL": empty_db, "CHASER_SCHEDULER": "false"}
    serve = [sys.executable, "-m", "bot.cli", "serve", "--port", "0"]
    refused = subprocess.run(serve, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0
    assert "run `chaser db upgrade`" in refused.stderr
    assert "Traceback" not in refused.stderr
    upgrade = [sys.executable, "-m", "bot.cli", "db", "upgrade"]
    done = subprocess.run(upgrade, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    child = subprocess.Popen(serve, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        assert "listening on http://127.0.0.1:" in child.stdout.readline()
    finally:
        child.terminate()
        child.wait(10)
