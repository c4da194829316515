"""The register: importing the YAML (idempotent, audited), format errors, and the cached index."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from handlers.priority_index import CACHE
from store import audit
from store.db import transaction
from store.models import AuditEvent, Group
from store.priorities import by_name, get, import_priorities, register_version
from store.priorities_yaml import PriorityFormatError, parse, read_file
from tests.priorities.conftest import EXAMPLE, ask, build_directory


def test_import_creates_links_and_missing_subgroups(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as session:
        build_directory(session)
        summary = import_priorities(session, read_file(EXAMPLE), actor="Jade Hodgson", via="cli")
    assert len(summary.created) == 19
    assert summary.new_groups == ["LSCB"]  # Prevent "currently agreed to be included within LSCB"
    with sessions() as session:
        lscb = session.scalar(select(Group).where(Group.name == "LSCB"))
        assert lscb is not None and lscb.kind == "subgroup"
        prevent = by_name(session, "prevent")
        assert prevent is not None
        full = get(session, prevent.id)
        assert full is not None
        assert [(link.group.name, link.role) for link in full.groups] == [
            ("LSCB", "lead"),
            ("Hate, Intolerance & Extremism", "support"),
        ]
        events = audit.history(session, "priority", prevent.id)
        assert [(e.event, e.actor, e.via) for e in events] == [("created", "Jade Hodgson", "cli")]


def test_second_import_changes_nothing_and_a_change_is_audited(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with transaction(sessions) as session:
        build_directory(session)
        import_priorities(session, read_file(EXAMPLE), actor="t", via="cli")
        version = register_version(session)
    with transaction(sessions) as session:
        again = import_priorities(session, read_file(EXAMPLE), actor="t", via="cli")
        assert (again.created, again.updated, len(again.unchanged)) == ([], [], 19)
        assert register_version(session) == version
    changed = tmp_path / "p.yml"
    changed.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace(
            "    lead: Children and Young People\n    targets: [Reduce knife crime]",
            "    lead: Safer Borough\n    targets: [Reduce knife crime]",
        ),
        encoding="utf-8",
    )
    with transaction(sessions) as session:
        third = import_priorities(session, read_file(changed), actor="Fiona Taylor", via="cli")
        assert third.updated == ["Knife crime"]
        knife = by_name(session, "Knife crime")
        assert knife is not None
        last = audit.history(session, "priority", knife.id)[-1]
        assert last.actor == "Fiona Taylor"
        assert last.detail["changes"] == {
            "lead": {"from": ["Children and Young People"], "to": ["Safer Borough"]}
        }
    assert (ask(sessions, "who leads on knife crime?") or "").startswith(
        "Knife crime: lead Safer Borough (@Tim Barfoot)"
    )  # the cached index noticed the new version


def test_two_leads_show_as_an_overlap(sessions: sessionmaker[Session]) -> None:
    data = {
        "priorities": [
            {"name": "Gangs", "lead": ["Safer Borough", "Children and Young People"]},
            {"name": "Knife crime", "lead": "Children and Young People"},
        ]
    }
    with transaction(sessions) as session:
        build_directory(session)
        import_priorities(session, parse(data), actor="t", via="cli")
    assert ask(sessions, "overlaps") == (
        "Overlaps in the priority register\n"
        "---------------------------------\n"
        "Gangs: claimed as lead by Safer Borough and Children and Young People\n"
    )
    reply = ask(sessions, "who leads on gangs?") or ""
    assert reply.splitlines()[0] == (
        "Gangs: lead claimed by Safer Borough (@Tim Barfoot) and Children and Young People "
        "(@Angie Fuller) (an overlap for the chair to settle); no open actions"
    )


def test_empty_register_says_how_to_load_one(sessions: sessionmaker[Session]) -> None:
    assert ask(sessions, "what are our priorities?") == (
        "The priority register is empty. Load one with `chaser priorities import FILE`.\n"
    )
    assert ask(sessions, "top priorities by risk score") == (
        "No priority in the register has risk-matrix scores yet.\n"
    )


def test_index_is_reused_until_the_register_changes(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as session:
        build_directory(session)
        import_priorities(session, read_file(EXAMPLE), actor="t", via="cli")
    with sessions() as session:
        first = CACHE.get(session)
        assert CACHE.get(session) is first
    with transaction(sessions) as session:
        import_priorities(session, parse({"priorities": [{"name": "Fraud"}]}), actor="t", via="cli")
    with sessions() as session:
        assert CACHE.get(session) is not first
        assert session.scalar(select(AuditEvent.event).order_by(AuditEvent.id.desc())) == "created"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "expected a mapping with a 'priorities:' list"),
        ({"priorities": [{"lead": "X"}]}, "priority 1: 'name' is required"),
        ({"priorities": [{"name": "A", "suporting": "X"}]}, "unknown keys ['suporting']"),
        ({"priorities": [{"name": "A"}, {"name": "a"}]}, "'a' is already priority 1"),
        ({"priorities": [{"name": "A", "scores": [1, 2]}]}, "a list needs 16 numbers, got 2"),
        ({"priorities": [{"name": "A", "scores": [6] * 16}]}, "must be a whole number 0-5"),
        ({"priorities": [{"name": "A", "scores": {"media_attention": 1}}]}, "missing"),
    ],
)
def test_format_errors_say_where_and_why(data: object, message: str) -> None:
    with pytest.raises(PriorityFormatError) as raised:
        parse(data, source="p.yml")
    assert message in str(raised.value)


def test_scores_as_a_list_of_16() -> None:
    (item,) = parse({"priorities": [{"name": "A", "scores": [5] * 16}]})
    assert item.scores is not None and sum(item.scores.values()) == 80
