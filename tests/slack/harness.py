"""A live Chaser server on 127.0.0.1 (port 0) with the fake Slack Web API; signed requests in.

``SlackWorld`` loads the example partnership, gives some members Slack accounts in the fake
workspace, starts the real aiohttp server (``bot.server.build_web_app``) in a thread and sends
Slack's own payloads to it, signed exactly as Slack signs them.
"""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import hashlib
import hmac
import json
import threading
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.app import Chaser, build
from bot.server import SLACK, build_web_app, start_site
from bot.settings import Settings
from store import directory
from store.db import transaction
from store.models import Action, Group, GroupChannel, Member
from tests.conftest import ROOT
from tests.fakes.slack_api import BOT_TOKEN, FakeSlack

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
LONDON = ZoneInfo("Europe/London")
BOARD = "Community Safety Partnership Board"
CHANNEL = "C0CSPBOARD"
FIXTURES = ROOT / "tests" / "fixtures" / "slack"
# Slack users in the fake workspace: (id, real name, email); matched to members by name or email
PEOPLE = (
    ("U0FIONA", "Fiona Taylor", "fiona.taylor@borough.gov.uk"),
    ("U0JADE", "Jade Hodgson", "jade.hodgson@borough.gov.uk"),
    ("U0TOM", "Tom Hook", "tom.hook@borough.gov.uk"),
    ("U0RITA", "Rita Chadha", None),
    ("U0PAT", "Pat Hayes", None),
    ("U0TIM", "Tim Barfoot", None),
    ("U0OUTSIDER", "Someone Else", "someone@example.org"),
)
SUBGROUP, SUBGROUP_CHANNEL = "Safer Borough", "C0SAFERBOR"


def fixture(name: str) -> dict[str, Any]:
    """A captured Slack payload from tests/fixtures/slack (a fresh copy)."""
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    return copy.deepcopy(data)


