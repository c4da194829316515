"""Every journey in the journey list through the real Bolt app over signed HTTP (SQLite, PG).

People post in Slack channels (mentioning the bot, as Slack users do, except for ACTION lines)
and in DMs; replies are read back from what the fake Slack Web API recorded: the posted blocks,
with mentions shown as Slack shows them (@Name).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tests.fakes.slack_api import BOT_USER_ID, Call
from tests.journeys.journeys import JOURNEYS, START, Journey
from tests.slack.harness import CHANNEL, PEOPLE, SUBGROUP_CHANNEL, SlackWorld

NAMES = {uid: name for uid, name, _ in PEOPLE}
IDS = {name: uid for uid, name, _ in PEOPLE}
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)>")


def as_text(call: Call) -> str:
    """A posted message as a person reads it: mentions by name, entities decoded."""
    parts: list[str] = []
    for block in call.blocks():
        if block.get("type") == "section":
            parts.append(block["text"]["text"])
        elif block.get("type") == "context":
            parts += [e.get("text", "") for e in block.get("elements", [])]
    text = "\n".join(parts) or call.text()
    text = _MENTION.sub(lambda m: "@" + NAMES.get(m.group(1), m.group(1)), text)
    return (
        text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("\u2060", "")
    )


class SlackDriver:
    """The journey Driver over Slack: channels, threads and DMs."""

    def __init__(self, world: SlackWorld) -> None:
        self.world = world
        world.now = START
        self.replies: set[int] = set()
        self.transcript: list[str] = []

    def say(self, who: str, text: str, *, where: str = "channel") -> str:
        uid = IDS[who]
        channel = {"channel": CHANNEL, "subgroup": SUBGROUP_CHANNEL}.get(where, "D" + uid[1:])
        said = text if where == "dm" or text.startswith("ACTION") else f"<@{BOT_USER_ID}> {text}"
        before = len(self.world.fake.calls)
        ts = self.world.say(said, user=uid, channel=channel)
        new = self.world.fake.calls[before:]
        here = [
            c
            for c in new
            if c.method == "chat.postMessage"
            and c.status == 200
            and c.body.get("channel") == channel
            and (where == "dm" or c.body.get("thread_ts") == ts)
        ]
        self.replies |= {id(c) for c in here}
        reply = "\n".join(as_text(c) for c in here)
        self.transcript.append(f"{who} @ {where}> {text}\n{reply}")
        assert here, f"no reply in {where} to {text!r}"
        return reply

    def dms(self, who: str) -> list[str]:
        channel = "D" + IDS[who][1:]
        return [
            as_text(c)
            for c in self.world.fake.posts()
            if c.body.get("channel") == channel and id(c) not in self.replies
        ]

    def files(self) -> list[tuple[str, bytes]]:
        return self.world.fake.uploads()

    def wait(self, days: int) -> None:
        self.world.now += dt.timedelta(days=days)


@pytest.fixture
def driver(db_url: str, sessions: sessionmaker[Session]) -> Iterator[SlackDriver]:
    world = SlackWorld(db_url, sessions)  # SQLite and PostgreSQL, the partnership loaded anew
    yield SlackDriver(world)
    world.close()


@pytest.mark.parametrize("journey", list(JOURNEYS.values()), ids=list(JOURNEYS))
def test_journey(driver: SlackDriver, journey: Journey) -> None:
    try:
        journey(driver)
    except AssertionError:
        print("\n\n".join(driver.transcript))
        raise
