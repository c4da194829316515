"""Fixtures: a database holding the example partnership, copied from a template on SQLite.

Importing the directory takes a second or two; on SQLite it is done once per test session and
the file copied for each test; on PostgreSQL it is loaded once into a database of its own and
each test runs in a transaction rolled back at the end (the code's commits become savepoints).
Use: import ``partnership_template_fixture``, ``partnership_pg_fixture`` and
``partnership_sessions_fixture`` into a test module.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from store import directory
from store.db import make_engine, make_session_factory, transaction
from store.migrate import upgrade
from tests.conftest import ROOT, side_database


def load_partnership(url: str) -> None:
    """Migrate ``url`` and import examples/partnership.yml into it."""
    engine = make_engine(url)
    upgrade(engine)
    with transaction(make_session_factory(engine)) as session:
        data = directory.load_yaml_file(ROOT / "examples" / "partnership.yml")
        directory.import_yaml(session, data, actor="test", via="cli")
    engine.dispose()


@pytest.fixture(name="partnership_template", scope="session")
def partnership_template_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file with the example partnership (do not write to it)."""
    path = tmp_path_factory.mktemp("partnership") / "template.db"
    load_partnership(f"sqlite:///{path}")
    return path


@pytest.fixture(name="partnership_pg", scope="session")
def partnership_pg_fixture(postgres_server_url: str) -> Iterator[Engine]:
    """An engine on a PostgreSQL database holding the example partnership (never committed to:
    each test runs inside a transaction that is rolled back)."""
    with side_database(postgres_server_url, "partnership", load_partnership) as engine:
        yield engine


@pytest.fixture(
    name="partnership_sessions",
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def partnership_sessions_fixture(
    request: pytest.FixtureRequest, tmp_path: Path, partnership_template: Path
) -> Iterator[sessionmaker[Session]]:
    """Sessions on the example partnership: a SQLite copy, and (second run) PostgreSQL, where
    every commit the code makes is a savepoint inside one transaction rolled back afterwards."""
    if request.param == "sqlite":
        target = tmp_path / "chaser.db"
        shutil.copyfile(partnership_template, target)
        engine = make_engine(f"sqlite:///{target}")
        yield make_session_factory(engine)
        engine.dispose()
        return
    pg: Engine = request.getfixturevalue("partnership_pg")
    with pg.connect() as conn:
        outer = conn.begin()
        yield sessionmaker(
            bind=conn, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        outer.rollback()