def sign(body: bytes, *, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
    """The headers Slack sends: a v0 HMAC-SHA256 signature over ``v0:<ts>:<body>``."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    base = b"v0:" + ts.encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def load_partnership(sessions: sessionmaker[Session]) -> None:
    """The example partnership, with Slack channels for the board and Safer Borough."""
    with transaction(sessions) as session:
        data = directory.load_yaml_file(ROOT / "examples" / "partnership.yml")
        directory.import_yaml(session, data, actor="test", via="cli")
        board = session.scalar(select(Group).where(Group.name == BOARD))
        assert board is not None
        session.add(GroupChannel(group_id=board.id, platform="slack", channel_id=CHANNEL))
        sub = session.scalar(select(Group).where(Group.name == SUBGROUP))
        assert sub is not None
        session.add(GroupChannel(group_id=sub.id, platform="slack", channel_id=SUBGROUP_CHANNEL))
        for name, email in (
            ("Fiona Taylor", "fiona.taylor@borough.gov.uk"),
            ("Tom Hook", "tom.hook@borough.gov.uk"),
        ):
            member = session.scalar(select(Member).where(Member.name == name))
            assert member is not None
            member.email = email


class LiveServer:
    """An aiohttp application served from its own event loop thread."""

    def __init__(self, app: web.Application) -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.runner: web.AppRunner | None = None
        self.port = 0

    def start(self) -> LiveServer:
        self.thread.start()
        started = asyncio.run_coroutine_threadsafe(start_site(self.app, "127.0.0.1", 0), self.loop)
        self.runner, self.port = started.result(15)
        return self

    def stop(self) -> None:
        if self.runner is not None:
            asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(15)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class SlackWorld:
    """The example partnership on a live server, with Slack faked at its HTTP boundary."""

    def __init__(
        self, db_url: str, sessions: sessionmaker[Session], *, load_directory: bool = True
    ) -> None:
        self.sessions = sessions
        self.now = dt.datetime(2026, 6, 1, 10, 0, tzinfo=LONDON)  # a Monday
        self.fake = FakeSlack().start()
        for uid, name, email in PEOPLE:
            self.fake.add_user(uid, name, email)
        if load_directory:
            load_partnership(sessions)
        settings = Settings(
            database_url=db_url,
            slack_bot_token=BOT_TOKEN,
            slack_signing_secret=SECRET,
            slack_api_url=self.fake.base_url,
            scheduler_enabled=False,
        )
        self.chaser: Chaser = build(settings, clock=lambda: self.now)
        self.server = LiveServer(build_web_app(self.chaser, scheduler=False)).start()

    def close(self) -> None:
        self.server.stop()
        self.chaser.engine.dispose()
        self.fake.stop()

    # ---- sending what Slack sends ------------------------------------------------------------

    def post(
        self,
        body: bytes,
        content_type: str,
        headers: dict[str, str] | None = None,
        *,
        signed: bool = True,
        path: str = "/slack/events",
    ) -> tuple[int, str]:
        """POST to the server as Slack does; (status, body)."""
        all_headers = {
            "Content-Type": content_type,
            **(sign(body) if signed else {}),
            **(headers or {}),
        }
        request = urllib.request.Request(  # noqa: S310 - our own server
            self.server.url + path, data=body, headers=all_headers
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                answer = response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()
        self.settle()
        return answer

    def event(
        self,
        payload: dict[str, Any],
        *,
        retry: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> int:
        """Deliver an Events API envelope; the HTTP status of the acknowledgement."""
        extra = dict(headers or {})
        if retry is not None:
            extra |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return self.post(json.dumps(payload).encode(), "application/json", extra)[0]

    def interactive(self, payload: dict[str, Any]) -> int:
        """Deliver an interactivity payload (buttons, modals, shortcuts)."""
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, "application/x-www-form-urlencoded")[0]

    def command(self, text: str, *, user: str = "U0JADE", channel: str = CHANNEL) -> int:
        """Run ``/actions <text>``; its answer arrives at the fake's response URL."""
        form = fixture("slash_command_actions.json")
        form |= {
            "text": text,
            "user_id": user,
            "channel_id": channel,
            "response_url": self.fake.response_url(f"cmd-{time.monotonic_ns()}"),
            "trigger_id": f"{time.monotonic_ns()}.trigger",
        }
        return self.post(urlencode(form).encode(), "application/x-www-form-urlencoded")[0]

    def say(
        self,
        text: str,
        *,
        user: str = "U0FIONA",
        channel: str = CHANNEL,
        ts: str | None = None,
        thread_ts: str | None = None,
        event_id: str | None = None,
    ) -> str:
        """A person posts ``text``; returns the message ts."""
        payload = fixture("message_im.json" if channel.startswith("D") else "message_channel.json")
        ts = ts or f"1780304{time.monotonic_ns() % 1000:03d}.{time.monotonic_ns() % 1000000:06d}"
        payload["event"] |= {
            "text": text,
            "user": user,
            "channel": channel,
            "ts": ts,
            "event_ts": ts,
        }
        payload["event_id"] = event_id or f"Ev{time.monotonic_ns()}"
        if thread_ts:
            payload["event"]["thread_ts"] = thread_ts
        assert self.event(payload) == 200
        return ts

    def press(
        self,
        kind: str,
        ref: str,
        *,
        user: str = "U0FIONA",
        channel: str = "D0FIONA",
        message_ts: str = "1760000000.000002",
        value: str | None = None,
    ) -> int:
        """Press a card button (or choose a snooze length)."""
        payload = fixture(
            "block_actions_snooze.json" if kind == "snooze" else "block_actions_done.json"
        )
        payload["user"]["id"] = user
        payload["container"] |= {"channel_id": channel, "message_ts": message_ts}
        payload["channel"]["id"] = channel
        action = payload["actions"][0]
        if kind == "snooze":
            action["selected_option"]["value"] = f"{ref}|{value or '1 week'}"
        else:
            action |= {"action_id": f"chaser_{kind}", "value": ref}
        return self.interactive(payload)

    # ---- reading the result ------------------------------------------------------------------

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until the work started after the acknowledgements has finished."""
        context = self.server.app[SLACK].context
        deadline = time.monotonic() + timeout
        calm = 0
        while calm < 3 and time.monotonic() < deadline:
            calm = calm + 1 if context.backlog.pending == 0 else 0
            time.sleep(0.02)

    def action(self, ref: str) -> Action:
        from store import actions as repo

        with self.sessions() as session:
            found = repo.get(session, ref)
            assert found is not None, ref
            for owner in found.owners:
                _ = owner.member
            _ = found.updates
            session.expunge_all()
            return found

    def refs(self) -> list[str]:
        with self.sessions() as session:
            return [r for r in session.scalars(select(Action.ref).order_by(Action.id)) if r]


def wait_until(check: Any, timeout: float = 5.0) -> Any:
    """Poll ``check()`` until it returns something truthy (or time runs out)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.02)
