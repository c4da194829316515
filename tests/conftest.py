"""Shared fixtures: a migrated database per test on SQLite, and on real PostgreSQL when configured.

Set CHASER_TEST_POSTGRES_URL (CI does) to run every ``db`` test on PostgreSQL as well; each run
gets a database of its own, dropped afterwards. With CHASER_REQUIRE_POSTGRES=1 a missing server is
an error, not a skip.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from store.db import make_engine, make_session_factory, normalise_url
from store.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
PG_URL = os.environ.get("CHASER_TEST_POSTGRES_URL")


def _admin_url(url: str) -> str:
    return normalise_url(url)


@contextlib.contextmanager
def side_database(server_url: str, suffix: str, fill: Callable[[str], None]) -> Iterator[Engine]:
    """A PostgreSQL database of its own beside ``server_url`` (``<name>_<suffix>``), filled by
    ``fill(url)``; the engine on it, and the database dropped afterwards."""
    base, name = server_url.rsplit("/", 1)
    admin = create_engine(_admin_url(server_url), isolation_level="AUTOCOMMIT")
    database = f"{name}_{suffix}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    fill(f"{base}/{database}")
    engine = make_engine(f"{base}/{database}")
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session (dropped at the end)."""
    if not PG_URL:
        if os.environ.get("CHASER_REQUIRE_POSTGRES"):
            pytest.fail("CHASER_TEST_POSTGRES_URL is not set but CHASER_REQUIRE_POSTGRES is")
        pytest.skip("PostgreSQL tests need CHASER_TEST_POSTGRES_URL (CI sets it)")
    admin = create_engine(_admin_url(PG_URL), isolation_level="AUTOCOMMIT")
    name = f"chaser_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # any connection failure means no server
        if os.environ.get("CHASER_REQUIRE_POSTGRES"):
            raise
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}: {exc}")
    base = _admin_url(PG_URL).rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _reset_postgres(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database URL: a SQLite file, and (second run) PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'chaser.db'}"
        engine = make_engine(url)
    else:
        url = request.getfixturevalue("postgres_server_url")
        engine = make_engine(url)
        _reset_postgres(engine)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A migrated SQLite database only (for tests where the engine does not matter)."""
    url = f"sqlite:///{tmp_path / 'chaser.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url
