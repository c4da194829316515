"""Fixtures for the Teams tests: the fake connector and a running Chaser on a migrated database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from bot.settings import Settings
from tests.fakes.teams_connector import FakeTeamsConnector

if TYPE_CHECKING:
    from tests.teams.harness import TeamsWorld


@pytest.fixture
def connector() -> Iterator[FakeTeamsConnector]:
    fake = FakeTeamsConnector().start()
    yield fake
    fake.stop()


@pytest.fixture
def world(db_url: str, connector: FakeTeamsConnector) -> Iterator[TeamsWorld]:
    from tests.teams.harness import TeamsWorld

    settings = Settings(_env_file=None, CHASER_DATABASE_URL=db_url)  # type: ignore[call-arg]
    teams = TeamsWorld(db_url=db_url, connector=connector, settings=settings)
    yield teams
    teams.close()
