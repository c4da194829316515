"""Capture: the example minutes become actions with matched owners, once, and people are told."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from handlers.capture import CaptureResult, capture, confirmation, owner_notifications
from handlers.messages import ActionItem, Mention, Paragraph, ToMember
from handlers.render_text import render_text
from store import directory
from store.db import transaction
from store.models import Action, ActionOwner, AuditEvent, Meeting

ROOT = Path(__file__).resolve().parents[2]
MINUTES = ROOT / "examples" / "minutes" / "csp-2018-03-20.txt"
MARCH = dt.date(2018, 3, 20)


@pytest.fixture
def board_sessions(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """The example partnership, with Slack ids for Fiona Taylor and Jade Hodgson."""
    data = directory.load_yaml_file(ROOT / "examples" / "partnership.yml")
    for member in data["members"]:
        if member["name"] in ("Fiona Taylor", "Jade Hodgson"):
            member["slack_user_id"] = "U" + member["initials"]
    with transaction(sessions) as session:
        directory.import_yaml(session, data, actor="test", via="cli")
    return sessions


def _capture(sessions: sessionmaker[Session], text: str, key: str, **kw: Any) -> CaptureResult:
    with transaction(sessions) as session:
        board = directory.board(session)
        assert board is not None
        options: dict[str, Any] = {
            "via": "cli", "source_key": key, "group_id": board.id, "meeting_date": MARCH,
            "created_by_id": None, "actor": "test",
        }  # fmt: skip
        options.update(kw)
        return capture(session, text, **options)


def _by_text(result: CaptureResult, words: str) -> Any:
    return next(a for a in result.created if words in a.text)


def test_seed_minutes_become_eight_actions_with_owners_matched(
    board_sessions: sessionmaker[Session],
) -> None:
    result = _capture(board_sessions, MINUTES.read_text(encoding="utf-8"), "doc:march")
    assert len(result.created) == 8
    prevent = _by_text(result, "prevent")
    assert [o.written for o in prevent.owners] == [
        "Jonathon Toy", "Fiona Taylor", "Rita Chadha", "Chris Bush", "Teresa DeVito",
    ]  # fmt: skip
    assert all(o.status == "matched" for o in prevent.owners)
    assert prevent.owners[0].name == "Jonathon Toy"
    june = _by_text(result, "trauma informed")
    assert june.due_date == dt.date(2018, 6, 19)  # "for June CSP", from the board's calendar
    with board_sessions() as session:
        assert session.scalar(select(func.count()).select_from(Action)) == 8
        owners = session.scalars(select(ActionOwner).where(ActionOwner.member_id.is_(None))).all()
        assert owners == []
        meeting = session.scalar(select(Meeting).where(Meeting.date == MARCH))
        assert meeting is not None
        saved = session.scalars(select(Action)).all()
        assert {a.meeting_id for a in saved} == {meeting.id}
        assert {a.source_key for a in saved} == {f"doc:march:{a.source_line}" for a in saved}
        created = session.scalars(select(AuditEvent).where(AuditEvent.entity == "action")).all()
        assert len(created) == 8


def test_second_capture_of_the_same_source_adds_nothing(
    board_sessions: sessionmaker[Session],
) -> None:
    text = MINUTES.read_text(encoding="utf-8")
    first = _capture(board_sessions, text, "doc:march")
    again = _capture(board_sessions, text, "doc:march")
    assert again.created == () and len(again.duplicates) == 8
    assert {d.ref for d in again.duplicates} == {a.ref for a in first.created}
    with board_sessions() as session:
        assert session.scalar(select(func.count()).select_from(Action)) == 8
    shown = render_text(confirmation(again))
    assert "Already recorded, not added again: A-" in shown


def test_confirmation_shows_refs_mentions_dates_and_fixes(
    board_sessions: sessionmaker[Session],
) -> None:
    text = (
        "ACTION: Fiona Taylor and Pat Smith to review the CCTV policy by end of month\n"
        "ACTION: Dan James to bring the data pack to the July CSP\n"
    )
    result = _capture(board_sessions, text, "slack:C1:111", meeting_date=dt.date(2018, 9, 18))
    message = confirmation(result)
    items = [b for b in message.blocks if isinstance(b, ActionItem)]
    assert len(items) == 2
    cctv = items[0]
    fiona = cctv.owners[0]
    assert (
        isinstance(fiona, Mention) and fiona.name == "Fiona Taylor" and fiona.slack_user_id == "UFT"
    )
    assert "Pat Smith" in cctv.owners
    assert cctv.due is not None and cctv.due.startswith("Sun 30 Sep 2018")
    assert (
        cctv.note == f"Could not match 'Pat Smith' to a member — reply `assign {cctv.ref} to @name`"
    )
    july = items[1]
    assert july.note is not None and "no July meeting in the calendar" in july.note
    assert "`next meeting 19 July`" in july.note
    with board_sessions() as session:
        pat = session.scalar(select(ActionOwner).where(ActionOwner.written == "Pat Smith"))
        assert pat is not None and pat.member_id is None and pat.match_status == "unknown"
    assert "need attention" in message.summary


def test_owners_get_one_direct_message_or_a_digest_with_buttons(
    board_sessions: sessionmaker[Session],
) -> None:
    result = _capture(board_sessions, MINUTES.read_text(encoding="utf-8"), "doc:march")
    notes = owner_notifications(result)
    by_member: dict[int, Any] = {}
    for out in notes:
        assert isinstance(out.to, ToMember)
        assert out.to.member_id not in by_member  # one message per owner
        by_member[out.to.member_id] = out
    with board_sessions() as session:
        fiona = directory.member_by_name(session, "Fiona Taylor")
        angie = directory.member_by_name(session, "Angie Fuller")
        assert fiona is not None and angie is not None
    digest = by_member[fiona.id]
    items = [b for b in digest.message.blocks if isinstance(b, ActionItem)]
    assert len(items) == 4 and digest.message.summary.startswith("4 new actions for you")
    assert [b.kind for b in items[0].buttons] == ["done", "snooze", "update", "not_mine"]
    assert set(digest.action_refs) == {i.ref for i in items}
    single = by_member[angie.id].message
    assert single.summary.startswith("New action for you")
    assert "Red Thread" in single.summary


def test_restricted_action_is_only_counted_in_the_channel(
    board_sessions: sessionmaker[Session],
) -> None:
    text = "RESTRICTED ACTION: Supt Scotchbrook to review the MARAC case by 30 September 2018"
    result = _capture(board_sessions, text, "slack:C1:222", restricted=True)
    action = result.created[0]
    assert action.restricted
    shown = render_text(confirmation(result))
    assert (
        f"1 restricted action recorded ({action.ref}); its owners have been told privately" in shown
    )
    assert "MARAC" not in shown and "MARAC" not in confirmation(result).summary
    private = owner_notifications(result)
    assert len(private) == 1 and "MARAC" in render_text(private[0].message)
    with board_sessions() as session:
        saved = session.scalar(select(Action).where(Action.ref == action.ref))
        assert saved is not None and saved.restricted


def test_text_flagged_restricted_is_saved_restricted(board_sessions: sessionmaker[Session]) -> None:
    text = "ACTION (RESTRICTED): Supt Scotchbrook to review the MARAC case"
    result = _capture(board_sessions, text, "slack:C1:444")
    assert [a.restricted for a in result.created] == [True]
    assert "MARAC" not in render_text(confirmation(result))
    assert "MARAC" in render_text(confirmation(result, private=True))


def test_nothing_found_says_how_to_write_an_action(board_sessions: sessionmaker[Session]) -> None:
    result = _capture(board_sessions, "Thanks all, see you at the next one.", "slack:C1:333")
    assert result.found == 0
    message = confirmation(result)
    assert message.summary == "No actions found."
    paragraph = message.blocks[0]
    assert isinstance(paragraph, Paragraph) and "ACTION: Fiona Taylor to" in str(paragraph.parts[0])
    assert owner_notifications(result) == []
    with board_sessions() as session:
        assert session.scalar(select(func.count()).select_from(Action)) == 0
