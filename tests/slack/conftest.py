"""A live Slack world per test: fake Slack Web API, the real server, the example partnership.

Most Slack tests run on SQLite from a copy of one migrated database with the partnership loaded
(loading it takes longer than the test); the journeys run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from store.db import make_engine, make_session_factory
from store.migrate import upgrade
from tests.slack.harness import SlackWorld, load_partnership


@pytest.fixture(scope="session")
def partnership_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file with the example partnership (copied, never used directly)."""
    path = tmp_path_factory.mktemp("slack-template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    load_partnership(make_session_factory(engine))
    engine.dispose()
    return path


@pytest.fixture
def world(partnership_db: Path, tmp_path: Path) -> Iterator[SlackWorld]:
    path = tmp_path / "chaser.db"
    shutil.copyfile(partnership_db, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    w = SlackWorld(url, make_session_factory(engine), load_directory=False)
    yield w
    w.close()
    engine.dispose()
