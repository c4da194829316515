"""Socket Mode: with SLACK_APP_TOKEN set, events arrive over a WebSocket and are acked there."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import WSMsgType, web

from bot.app import build
from bot.server import build_web_app
from bot.settings import Settings
from tests.fakes.slack_api import BOT_TOKEN, FakeSlack
from tests.slack.harness import CHANNEL, PEOPLE, LiveServer, fixture, wait_until


class FakeSocketMode:
    """Slack's side of a Socket Mode connection: says hello, sends envelopes, records acks."""

    def __init__(self, envelopes: list[dict[str, Any]]) -> None:
        self.envelopes = envelopes
        self.acks: list[dict[str, Any]] = []
        app = web.Application()
        app.router.add_get("/link", self.link)
        self.server = LiveServer(app)

    async def link(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        await socket.send_str(json.dumps({"type": "hello", "num_connections": 1}))
        for envelope in self.envelopes:
            await socket.send_str(json.dumps(envelope))
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                self.acks.append(json.loads(message.data))
        return socket


@pytest.fixture
def socket_world(
    partnership_db: Path, tmp_path: Path
) -> Iterator[tuple[FakeSlack, FakeSocketMode]]:
    payload = fixture("message_channel.json")
    envelope = {
        "envelope_id": "e1f2-socket-1",
        "type": "events_api",
        "payload": payload,
        "accepts_response_payload": False,
        "retry_attempt": 0,
    }
    sockets = FakeSocketMode([envelope])
    sockets.server.start()
    fake = FakeSlack(socket_url=f"ws://127.0.0.1:{sockets.server.port}/link").start()
    for uid, name, email in PEOPLE:
        fake.add_user(uid, name, email)
    db = tmp_path / "chaser.db"
    db.write_bytes(partnership_db.read_bytes())
    settings = Settings(
        database_url=f"sqlite:///{db}",
        slack_bot_token=BOT_TOKEN,
        slack_app_token="xapp-1-test",
        slack_api_url=fake.base_url,
        scheduler_enabled=False,
    )
    chaser = build(settings)
    app = build_web_app(chaser, scheduler=False)
    assert not any(
        r.resource and r.resource.canonical == "/slack/events" for r in app.router.routes()
    )
    server = LiveServer(app).start()
    yield fake, sockets
    server.stop()
    sockets.server.stop()
    fake.stop()
    chaser.engine.dispose()


def test_events_over_socket_mode_are_acked_and_handled(
    socket_world: tuple[FakeSlack, FakeSocketMode],
) -> None:
    fake, sockets = socket_world
    assert wait_until(lambda: sockets.acks, timeout=10)
    assert sockets.acks[0]["envelope_id"] == "e1f2-socket-1"
    posted = wait_until(lambda: [c for c in fake.posts() if c.body.get("channel") == CHANNEL], 10)
    assert posted and "A-1" in posted[0].everything()
    opened = fake.calls_to("apps.connections.open")
    assert opened and opened[0].headers.get("Authorization") == "Bearer xapp-1-test"
