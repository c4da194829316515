"""A partnership directory built row by row and the shipped example register loaded on top of it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from handlers.priorities import answer
from handlers.render_text import render_text
from store.db import transaction
from store.models import Group, Member, Membership
from store.priorities import import_priorities
from store.priorities_yaml import read_file

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "priorities.yml"

SUBGROUPS = {
    # name: (lead, aliases)
    "Safer Borough": ("Tim Barfoot", ["Safer Borough Group", "SBG"]),
    "Children and Young People": ("Angie Fuller", ["CYP", "Children & Young People"]),
    "Managing Offenders": ("Greg Tillett", ["Offender Management"]),
    "Hate, Intolerance & Extremism": ("Rita Chadha", ["HIE", "Hate Crime"]),
    "Violence against Women and Girls": ("Melody Williams", ["VAWG"]),
}


def build_directory(session: Session) -> dict[str, Member]:
    """The CSP board (chair and secretary) and its five subgroups with their leads."""
    people: dict[str, Member] = {}
    for number, name in enumerate(
        ["Fiona Taylor", "Jade Hodgson", "Dan James", *(lead for lead, _ in SUBGROUPS.values())]
    ):
        people[name] = Member(name=name, aliases=[], slack_user_id=f"U{number:03d}")
        session.add(people[name])
    board = Group(name="Community Safety Partnership Board", aliases=["CSP"], kind="board")
    session.add(board)
    session.flush()
    session.add(Membership(member=people["Fiona Taylor"], group=board, role="chair"))
    session.add(Membership(member=people["Jade Hodgson"], group=board, role="secretary"))
    for name, (lead, aliases) in SUBGROUPS.items():
        group = Group(name=name, aliases=aliases, kind="subgroup", parent_id=board.id)
        group.lead = people[lead]
        session.add(group)
        session.add(Membership(member=people[lead], group=group, role="lead"))
    session.flush()
    return people


@pytest.fixture
def loaded(sessions: sessionmaker[Session]) -> Iterator[sessionmaker[Session]]:
    """A database with the directory and examples/priorities.yml imported."""
    with transaction(sessions) as session:
        build_directory(session)
        import_priorities(session, read_file(EXAMPLE), actor="test", via="cli")
    yield sessions


def ask(sessions: sessionmaker[Session], text: str, **kwargs: object) -> str | None:
    """What a user sees when they say ``text``, as plain text (None: not a priority question)."""
    kwargs.setdefault("viewer_member_id", None)
    with transaction(sessions) as session:
        message = answer(session, text, **kwargs)  # type: ignore[arg-type]
    return None if message is None else render_text(message, width=1000)
