"""Malformed Slack and Teams requests are refused cleanly by the real server, and change nothing.

One live server built by ``bot.server.build_web_app`` serves Slack (POST /slack/events, signed
with the signing secret) and Teams (POST /api/messages, no app id: unauthenticated local mode),
with both platforms faked at their HTTP boundary. Each named case sends one request whose fields
are missing or of the wrong type, and checks what an operator and a user would notice:

- the answer is the expected 4xx, or the plain 200 acknowledgement Slack's protocol asks for
  (and Teams' invoke answer saying the button could not be read); never a 5xx;
- nothing was logged at ERROR and no exception was logged (a listener crashing after the
  acknowledgement shows only there);
- no row was added to any table;
- a well-formed message straight afterwards is still answered (the server is not wedged).

Then every field of every captured payload is given a value of the wrong type in turn: never a
5xx, never an exception in the log.

The server is shared by the cases of one database backend (SQLite, and PostgreSQL when
CHASER_TEST_POSTGRES_URL is set) so the file stays fast; each case compares row counts around its
own request. Requests arrive one at a time here, so the work after Slack's acknowledgements waits
for a 5 ms pause in requests instead of the production 50 ms.
"""

from __future__ import annotations

import copy
import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, literal, select, text, union_all

from bot.app import build
from bot.server import SLACK, build_web_app
from bot.settings import Settings
from store.db import make_engine, make_session_factory
from store.migrate import upgrade
from store.models import Base
from tests.fakes.teams_connector import FakeTeamsConnector
from tests.slack.harness import LiveServer, SlackWorld, fixture, sign
from tests.teams.harness import (
    FIONA,
    TOM,
    ActivityFactory,
    personal_conversation,
    team_roster,
    text_of,
)
from tests.teams.harness import fixture as teams_fixture

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
DM = "D0FIONA"
ABSENT = object()  # a field left out of the payload
ONE_MEGABYTE = 1024 * 1024  # aiohttp's default client_max_size
Sent = tuple[int, str]


