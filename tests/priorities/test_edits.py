"""Chat edits of the register by the chair or secretary, refused for everyone else, all audited."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from store import audit
from store.db import transaction
from store.models import Member
from store.priorities import by_name
from tests.priorities.conftest import ask


def test_only_chair_or_secretary_may_edit(loaded: sessionmaker[Session]) -> None:
    reply = ask(loaded, "priority knife crime lead Safer Borough", can_edit=False)
    assert reply == (
        "Only the chair or secretary can change the priority register: please ask "
        "Fiona Taylor (chair) or Jade Hodgson (secretary).\n"
    )
    assert (ask(loaded, "who leads on knife crime?") or "").startswith(
        "Knife crime: lead Children and Young People"
    )


def test_chair_changes_the_lead_and_it_is_audited(loaded: sessionmaker[Session]) -> None:
    with transaction(loaded) as session:
        fiona = session.scalar(select(Member.id).where(Member.name == "Fiona Taylor"))
    reply = ask(
        loaded,
        "Priority: knife crime lead Safer Borough",
        can_edit=True,
        viewer_member_id=fiona,
        actor="Fiona Taylor",
        via="slack",
    )
    assert (reply or "").splitlines()[:2] == [
        "Updated.",
        "Knife crime: lead Safer Borough (@Tim Barfoot); no open actions",
    ]
    back = ask(
        loaded,
        "priority knife crime lead Children and Young People",
        can_edit=True,
        actor="Fiona Taylor",
        via="slack",
    )
    assert (back or "").splitlines()[1].startswith("Knife crime: lead Children and Young People")
    with transaction(loaded) as session:
        knife = by_name(session, "Knife crime")
        assert knife is not None
        events = audit.history(session, "priority", knife.id)
    assert [(e.event, e.actor, e.via) for e in events[1:]] == [
        ("updated", "Fiona Taylor", "slack"),
        ("updated", "Fiona Taylor", "slack"),
    ]
    assert events[1].actor_id == fiona
    assert events[1].detail["changes"]["lead"] == {
        "from": ["Children and Young People"],
        "to": ["Safer Borough"],
    }


def test_supporting_target_alias_and_new_priority(loaded: sessionmaker[Session]) -> None:
    edit = {"can_edit": True, "actor": "Jade Hodgson"}
    ask(loaded, "priority knife crime supporting Safer Borough, VAWG", **edit)
    ask(loaded, "priority knife crime target Weapon sweeps in every secondary school", **edit)
    ask(loaded, "priority knife crime alias blades", **edit)
    reply = ask(loaded, "who leads on blades?") or ""
    assert "Supporting: Safer Borough, Violence against Women and Girls" in reply
    assert "Weapon sweeps in every secondary school" in reply
    added = ask(loaded, "new priority Fraud lead Safer Borough", **edit) or ""
    assert added.splitlines()[:2] == [
        "Added.",
        "Fraud: lead Safer Borough (@Tim Barfoot); no open actions",
    ]
    assert "Fraud" in (ask(loaded, "what does Safer Borough own?") or "")


def test_edit_mistakes_change_nothing(loaded: sessionmaker[Session]) -> None:
    edit = {"can_edit": True, "actor": "Jade Hodgson"}
    assert (ask(loaded, "priority knife crime lead Parks Team", **edit) or "").startswith(
        "I don't know a subgroup called “Parks Team”. Subgroups: "
    )
    assert (ask(loaded, "priority cheese lead Safer Borough", **edit) or "").endswith(
        "To add it, say “new priority cheese lead SUBGROUP”.\n"
    )
    assert (ask(loaded, "new priority Knife crime lead Safer Borough", **edit) or "") == (
        "There is already a priority called Knife crime.\n"
    )
    assert (ask(loaded, "who leads on knife crime?") or "").startswith(
        "Knife crime: lead Children and Young People"
    )
