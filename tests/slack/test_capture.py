"""Capture in a channel: a thread reply (refs, real mentions, due dates, fixes); DMs to owners."""

from __future__ import annotations

from sqlalchemy import select

from store.models import ConversationRef, Member
from tests.fakes.slack_api import BOT_USER_ID
from tests.slack.harness import CHANNEL, SlackWorld, fixture

LINE = "ACTION: Fiona Taylor to liaise with Tom Hook about the knife crime data by 30 June"


def _buttons(call: object) -> set[str]:
    found = set()
    for block in call.blocks():  # type: ignore[attr-defined]
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            found.add(element["action_id"])
    return found


def test_capture_replies_in_thread_and_dms_the_owner(world: SlackWorld) -> None:
    ts = world.say(LINE, user="U0JADE")
    thread = [c for c in world.fake.posts() if c.body.get("channel") == CHANNEL]
    assert len(thread) == 1
    reply = thread[0]
    assert reply.body["thread_ts"] == ts
    text = reply.everything()
    assert "A-1" in text
    assert "<@U0FIONA>" in text  # a real mention, from the linked Slack id
    assert "30 Jun 2026" in text
    dms = [c for c in world.fake.posts() if c.body.get("channel") == "D0FIONA"]
    assert len(dms) == 1 and "A-1" in dms[0].everything()
    assert {"chaser_done", "chaser_snooze", "chaser_update", "chaser_not_mine"} <= _buttons(dms[0])
    opened = world.fake.calls_to("conversations.open")
    assert [c.body.get("users") for c in opened] == ["U0FIONA"]
    action = world.action("A-1")
    assert action.origin_channel == CHANNEL and action.origin_thread == ts
    assert [o.member.name for o in action.owners if o.member] == ["Fiona Taylor"]
    with world.sessions() as session:
        fiona = session.scalar(select(Member).where(Member.name == "Fiona Taylor"))
        assert fiona is not None and fiona.slack_user_id == "U0FIONA"
        kept = session.scalar(select(ConversationRef).where(ConversationRef.key == "user:U0FIONA"))
        assert kept is not None and kept.reference["channel"] == "D0FIONA"


def test_a_second_dm_reuses_the_stored_dm_channel(world: SlackWorld) -> None:
    world.say(LINE, user="U0JADE")
    world.say("ACTION: Fiona Taylor to book the venue by 12 June", user="U0JADE")
    assert len(world.fake.calls_to("conversations.open")) == 1
    assert len([c for c in world.fake.posts() if c.body.get("channel") == "D0FIONA"]) == 2


def test_unresolved_owner_gets_a_line_saying_how_to_fix_it(world: SlackWorld) -> None:
    world.say("ACTION: Zebedee Quist to audit the CCTV contract by 30 June", user="U0JADE")
    text = world.fake.posts()[0].everything()
    assert "Zebedee Quist" in text
    assert "assign A-1 to" in text
    assert world.action("A-1").owners[0].member_id is None


def test_retried_deliveries_change_nothing_and_send_nothing_twice(world: SlackWorld) -> None:
    payload = fixture("message_channel.json")
    assert world.event(payload) == 200
    assert world.event(payload, retry=1) == 200
    assert world.event(payload, retry=2) == 200
    assert world.refs() == ["A-1"]
    assert len([c for c in world.fake.posts() if c.body.get("channel") == CHANNEL]) == 1


def test_the_mention_twin_of_a_message_is_handled_once(world: SlackWorld) -> None:
    text = f"<@{BOT_USER_ID}> outstanding"
    ts = world.say(text, user="U0JADE")
    mention = fixture("app_mention.json")
    mention["event"] |= {"text": text, "user": "U0JADE", "ts": ts, "channel": CHANNEL}
    assert world.event(mention) == 200
    assert len([c for c in world.fake.posts() if c.body.get("thread_ts") == ts]) == 1


def test_chatter_in_a_channel_is_left_alone(world: SlackWorld) -> None:
    world.say("thanks all, good meeting", user="U0JADE")
    world.say("what's outstanding?", user="U0JADE")  # not addressed to Chaser
    assert world.fake.posts() == []
    assert world.refs() == []


def test_done_in_the_thread_closes_the_owners_part(world: SlackWorld) -> None:
    ts = world.say(LINE, user="U0JADE")
    world.say("done", user="U0FIONA", thread_ts=ts)
    reply = [c for c in world.fake.posts() if c.body.get("thread_ts") == ts][-1]
    assert "A-1 is done" in reply.everything()
    assert world.action("A-1").status == "done"


def test_a_restricted_action_posted_without_a_mention_is_captured_privately(
    world: SlackWorld,
) -> None:
    secret = "ACTION (RESTRICTED): Tom Hook to share the MARAC referral list by 30 June"
    world.say(secret, user="U0FIONA")
    world.settle()
    assert world.refs() == ["A-1"] and world.action("A-1").restricted
    posts = [c for c in world.fake.posts() if c.body["channel"] == CHANNEL]
    in_channel = " ".join(c.everything() for c in posts)
    assert "A-1" in in_channel and "MARAC" not in in_channel
