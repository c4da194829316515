"""The limits themselves: messages said to the conversation, uploaded documents, chat exports and
the Teams download shelf."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.teams.files import FileShelf
from handlers import limits
from handlers.conversation import Conversation
from handlers.documents import DocumentError, read_document
from handlers.messages import Attachment, Incoming, Outgoing, Place, Speaker
from store import actions, directory
from store.db import transaction
from store.models import Action, AuditEvent, Member

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
BOARD = "Community Safety Partnership Board"
LINE = "ACTION: Tom Hook to circulate the draft strategy by 30 June"


@pytest.fixture
def board(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    partnership = {
        "members": [
            {"name": "Fiona Taylor", "slack_user_id": "U0FIONA"},
            {"name": "Tom Hook", "slack_user_id": "U0TOM"},
        ],
        "groups": [
            {
                "name": BOARD,
                "kind": "board",
                "chair": "Fiona Taylor",
                "members": ["Tom Hook"],
                "channels": {"slack": ["C0BOARD"]},
            }
        ],
    }
    with transaction(sessions) as session:
        directory.import_yaml(session, partnership, actor="test", via="cli")
    return sessions


def _say(sessions: sessionmaker[Session], text: str, *, dm: bool = False, **kw: str) -> str:
    with sessions() as session:
        fiona = session.scalar(select(Member).where(Member.name == "Fiona Taylor"))
        assert fiona is not None
        speaker = Speaker(fiona.id, "Fiona Taylor", "U0FIONA")
    place = Place("slack", "D0FIONA" if dm else "C0BOARD", is_direct=dm)
    out: list[Outgoing] = Conversation(sessions, clock=lambda: NOW).handle(
        Incoming(text, speaker, place, NOW, **kw)
    )
    return "\n".join(o.message.summary for o in out)


def _count(sessions: sessionmaker[Session], model: type) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_an_over_long_message_changes_nothing(board: sessionmaker[Session]) -> None:
    text = (LINE + "\n") * (limits.MAX_MESSAGE_CHARS // len(LINE) + 1)
    audit = _count(board, AuditEvent)
    reply = _say(board, text)
    assert "too long for me to read" in reply
    assert _count(board, Action) == 0 and _count(board, AuditEvent) == audit


def test_a_document_may_be_longer_than_a_message_but_not_unbounded(
    board: sessionmaker[Session],
) -> None:
    long_minutes = LINE + "\n" + "Noted. " * (limits.MAX_MESSAGE_CHARS // 7 + 10)
    assert "A-1" in _say(board, long_minutes, document="minutes.docx")
    huge = LINE + "\n" + "x" * limits.MAX_DOCUMENT_CHARS
    reply = _say(board, huge, document="pack.txt")
    assert "pack.txt holds" in reply and "nothing was captured" in reply
    assert _count(board, Action) == 1


def test_read_document_names_the_size_and_the_limit() -> None:
    with pytest.raises(DocumentError, match=r"minutes\.txt: it is 20\.0 MB, over the 20\.0 MB"):
        read_document(b"a" * (limits.MAX_UPLOAD_BYTES + 1), "minutes.txt")


def _actions(sessions: sessionmaker[Session], n: int) -> None:
    with transaction(sessions) as session:
        tom = session.scalar(select(Member).where(Member.name == "Tom Hook"))
        group = directory.group_by_name(session, BOARD)
        assert tom is not None and group is not None
        for i in range(n):
            actions.create(
                session,
                actions.NewAction(
                    text=f"Tom Hook to check item {i}",
                    source_kind="cli",
                    group_id=group.id,
                    owners=[actions.NewOwner("Tom Hook", tom.id, "matched")],
                ),
                actor="test",
                via="cli",
            )


def test_an_export_over_the_action_limit_is_refused_with_what_to_do(
    board: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    _actions(board, 4)
    monkeypatch.setattr(limits, "MAX_EXPORT_ACTIONS", 3)
    reply = _say(board, "export actions csv")
    assert "is 4 actions, more than the 3 I send in chat" in reply
    assert f'chaser actions --group "{BOARD}"' in reply
    monkeypatch.setattr(limits, "MAX_EXPORT_ACTIONS", 4)
    assert "4 actions." in _say(board, "export actions csv")


def test_an_export_over_the_size_limit_is_refused(
    board: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    _actions(board, 2)
    monkeypatch.setattr(limits, "MAX_EXPORT_BYTES", 100)
    reply = _say(board, "export actions csv")
    assert "more than the 1 KB I send in chat" in reply


def test_the_teams_download_shelf_keeps_its_memory_bounded() -> None:
    shelf = FileShelf(clock=lambda: NOW, max_bytes=250)
    first = shelf.put(Attachment("a.csv", b"a" * 100, "text/csv"))
    second = shelf.put(Attachment("b.csv", b"b" * 100, "text/csv"))
    third = shelf.put(Attachment("c.csv", b"c" * 100, "text/csv"))
    assert shelf.get(first) is None  # the oldest link gave way
    assert shelf.get(second) is not None and shelf.get(third) is not None
