"""A small partnership to chase in: a board with a chair, a subgroup, members, and helpers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.notifier import RecordingNotifier
from scheduler.sweep import Sweeper
from store.actions import NewAction, NewOwner, create
from store.db import transaction
from store.models import ActionOwner, Group, GroupChannel, Meeting, Member, Membership

LONDON = ZoneInfo("Europe/London")


def at(
    year: int, month: int, day: int, hour: int = 10, minute: int = 0, tz: str = "Europe/London"
) -> dt.datetime:
    """A local wall-clock time as an aware datetime."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(tz))


@dataclass
class World:
    sessions: sessionmaker[Session]
    board: int
    group: int
    chair: int
    fiona: int
    tom: int

    def action(
        self,
        text: str,
        owners: list[int],
        due: dt.date | None,
        *,
        group: int | None = None,
        restricted: bool = False,
    ) -> list[int]:
        """Capture an action; the ids of its owner rows."""
        with transaction(self.sessions) as session:
            names = {m.id: m.name for m in session.scalars(select(Member))}
            action = create(
                session,
                NewAction(
                    text=text,
                    source_kind="cli",
                    owners=[NewOwner(names[m], m, "matched") for m in owners],
                    group_id=group or self.group,
                    due_date=due,
                    restricted=restricted,
                ),
                actor="test",
                via="cli",
            )
            assert action is not None
            return [o.id for o in action.owners]

    def owner(self, owner_id: int) -> ActionOwner:
        with self.sessions() as session:
            row = session.get(ActionOwner, owner_id)
            assert row is not None
            return row

    def update_owner(self, owner_id: int, **values: Any) -> None:
        with transaction(self.sessions) as session:
            row = session.get(ActionOwner, owner_id)
            assert row is not None
            for key, value in values.items():
                setattr(row, key, value)

    def set_group_settings(self, group_id: int, chase: dict[str, Any]) -> None:
        with transaction(self.sessions) as session:
            group = session.get(Group, group_id)
            assert group is not None
            group.settings = {"chase": chase}

    def meeting(self, group_id: int, day: dt.date, title: str | None = None) -> int:
        with transaction(self.sessions) as session:
            meeting = Meeting(group_id=group_id, date=day, title=title)
            session.add(meeting)
            session.flush()
            return meeting.id

    def channel(self, group_id: int, platform: str, channel_id: str) -> None:
        with transaction(self.sessions) as session:
            session.add(GroupChannel(group_id=group_id, platform=platform, channel_id=channel_id))


def make_world(sessions: sessionmaker[Session]) -> World:
    with transaction(sessions) as session:
        chair = Member(name="Carol Chair", slack_user_id="UCHAIR")
        fiona = Member(name="Fiona Taylor", slack_user_id="UFIONA")
        tom = Member(name="Tom Hook", teams_user_id="29:tom", timezone="America/New_York")
        session.add_all([chair, fiona, tom])
        board = Group(name="Community Safety Partnership", kind="board")
        session.add(board)
        session.flush()
        group = Group(name="Safer Borough", kind="subgroup", parent_id=board.id)
        session.add(group)
        session.flush()
        session.add(Membership(member_id=chair.id, group_id=board.id, role="chair"))
        session.add(Membership(member_id=fiona.id, group_id=group.id, role="member"))
        return World(sessions, board.id, group.id, chair.id, fiona.id, tom.id)


@pytest.fixture
def world(sessions: sessionmaker[Session]) -> World:
    return make_world(sessions)


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture
def sweeper(sessions: sessionmaker[Session], notifier: RecordingNotifier) -> Sweeper:
    def clock() -> dt.datetime:
        raise AssertionError("tests pass the time explicitly")

    return Sweeper(sessions, notifier, clock=clock, instance="test")
