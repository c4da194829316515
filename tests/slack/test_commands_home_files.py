"""/actions, App Home, minutes uploads, the message shortcut, DMs, and 429s from Slack."""

from __future__ import annotations

import json
import time

from tests.fakes.slack_api import Call
from tests.slack.harness import CHANNEL, SlackWorld, fixture, wait_until

LINE = "ACTION: Fiona Taylor to liaise with Tom Hook about the knife crime data by 30 June"


def _answers(world: SlackWorld) -> list[Call]:
    return [c for c in world.fake.calls if c.method.startswith("POST /response/")]


def test_actions_command_answers_privately(world: SlackWorld) -> None:
    world.say(LINE, user="U0JADE")
    assert world.command("") == 200
    answer = _answers(world)[-1]
    assert answer.body["response_type"] == "ephemeral"
    assert "A-1" in answer.everything()


def test_actions_mine_overdue_and_someone(world: SlackWorld) -> None:
    world.say(LINE, user="U0JADE")
    world.command("mine", user="U0FIONA")
    assert "A-1" in _answers(world)[-1].everything()
    world.command("overdue")
    assert "A-1" not in _answers(world)[-1].everything()
    world.command("<@U0FIONA|fiona.taylor>")
    assert "A-1" in _answers(world)[-1].everything()
    world.command("<@U0TOM|tom.hook>")
    assert "A-1" not in _answers(world)[-1].everything()


def test_actions_export_uploads_the_log_to_the_askers_dm(world: SlackWorld) -> None:
    world.say(LINE, user="U0JADE")
    world.command("export")
    uploads = world.fake.uploads()
    assert uploads and uploads[-1][0].endswith(".docx") and uploads[-1][1][:2] == b"PK"
    complete = world.fake.calls_to("files.completeUploadExternal")[-1]
    assert complete.body.get("channel_id") == "D0JADE"
    assert "direct message" in _answers(world)[-1].everything()


def test_done_in_a_dm(world: SlackWorld) -> None:
    world.say(LINE, user="U0JADE")
    world.say("done – sent it over", user="U0FIONA", channel="D0FIONA")
    reply = [c for c in world.fake.posts() if c.body.get("channel") == "D0FIONA"][-1]
    assert "A-1 is done" in reply.everything()
    assert world.action("A-1").status == "done"


def test_app_home_shows_open_actions_with_buttons_and_the_chairs_summary(world: SlackWorld) -> None:
    world.say(LINE, user="U0JADE")
    world.say("ACTION: Tom Hook to book the venue by 12 June", user="U0JADE")
    assert world.event(fixture("app_home_opened.json")) == 200
    view = world.fake.calls_to("views.publish")[-1]
    assert view.body["user_id"] == "U0FIONA"
    text = view.everything()
    assert "A-1" in text and "chaser_done" in text
    assert "A-2" in text  # Fiona chairs the board: the outstanding summary is there too


def test_a_minutes_file_is_downloaded_with_the_bot_token_and_captured(world: SlackWorld) -> None:
    world.fake.add_file(
        "F0MINUTES1",
        "csp-minutes.md",
        b"# CSP Board\n\nACTION: Tom Hook to circulate the draft strategy by 30 June\n",
    )
    assert world.event(fixture("file_shared.json")) == 200
    downloads = [c for c in world.fake.calls if c.method == "GET /files/F0MINUTES1"]
    assert downloads and downloads[0].headers.get("Authorization", "").startswith("Bearer xoxb-")
    assert world.refs() == ["A-1"]
    assert any("A-1" in c.everything() for c in world.fake.posts() if c.body["channel"] == CHANNEL)


def test_other_files_are_ignored(world: SlackWorld) -> None:
    world.fake.add_file("F0MINUTES1", "photo.png", b"\x89PNG")
    world.event(fixture("file_shared.json"))
    assert world.refs() == [] and world.fake.posts() == []


def test_the_capture_shortcut_reads_any_message(world: SlackWorld) -> None:
    payload = fixture("message_shortcut.json")
    payload["message"]["text"] = "Tom Hook will circulate the draft strategy by 30 June"
    assert world.interactive(payload) == 200
    assert world.refs() == ["A-1"]
    thread = [c for c in world.fake.posts() if c.body.get("thread_ts") == payload["message"]["ts"]]
    assert thread and "A-1" in thread[0].everything()


def test_429_is_retried_after_retry_after(world: SlackWorld) -> None:
    world.fake.rate_limit("chat.postMessage", times=1, retry_after=1)
    started = time.monotonic()
    world.say(LINE, user="U0JADE")
    posted = wait_until(lambda: [c for c in world.fake.posts() if c.body["channel"] == CHANNEL])
    assert posted and time.monotonic() - started >= 1.0
    refused = [c for c in world.fake.calls if c.method == "chat.postMessage" and c.status == 429]
    assert len(refused) == 1
    assert json.dumps(refused[0].body) == json.dumps(posted[0].body)  # the same message, once
    assert len(posted) == 1


def test_a_broken_word_file_gets_a_clear_note(world: SlackWorld) -> None:
    world.fake.add_file("F0MINUTES1", "minutes.docx", b"this is not a Word file")
    world.event(fixture("file_shared.json"))
    assert world.refs() == []
    assert "couldn't read minutes.docx" in world.fake.posts()[0].everything()


def test_a_word_file_of_minutes_is_captured(world: SlackWorld) -> None:
    import io

    from docx import Document

    doc = Document()
    doc.add_heading("Community Safety Partnership Board", 1)
    doc.add_paragraph("ACTION: Tom Hook to circulate the draft strategy by 30 June")
    buffer = io.BytesIO()
    doc.save(buffer)
    world.fake.add_file("F0MINUTES1", "minutes.docx", buffer.getvalue())
    world.event(fixture("file_shared.json"))
    assert world.refs() == ["A-1"]
