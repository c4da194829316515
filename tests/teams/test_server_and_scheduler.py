"""Teams inside the whole server (bot.server), and the scheduler's chases arriving as cards."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bot.settings import Settings
from bot.teams import notifier_of
from bot.teams.cards import card_buttons
from scheduler.sweep import Sweeper
from store.models import Action, ActionOwner
from tests.fakes.teams_connector import Call, FakeTeamsConnector
from tests.teams.harness import (
    BOARD_CHANNEL,
    FIONA,
    TOM,
    TeamsWorld,
    personal_conversation,
    posted_to,
    text_of,
)


@pytest.fixture
def server_world(db_url: str, connector: FakeTeamsConnector) -> Iterator[TeamsWorld]:
    settings = Settings(_env_file=None, CHASER_DATABASE_URL=db_url)  # type: ignore[call-arg]
    world = TeamsWorld(db_url=db_url, connector=connector, settings=settings, whole_server=True)
    yield world
    world.close()


def test_the_real_server_answers_teams_at_api_messages(server_world: TeamsWorld) -> None:
    status, _ = server_world.post(server_world.make.channel("help", FIONA))
    assert status == 201
    replies = posted_to(server_world, BOARD_CHANNEL)
    assert len(replies) == 1 and "my actions" in text_of(replies[0])


def test_a_scheduled_chase_arrives_as_an_action_card_in_the_owners_chat(world: TeamsWorld) -> None:
    world.post(world.make.channel("ACTION: Tom Hook to book the venue by 25 November", FIONA))
    with world.sessions() as session:
        ref = session.scalar(select(Action.ref))
    assert ref is not None
    world.connector.clear()
    assert world.server is not None
    sweeper = Sweeper(world.sessions, notifier_of(world.server.app), clock=world.clock)
    chased: list[Call] = []
    for day in range(0, 4):  # Mon 23 → Thu 26 Nov, 10:00 each day, from the scheduler's thread
        world.now = dt.datetime(2026, 11, 23 + day, 10, 0, tzinfo=dt.UTC)
        worker = threading.Thread(target=sweeper.sweep)
        worker.start()
        worker.join(60)
        chased += posted_to(world, personal_conversation(TOM))
        world.connector.clear()
    about = [c for c in chased if ref in text_of(c)]
    assert about, [text_of(c) for c in chased]
    kinds = [kind for _, kind in card_buttons(about[0].card())]
    assert "done" in kinds and "snooze" in kinds
    with world.sessions() as session:
        owner = session.scalar(select(ActionOwner))
        assert owner is not None and owner.chase_count >= 1


def test_chaser_chase_from_the_command_line_reaches_teams_members(
    world: TeamsWorld, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    world.post(world.make.channel("ACTION: Tom Hook to book the venue by 25 November", FIONA))
    with world.sessions() as session:
        ref = session.scalar(select(Action.ref))
    assert ref is not None
    world.connector.clear()
    monkeypatch.setenv("CHASER_DATABASE_URL", world.db_url)
    for name in ("SLACK_BOT_TOKEN", "SLACK_CLIENT_ID", "MicrosoftAppId", "MICROSOFT_APP_ID"):
        monkeypatch.delenv(name, raising=False)
    assert main(["chase", "--at", "2026-11-25T10:00"]) == 0
    cards = [c for c in posted_to(world, personal_conversation(TOM)) if ref in text_of(c)]
    assert len(cards) == 1 and "done" in [k for _, k in card_buttons(cards[0].card())]
    assert "Tom Hook" in capsys.readouterr().out
    assert main(["chase", "--at", "2026-11-25T10:05"]) == 0  # the same day: nothing twice
    assert len([c for c in posted_to(world, personal_conversation(TOM)) if ref in text_of(c)]) == 1