@dataclass
class Served:
    """The live server with Slack and Teams, its database and both fake platforms."""

    db_url: str
    world: SlackWorld
    connector: FakeTeamsConnector
    make: ActivityFactory

    @property
    def url(self) -> str:
        return self.world.server.url

    def counts(self) -> dict[str, int]:
        """Rows in every table (one query)."""
        tables = Base.metadata.sorted_tables
        query = union_all(*(select(literal(t.name), func.count()).select_from(t) for t in tables))
        with self.world.sessions() as session:
            return {str(name): int(count) for name, count in session.execute(query)}

    def teams(self, body: bytes, content_type: str = JSON) -> Sent:
        return _post(self.url + "/api/messages", body, {"Content-Type": content_type})

    def slack(self, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> Sent:
        """POST to /slack/events, signed as Slack signs unless ``headers`` say otherwise."""
        sent = {"Content-Type": content_type, **(sign(body) if headers is None else headers)}
        return _post(self.url + "/slack/events", body, sent)

    def settle(self) -> None:
        """Wait until the work started after Slack's acknowledgements has finished."""
        backlog = self.world.server.app[SLACK].context.backlog
        calm = 0
        deadline = time.monotonic() + 10
        while calm < 2 and time.monotonic() < deadline:
            calm = calm + 1 if backlog.pending == 0 else 0
            time.sleep(0.005)

    def slack_answers(self) -> None:
        """A person's DM to Chaser is still answered."""
        posted = len(self.world.fake.wait_for("chat.postMessage", 0, where=_in_dm))
        status, _ = self.slack(_dm(text="help"), JSON)
        assert status == 200
        replies = self.world.fake.wait_for("chat.postMessage", posted + 1, where=_in_dm)[posted:]
        assert any("my actions" in c.everything() for c in replies), replies
        self.settle()

    def teams_answers(self) -> None:
        """A person's 1:1 message to Chaser is still answered."""
        chat = personal_conversation(FIONA)
        before = [c for c in self.connector.sent() if c.conversation_id == chat]
        status, _ = self.teams(json.dumps(self.make.personal("help", FIONA)).encode())
        assert status == 201
        after = [c for c in self.connector.sent() if c.conversation_id == chat]
        assert len(after) == len(before) + 1
        assert "my actions" in text_of(after[-1])


def _in_dm(call: Any) -> bool:
    return bool(call.body.get("channel") == DM)


def _post(url: str, body: bytes, headers: dict[str, str]) -> Sent:
    request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310 - our server
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")


def _migrated(url: str, *, reset: bool) -> None:
    engine = make_engine(url)
    if reset:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    engine.dispose()


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """One server per backend (the module-wide twin of the ``db_url`` fixture)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('malformed') / 'chaser.db'}"
    else:
        url = request.getfixturevalue("postgres_server_url")
    _migrated(url, reset=request.param == "postgres")
    engine = make_engine(url)
    world = SlackWorld(url, make_session_factory(engine))
    # work after an acknowledgement waits for requests to pause; here they come one at a time
    world.server.app[SLACK].context.backlog.quiet = 0.005
    connector = FakeTeamsConnector().start()
    connector.default_roster = team_roster()
    served = Served(url, world, connector, ActivityFactory(connector.service_url))
    # everyone the cases speak as has been seen once, so a refused request has nothing to store
    served.slack_answers()
    served.teams_answers()
    assert served.teams(json.dumps(served.make.personal("help", TOM)).encode())[0] == 201
    yield served
    world.close()
    connector.stop()
    engine.dispose()


def _refused_cleanly(
    served: Served,
    caplog: pytest.LogCaptureFixture,
    send: Callable[[], Sent],
    expected: int,
    still_answers: Callable[[], None],
) -> str:
    """Send one malformed request; check the status, the logs, the database and the server."""
    caplog.set_level(logging.WARNING)
    before = served.counts()  # the previous case, and the fixture, ended settled
    status, body = send()
    served.settle()
    assert status == expected, body
    assert served.counts() == before
    still_answers()
    broken = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not broken, [r.getMessage() for r in broken]
    return body


# ---- Slack ------------------------------------------------------------------------------------


def _envelope(event: Any) -> dict[str, Any]:
    payload = fixture("message_channel.json")
    payload["event_id"] = f"Ev{time.monotonic_ns()}"
    if event is ABSENT:
        del payload["event"]
    else:
        payload["event"] = event
    return payload


def _changed(event: dict[str, Any], **fields: Any) -> dict[str, Any]:
    changed = copy.deepcopy(event)
    for key, value in fields.items():
        if value is ABSENT:
            changed.pop(key, None)
        else:
            changed[key] = value
    return changed


def _dm(**fields: Any) -> bytes:
    """A DM to Chaser (always for Chaser, so it reaches the handlers) with fields changed."""
    event = fixture("message_im.json")["event"]
    tick = time.monotonic_ns()
    event |= {"text": "my actions", "ts": f"1780309{tick % 1000:03d}.{tick // 1000 % 10**6:06d}"}
    return json.dumps(_envelope(_changed(event, **fields))).encode()


def _event(name: str, **fields: Any) -> bytes:
    return json.dumps(_envelope(_changed(fixture(name)["event"], **fields))).encode()


def _form(**fields: Any) -> bytes:
    return urlencode(fields).encode()


def _command(**fields: Any) -> bytes:
    form = fixture("slash_command_actions.json")
    form |= {"response_url": "http://127.0.0.1:9/response/never", "text": "mine"}
    return urlencode(_changed(form, **fields)).encode()


def _interactive(name: str, change: Callable[[dict[str, Any]], object]) -> bytes:
    payload = fixture(name)
    change(payload)
    return _form(payload=json.dumps(payload))


def _first_action(**fields: Any) -> Callable[[dict[str, Any]], object]:
    return lambda p: p["actions"].__setitem__(0, _changed(p["actions"][0], **fields))


def _set(**fields: Any) -> Callable[[dict[str, Any]], object]:
    def change(payload: dict[str, Any]) -> None:
        changed = _changed(payload, **fields)
        payload.clear()
        payload.update(changed)

    return change


def _nested(depth: int) -> bytes:
    return b'{"type": "event_callback", "event": ' + b"[" * depth + b"]" * depth + b"}"


# (body, content type, the status Slack gets)
SLACK_CASES: dict[str, tuple[Callable[[], bytes], str, int]] = {
    "body not JSON": (lambda: b'{"type": "event_callback", "event": ', JSON, 400),
    "body not UTF-8": (lambda: b'{"text": "\xff\xfe"}', JSON, 400),
    "body a JSON list": (lambda: b'[{"type": "event_callback"}]', JSON, 400),
    "body a JSON string": (lambda: b'"event_callback"', JSON, 400),
    "body nested beyond reading": (lambda: _nested(100_000), JSON, 400),
    "body not form encoded": (lambda: b"%%%zz=&&=\x00;;", FORM, 404),
    "event_callback with no event": (lambda: json.dumps(_envelope(ABSENT)).encode(), JSON, 404),
    "event a list": (lambda: json.dumps(_envelope([{"type": "message"}])).encode(), JSON, 400),
    "event a string": (lambda: json.dumps(_envelope("message")).encode(), JSON, 400),
    "event a number": (lambda: json.dumps(_envelope(42)).encode(), JSON, 400),
    "event null": (lambda: json.dumps(_envelope(None)).encode(), JSON, 400),
    "event without a type": (lambda: _dm(type=ABSENT), JSON, 404),
    "message text a number": (lambda: _dm(text=42), JSON, 400),
    "message text a list": (lambda: _dm(text=["done"]), JSON, 400),
    "message text null": (lambda: _dm(text=None), JSON, 200),
    "message without user": (lambda: _dm(user=ABSENT), JSON, 200),
    "message user a number": (lambda: _dm(user=7), JSON, 400),
    "message without channel": (lambda: _dm(channel=ABSENT, channel_type=ABSENT), JSON, 200),
    "message channel a number": (lambda: _dm(channel=7), JSON, 400),
    "message ts an object": (lambda: _dm(ts={"when": "now"}), JSON, 400),
    "message files a string": (lambda: _dm(files="F0NONE", subtype="file_share"), JSON, 400),
    "message files holding a string": (lambda: _dm(files=["F0NONE"]), JSON, 400),
    "edited message with edited a string": (
        lambda: _event("message_changed.json", message={"user": "U0FIONA", "edited": "x"}),
        JSON,
        400,
    ),
    "mention without channel": (lambda: _event("app_mention.json", channel=ABSENT), JSON, 200),
    "app_home_opened without user": (
        lambda: _event("app_home_opened.json", user=ABSENT),
        JSON,
        200,
    ),
    "app_home_opened user an object": (
        lambda: _event("app_home_opened.json", user={"name": "x"}),
        JSON,
        200,
    ),
    "reaction_added without item": (lambda: _event("reaction_added.json", item=ABSENT), JSON, 200),
    "reaction_added item a string": (lambda: _event("reaction_added.json", item="x"), JSON, 400),
    "file_shared file a list": (lambda: _event("file_shared.json", file=[1]), JSON, 400),
    "authorizations a string": (
        lambda: json.dumps(
            _envelope(fixture("message_im.json")["event"]) | {"authorizations": "x"}
        ).encode(),
        JSON,
        400,
    ),
    "url_verification without challenge": (
        lambda: json.dumps({"token": "x", "type": "url_verification"}).encode(),
        JSON,
        400,
    ),
    "command missing command": (lambda: _command(command=ABSENT), FORM, 404),
    "command missing text": (lambda: _command(text=ABSENT), FORM, 200),
    "command missing user_id": (lambda: _command(user_id=ABSENT), FORM, 200),
    "command missing channel_id": (lambda: _command(channel_id=ABSENT), FORM, 200),
    "command missing response_url": (lambda: _command(response_url=ABSENT), FORM, 200),
    "command as JSON with a numeric user": (
        lambda: json.dumps(fixture("slash_command_actions.json") | {"user_id": 7}).encode(),
        JSON,
        400,
    ),
    "payload not JSON": (lambda: _form(payload='{"type": "block_actions", '), FORM, 400),
    "payload a JSON list": (lambda: _form(payload="[1, 2]"), FORM, 400),
    "block_actions without actions": (
        lambda: _interactive("block_actions_done.json", _set(actions=ABSENT)),
        FORM,
        400,
    ),
    "block_actions with no action": (
        lambda: _interactive("block_actions_done.json", _set(actions=[])),
        FORM,
        400,
    ),
    "block_actions actions not a list": (
        lambda: _interactive("block_actions_done.json", _set(actions="chaser_done")),
        FORM,
        400,
    ),
    "block_actions action a string": (
        lambda: _interactive("block_actions_done.json", _set(actions=["chaser_done"])),
        FORM,
        400,
    ),
    "block_actions action_id missing": (
        lambda: _interactive("block_actions_done.json", _first_action(action_id=ABSENT)),
        FORM,
        400,
    ),
    "block_actions action_id a number": (
        lambda: _interactive("block_actions_done.json", _first_action(action_id=5)),
        FORM,
        400,
    ),
    "block_actions value an int": (
        lambda: _interactive("block_actions_done.json", _first_action(value=7)),
        FORM,
        400,
    ),
    "block_actions unknown action id": (
        lambda: _interactive("block_actions_done.json", _first_action(action_id="chaser_boom")),
        FORM,
        404,
    ),
    "block_actions without user": (
        lambda: _interactive("block_actions_done.json", _set(user=ABSENT)),
        FORM,
        200,
    ),
    "block_actions user without id": (
        lambda: _interactive("block_actions_done.json", _set(user={"name": "fiona"})),
        FORM,
        200,
    ),
    "block_actions channel a number": (
        lambda: _interactive("block_actions_done.json", _set(channel=7)),
        FORM,
        400,
    ),
    "snooze without a selected option": (
        lambda: _interactive("block_actions_snooze.json", _first_action(selected_option=ABSENT)),
        FORM,
        200,
    ),
    "update press without trigger_id": (
        lambda: _interactive(
            "block_actions_done.json",
            lambda p: (_set(trigger_id=ABSENT)(p), _first_action(action_id="chaser_update")(p)),
        ),
        FORM,
        200,
    ),
    "view_submission without view": (
        lambda: _interactive("view_submission_update.json", _set(view=ABSENT)),
        FORM,
        400,
    ),
    "view_submission view null": (
        lambda: _interactive("view_submission_update.json", _set(view=None)),
        FORM,
        400,
    ),
    "view_submission view without type": (
        lambda: _interactive("view_submission_update.json", lambda p: p["view"].pop("type")),
        FORM,
        400,
    ),
    "view_submission response_urls null": (
        lambda: _interactive("view_submission_update.json", _set(response_urls=None)),
        FORM,
        400,
    ),
    "view_submission view a string": (
        lambda: _interactive("view_submission_update.json", _set(view="V0UPDATE")),
        FORM,
        400,
    ),
    "view_submission metadata not JSON": (
        lambda: _interactive(
            "view_submission_update.json", lambda p: p["view"].update(private_metadata="{ref")
        ),
        FORM,
        200,
    ),
    "view_submission metadata a list": (
        lambda: _interactive(
            "view_submission_update.json", lambda p: p["view"].update(private_metadata="[1]")
        ),
        FORM,
        200,
    ),
    "view_submission without its state": (
        lambda: _interactive("view_submission_update.json", lambda p: p["view"].pop("state")),
        FORM,
        200,
    ),
    "shortcut response_url not a web address": (
        lambda: _interactive("message_shortcut.json", _set(response_url="hooks")),
        FORM,
        400,
    ),
    "shortcut without user": (
        lambda: _interactive("message_shortcut.json", _set(user=ABSENT)),
        FORM,
        200,
    ),
}


@pytest.mark.parametrize("case", list(SLACK_CASES))
def test_slack_refuses_malformed_input_cleanly(
    served: Served, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    build_body, content_type, expected = SLACK_CASES[case]
    body = build_body()
    _refused_cleanly(
        served,
        caplog,
        lambda: served.slack(body, content_type),
        expected,
        served.slack_answers,
    )


def test_slack_refuses_a_body_beyond_the_size_limit(
    served: Served, caplog: pytest.LogCaptureFixture
) -> None:
    payload = _envelope(fixture("message_im.json")["event"] | {"text": "x" * ONE_MEGABYTE})
    body = json.dumps(payload).encode()
    _refused_cleanly(served, caplog, lambda: served.slack(body, JSON), 413, served.slack_answers)


@pytest.mark.parametrize(
    "case",
    ["unsigned", "wrong secret", "timestamp not a number", "unsigned and not JSON"],
)
def test_slack_refuses_unsigned_requests_before_reading_them(
    served: Served, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    body = b"{not json" if case == "unsigned and not JSON" else _dm(text="done")
    headers = {
        "unsigned": {},
        "wrong secret": sign(body, secret="not-the-signing-secret"),
        "timestamp not a number": {**sign(body), "X-Slack-Request-Timestamp": "soon"},
        "unsigned and not JSON": {},
    }[case]
    answer = _refused_cleanly(
        served,
        caplog,
        lambda: served.slack(body, JSON, headers),
        401,
        served.slack_answers,
    )
    assert "not JSON" not in answer  # nothing about the body is told to an unsigned caller


# ---- Teams ------------------------------------------------------------------------------------


def _activity(served: Served, kind: str = "personal", /, **fields: Any) -> bytes:
    if kind == "submit":
        activity = served.make.submit(TOM, "done", "A-1", "1000000000001")
    elif kind == "invoke":
        activity = served.make.invoke(TOM, "done", "A-1", "1000000000001")
    else:
        activity = served.make.personal("my actions", FIONA)
    return json.dumps(_changed(activity, **fields)).encode()


def _mention(**fields: Any) -> list[dict[str, Any]]:
    mention = {"type": "mention", "text": "<at>Chaser</at>", "mentioned": {"id": "28:bot"}}
    return [_changed(mention, **fields)]


TeamsCase = tuple[Callable[[Served], bytes], int]
TEAMS_CASES: dict[str, TeamsCase] = {
    "body not JSON": (lambda s: b'{"type": "message", ', 400),
    "body not UTF-8": (lambda s: b'{"type": "message", "text": "\xff"}', 400),
    "body nested beyond reading": (lambda s: b"[" * 100_000 + b"]" * 100_000, 400),
    "body a JSON array": (lambda s: b'[{"type": "message"}]', 400),
    "activity without type": (lambda s: _activity(s, type=ABSENT), 400),
    "type a number": (lambda s: _activity(s, type=7), 400),
    "type a list": (lambda s: _activity(s, type=["message"]), 400),
    "text a list": (lambda s: _activity(s, text=["my actions"]), 400),
    "text a number": (lambda s: _activity(s, text=42), 400),
    "without from": (lambda s: _activity(s, **{"from": ABSENT}), 400),
    "from a string": (lambda s: _activity(s, **{"from": FIONA.user_id}), 400),
    "from without id": (lambda s: _activity(s, **{"from": {"name": "Fiona"}}), 400),
    "from id a list": (lambda s: _activity(s, **{"from": {"id": [FIONA.user_id]}}), 400),
    "without conversation": (lambda s: _activity(s, conversation=ABSENT), 400),
    "conversation a string": (lambda s: _activity(s, conversation="a:1"), 400),
    "without serviceUrl": (lambda s: _activity(s, serviceUrl=ABSENT), 400),
    "serviceUrl a number": (lambda s: _activity(s, serviceUrl=443), 400),
    "serviceUrl not a URL": (lambda s: _activity(s, serviceUrl="file:///etc/passwd"), 400),
    "without recipient": (lambda s: _activity(s, recipient=ABSENT), 400),
    "recipient a string": (lambda s: _activity(s, recipient="28:bot"), 400),
    "channelData a list": (lambda s: _activity(s, channelData=[{"tenant": "t"}]), 400),
    "channelData team without id": (
        lambda s: _activity(s, channelData={"team": {"name": "CSP"}}),
        400,
    ),
    "id a number": (lambda s: _activity(s, id=7), 400),
    "timestamp not a time": (lambda s: _activity(s, timestamp="yesterday"), 400),
    "attachments not a list": (lambda s: _activity(s, attachments={"contentType": "x"}), 400),
    "attachments holding a string": (lambda s: _activity(s, attachments=["x"]), 400),
    "entities a string": (lambda s: _activity(s, entities="mention"), 400),
    "entities holding a number": (lambda s: _activity(s, entities=[5]), 400),
    "mention whose mentioned is a string": (
        lambda s: _activity(s, entities=_mention(mentioned="x")),
        400,
    ),
    "mention whose text is a number": (lambda s: _activity(s, entities=_mention(text=5)), 400),
    "membersAdded a string": (
        lambda s: _activity(s, type="conversationUpdate", membersAdded="x"),
        400,
    ),
    "membersAdded holding a string": (
        lambda s: _activity(s, type="conversationUpdate", membersAdded=["x"]),
        400,
    ),
    "membersAdded member without id": (
        lambda s: _activity(s, type="conversationUpdate", membersAdded=[{"name": "Fiona"}]),
        400,
    ),
    "card submit value a string": (lambda s: _activity(s, "submit", value="done A-1"), 400),
    "card submit with a list for kind": (
        lambda s: _activity(s, "submit", value={"chaser": "press", "kind": ["done"], "ref": {}}),
        201,
    ),
    "card submit without ref": (
        lambda s: _activity(s, "submit", value={"chaser": "press", "kind": "done"}),
        201,
    ),
    "invoke value a string": (lambda s: _activity(s, "invoke", value="chaser.done"), 400),
    "invoke value without action": (lambda s: _activity(s, "invoke", value={"verb": "x"}), 200),
    "invoke action a string": (lambda s: _activity(s, "invoke", value={"action": "x"}), 200),
    "invoke data with a list for kind": (
        lambda s: _activity(
            s, "invoke", value={"action": {"data": {"chaser": "press", "kind": [1], "ref": "A-1"}}}
        ),
        200,
    ),
    "invoke with unknown name": (lambda s: _activity(s, "invoke", name="task/fetch"), 400),
    "invoke without name": (lambda s: _activity(s, "invoke", name=ABSENT), 400),
}


@pytest.mark.parametrize("case", list(TEAMS_CASES))
def test_teams_refuses_malformed_input_cleanly(
    served: Served, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    build_body, expected = TEAMS_CASES[case]
    body = build_body(served)
    answer = _refused_cleanly(
        served, caplog, lambda: served.teams(body), expected, served.teams_answers
    )
    if expected == 200:  # an Action.Execute press Chaser cannot read says so on the card
        assert "could not read" in json.loads(answer)["value"]


def test_teams_refuses_a_body_beyond_the_size_limit(
    served: Served, caplog: pytest.LogCaptureFixture
) -> None:
    body = _activity(served, text="x" * ONE_MEGABYTE)
    _refused_cleanly(served, caplog, lambda: served.teams(body), 413, served.teams_answers)


def test_teams_refuses_a_body_that_is_not_json_by_its_content_type(
    served: Served, caplog: pytest.LogCaptureFixture
) -> None:
    body = _activity(served)
    _refused_cleanly(
        served, caplog, lambda: served.teams(body, "text/plain"), 415, served.teams_answers
    )


@pytest.mark.parametrize("case", ["well formed", "malformed"])
def test_teams_with_an_app_id_refuses_a_request_without_authorization(
    served: Served, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        CHASER_DATABASE_URL=served.db_url,
        MicrosoftAppId="6f1b9d2e-8c3a-4e5f-9a0b-1c2d3e4f5a6b",
        MicrosoftAppPassword="not-a-real-secret",
    )
    chaser = build(settings)
    server = LiveServer(build_web_app(chaser, scheduler=False)).start()
    body = _activity(served) if case == "well formed" else _activity(served, text=["x"])
    try:
        expected = 401 if case == "well formed" else 400
        _refused_cleanly(
            served,
            caplog,
            lambda: _post(server.url + "/api/messages", body, {"Content-Type": JSON}),
            expected,
            served.teams_answers,
        )
    finally:
        server.stop()
        chaser.engine.dispose()


# ---- every field of every captured payload, of the wrong type ---------------------------------


def _paths(obj: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every key (and first list item) down to three levels: where a wrong type can be put."""
    items = obj.items() if isinstance(obj, dict) else enumerate(obj[:1])
    for key, value in items:
        yield (*prefix, key)
        if len(prefix) < 2 and isinstance(value, dict | list):
            yield from _paths(value, (*prefix, key))


def _wrong_typed(payload: dict[str, Any], path: tuple[Any, ...]) -> dict[str, Any]:
    """A copy with the value at ``path`` replaced by one of another type (never a valid one)."""
    changed = copy.deepcopy(payload)
    holder = changed
    for key in path[:-1]:
        holder = holder[key]
    holder[path[-1]] = 7 if isinstance(holder[path[-1]], list) else [1]
    return changed


SLACK_FIXTURES = [
    "app_home_opened.json",
    "app_mention.json",
    "block_actions_done.json",
    "block_actions_snooze.json",
    "file_shared.json",
    "message_changed.json",
    "message_channel.json",
    "message_deleted.json",
    "message_shortcut.json",
    "reaction_added.json",
    "url_verification.json",
    "view_submission_update.json",
]


@pytest.mark.parametrize("name", SLACK_FIXTURES)
def test_slack_survives_any_field_of_the_wrong_type(
    served: Served, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    caplog.set_level(logging.WARNING)
    payload = fixture(name)
    if "response_url" in payload:
        payload["response_url"] = served.world.fake.response_url("sweep")
    interactive = "event" not in payload
    for path in _paths(payload):
        changed = _wrong_typed(payload, path)
        body = _form(payload=json.dumps(changed)) if interactive else json.dumps(changed).encode()
        status, answer = served.slack(body, FORM if interactive else JSON)
        assert status < 500, (path, answer)
    served.settle()
    served.slack_answers()
    broken = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not broken, [r.getMessage() for r in broken]


TEAMS_FIXTURES = [
    "card_invoke",
    "card_submit",
    "channel_message",
    "install_team",
    "personal_message",
]


@pytest.mark.parametrize("name", TEAMS_FIXTURES)
def test_teams_survives_any_field_of_the_wrong_type(
    served: Served, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    caplog.set_level(logging.WARNING)
    activity = teams_fixture(name) | {"serviceUrl": served.connector.service_url}
    for path in _paths(activity):
        status, answer = served.teams(json.dumps(_wrong_typed(activity, path)).encode())
        assert status < 500, (path, answer)
    served.teams_answers()
    broken = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not broken, [r.getMessage() for r in broken]
