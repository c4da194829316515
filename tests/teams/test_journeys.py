"""Every journey in the list, through Teams: real activity JSON POSTed to /api/messages of the
aiohttp app built with ``bot.teams.add_routes``, replies read back from the fake connector."""

from __future__ import annotations

import datetime as dt
import re
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from bot.settings import Settings
from store import directory
from tests.conftest import ROOT
from tests.fakes.teams_connector import Call, FakeTeamsConnector
from tests.journeys.journeys import JOURNEYS, START, Journey
from tests.teams.harness import (
    BOARD_CHANNEL,
    SAFER_CHANNEL,
    Person,
    TeamsWorld,
    personal_conversation,
    text_of,
)

CHANNELS = {"channel": BOARD_CHANNEL, "subgroup": SAFER_CHANNEL}


def _person(name: str) -> Person:
    slug = re.sub(r"[^A-Za-z]", "", name)
    aad = str(uuid.uuid5(uuid.NAMESPACE_DNS, f"{slug}.example"))
    if name == "Tom Hook":  # a police guest in the council's tenant
        return Person(
            name,
            f"29:1{slug}Guest",
            aad,
            upn="tom.hook_met.police.uk#EXT#@borough.onmicrosoft.com",
            guest=True,
            display="Tom Hook (Guest)",
        )
    return Person(name, f"29:1{slug}", aad, email=f"{slug.lower()}@borough.gov.uk")


def _partnership() -> tuple[dict[str, Any], list[Person]]:
    data = directory.load_yaml_file(ROOT / "examples" / "partnership.yml")
    for group in data["groups"]:
        if group["name"] == "Community Safety Partnership Board":
            group.setdefault("channels", {})["teams"] = [BOARD_CHANNEL]
        if group["name"] == "Safer Borough":
            group.setdefault("channels", {})["teams"] = [SAFER_CHANNEL]
    people = [_person(m["name"]) for m in data["members"]]
    return data, people


def _plain(text: str) -> str:
    """Card text as a person reads it: mentions as names, markdown escapes and bold removed."""
    text = re.sub(r"</?at>", "", text)
    text = re.sub(r"\\(.)", r"\1", text)
    return text.replace("**", "")


class TeamsDriver:
    """The journey Driver over the Teams adapter and the fake connector."""

    def __init__(self, world: TeamsWorld) -> None:
        self.world = world
        self.people = {p.name: p for p in world.people}
        self.by_chat = {personal_conversation(p): p.name for p in world.people}
        self.direct: dict[str, list[str]] = {}
        self.downloads: list[tuple[str, bytes]] = []
        self.transcript: list[str] = []

    def say(self, who: str, text: str, *, where: str = "channel") -> str:
        person = self.people[who]
        if where == "dm":
            activity = self.world.make.personal(text, person)
            here = personal_conversation(person)
        else:
            activity = self.world.make.channel(text, person, channel=CHANNELS[where])
            here = activity["conversation"]["id"]
        start = len(self.world.connector.calls)
        status, _ = self.world.post(activity)
        assert status in (200, 201), status
        new = [
            c for c in self.world.connector.calls[start:] if c.method == "POST" and c.status < 300
        ]
        posts = [c for c in new if "/activities" in c.path]
        replies = [c for c in posts if c.conversation_id == here]
        self._collect(posts, skip=replies[:1])
        self.transcript.append(
            f"{who} @ {where}> {text}\n" + "\n".join(_plain(text_of(c)) for c in posts)
        )
        assert replies, f"no reply in {here}"
        self._fetch_files(replies[0])
        return _plain(text_of(replies[0]))

    def _collect(self, posts: list[Call], skip: list[Call]) -> None:
        for call in posts:
            name = self.by_chat.get(call.conversation_id or "")
            if name is not None and call not in skip:
                self.direct.setdefault(name, []).append(_plain(text_of(call)))

    def _fetch_files(self, call: Call) -> None:
        for url, title in _open_urls(call.card()):
            with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - the local app
                self.downloads.append((title, response.read()))

    def dms(self, who: str) -> list[str]:
        return list(self.direct.get(who, []))

    def files(self) -> list[tuple[str, bytes]]:
        return list(self.downloads)

    def wait(self, days: int) -> None:
        self.world.now += dt.timedelta(days=days)


def _open_urls(card: dict[str, Any]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Action.OpenUrl":
                found.append(
                    (str(node["url"]), str(node.get("title", "")).removeprefix("Download "))
                )
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(card)
    return found


@pytest.fixture
def driver(db_url: str, connector: FakeTeamsConnector) -> Iterator[TeamsDriver]:
    data, people = _partnership()
    settings = Settings(_env_file=None, CHASER_DATABASE_URL=db_url)  # type: ignore[call-arg]
    world = TeamsWorld(
        db_url=db_url,
        connector=connector,
        settings=settings,
        now=START.astimezone(dt.UTC),
        partnership=data,
        people=people,
    )
    yield TeamsDriver(world)
    world.close()


@pytest.mark.parametrize("journey", list(JOURNEYS.values()), ids=list(JOURNEYS))
def test_journey(driver: TeamsDriver, journey: Journey) -> None:
    try:
        journey(driver)
    except AssertionError:
        print("\n\n".join(driver.transcript))  # the conversation so far, to see what went wrong
        raise
