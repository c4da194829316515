"""Every journey in the list, through the terminal console adapter, on SQLite and PostgreSQL.

The console is a real adapter (bot/console.py) on the platform-free conversation; a platform
driver (Slack, Teams) plugs into the same list as described in tests/journeys/journeys.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.console import ConsoleAdapter, Delivery
from handlers.conversation import Conversation
from tests.journeys.journeys import JOURNEYS, LONDON, START, Journey
from tests.journeys.partnership import (  # noqa: F401
    partnership_pg_fixture,
    partnership_sessions_fixture,
    partnership_template_fixture,
)

PLACES = {"channel": "csp-board", "subgroup": "safer-borough"}


class Clock:
    """A clock people can wait on."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


class ConsoleDriver:
    """The journey Driver over the console adapter."""

    def __init__(self, sessions: sessionmaker[Session], save_dir: Path) -> None:
        """``sessions`` on a database already holding examples/partnership.yml."""
        self.sessions = sessions
        self.clock = Clock(START)
        conversation = Conversation(self.sessions, clock=self.clock, zone=LONDON)
        self.console = ConsoleAdapter(
            conversation, self.sessions, clock=self.clock, save_dir=save_dir
        )
        self.sent: list[Delivery] = []
        self.transcript: list[str] = []

    def say(self, who: str, text: str, *, where: str = "channel") -> str:
        direct = where == "dm"
        replies = self.console.say(text, as_name=who, channel=PLACES.get(where), direct=direct)
        self.sent += replies
        self.transcript.append(
            f"{who} @ {where}> {text}\n"
            + "".join(r.text if r.to is None else f"→ {r.to}: {r.text}" for r in replies)
        )
        here = [r.text for r in replies if r.to is None]
        assert len(here) == 1, replies
        return here[0]

    def dms(self, who: str) -> list[str]:
        return [r.text for r in self.sent if r.to == who]

    def files(self) -> list[tuple[str, bytes]]:
        return [(p.name, p.read_bytes()) for r in self.sent for p in r.files]

    def wait(self, days: int) -> None:
        self.clock.now += dt.timedelta(days=days)


@pytest.fixture
def driver(partnership_sessions: sessionmaker[Session], tmp_path: Path) -> ConsoleDriver:
    return ConsoleDriver(partnership_sessions, tmp_path / "files")


@pytest.mark.parametrize("journey", list(JOURNEYS.values()), ids=list(JOURNEYS))
def test_journey(driver: ConsoleDriver, journey: Journey) -> None:
    try:
        journey(driver)
    except AssertionError:
        print("\n\n".join(driver.transcript))  # the conversation so far, to see what went wrong
        raise
