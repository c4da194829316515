"""Size limits in Slack: an over-long message and an over-size minutes file get a clear reply
and capture nothing."""

from __future__ import annotations

from handlers.limits import MAX_MESSAGE_CHARS, MAX_UPLOAD_BYTES
from tests.slack.harness import CHANNEL, SlackWorld, fixture, wait_until

LINE = "ACTION: Tom Hook to circulate the draft strategy by 30 June\n"


def _padded(length: int) -> str:
    """Minutes of exactly ``length`` characters with one action at the top."""
    filler = "The board noted the quarterly figures. "
    body = LINE + filler * (length // len(filler) + 1)
    return body[:length]


def test_a_message_over_the_limit_is_refused_with_the_reason(world: SlackWorld) -> None:
    world.say(_padded(MAX_MESSAGE_CHARS + 1))
    posted = wait_until(lambda: [c for c in world.fake.posts() if c.body["channel"] == CHANNEL])
    world.settle()
    assert world.refs() == []
    text = posted[0].everything()
    assert "too long for me to read" in text and "40,001 characters" in text
    assert "upload the minutes" in text


def test_a_message_at_the_limit_is_still_captured(world: SlackWorld) -> None:
    world.say(_padded(MAX_MESSAGE_CHARS))
    assert wait_until(world.refs) == ["A-1"]


def test_an_oversize_file_is_refused_before_it_is_downloaded(world: SlackWorld) -> None:
    world.fake.add_file("F0MINUTES1", "board-pack.docx", b"PK\x03\x04")
    meta, content = world.fake.files["F0MINUTES1"]
    world.fake.files["F0MINUTES1"] = (meta | {"size": MAX_UPLOAD_BYTES + 1}, content)
    assert world.event(fixture("file_shared.json")) == 200
    posted = wait_until(lambda: [c for c in world.fake.posts() if c.body["channel"] == CHANNEL])
    assert not [c for c in world.fake.calls if c.method.startswith("GET /files/")]
    assert world.refs() == []
    text = posted[0].everything()
    assert "board-pack.docx is 20.0 MB" in text and "nothing was captured" in text


def test_a_file_bigger_than_slack_said_stops_at_the_limit(world: SlackWorld) -> None:
    world.fake.add_file("F0MINUTES1", "minutes.txt", LINE.encode() * 10)
    meta, _ = world.fake.files["F0MINUTES1"]
    world.fake.files["F0MINUTES1"] = (meta, LINE.encode() * (MAX_UPLOAD_BYTES // len(LINE) + 2))
    world.event(fixture("file_shared.json"))
    posted = wait_until(lambda: [c for c in world.fake.posts() if c.body["channel"] == CHANNEL])
    assert world.refs() == []
    assert "minutes.txt is 20.0 MB" in posted[0].everything()


def test_uploaded_minutes_longer_than_a_message_are_still_read(world: SlackWorld) -> None:
    minutes = _padded(MAX_MESSAGE_CHARS * 3) + "\n" + LINE.replace("Tom Hook", "Penny Pyke")
    world.fake.add_file("F0MINUTES1", "minutes.md", minutes.encode())
    world.event(fixture("file_shared.json"))
    assert wait_until(lambda: len(world.refs()) == 2)
