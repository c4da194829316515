"""The Teams test world: a migrated database with a small partnership, the fake connector, and
Chaser's real aiohttp app (``bot.teams.add_routes``) served on 127.0.0.1 port 0 in a thread.

Activities are built from the captured fixtures in tests/fixtures/teams/ and POSTed as JSON to
``/api/messages``; what users would see is read back from the fake connector.
"""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import itertools
import json
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web
from sqlalchemy.orm import Session, sessionmaker

from bot.app import Chaser
from bot.settings import Settings
from bot.teams import add_routes
from store import directory
from store.db import make_engine, make_session_factory
from tests.fakes.teams_connector import BOT_ID, TENANT_ID, FakeTeamsConnector, teams_member

ACTION_LINE = "ACTION: Tom Hook to send the knife crime figures (part {n}) by 30 November"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "teams"
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)  # a Monday
BOARD_CHANNEL = "19:board0channel0id@thread.tacv2"
SAFER_CHANNEL = "19:safer0channel0id@thread.tacv2"
TEAM_ID = "19:csp0team0id@thread.tacv2"


@dataclass(frozen=True)
class Person:
    name: str
    user_id: str
    aad: str
    email: str | None = None
    upn: str | None = None
    guest: bool = False
    display: str | None = None  # how Teams shows the name, when not as the directory writes it

    def roster(self) -> dict[str, Any]:
        return teams_member(
            self.user_id,
            self.display or self.name,
            aad=self.aad,
            email=self.email,
            upn=self.upn,
            guest=self.guest,
        )


FIONA = Person(
    "Fiona Taylor",
    "29:1fionaTaylorUserId",
    "0b6f2c1e-1111-4a3b-9c2d-5e6f7a8b9c01",
    email="fiona.taylor@borough.gov.uk",
)
JADE = Person(
    "Jade Hodgson",
    "29:1jadeHodgsonUserId",
    "1c7a3d2f-1111-4a3b-9c2d-5e6f7a8b9c02",
    email="jade.hodgson@borough.gov.uk",
)
TOM = Person(
    "Tom Hook",
    "29:1tomHookGuestUserId",
    "7c1d2e3f-2222-4b5c-8d9e-0f1a2b3c4d02",
    upn="tom.hook_met.police.uk#EXT#@borough.onmicrosoft.com",
    guest=True,
    display="Tom Hook (Guest)",
)
TIM = Person(
    "Tim Barfoot",
    "29:1timBarfootUserId",
    "2d8b4e3a-1111-4a3b-9c2d-5e6f7a8b9c03",
    display="Barfoot, Tim (Council)",
)
PENNY = Person(
    "Penny Pyke",
    "29:1pennyPykeUserId",
    "3e9c5f4b-1111-4a3b-9c2d-5e6f7a8b9c04",
    email="penny.pyke@nhs.net",
)
STRANGER = Person("Sam Stranger", "29:1samStrangerUserId", "4fad6a5c-1111-4a3b-9c2d-5e6f7a8b9c05")
ROSTER = [FIONA, JADE, TOM, TIM, PENNY, STRANGER]

DIRECTORY: dict[str, Any] = {
    "members": [
        {"name": "Fiona Taylor", "initials": "FT", "email": "fiona.taylor@borough.gov.uk"},
        {"name": "Jade Hodgson", "initials": "JH", "email": "Jade.Hodgson@borough.gov.uk"},
        {
            "name": "Tom Hook",
            "initials": "TH",
            "email": "tom.hook@met.police.uk",
            "organisation": "Metropolitan Police Service",
        },
        {"name": "Tim Barfoot", "initials": "TB"},
        {"name": "Penny Pyke", "initials": "PP", "email": "penny.pyke@nhs.net"},
    ],
    "groups": [
        {
            "name": "Community Safety Partnership Board",
            "aliases": ["CSP"],
            "kind": "board",
            "chair": "Fiona Taylor",
            "secretary": "Jade Hodgson",
            "members": ["Tom Hook", "Tim Barfoot", "Penny Pyke"],
            "channels": {"teams": [BOARD_CHANNEL]},
            "meetings": [{"date": "2026-12-15", "title": "CSP Board"}],
        },
        {
            "name": "Safer Borough",
            "kind": "subgroup",
            "parent": "Community Safety Partnership Board",
            "lead": "Tim Barfoot",
            "members": ["Penny Pyke", "Tom Hook"],
            "channels": {"teams": [SAFER_CHANNEL]},
        },
    ],
}


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def personal_conversation(person: Person) -> str:
    return f"a:1on1-{person.user_id}"


