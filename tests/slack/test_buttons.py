"""Card buttons: the card changes in place, the capture thread gets a note, doubles do nothing."""

from __future__ import annotations

from store.models.actions import DECLINED
from tests.slack.harness import CHANNEL, SlackWorld, fixture

LINE = "ACTION: Fiona Taylor to liaise with Tom Hook about the knife crime data by 30 June"


def _thread_notes(world: SlackWorld, ts: str) -> list[str]:
    return [
        c.everything()
        for c in world.fake.posts()
        if c.body.get("channel") == CHANNEL and c.body.get("thread_ts") == ts
    ]


def test_done_updates_the_card_in_place_and_notes_the_thread(world: SlackWorld) -> None:
    ts = world.say(LINE, user="U0JADE")
    assert world.press("done", "A-1", message_ts="1760000000.000002") == 200
    updates = world.fake.calls_to("chat.update")
    assert len(updates) == 1
    assert updates[0].body["channel"] == "D0FIONA" and updates[0].body["ts"] == "1760000000.000002"
    assert "A-1 is done" in updates[0].everything()
    assert world.action("A-1").status == "done"
    notes = _thread_notes(world, ts)
    assert any("Fiona Taylor marked their part done on A-1" in n for n in notes), notes


def test_a_double_click_changes_and_sends_nothing_more(world: SlackWorld) -> None:
    world.say(LINE, user="U0JADE")
    world.press("done", "A-1")
    before = len(world.fake.calls)
    world.press("done", "A-1")
    assert len(world.fake.calls) == before
    assert world.action("A-1").status == "done"


def test_snooze_choice_moves_the_chasing(world: SlackWorld) -> None:
    world.say(LINE, user="U0JADE")
    world.press("snooze", "A-1", value="1 week")
    owner = world.action("A-1").owners[0]
    assert owner.snoozed_until is not None
    assert owner.snoozed_until.date().isoformat() == "2026-06-08"
    assert "won't chase you about A-1" in world.fake.calls_to("chat.update")[0].everything()


def test_update_opens_a_modal_and_saves_the_note(world: SlackWorld) -> None:
    world.say(LINE, user="U0JADE")
    world.press("update", "A-1")
    opened = world.fake.calls_to("views.open")
    assert len(opened) == 1 and "chaser_update_modal" in opened[0].everything()
    assert world.interactive(fixture("view_submission_update.json")) == 200
    action = world.action("A-1")
    assert [u.text for u in action.updates] == ["waiting for police data"]
    assert "Noted on A-1" in world.fake.calls_to("chat.update")[0].everything()


def test_not_mine_hands_the_action_back(world: SlackWorld) -> None:
    world.say("ACTION: Tom Hook to send the ASB figures by 30 June", user="U0JADE")
    world.press("not_mine", "A-1", user="U0TOM", channel="D0TOM")
    assert world.action("A-1").owners[0].status == DECLINED
    assert "handed A-1 back" in world.fake.calls_to("chat.update")[0].everything()
