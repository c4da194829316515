"""A live Slack world per test: fake Slack Web API, the real server, the example partnership."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tests.slack.harness import SlackWorld


@pytest.fixture
def world(db_url: str, sessions: sessionmaker[Session]) -> Iterator[SlackWorld]:
    w = SlackWorld(db_url, sessions)
    yield w
    w.close()
