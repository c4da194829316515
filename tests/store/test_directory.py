"""The member directory: importing the example partnership, look-ups, meetings, export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from store import directory
from store.db import transaction
from store.models import AuditEvent, Group, Meeting, Member, Membership

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "partnership.yml"


def _example() -> dict[str, Any]:
    return directory.load_yaml_file(EXAMPLE)


def _import(sessions: sessionmaker[Session], data: dict[str, Any]) -> directory.ImportSummary:
    with transaction(sessions) as session:
        return directory.import_yaml(session, data, actor="test", via="cli")


def _count(session: Session, model: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_example_imports_once_and_second_import_changes_nothing(
    sessions: sessionmaker[Session],
) -> None:
    first = _import(sessions, _example())
    assert first.members_added == 23
    assert first.groups_added == 6
    assert first.meetings_added >= 10
    with sessions() as session:
        counts = [_count(session, m) for m in (Member, Group, Membership, Meeting, AuditEvent)]
    second = _import(sessions, _example())
    assert not second.changed
    assert second.describe().startswith("nothing changed")
    with sessions() as session:
        assert [
            _count(session, m) for m in (Member, Group, Membership, Meeting, AuditEvent)
        ] == counts


def test_lookups_by_name_alias_platform_and_channel(sessions: sessionmaker[Session]) -> None:
    data = _example()
    data["members"][0]["slack_user_id"] = "U0FIONA"
    data["members"][0]["teams_aad_id"] = "aad-fiona"
    data["groups"][1]["channels"]["slack"] = ["C0SAFER"]
    _import(sessions, data)
    with sessions() as session:
        toy = directory.member_by_name(session, "jonathan  toy")
        assert toy is not None and toy.name == "Jonathon Toy"
        assert directory.member_by_name(session, "Nobody Here") is None
        fiona = directory.member_by_platform(session, "slack", "U0FIONA")
        assert fiona is not None and fiona.name == "Fiona Taylor"
        assert directory.member_by_platform(session, "teams", "aad-fiona") == fiona
        assert directory.member_by_platform(session, "teams", "U0FIONA") is None
        safer = directory.group_for_channel(session, "slack", "C0SAFER")
        assert safer is not None and safer.name == "Safer Borough"
        assert directory.group_for_channel(session, "slack", "C0NONE") is None


GROUP_NAMES = [
    ("csp", "Community Safety Partnership Board"),
    ("the board", "Community Safety Partnership Board"),
    ("Safer Borough sub group", "Safer Borough"),
    ("the safer borough subgroup", "Safer Borough"),
    ("hate intolerance and extremism", "Hate, Intolerance & Extremism"),
    ("VAWG", "Violence against Women and Girls"),
    ("children & young people", "Children and Young People"),
]


def test_group_by_name_is_tolerant(sessions: sessionmaker[Session]) -> None:
    _import(sessions, _example())
    with sessions() as session:
        for asked, expected in GROUP_NAMES:
            group = directory.group_by_name(session, asked)
            assert group is not None and group.name == expected, asked
        assert directory.group_by_name(session, "Planning Committee") is None


def test_roles_and_members_info(sessions: sessionmaker[Session]) -> None:
    _import(sessions, _example())
    with sessions() as session:
        top = directory.board(session)
        safer = directory.group_by_name(session, "Safer Borough")
        fiona = directory.member_by_name(session, "Fiona Taylor")
        tim = directory.member_by_name(session, "Tim Barfoot")
        penny = directory.member_by_name(session, "Penny Pyke")
        assert top and safer and fiona and tim and penny
        assert top.name == "Community Safety Partnership Board"
        assert safer.lead is not None and safer.lead.name == "Tim Barfoot"
        assert safer.parent_id == top.id
        assert directory.roles_of(session, fiona.id) == {top.id: {"chair"}}
        assert directory.is_chair_or_secretary(session, fiona.id, safer.id)
        assert directory.is_chair_or_secretary(session, fiona.id, None)
        assert not directory.is_chair_or_secretary(session, tim.id, safer.id)
        assert not directory.is_chair_or_secretary(session, penny.id, None)
        infos = {i.name: i for i in directory.members_info(session, safer.id)}
        assert len(infos) == 23  # every member, roles from this group
        assert infos["Tim Barfoot"].roles == ("lead",)
        assert infos["Penny Pyke"].roles == ("member",)
        assert infos["Fiona Taylor"].roles == ()
        assert infos["Rita Chadha"].initials == "RC"
        everywhere = {i.name: i for i in directory.members_info(session, None)}
        assert everywhere["Rita Chadha"].roles == ("lead", "member")


def test_meetings_calendar_and_add_meeting_is_idempotent(sessions: sessionmaker[Session]) -> None:
    _import(sessions, _example())
    with transaction(sessions) as session:
        top = directory.board(session)
        assert top is not None
        dates = directory.meeting_dates(session, top.id)
        assert dates[:3] == [dt.date(2018, 3, 20), dt.date(2018, 6, 19), dt.date(2018, 9, 18)]
        first = directory.add_meeting(session, top.id, dt.date(2019, 6, 18), actor="t", via="cli")
        again = directory.add_meeting(session, top.id, dt.date(2019, 6, 18), actor="t", via="cli")
        assert first.id == again.id
        assert dt.date(2019, 6, 18) in directory.meeting_dates(session, top.id)
        assert [m.date for m in directory.meetings_of(session, top.id)] == sorted(
            directory.meeting_dates(session, top.id)
        )


def test_import_updates_by_name_and_replaces_chair(sessions: sessionmaker[Session]) -> None:
    _import(sessions, _example())
    data = _example()
    data["members"][0]["email"] = "fiona.taylor@example.org"
    data["groups"][0]["chair"] = "Chris Bush"
    summary = _import(sessions, data)
    assert summary.members_updated == 1
    assert summary.roles_changed == 2  # Fiona's chair removed, Chris's added
    with sessions() as session:
        top = directory.board(session)
        fiona = directory.member_by_name(session, "fiona taylor")
        chris = directory.member_by_name(session, "Chris Bush")
        assert top and fiona and chris
        assert fiona.email == "fiona.taylor@example.org"
        assert not directory.is_chair_or_secretary(session, fiona.id, top.id)
        assert directory.is_chair_or_secretary(session, chris.id, top.id)
        events = session.scalars(
            select(AuditEvent.event).where(
                AuditEvent.entity == "member", AuditEvent.entity_id == fiona.id
            )
        ).all()
        assert events == ["created", "updated"]


def test_export_round_trips(sessions: sessionmaker[Session]) -> None:
    _import(sessions, _example())
    with sessions() as session:
        exported = directory.export_directory(session)
    text = yaml.safe_dump(exported, sort_keys=False)
    again = _import(sessions, yaml.safe_load(text))
    assert not again.changed
    board = exported["groups"][0]
    assert board["chair"] == "Fiona Taylor" and board["secretary"] == "Jade Hodgson"
    assert "2018-06-19" in str(board["meetings"])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"members": [{"aliases": ["x"]}]}, "members[0]: a name is required"),
        ({"members": [{"name": "A", "shoe": 9}]}, "unknown key 'shoe'"),
        ({"people": []}, "unknown top-level key 'people'"),
        ({"groups": [{"name": "G", "lead": "Ghost"}]}, "lead 'Ghost' is not a member"),
        ({"groups": [{"name": "G", "kind": "club"}]}, "'club' is not one of board, subgroup"),
        ({"groups": [{"name": "G", "meetings": ["2018-13-40"]}]}, "is not a date"),
        ({"groups": [{"name": "G", "parent": "Nowhere"}]}, "parent 'Nowhere'"),
        ({"members": [{"name": "A"}, {"name": "a"}]}, "member 'a' is listed twice"),
        ({"groups": [{"name": "G", "channels": {"irc": ["x"]}}]}, "unknown platform 'irc'"),
    ],
)
def test_bad_directory_is_one_clear_line_and_changes_nothing(
    sqlite_url: str, data: dict[str, Any], message: str
) -> None:
    from store.db import make_engine, make_session_factory

    sessions = make_session_factory(make_engine(sqlite_url))
    with pytest.raises(
        directory.DirectoryError, match=message.replace("[", r"\[").replace("]", r"\]")
    ):
        _import(sessions, data)
    with sessions() as session:
        assert _count(session, Member) == 0 and _count(session, Group) == 0


def test_load_yaml_file_errors(tmp_path: Path) -> None:
    with pytest.raises(directory.DirectoryError, match="no such file"):
        directory.load_yaml_file(tmp_path / "missing.yml")
    bad = tmp_path / "bad.yml"
    bad.write_text("members:\n  - name: [unclosed\n", encoding="utf-8")
    with pytest.raises(directory.DirectoryError, match="not valid YAML at line"):
        directory.load_yaml_file(bad)
    listy = tmp_path / "list.yml"
    listy.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(directory.DirectoryError, match="top level"):
        directory.load_yaml_file(listy)
