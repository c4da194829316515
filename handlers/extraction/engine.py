"""The extractor: reads a message or minutes top to bottom and returns the actions in it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from handlers.dates import Deadline, find_deadline
from handlers.extraction import patterns as P
from handlers.extraction.blocks import explicit_block
from handlers.extraction.clauses import new_action_clause
from handlers.extraction.context import Context
from handlers.extraction.dedupe import drop_restatements
from handlers.extraction.hints import hinted_lines
from handlers.extraction.lines import Document, Unit, normalise
from handlers.extraction.model import Candidate, ExtractedAction
from handlers.extraction.owner_phrases import build_gazetteer
from handlers.extraction.prose import prose_actions
from handlers.extraction.tables import cell_deadline, table_candidates

__all__ = ["extract_actions"]

_SETTLED_KINDS = {"asap", "ongoing"}
_MARKER = re.compile(r"^[\[(]?(?:RESTRICTED|CONFIDENTIAL)[\])]?\s*[:\-–]?\s*", re.I)


def is_heading(text: str) -> bool:
    """A short title line ("7. HIGHWAYS MATTERS", "Feedback on priorities")."""
    words = text.split()
    if not words or len(text) > 80 or text[-1] in ".!?;,":
        return False
    if all(P.INITIALS.fullmatch(w) for w in words):
        return False  # "NC NC DD": a flattened owner column, not a title
    return not P.PREFIX.search(text)


def _read_unit(unit: Unit, ctx: Context) -> None:
    """Find the explicit blocks of a unit, reading the prose around them."""
    text = unit.text
    listed = unit.bullet and not (unit.numbered and is_heading(text))  # not "4. AOB"
    if ctx.actions_list and (listed or new_action_clause(text, ctx.gazetteer)):
        explicit_block(unit, 0, len(text), "action", 0, ctx)
        return
    ctx.actions_list = False
    lowered = text.lower()
    has_marker = "action" in lowered or "resolved" in lowered
    markers = list(P.PREFIX.finditer(text)) if has_marker else []
    position = 0
    for index, marker in enumerate(markers):
        if marker.start() < position:
            continue
        prose_actions(unit, position, marker.start(), ctx)
        block_end = markers[index + 1].start() if index + 1 < len(markers) else len(text)
        position = explicit_block(unit, marker.end(), block_end, marker.group("kw"),
                                  marker.start(), ctx)
    prose_actions(unit, position, len(text), ctx)


def _last_line(doc: Document, first: int, done: re.Pattern[str] | None) -> int:
    """1-based line where a part that starts at line ``first`` ends: the first line matching
    ``done``, or (when ``done`` is None) the line before the next heading."""
    index = first
    while index < len(doc.lines):
        text = doc.normal(index)
        if done is not None and done.search(text):
            return index + 1
        if done is None and text and is_heading(text) and not P.is_restricted(text):
            return index
        index += 1
    return len(doc.lines)


_ENDS_PAREN = re.compile(r"\)\W*$")


def _note_part(unit: Unit, ctx: Context) -> None:
    """Agenda, public session and restricted parts start and end at certain lines."""
    text = unit.text
    if P.MINUTES_START.match(text):
        ctx.agenda = False
    if P.ADJOURN_START.match(text):
        ctx.adjourn_until = _last_line(ctx.doc, unit.line - 1, _ENDS_PAREN)
    if is_heading(text) and P.is_restricted(text):
        ctx.restricted_until = _last_line(ctx.doc, unit.line, None)


def _walk(doc: Document, ctx: Context) -> None:
    starts = sorted({doc.unit_start(index) for index in hinted_lines(doc.lines)})
    next_free = 0
    for start in starts:
        if start < next_free:
            continue
        for unit in doc.units_from(start):
            ctx.line = unit.line
            _note_part(unit, ctx)
            if P.ACTIONS_HEADING.match(unit.text):
                ctx.actions_list = True
            else:
                _read_unit(unit, ctx)
            next_free = unit.lines[-1]
            if not ctx.actions_list:
                break


def _finish(candidate: Candidate, meeting_date: dt.date | None,
            meetings: Sequence[dt.date]) -> ExtractedAction:
    deadline: Deadline | None = candidate.due
    if deadline is None and candidate.timing:
        deadline = cell_deadline(candidate.timing, meeting_date, meetings)
    if deadline is None:
        deadline = find_deadline(candidate.predicate, meeting_date=meeting_date,
                                 meetings=meetings)
    text = normalise(candidate.text)
    marker = _MARKER.match(text) if text[:1] in "[(RrCc" else None
    if marker and marker.end() < len(text):
        text = text[marker.end():]
    return ExtractedAction(
        text=text,
        owners=candidate.owners,
        due_text=deadline.text if deadline else None,
        due_date=deadline.date if deadline else None,
        line=candidate.line,
        recurring=P.recurring(candidate.text),
        restricted=candidate.restricted or bool(marker) or P.is_restricted(text),
        due_unresolved=bool(deadline and deadline.date is None
                            and deadline.kind not in _SETTLED_KINDS),
    )


def extract_actions(text: str, *, meeting_date: dt.date | None = None,
                    meetings: Sequence[dt.date] = ()) -> list[ExtractedAction]:
    """Every action in a chat message, pasted minutes or a document's text, in order.

    Finds ACTION:/RESOLVED: lines, action lists, "X to ..."/"X agreed to ..."/"X will ..."
    sentences and action-log table rows; owners are kept exactly as written. Deadlines are
    resolved against ``meeting_date`` and the group's meeting calendar ``meetings``.
    """
    doc = Document(text)
    table_found, table_lines = table_candidates(doc.lines, meeting_date, meetings)
    doc.skip = table_lines
    ctx = Context(doc=doc, gazetteer=build_gazetteer(text))
    _walk(doc, ctx)
    candidates = sorted([*ctx.found, *table_found], key=lambda c: c.line)

    def heading_between(first: int, last: int) -> bool:
        return any(is_heading(doc.normal(i)) for i in range(first, last - 1))

    kept = drop_restatements(candidates, heading_between)
    calendar = sorted(meetings)
    return [_finish(c, meeting_date, calendar) for c in kept]
