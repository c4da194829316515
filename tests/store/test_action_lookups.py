"""Finding the actions captured from one chat message, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from store import actions
from store.db import transaction
from store.models import Member

KEY = "slack:C0_BOARD:1780304000.000100"


def _seed(sessions: sessionmaker[Session]) -> int:
    with transaction(sessions) as session:
        fiona, tom = Member(name="Fiona Taylor"), Member(name="Tom Hook")
        session.add_all([fiona, tom])
        session.flush()

        def add(key: str | None, owner: Member, thread: str | None = None) -> None:
            actions.create(
                session,
                actions.NewAction(
                    text=f"{owner.name} to follow up ({key})",
                    source_kind="slack",
                    source_key=key,
                    origin_channel="C0_BOARD",
                    origin_thread=thread,
                    owners=[actions.NewOwner(owner.name, owner.id, "matched")],
                ),
                actor="test",
                via="slack",
            )

        add(f"{KEY}:0", fiona)  # A-1: line 0 of the message
        add(f"{KEY}:1", fiona)  # A-2: line 1, owned by Fiona too
        add(f"{KEY}:2", tom)  # Tom's
        add("slack:C0XBOARD:1780304000.000100:0", fiona)  # '_' must not match 'X'
        add(f"{KEY}9:0", fiona)  # a longer ts with the same start
        add("slack:C0_BOARD:1780304999.000000:0", fiona, thread="1780304000.000100")
        return fiona.id


def test_captured_from_finds_exactly_the_messages_actions(sessions: sessionmaker[Session]) -> None:
    _seed(sessions)
    with sessions() as session:
        assert [a.ref for a in actions.captured_from(session, KEY)] == ["A-1", "A-2", "A-3"]


def test_owned_from_message_lists_the_members_open_parts_once_each(
    sessions: sessionmaker[Session],
) -> None:
    fiona = _seed(sessions)
    with sessions() as session:
        found = actions.owned_from_message(
            session, source_key=KEY, channel="C0_BOARD", ts="1780304000.000100", member_id=fiona
        )
    # the message's own two, and the one captured in its thread; never Tom's or look-alikes
    assert found == [
        ("A-1", "1780304000.000100"),
        ("A-2", "1780304000.000100"),
        ("A-6", "1780304000.000100"),
    ]
