"""`chaser serve` as a process, OAuth installs in our database, the scheduler's Slack notifier."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect

from bot.app import build
from bot.server import build_web_app
from bot.settings import Settings
from handlers.messages import ActionItem, Button, Message, Outgoing, ToMember
from scheduler.notifier import SendError
from store.db import make_engine
from store.models import Member
from tests.conftest import ROOT
from tests.fakes.slack_api import BOT_TOKEN, FakeSlack
from tests.slack.harness import SECRET, LiveServer, SlackWorld


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    server = FakeSlack().start()
    yield server
    server.stop()


def _env(db: str, fake: FakeSlack, **extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CHASER_"))}
    return keep | {
        "CHASER_DATABASE_URL": db,
        "SLACK_API_URL": fake.base_url,
        "CHASER_SCHEDULER": "false",
        **extra,
    }


def test_chaser_serve_answers_health_and_signed_slack_requests(
    partnership_db: Path, tmp_path: Path, fake: FakeSlack
) -> None:
    db = tmp_path / "chaser.db"
    db.write_bytes(partnership_db.read_bytes())
    env = _env(f"sqlite:///{db}", fake, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SECRET)
    command = [sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1", "--port", "0"]
    child = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert "listening on http://127.0.0.1:" in line, line
        url = line.strip().rsplit(" ", 1)[-1]
        with urllib.request.urlopen(url + "/healthz", timeout=5) as response:  # noqa: S310
            assert response.status == 200
        body = json.dumps({"type": "url_verification", "challenge": "c-42"}).encode()
        from tests.slack.harness import sign

        request = urllib.request.Request(  # noqa: S310 - our own server
            url + "/slack/events",
            data=body,
            headers={"Content-Type": "application/json", **sign(body)},
        )
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            assert json.loads(response.read())["challenge"] == "c-42"
    finally:
        child.terminate()
        child.wait(10)


def test_missing_signing_secret_fails_at_start_with_a_clear_message(
    sqlite_url: str, fake: FakeSlack
) -> None:
    env = _env(sqlite_url, fake, SLACK_BOT_TOKEN=BOT_TOKEN)
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "serve", "--port", "0"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "SLACK_SIGNING_SECRET is required" in done.stderr
    assert BOT_TOKEN not in done.stderr + done.stdout


def test_oauth_installs_are_kept_in_chasers_database(sqlite_url: str, fake: FakeSlack) -> None:
    settings = Settings(
        database_url=sqlite_url,
        slack_client_id="111.222",
        slack_client_secret="shh-not-logged",
        slack_signing_secret=SECRET,
        slack_api_url=fake.base_url,
        scheduler_enabled=False,
    )
    chaser = build(settings)
    server = LiveServer(build_web_app(chaser, scheduler=False)).start()
    try:
        with urllib.request.urlopen(server.url + "/slack/install", timeout=5) as response:  # noqa: S310
            page = response.read().decode()
        assert "slack.com/oauth/v2/authorize" in page and "client_id=111.222" in page
        tables = set(inspect(make_engine(sqlite_url)).get_table_names())
        assert {"slack_installations", "slack_bots", "slack_oauth_states"} <= tables
    finally:
        server.stop()
        chaser.engine.dispose()


def _card(ref: str) -> Message:
    buttons = (Button("done", "Done", ref), Button("snooze", "Snooze", ref))
    return Message(
        f"Reminder: {ref}",
        (ActionItem(ref, "Send the figures", (), "Tue 30 Jun 2026", "open", buttons=buttons),),
    )


def test_the_scheduler_sends_reminders_as_dms_with_buttons(world: SlackWorld) -> None:
    from bot.server import SLACK

    notifier = world.server.app[SLACK].context.notifier
    with world.sessions() as session:
        tom = session.query(Member).filter_by(name="Tom Hook").one()
        pat = session.query(Member).filter_by(name="Penny Pyke").one()
    notifier.send(Outgoing(ToMember(tom.id), _card("A-9"), action_refs=("A-9",)))
    dm = [c for c in world.fake.posts() if c.body["channel"] == "D0TOM"]
    assert len(dm) == 1
    assert "chaser_done" in dm[0].everything() and "Reminder: A-9" in dm[0].text()
    with pytest.raises(SendError, match="no linked Slack account"):
        notifier.send(Outgoing(ToMember(pat.id), _card("A-9")))


def test_scheduler_messages_go_out_on_each_recipients_platform(world: SlackWorld) -> None:
    from bot.server import SLACK, RoutingNotifier
    from handlers.messages import Place, ToPlace
    from scheduler.notifier import RecordingNotifier

    teams = RecordingNotifier()
    routing = RoutingNotifier(world.chaser, world.server.app[SLACK].context.notifier, teams)
    with world.sessions() as session:
        tom = session.query(Member).filter_by(name="Tom Hook").one()
        penny = session.query(Member).filter_by(name="Penny Pyke").one()
    world.settle()
    routing.send(Outgoing(ToMember(tom.id), _card("A-3")))  # Tom is on Slack (linked at start)
    routing.send(Outgoing(ToMember(penny.id), _card("A-4")))  # Penny is not: Teams
    routing.send(Outgoing(ToPlace(Place("slack", "C0CSPBOARD")), _card("A-5")))
    with pytest.raises(SendError, match="no console connection"):
        routing.send(Outgoing(ToPlace(Place("console", "csp-board")), _card("A-6")))
    assert [c.body["channel"] for c in world.fake.posts()] == ["D0TOM", "C0CSPBOARD"]
    assert [o.message.summary for o in teams.sent] == ["Reminder: A-4"]
