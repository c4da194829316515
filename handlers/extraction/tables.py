"""Action-log tables: tab-, pipe- or wide-space-separated rows with an owner column."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from handlers.dates import Deadline, find_deadline
from handlers.extraction import patterns as P
from handlers.extraction.lines import normalise
from handlers.extraction.model import Candidate
from handlers.extraction.owner_phrases import STRICT, parse_owner_list, split_owner_cell

__all__ = ["cell_deadline", "table_candidates"]

_I = re.IGNORECASE
_OWNER_H = re.compile(r"(?:action\s+)?(?:lead|leads|owner|owners|responsible|responsibility|who|"
                      r"by whom|action by|assigned to|lead officer|lead agency|lead partner|"
                      r"lead\s*/\s*owner|owner\s*/\s*lead)", _I)
_ACTION_H = re.compile(r"(?:actions?|action required|actions? agreed|agreed actions?|tasks?|"
                       r"items?|action points?|description|what)", _I)
_DUE_H = re.compile(r"(?:due|due date|date due|deadline|by when|target date|target|when|date|"
                    r"action date|completion date|timescales?)", _I)
_STATUS_H = re.compile(r"(?:status|rag|rag status|progress|update|comments?|outcome)", _I)
_NO_DUE = re.compile(r"^\W*(?:tbc|tbd|n/?a|none|-+|\?)?\W*$", _I)
_SEPARATOR_ROW = re.compile(r"^[\s|:+\-=]+$")
_WIDE_GAP = re.compile(r"(?<![.:!?])\s{3,}")


@dataclass(frozen=True)
class _Columns:
    owner: int | None
    action: int | None
    due: int | None
    status: int | None


def _cells(line: str) -> tuple[str, list[str]] | None:
    """Split a table-looking line into cells, with the kind of separator used."""
    stripped = line.strip()
    if "\t" not in stripped and "|" not in stripped and "   " not in stripped:
        return None
    if "\t" in stripped:
        kind, cells = "tab", stripped.split("\t")
    elif stripped.count("|") >= 2 or (stripped.startswith("|") and "|" in stripped[1:]):
        kind, cells = "pipe", stripped.strip("|").split("|")
    elif len(_WIDE_GAP.split(stripped)) >= 3:
        kind, cells = "space", _WIDE_GAP.split(stripped)
    else:
        return None
    cells = [normalise(c) for c in cells]
    return (kind, cells) if sum(1 for c in cells if c) >= 2 else None


def _header(cells: Sequence[str]) -> _Columns | None:
    def find(pattern: re.Pattern[str]) -> int | None:
        for index, cell in enumerate(cells):
            if pattern.fullmatch(cell.strip(" :*#")):
                return index
        return None

    owner = find(_OWNER_H)
    due = find(_DUE_H)
    action = next((i for i, c in enumerate(cells) if i not in {owner, due}
                   and _ACTION_H.fullmatch(c.strip(" :*#"))), None)
    if owner is None or (action is None and due is None):
        return None
    return _Columns(owner, action, due, find(_STATUS_H))


def cell_deadline(cell: str, meeting_date: dt.date | None,
                  meetings: Sequence[dt.date]) -> Deadline | None:
    """The deadline a Due cell (or any phrase that is only a timing) stands for, as written:
    "30 June", "2/8/13", "end of month", "Ongoing"; None for "TBC", "-" or nothing."""
    if _NO_DUE.match(cell):
        return None
    if cell.strip().lower() in {"ongoing", "on-going", "on going"}:
        return Deadline(cell, None, "ongoing")
    found = find_deadline(cell, meeting_date=meeting_date, meetings=meetings)
    if found is None:
        found = find_deadline("by " + cell, meeting_date=meeting_date, meetings=meetings)
        if found is not None and found.text.startswith("by "):
            found = Deadline(found.text[3:], found.date, found.kind)
    return found or Deadline(cell, None, "unresolved")


def _is_date_cell(cell: str, meeting_date: dt.date | None, meetings: Sequence[dt.date]) -> bool:
    found = cell_deadline(cell, meeting_date, meetings)
    return found is not None and found.kind != "unresolved"


def _row_candidate(cells: Sequence[str], cols: _Columns, line: int, meeting_date: dt.date | None,
                   meetings: Sequence[dt.date]) -> Candidate | None:
    def cell(index: int | None) -> str:
        return cells[index] if index is not None and index < len(cells) else ""

    for status in (cell(cols.status), cell(cols.due)):
        if status and P.STATUS_DONE.search(status):
            return None
    text = cell(cols.action)
    if not text:
        used = {cols.owner, cols.due, cols.status}
        text = max((c for i, c in enumerate(cells) if i not in used), key=len, default="")
    if len(text.split()) < 2:
        return None
    owners = split_owner_cell(cell(cols.owner))
    due_cell = cell(cols.due)
    due = cell_deadline(due_cell, meeting_date, meetings) if due_cell else None
    return Candidate(text=text, owners=owners, line=line, explicit=True, predicate=text,
                     restricted=P.is_restricted(" ".join(cells)), due=due,
                     notes=["table"])


def _headerless(cells: Sequence[str], line: int, meeting_date: dt.date | None,
                meetings: Sequence[dt.date]) -> Candidate | None:
    """A pipe or tab row without a header: a short owner cell beside a longer action cell."""
    owner = next((i for i, c in enumerate(cells)
                  if 0 < len(c.split()) <= 4 and parse_owner_list(c, STRICT)), None)
    if owner is None:
        return None
    due = next((i for i, c in enumerate(cells)
                if i != owner and c and len(c) <= 30 and _is_date_cell(c, meeting_date, meetings)),
               None)
    text_index = max((i for i in range(len(cells)) if i not in {owner, due}),
                     key=lambda i: len(cells[i]), default=None)
    if text_index is None or len(cells[text_index].split()) < 3:
        return None
    return _row_candidate(cells, _Columns(owner, text_index, due, None), line, meeting_date,
                          meetings)


def table_candidates(lines: Sequence[str], meeting_date: dt.date | None,
                     meetings: Sequence[dt.date]) -> tuple[list[Candidate], frozenset[int]]:
    """Actions from table rows, and the 0-based indexes of the lines the tables used."""
    found: list[Candidate] = []
    used: set[int] = set()
    columns: _Columns | None = None
    kind_of_table = ""
    for index, line in enumerate(lines):
        parsed = _cells(line) if line.strip() else None
        if parsed is None:
            if line.strip():
                columns = None  # prose ends a table; blank lines inside one do not
            continue
        kind, cells = parsed
        if columns is not None and kind != kind_of_table:
            columns = None
        if _SEPARATOR_ROW.match(line):
            used.add(index)
            continue
        header = _header(cells)
        if header is not None:
            columns, kind_of_table = header, kind
            used.add(index)
            continue
        candidate = None
        if columns is not None:
            candidate = _row_candidate(cells, columns, index + 1, meeting_date, meetings)
            used.add(index)
        elif kind in {"pipe", "tab"}:
            candidate = _headerless(cells, index + 1, meeting_date, meetings)
            if candidate is not None:
                used.add(index)
        if candidate is not None:
            found.append(candidate)
    return found, frozenset(used)