class ActivityFactory:
    """Real-shaped activities with fresh ids, addressed to the fake connector."""

    def __init__(self, service_url: str) -> None:
        self.service_url = service_url
        self._ids = itertools.count(1763892000001)

    def _base(self, name: str, person: Person, msg_id: str | None) -> dict[str, Any]:
        data = fixture(name)
        data["serviceUrl"] = self.service_url
        data["id"] = msg_id or str(next(self._ids))
        data["from"] = {
            "id": person.user_id,
            "name": person.display or person.name,
            "aadObjectId": person.aad,
        }
        return data

    def channel(
        self,
        text: str,
        person: Person,
        *,
        channel: str = BOARD_CHANNEL,
        thread: str | None = None,
        mention: bool = True,
        msg_id: str | None = None,
        mentions: tuple[Person, ...] = (),
    ) -> dict[str, Any]:
        data = self._base("channel_message", person, msg_id)
        for who in mentions:
            tag = f"<at>{who.display or who.name}</at>"
            data["entities"].append(
                {"type": "mention", "text": tag, "mentioned": {"id": who.user_id, "name": who.name}}
            )
        data["conversation"]["id"] = f"{channel};messageid={thread or data['id']}"
        data["channelData"]["teamsChannelId"] = channel
        data["channelData"]["channel"]["id"] = channel
        data["text"] = f"<at>Chaser</at> {text}" if mention else text
        if not mention:
            data["entities"] = [e for e in data["entities"] if e["type"] != "mention"]
        return data

    def group_chat(self, text: str, person: Person, *, mention: bool = True) -> dict[str, Any]:
        data = self._base("groupchat_message", person, None)
        data["text"] = f"<at>Chaser</at> {text}" if mention else text
        if not mention:
            data["entities"] = []
        return data

    def personal(self, text: str, person: Person, *, msg_id: str | None = None) -> dict[str, Any]:
        data = self._base("personal_message", person, msg_id)
        data["conversation"]["id"] = personal_conversation(person)
        data["text"] = text
        return data

    def submit(
        self, person: Person, kind: str, ref: str, card_id: str, **inputs: str
    ) -> dict[str, Any]:
        data = self._base("card_submit", person, None)
        data["conversation"]["id"] = personal_conversation(person)
        data["replyToId"] = card_id
        data["channelData"]["legacy"]["replyToId"] = card_id
        data["value"] = {"chaser": "press", "kind": kind, "ref": ref, **inputs}
        return data

    def invoke(
        self, person: Person, kind: str, ref: str, card_id: str, **inputs: str
    ) -> dict[str, Any]:
        data = self._base("card_invoke", person, f"f:{next(self._ids)}")
        data["conversation"]["id"] = personal_conversation(person)
        data["replyToId"] = card_id
        data["value"]["action"]["verb"] = f"chaser.{kind}"
        data["value"]["action"]["data"] = {"chaser": "press", "kind": kind, "ref": ref, **inputs}
        return data

    def install_personal(self, person: Person) -> dict[str, Any]:
        data = self._base("install_personal", person, f"f:{next(self._ids)}")
        data["conversation"]["id"] = personal_conversation(person)
        data["membersAdded"] = [{"id": person.user_id, "aadObjectId": person.aad}, {"id": BOT_ID}]
        return data

    def install_team(self, person: Person, channel: str = BOARD_CHANNEL) -> dict[str, Any]:
        data = self._base("install_team", person, f"f:{next(self._ids)}")
        data["conversation"]["id"] = channel
        return data


class AppServer:
    """Chaser's aiohttp app with the Teams routes, served from its own event loop thread."""

    def __init__(self, chaser: Chaser, app: web.Application | None = None) -> None:
        self.chaser = chaser
        if app is None:
            app = web.Application()
            add_routes(app, chaser)
        self.app = app
        self.loop = asyncio.new_event_loop()
        self.port = 0
        self._runner: web.AppRunner | None = None
        ready = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(self.loop)
            self.loop.run_until_complete(self._start())
            ready.set()
            self.loop.run_forever()

        self._thread = threading.Thread(target=run, name="chaser-app", daemon=True)
        self._thread.start()
        assert ready.wait(10)

    async def _start(self) -> None:
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = getattr(site, "_server", None)
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]

    def post(
        self, activity: dict[str, Any], headers: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/api/messages",
            data=json.dumps(activity).encode(),
            headers={"Content-Type": "application/json", **(headers or {})},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self.loop.close()


@dataclass
class TeamsWorld:
    """The database, the fake connector and a running Chaser; restart() builds a fresh app."""

    db_url: str
    connector: FakeTeamsConnector
    settings: Settings
    now: dt.datetime = NOW
    partnership: dict[str, Any] = field(default_factory=lambda: copy.deepcopy(DIRECTORY))
    people: list[Person] = field(default_factory=lambda: list(ROSTER))
    server: AppServer | None = None
    whole_server: bool = (
        False  # serve bot.server's app (Slack, Teams, health) instead of Teams only
    )
    make: ActivityFactory = field(init=False)

    def __post_init__(self) -> None:
        self.make = ActivityFactory(self.connector.service_url)
        self.engine = make_engine(self.db_url)
        self.sessions: sessionmaker[Session] = make_session_factory(self.engine)
        with self.sessions() as session, session.begin():
            directory.import_yaml(session, self.partnership, actor="test", via="cli")
        self.connector.default_roster = [p.roster() for p in self.people]
        self.start()

    def clock(self) -> dt.datetime:
        return self.now

    def start(self) -> None:
        chaser = Chaser(
            settings=self.settings, engine=self.engine, sessions=self.sessions, clock=self.clock
        )
        app = None
        if self.whole_server:
            from bot.server import build_web_app

            app = build_web_app(chaser, scheduler=False)
        self.server = AppServer(chaser, app)

    def restart(self) -> None:
        """A new process, as far as Chaser can tell: a new app, adapter and bot, same database."""
        assert self.server is not None
        self.server.stop()
        self.start()

    def post(
        self, activity: dict[str, Any], headers: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        assert self.server is not None
        return self.server.post(activity, headers)

    def close(self) -> None:
        if self.server is not None:
            self.server.stop()
        self.engine.dispose()


def team_roster() -> list[dict[str, Any]]:
    return [p.roster() for p in ROSTER]


__all__ = ["BOT_ID", "TENANT_ID"]


# ---- reading what people would see -----------------------------------------------------------


def text_of(call: Any) -> str:
    """The visible text of a posted or updated activity (its card's text blocks)."""
    from bot.teams.cards import card_text

    body = call.body or {}
    if body.get("attachments"):
        return card_text(call.card())
    return str(body.get("text") or "")


def posted_to(world: TeamsWorld, conversation: str) -> list[Any]:
    """Activities posted into a conversation (a channel's threads count as the channel)."""
    return [
        c for c in world.connector.sent() if (c.conversation_id or "").split(";")[0] == conversation
    ]
