"""A direct message longer than Slack's 50 blocks arrives whole: a chair's escalation or an owner's
reminder about many actions is posted in parts, never cut (each part is recorded as delivered)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.slack import render
from bot.slack.app import web_client
from bot.slack.notifier import SlackNotifier
from bot.slack.users import SlackUsers
from handlers.messages import (
    ActionItem,
    Heading,
    Message,
    Outgoing,
    Paragraph,
    Place,
    ToMember,
    ToPlace,
    owner_buttons,
)
from store.db import make_engine, make_session_factory, transaction
from store.models import Member
from tests.fakes.slack_api import BOT_TOKEN, Call, FakeSlack


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    slack = FakeSlack().start()
    slack.add_user("U0FIONA", "Fiona Taylor")
    yield slack
    slack.stop()


@pytest.fixture
def sessions(sqlite_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(sqlite_url)
    yield make_session_factory(engine)
    engine.dispose()


def notifier_for(fake: FakeSlack, sessions: sessionmaker[Session]) -> SlackNotifier:
    client = web_client(fake.base_url, BOT_TOKEN)
    return SlackNotifier(client, sessions, SlackUsers(client, sessions))


def fiona(sessions: sessionmaker[Session]) -> int:
    with transaction(sessions) as session:
        member = Member(name="Fiona Taylor", slack_user_id="U0FIONA")
        session.add(member)
        session.flush()
        return member.id


def reminder(refs: list[str]) -> Message:
    items = [
        ActionItem(ref, f"Send the figures for ward {ref}", (), "Fri 27 Nov 2026", "open", "red",
                   "Overdue since Fri 20 Nov 2026.", owner_buttons(ref))
        for ref in refs
    ]  # fmt: skip
    return Message(
        f"Overdue: {refs[0]} Send the figures (and {len(refs) - 1} more)",
        (Paragraph.of("Hello Fiona, a reminder about the actions you own."), *items),
    )


def shown_refs(posts: list[Call]) -> list[str]:
    return [
        str(block["block_id"]).removeprefix("act|")
        for post in posts
        for block in post.blocks()
        if str(block.get("block_id", "")).startswith("act|")
    ]


def test_a_reminder_about_thirty_actions_reaches_the_owner_whole_in_parts(
    fake: FakeSlack, sessions: sessionmaker[Session]
) -> None:
    refs = [f"A-{n}" for n in range(1, 31)]
    message = reminder(refs)
    assert len(render.blocks_of(message)) == render.MAX_BLOCKS  # one post could not hold it
    notifier_for(fake, sessions).send(
        Outgoing(ToMember(fiona(sessions)), message, action_refs=tuple(refs))
    )
    posts = fake.posts()
    assert len(posts) == 2
    assert all(p.body["channel"] == "D0FIONA" and len(p.blocks()) <= 50 for p in posts)
    assert shown_refs(posts) == refs  # every action, each with its buttons, in order
    assert "ask for a narrower list" not in "".join(p.everything() for p in posts)
    assert [p.text() for p in posts] == [
        "Overdue: A-1 Send the figures (and 29 more)",
        "Overdue: A-1 Send the figures (and 29 more) (continued)",
    ]


def test_an_escalation_listing_every_slipped_part_is_not_cut(
    fake: FakeSlack, sessions: sessionmaker[Session]
) -> None:
    blocks: list[Heading | ActionItem] = []
    for owner in range(5):
        blocks.append(Heading(f"Owner {owner}"))
        blocks += [
            ActionItem(f"A-{owner}{n}", "Slipped", (), None, "open", "red", "Chased 2 times.")
            for n in range(6)
        ]
    message = Message("Escalation: 30 overdue actions", (Paragraph.of("30 slipped"), *blocks))
    notifier_for(fake, sessions).send(Outgoing(ToMember(fiona(sessions)), message))
    text = "".join(post.everything() for post in fake.posts())
    assert all(f"*A-{owner}{n}*" in text for owner in range(5) for n in range(6))


def test_a_long_list_in_a_channel_is_still_one_post_that_says_to_ask_for_less(
    fake: FakeSlack, sessions: sessionmaker[Session]
) -> None:
    message = reminder([f"A-{n}" for n in range(1, 31)])
    notifier_for(fake, sessions).send(Outgoing(ToPlace(Place("slack", "C0CSPBOARD")), message))
    [post] = fake.posts()
    assert len(post.blocks()) == render.MAX_BLOCKS
    assert "ask for a narrower list" in post.everything()
