"""Export and erasure of a member's personal data, and retention of closed actions."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import JSON, String, Text, func, select
from sqlalchemy.orm import Session, sessionmaker

from store import actions, audit
from store.db import transaction
from store.models import (
    Action,
    ActionOwner,
    ActionUpdate,
    AuditEvent,
    Base,
    ConversationRef,
    Group,
    Member,
    Membership,
)
from store.models.actions import CANCELLED, DONE, OPEN
from store.privacy import apply_retention, erase_member, export_member, retention_candidates

NOW = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)
NAME, EMAIL = "Fiona Taylor", "fiona.taylor@safer.example.gov.uk"


def _seed(session: Session) -> dict[str, int]:
    """A board, Fiona (chair) and Tom, two actions Fiona owns part of, her notes and audit rows."""
    board = Group(name="Safer Borough Partnership", kind="board")
    fiona = Member(
        name=NAME,
        aliases=["Fi Taylor"],
        initials="FT",
        email=EMAIL,
        organisation="Borough Council",
        title="Community Safety Manager",
        slack_user_id="U0FIONA001",
        teams_user_id="29:fiona-teams-id",
        timezone="Europe/London",
    )
    tom = Member(name="Tom Hook", email="tom.hook@police.example.uk", slack_user_id="U0TOMHOOK1")
    session.add_all([board, fiona, tom])
    session.flush()
    board.lead_id = fiona.id
    session.add(Membership(member_id=fiona.id, group_id=board.id, role="chair"))
    session.add(Membership(member_id=tom.id, group_id=board.id, role="member"))
    first = actions.create(
        session,
        actions.NewAction(
            text="Fiona Taylor to liaise with Tom Hook on the knife crime data",
            source_kind="slack",
            owners=[
                actions.NewOwner("Fiona Taylor", fiona.id, "matched"),
                actions.NewOwner("Tom Hook", tom.id, "matched"),
            ],
            group_id=board.id,
            created_by_id=fiona.id,
            due_date=dt.date(2026, 12, 31),
        ),
        actor=NAME,
        via="slack",
    )
    second = actions.create(
        session,
        actions.NewAction(
            text="FT to circulate the MARAC terms of reference",
            source_kind="console",
            owners=[actions.NewOwner("FT", fiona.id, "matched")],
            created_by_id=tom.id,
        ),
        actor="Tom Hook",
        via="console",
    )
    assert first is not None and second is not None
    session.add(
        ActionUpdate(
            action_id=first.id, member_id=fiona.id, author=NAME, text="waiting for police data"
        )
    )
    audit.record(
        session, actor=NAME, actor_id=fiona.id, via="slack", entity="action",
        entity_id=first.id, event="snoozed", note=f"asked by {EMAIL}",
    )  # fmt: skip
    session.add(
        ConversationRef(
            platform="slack",
            key="user:U0FIONA001",
            member_id=fiona.id,
            reference={"channel": "D0FIONA", "user": "U0FIONA001"},
        )
    )
    session.add(ConversationRef(platform="slack", key="user:U0TOMHOOK1", member_id=tom.id))
    session.flush()
    return {"fiona": fiona.id, "tom": tom.id, "first": first.id, "second": second.id}


def test_export_holds_everything_on_the_member(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as session:
        ids = _seed(session)
    with sessions() as session:
        data = export_member(session, ids["fiona"])
    text = json.dumps(data)  # JSON-serialisable as it stands
    assert data["member"]["name"] == NAME and data["member"]["email"] == EMAIL
    assert data["member"]["slack_user_id"] == "U0FIONA001"
    dt.datetime.fromisoformat(data["member"]["created_at"])
    assert data["memberships"] == [
        {"group_id": 1, "group": "Safer Borough Partnership", "role": "chair"}
    ]
    assert data["groups_led"][0]["group"] == "Safer Borough Partnership"
    parts = {p["action_ref"]: p for p in data["action_parts"]}
    assert set(parts) == {f"A-{ids['first']}", f"A-{ids['second']}"}
    assert parts[f"A-{ids['first']}"]["action_text"].startswith("Fiona Taylor to liaise")
    assert parts[f"A-{ids['first']}"]["status"] == OPEN
    assert parts[f"A-{ids['first']}"]["due_date"] == "2026-12-31"
    assert [u["text"] for u in data["updates"]] == ["waiting for police data"]
    assert {e["event"] for e in data["audit"]} == {"created", "snoozed"}
    assert [c["key"] for c in data["conversation_refs"]] == ["user:U0FIONA001"]
    assert [a["ref"] for a in data["actions_created_or_closed"]] == [f"A-{ids['first']}"]
    assert "tom.hook@police" not in text  # nobody else's contact details


def _every_text_value(session: Session) -> list[tuple[str, str, str]]:
    """(table, column, text) for every text and JSON value in every table of the schema."""
    found = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, String | Text | JSON):
                continue
            for value in session.scalars(select(column)):
                if value is not None:
                    text = value if isinstance(value, str) else json.dumps(value)
                    found.append((table.name, column.name, text))
    return found


def _leaks(session: Session, needles: list[str]) -> list[tuple[str, str, str]]:
    return [
        hit
        for hit in _every_text_value(session)
        if any(n.lower() in hit[2].lower() for n in needles)
    ]


def test_erase_removes_personal_data_and_keeps_history(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as session:
        ids = _seed(session)
        before_audit = session.scalar(select(func.count()).select_from(AuditEvent))
        assert _leaks(session, [NAME, EMAIL, "U0FIONA001"])
    with transaction(sessions) as session:
        summary = erase_member(session, ids["fiona"], actor="Data Protection Officer", via="cli")
    label = f"Erased member #{ids['fiona']}"
    assert summary.label == label and not summary.already_erased
    assert summary.owner_parts == 2 and summary.updates == 1 and summary.conversation_refs == 1
    with sessions() as session:
        assert _leaks(session, [NAME, EMAIL, "Fi Taylor", "U0FIONA001", "fiona-teams-id"]) == []
        fiona = session.get(Member, ids["fiona"])
        assert fiona is not None and fiona.erased and fiona.name == label
        assert fiona.aliases == [] and fiona.initials is None and fiona.email is None
        assert fiona.organisation is None and fiona.timezone is None
        # the actions and their history are intact, with the label in place of the person
        first = session.get(Action, ids["first"])
        assert (
            first is not None and first.status == OPEN and first.due_date == dt.date(2026, 12, 31)
        )
        assert first.text == f"{label} to liaise with Tom Hook on the knife crime data"
        assert [o.written for o in first.owners] == [label, "Tom Hook"]
        assert [o.member_id for o in first.owners] == [ids["fiona"], ids["tom"]]
        second = session.get(Action, ids["second"])
        assert second is not None and second.owners[0].written == label
        note = session.scalars(select(ActionUpdate)).one()
        assert note.author == label and note.text == "waiting for police data"
        # every audit row is still there, plus one for the erasure
        events = list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
        assert len(events) == before_audit + 1
        assert all(e.actor == label for e in events if e.actor_id == ids["fiona"])
        erased = events[-1]
        assert (erased.entity, erased.entity_id, erased.event) == ("member", ids["fiona"], "erased")
        assert erased.actor == "Data Protection Officer"
        # Tom is untouched
        tom = session.get(Member, ids["tom"])
        assert tom is not None and tom.name == "Tom Hook" and tom.slack_user_id == "U0TOMHOOK1"
        refs = list(session.scalars(select(ConversationRef.key)))
        assert refs == ["user:U0TOMHOOK1"]
        assert session.scalar(select(Membership.role).where(Membership.member_id == ids["fiona"]))
        assert session.get(Group, 1) is not None


def test_erase_twice_changes_nothing(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as session:
        ids = _seed(session)
    with transaction(sessions) as session:
        erase_member(session, ids["fiona"], actor="DPO", via="cli")
    with sessions() as session:
        snapshot = _every_text_value(session)
    with transaction(sessions) as session:
        again = erase_member(session, ids["fiona"], actor="DPO", via="cli")
    assert again.already_erased and again.owner_parts == 0
    with sessions() as session:
        assert _every_text_value(session) == snapshot


def _closed(session: Session, text: str, status: str, closed_at: dt.datetime | None) -> str:
    action = actions.create(
        session,
        actions.NewAction(text=text, source_kind="cli", owners=[actions.NewOwner("Tom Hook")]),
        actor="test",
        via="cli",
    )
    assert action is not None
    action.status = status
    action.closed_at = closed_at
    session.add(ActionUpdate(action_id=action.id, author="Tom Hook", text="progress"))
    assert action.ref is not None
    return action.ref


def _retention_seed(session: Session) -> dict[str, str]:
    years = dt.timedelta(days=365)
    return {
        "old_done": _closed(session, "old done", DONE, NOW - 7 * years),
        "old_cancelled": _closed(session, "old cancelled", CANCELLED, NOW - 6 * years - years / 12),
        "recent_done": _closed(session, "recent done", DONE, NOW - 2 * years),
        "old_open": _closed(session, "never closed", OPEN, None),
        "open_with_stale_date": _closed(session, "reopened", OPEN, NOW - 8 * years),
    }


def _counts(session: Session) -> dict[str, Any]:
    return {
        table: session.scalar(select(func.count()).select_from(model))
        for table, model in [("a", Action), ("o", ActionOwner), ("u", ActionUpdate)]
    } | {"audit": session.scalar(select(func.count()).select_from(AuditEvent))}


def test_retention_dry_run_changes_nothing(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as session:
        refs = _retention_seed(session)
        before = _counts(session)
    period = dt.timedelta(days=6 * 365)
    with transaction(sessions) as session:
        found = retention_candidates(session, older_than=period, now=NOW)
        assert sorted(a.ref or "" for a in found) == sorted(
            [refs["old_done"], refs["old_cancelled"]]
        )
        result = apply_retention(
            session, older_than=period, now=NOW, actor="DPO", via="cli", dry_run=True
        )
    assert result.dry_run and sorted(result.refs) == sorted(
        [refs["old_done"], refs["old_cancelled"]]
    )
    with sessions() as session:
        assert _counts(session) == before


def test_retention_deletes_exactly_the_old_closed_actions(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as session:
        refs = _retention_seed(session)
        before = _counts(session)
    with transaction(sessions) as session:
        result = apply_retention(
            session, older_than=dt.timedelta(days=6 * 365), now=NOW, actor="DPO", via="cli"
        )
    gone = sorted([refs["old_done"], refs["old_cancelled"]])
    assert sorted(result.refs) == gone
    with sessions() as session:
        left = sorted(session.scalars(select(Action.ref)))
        assert left == sorted(r for k, r in refs.items() if k not in {"old_done", "old_cancelled"})
        after = _counts(session)
        assert after["a"] == before["a"] - 2
        assert after["o"] == before["o"] - 2 and after["u"] == before["u"] - 2
        row = session.scalars(select(AuditEvent).where(AuditEvent.entity == "retention")).one()
        assert row.detail["count"] == 2 and sorted(row.detail["refs"]) == gone
        assert after["audit"] == before["audit"] + 1
    with transaction(sessions) as session:  # a second run finds nothing and records nothing
        again = apply_retention(
            session, older_than=dt.timedelta(days=6 * 365), now=NOW, actor="DPO", via="cli"
        )
    assert again.refs == []
    with sessions() as session:
        assert _counts(session)["audit"] == after["audit"]


def test_erase_leaves_acronyms_that_match_initials(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as session:
        group = Group(name="Domestic Abuse subgroup", aliases=["DA", "DA subgroup"])
        dan = Member(name="Dan Allen", initials="DA")
        session.add_all([group, dan])
        session.flush()
        action = actions.create(
            session,
            actions.NewAction(
                text="DA to refresh the DA strategy with Dan Allen",
                source_kind="cli",
                owners=[actions.NewOwner("DA", dan.id, "matched")],
            ),
            actor="Dan Allen",
            via="cli",
        )
        assert action is not None
        ids = (group.id, dan.id, action.id)
    with transaction(sessions) as session:
        erase_member(session, ids[1], actor="DPO", via="cli")
    with sessions() as session:
        group = session.get(Group, ids[0])
        assert group is not None and group.aliases == ["DA", "DA subgroup"]
        action = session.get(Action, ids[2])
        assert action is not None
        assert action.text == "DA to refresh the DA strategy with Erased member #1"
        assert action.owners[0].written == "Erased member #1"
        created = session.scalars(select(AuditEvent).where(AuditEvent.event == "created")).one()
        assert created.detail["owners"] == ["Erased member #1"]
