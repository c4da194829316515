"""The action log: RAG status, and each format as the reader sees it (the .docx opened back)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from sqlalchemy.orm import Session, sessionmaker

from handlers import export
from store import actions
from store.db import transaction
from store.models import ActionUpdate, Group, Member
from store.models.actions import DONE

TODAY = dt.date(2018, 9, 18)


def _seed(sessions: sessionmaker[Session]) -> None:
    """Four actions: overdue, due in 3 days, due in a month, done; plus a restricted one."""
    with transaction(sessions) as session:
        group = Group(name="Safer Borough", aliases=[], settings={})
        fiona = Member(name="Fiona Taylor", aliases=[])
        session.add_all([group, fiona])
        session.flush()
        specs = [
            ("Circulate the assessment | to members", dt.date(2018, 9, 1)),
            ("Add emerging trends section", dt.date(2018, 9, 21)),
            ("Set up ward panel dates", dt.date(2018, 10, 31)),
            ("Invite Red Thread", dt.date(2018, 6, 19)),
            ("Review the MARAC case", dt.date(2018, 9, 30)),
        ]
        made = []
        for i, (text, due) in enumerate(specs):
            owners = [actions.NewOwner("Fiona Taylor", fiona.id, "matched")]
            if i == 0:
                owners.append(actions.NewOwner("Tom Hook"))
            new = actions.NewAction(
                text=text, source_kind="cli", owners=owners, group_id=group.id,
                due_date=due, due_text="by then", meeting_date=dt.date(2018, 3, 20),
                restricted=i == 4,
            )  # fmt: skip
            action = actions.create(session, new, actor="test", via="cli")
            assert action is not None
            made.append(action)
        session.add(
            ActionUpdate(action_id=made[0].id, author="Fiona", text="waiting for police data")
        )
        made[3].status = DONE
        for owner in made[3].owners:
            owner.status = DONE


def _render(sessions: sessionmaker[Session], fmt: export.Format, **kw: Any) -> Any:
    with sessions() as session:
        return export.render(actions.find(session), fmt, today=TODAY, **kw)


def test_rag_colours(sessions: sessionmaker[Session]) -> None:
    _seed(sessions)
    with sessions() as session:
        log = {a.text: export.rag(a, TODAY) for a in actions.find(session)}
    assert log["Circulate the assessment | to members"] == "red"
    assert log["Add emerging trends section"] == "amber"
    assert log["Set up ward panel dates"] == "green"
    assert log["Invite Red Thread"] == "done"


def test_docx_is_a_real_word_table_with_rag_shading(sessions: sessionmaker[Session]) -> None:
    _seed(sessions)
    data = _render(
        sessions, "docx", title="Action log", group="Safer Borough",
        meeting_date=dt.date(2018, 3, 20),
    )  # fmt: skip
    assert isinstance(data, bytes)
    document = docx.Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "Action log — Safer Borough"
    assert document.paragraphs[0].style.name == "Heading 1"
    assert paragraphs[1] == "Meeting: Tue 20 Mar 2018 · Produced: Tue 18 Sep 2018"
    table = document.tables[0]
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == ["Ref", "Action", "Owner(s)", "Due", "Status", "Latest update"]
    by_text = {row[1]: row for row in cells[1:]}
    overdue = by_text["Circulate the assessment | to members"]
    assert overdue[2] == "Fiona Taylor, Tom Hook"
    assert overdue[3] == "2018-09-01"
    assert overdue[4] == "Overdue (17 days) (Red)"
    assert overdue[5] == "waiting for police data"
    assert "Review the MARAC case" not in by_text  # restricted: withheld from the pack
    fills = {}
    for row in table.rows[1:]:
        shd = row.cells[4]._tc.tcPr.find(qn("w:shd"))
        fills[row.cells[1].text] = shd.get(qn("w:fill"))
    assert fills["Circulate the assessment | to members"] == "FF0000"
    assert fills["Add emerging trends section"] == "FFC000"
    assert fills["Set up ward panel dates"] == "00B050"
    assert fills["Invite Red Thread"] == "D9D9D9"


def test_csv_json_and_markdown(sessions: sessionmaker[Session]) -> None:
    _seed(sessions)
    text = _render(sessions, "csv")
    assert isinstance(text, str)
    rows = list(csv.DictReader(io.StringIO(text)))
    first = next(r for r in rows if r["Action"].startswith("Circulate"))
    assert first["Status"] == "Overdue (17 days)"
    assert first["Owner(s)"] == "Fiona Taylor, Tom Hook"
    assert first["Group"] == "Safer Borough" and first["Meeting"] == "2018-03-20"
    assert {r["RAG"] for r in rows} == {"Red", "Amber", "Green", "Done"}
    restricted = next(r for r in rows if r["Action"].startswith("Restricted"))
    assert restricted["Latest update"] == ""
    parsed = json.loads(_render(sessions, "json"))
    assert {p["rag"] for p in parsed} == {"red", "amber", "green", "done"}
    md = _render(sessions, "md", group="Safer Borough")
    assert md.startswith("# Action log — Safer Borough\n")
    assert "Circulate the assessment \\| to members" in md
    table = _render(sessions, "table")
    assert table.splitlines()[0].split() == ["Ref", "Due", "RAG", "Owner(s)", "Action"]


def test_unredacted_log_shows_restricted_text(sessions: sessionmaker[Session]) -> None:
    _seed(sessions)
    md = _render(sessions, "md", redact=False)
    assert "Review the MARAC case" in md


def test_empty_log_and_unknown_format() -> None:
    document = docx.Document(io.BytesIO(bytes(export.render([], "docx", today=TODAY))))
    assert "No actions." in [p.text for p in document.paragraphs]
    with pytest.raises(ValueError, match="unknown format"):
        export.render([], "pdf", today=TODAY)  # type: ignore[arg-type]
