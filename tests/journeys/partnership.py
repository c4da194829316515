"""Fixtures: a database holding the example partnership, copied from a template on SQLite.

Importing the directory takes a second or two; on SQLite it is done once per test session and
the file copied for each test. On PostgreSQL each test gets a freshly migrated and loaded schema.
Use: import ``partnership_template_fixture`` and ``partnership_url_fixture`` into a test module.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from store import directory
from store.db import make_engine, make_session_factory, transaction
from store.migrate import upgrade
from tests.conftest import ROOT, _reset_postgres


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


@pytest.fixture(
    name="partnership_url",
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def partnership_url_fixture(
    request: pytest.FixtureRequest, tmp_path: Path, partnership_template: Path
) -> str:
    """A database URL holding the example partnership: SQLite, and (second run) PostgreSQL."""
    if request.param == "sqlite":
        target = tmp_path / "chaser.db"
        shutil.copyfile(partnership_template, target)
        return f"sqlite:///{target}"
    url: str = request.getfixturevalue("postgres_server_url")
    engine = make_engine(url)
    _reset_postgres(engine)
    engine.dispose()
    load_partnership(url)
    return url
