"""Signed, fresh requests only; every subscribed event acknowledged; nothing posted can ping."""

from __future__ import annotations

import json
import time
from pathlib import Path

import yaml

from store.models import Action
from tests.conftest import ROOT
from tests.slack.harness import CHANNEL, SlackWorld, fixture, sign

MANIFEST = ROOT / "manifest" / "slack" / "manifest.yml"


def _body(name: str = "message_channel.json") -> bytes:
    return json.dumps(fixture(name)).encode()


def test_a_bad_signature_is_refused_and_changes_nothing(world: SlackWorld) -> None:
    body = _body()
    headers = sign(body, secret="not-the-signing-secret")
    status, _ = world.post(body, "application/json", headers, signed=False)
    assert status == 401
    assert world.fake.posts() == []
    assert world.refs() == []


def test_an_unsigned_request_is_refused(world: SlackWorld) -> None:
    status, _ = world.post(_body(), "application/json", signed=False)
    assert status == 401
    assert world.refs() == []


def test_a_request_older_than_five_minutes_is_refused(world: SlackWorld) -> None:
    body = _body()
    stale = sign(body, timestamp=int(time.time()) - 6 * 60)
    status, _ = world.post(body, "application/json", stale, signed=False)
    assert status == 401
    assert world.fake.posts() == []
    assert world.refs() == []


def test_url_verification_answers_the_challenge(world: SlackWorld) -> None:
    status, text = world.post(_body("url_verification.json"), "application/json")
    assert status == 200
    assert json.loads(text)["challenge"] == fixture("url_verification.json")["challenge"]


def test_health_is_ok_once_ready(world: SlackWorld) -> None:
    import urllib.request

    url = world.server.url + "/healthz"
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
        assert response.status == 200
        assert json.loads(response.read())["ok"] is True


def _event_for(kind: str) -> dict[str, object]:
    if kind.startswith("message."):
        payload = fixture("message_channel.json")
        payload["event"]["text"] = "thanks all, see you next month"
        if kind == "message.im":
            payload["event"] |= {"channel": "D0FIONA", "channel_type": "im", "text": "hello"}
        return payload
    payload = fixture("message_channel.json")
    payload["event"] = {
        "type": kind,
        "user": "U0FIONA",
        "event_ts": "1780304400.000100",
        "item": {"type": "message", "channel": CHANNEL, "ts": "1.0"},
        "reaction": "thumbsup",
        "channel": CHANNEL,
        "tab": "messages",
        "text": "<@UBOT0CHASER> hi",
        "ts": "1780304400.000100",
        "file_id": "F0NONE",
        "user_id": "U0FIONA",
        "channel_id": CHANNEL,
    }
    return payload


def test_every_subscribed_event_is_acknowledged(world: SlackWorld) -> None:
    manifest = yaml.safe_load(Path(MANIFEST).read_text())
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    assert {"message.channels", "message.im", "app_mention", "reaction_added"} <= set(events)
    for kind in events:
        assert world.event(_event_for(kind)) == 200, kind


INJECTION = (
    "ACTION: Fiona Taylor to warn <!channel> and <!here> and <!subteam^S0SAFETY|@safety-team> "
    "and <!everyone> about <https://evil.example/login|https://bank.example> by 30 June"
)


def _all_posted(world: SlackWorld) -> str:
    methods = ("chat.postMessage", "chat.update", "chat.postEphemeral", "views.publish")
    return "\n".join(c.everything() for m in methods for c in world.fake.calls_to(m))


def test_special_mentions_and_disguised_links_never_reach_slack(world: SlackWorld) -> None:
    world.say(INJECTION)
    world.command("mine", user="U0FIONA")
    posted = _all_posted(world) + "".join(
        c.everything() for c in world.fake.calls if c.method.startswith("POST /response/")
    )
    assert world.refs(), "the action was still captured"
    for bad in (
        "<!channel>",
        "<!here>",
        "<!subteam",
        "<!everyone>",
        "<https://evil",
        "|https://bank",
    ):
        assert bad not in posted, bad
    # the words are still there for people to read, defused
    assert "@\\u2060channel" in posted or "@\u2060channel" in posted
    assert "https://evil.example/login" in posted  # the real target is shown, not hidden


def test_action_text_from_a_document_is_escaped(world: SlackWorld) -> None:
    world.fake.add_file(
        "F0EVIL",
        "minutes.txt",
        b"ACTION: Tom Hook to email <!channel> & <@U0FIONA> the <b>plan</b> by 30 June\n",
    )
    payload = fixture("file_shared.json")
    payload["event"] |= {"file_id": "F0EVIL", "file": {"id": "F0EVIL"}}
    world.event(payload)
    posted = _all_posted(world)
    assert world.refs()
    assert "<!channel>" not in posted and "<b>" not in posted
    assert "&amp;" in posted and "&lt;" in posted
    with world.sessions() as session:
        texts = [a.text for a in session.query(Action)]
    assert any("<!channel>" in t or "@channel" in t for t in texts)
