"""A small harness for conversation tests: the example directory, actions made directly, a clock.

Test modules import the fixtures: ``kit_fixture`` from here, and the three fixtures of
tests.journeys.partnership.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from handlers.conversation import Conversation
from handlers.messages import ButtonPress, Incoming, Outgoing, Place, Speaker, ToMember, ToPlace
from handlers.render_text import render_text
from store import actions as repo
from store.db import transaction
from store.models import Action, AuditEvent, Group, Member

LONDON = ZoneInfo("Europe/London")
BOARD = "Community Safety Partnership Board"


class Kit:
    """The example partnership, a movable clock and ways to talk to the conversation."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        """``sessions`` on a database already holding the example partnership."""
        self.sessions = sessions
        self.now = dt.datetime(2026, 6, 1, 10, 0, tzinfo=LONDON)  # a Monday
        with sessions() as session:
            self.ids = {m.name: m.id for m in session.scalars(select(Member))}
            self.group_ids = {g.name: g.id for g in session.scalars(select(Group))}
        self.conversation = Conversation(sessions, clock=lambda: self.now, zone=LONDON)

    def add(
        self,
        text: str,
        owners: Sequence[str] = (),
        *,
        group: str = BOARD,
        due: dt.date | None = None,
        restricted: bool = False,
        created_by: str | None = None,
        meeting_date: dt.date | None = None,
    ) -> str:
        """Record an action directly in the store; its reference."""
        new = repo.NewAction(
            text=text,
            source_kind="console",
            owners=[
                repo.NewOwner(o, self.ids.get(o), "matched" if o in self.ids else "unknown")
                for o in owners
            ],
            group_id=self.group_ids[group],
            due_date=due,
            restricted=restricted,
            created_by_id=self.ids[created_by] if created_by else None,
            meeting_date=meeting_date,
        )
        with transaction(self.sessions) as session:
            action = repo.create(session, new, actor="test", via="cli")
            assert action is not None and action.ref is not None
            return action.ref

    def place(self, *, channel: str = "csp-board", direct: bool = False) -> Place:
        return Place("console", channel_id="dm" if direct else channel, is_direct=direct)

    def speaker(self, who: str) -> Speaker:
        return Speaker(self.ids.get(who), who)

    def say(
        self,
        who: str,
        text: str,
        *,
        channel: str = "csp-board",
        direct: bool = False,
        key: str | None = None,
    ) -> list[Outgoing]:
        """What the conversation sends back when ``who`` says ``text``."""
        place = self.place(channel=channel, direct=direct)
        return self.conversation.handle(Incoming(text, self.speaker(who), place, self.now, key))

    def text(self, who: str, text: str, **where: object) -> str:
        """The rendered reply in the place, as text (lines unwrapped: one space between words)."""
        out = self.say(who, text, **where)  # type: ignore[arg-type]
        assert out and isinstance(out[0].to, ToPlace)
        return " ".join(render_text(out[0].message, width=10_000).split())

    def press(
        self, who: str, kind: str, ref: str, value: str | None = None, key: str | None = None
    ) -> list[Outgoing]:
        press = ButtonPress(
            kind,
            ref,
            self.speaker(who),
            self.place(direct=True),
            self.now,  # type: ignore[arg-type]
            value,
            key,
        )
        return self.conversation.press(press)

    def action(self, ref: str) -> Action:
        with self.sessions() as session:
            found = session.scalar(
                select(Action)
                .where(Action.ref == ref)
                .options(selectinload(Action.owners), selectinload(Action.updates))
            )
            assert found is not None
            return found

    def audit(self, ref: str) -> list[str]:
        """The audit events of an action, oldest first."""
        action_id = self.action(ref).id
        with self.sessions() as session:
            rows = session.scalars(
                select(AuditEvent.event)
                .where(AuditEvent.entity == "action", AuditEvent.entity_id == action_id)
                .order_by(AuditEvent.id)
            )
            return list(rows)

    def dms(self, out: list[Outgoing], who: str) -> list[str]:
        return [
            render_text(o.message)
            for o in out
            if isinstance(o.to, ToMember) and o.to.member_id == self.ids[who]
        ]


@pytest.fixture(name="kit")
def kit_fixture(partnership_sessions: sessionmaker[Session]) -> Kit:
    """The example partnership on SQLite and PostgreSQL, ready to talk to."""
    return Kit(partnership_sessions)
