"""✅ reactions close an owner's part; edits update a message's actions; deleting cancels them."""

from __future__ import annotations

from tests.slack.harness import CHANNEL, SlackWorld, fixture

LINE = "ACTION: Fiona Taylor to liaise with Tom Hook about the knife crime data by 30 June"


def _react(world: SlackWorld, ts: str, user: str, reaction: str = "white_check_mark") -> None:
    payload = fixture("reaction_added.json")
    payload["event"] |= {
        "user": user,
        "reaction": reaction,
        "item": {"type": "message", "channel": CHANNEL, "ts": ts},
    }
    payload["event_id"] = f"Ev{user}{reaction}{ts}"
    assert world.event(payload) == 200


def test_a_check_mark_by_the_owner_closes_their_part(world: SlackWorld) -> None:
    ts = world.say(LINE, user="U0JADE")
    _react(world, ts, "U0FIONA", "heavy_check_mark")
    assert world.action("A-1").status == "done"
    thread = [c.everything() for c in world.fake.posts() if c.body.get("thread_ts") == ts]
    assert any("A-1 is done" in t for t in thread), thread


def test_a_check_mark_by_someone_else_changes_nothing(world: SlackWorld) -> None:
    ts = world.say(LINE, user="U0JADE")
    posted = len(world.fake.posts())
    _react(world, ts, "U0TOM")
    _react(world, ts, "U0FIONA", "thumbsup")
    assert world.action("A-1").status == "open"
    assert len(world.fake.posts()) == posted


def test_editing_the_message_updates_its_action(world: SlackWorld) -> None:
    ts = world.say(LINE, user="U0JADE")
    payload = fixture("message_changed.json")
    payload["event"]["message"] |= {
        "ts": ts,
        "user": "U0JADE",
        "text": LINE.replace("30 June", "10 July"),
    }
    assert world.event(payload) == 200
    assert world.event(payload, retry=1) == 200
    action = world.action("A-1")
    assert action.due_date is not None and action.due_date.isoformat() == "2026-07-10"
    notes = [c.everything() for c in world.fake.posts() if c.body.get("thread_ts") == ts]
    assert sum("updated A-1" in n for n in notes) == 1, notes
    assert world.refs() == ["A-1"]


def test_deleting_the_message_cancels_its_actions(world: SlackWorld) -> None:
    ts = world.say(LINE + "\nACTION: Tom Hook to book the venue by 12 June", user="U0JADE")
    payload = fixture("message_deleted.json")
    payload["event"] |= {"deleted_ts": ts}
    payload["event"]["previous_message"]["ts"] = ts
    assert world.event(payload) == 200
    assert world.event(payload, retry=1) == 200
    assert {world.action(r).status for r in world.refs()} == {"cancelled"}
    notes = [c.everything() for c in world.fake.posts() if c.body.get("thread_ts") == ts]
    assert sum("was deleted" in n for n in notes) == 1, notes


def test_an_edit_that_adds_an_action_line_captures_it(world: SlackWorld) -> None:
    ts = world.say("notes from today's board to follow", user="U0JADE")
    assert world.refs() == []
    payload = fixture("message_changed.json")
    payload["event"]["message"] |= {"ts": ts, "user": "U0JADE", "text": LINE}
    assert world.event(payload) == 200
    assert world.refs() == ["A-1"]
    thread = [c.everything() for c in world.fake.posts() if c.body.get("thread_ts") == ts]
    assert thread and "A-1" in thread[0]


def test_an_action_added_by_an_edit_follows_later_edits(world: SlackWorld) -> None:
    ts = world.say("thanks all", user="U0JADE")
    for n, text in enumerate([LINE, LINE.replace("30 June", "31 July")], start=1):
        payload = fixture("message_changed.json")
        payload["event"]["message"] |= {
            "ts": ts,
            "user": "U0JADE",
            "text": text,
            "edited": {"user": "U0JADE", "ts": f"{float(ts) + n:.6f}"},
        }
        payload["event_id"] = f"EvEdit{n}"
        assert world.event(payload) == 200
        world.settle()
    assert world.refs() == ["A-1"]  # the second edit re-dates it, never a second action
    action = world.action("A-1")
    assert action.status == "open"
    assert action.due_date is not None and action.due_date.isoformat() == "2026-07-31"
    notes = [c.everything() for c in world.fake.posts() if c.body.get("thread_ts") == ts]
    assert any("updated A-1" in n for n in notes), notes
