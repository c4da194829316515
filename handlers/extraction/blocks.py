"""Explicit actions: the text after an ACTION: / RESOLVED: marker, or a line in an action list."""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass, replace

from handlers.extraction import patterns as P
from handlers.extraction.clauses import (
    Clause,
    compound_clauses,
    explicit_clause,
    new_action_clause,
    trailing_owner_removed,
)
from handlers.extraction.context import Context
from handlers.extraction.lines import Unit, normalise, split_sentences
from handlers.extraction.model import Candidate
from handlers.extraction.owner_phrases import LENIENT, parse_owner_list

__all__ = ["explicit_block"]

_TRIM_TAIL = re.compile(r"(?:\s*(?:,|;|\band\b|&))+\s*$")
_SENTENCE_END = re.compile(r"[.!?;]\s")
_FLAG_ONLY = re.compile(r"[\[(]?(?:restricted|confidential)[\])]?\s*[:\-–]?", re.IGNORECASE)
_OWNER_ONLY_JUNK = " .;:,)(*_"


@dataclass
class _Group:
    start: int
    end: int
    clause: Clause


def _parts(sentence: str, offset: int, clause: Clause, gazetteer: Container[str]) -> list[_Group]:
    """One group per owner clause in a sentence ("Councillors to ... and Clerk to ...")."""
    clauses = [clause, *compound_clauses(sentence, clause, gazetteer)] if clause.owners \
        else [clause]
    groups = []
    for index, part in enumerate(clauses):
        start = 0 if index == 0 else part.start
        end = clauses[index + 1].start if index + 1 < len(clauses) else len(sentence)
        shifted = replace(part, start=offset + start, predicate=offset + part.predicate)
        groups.append(_Group(offset + start, offset + end, shifted))
    return groups


def _group_sentences(block: str, gazetteer: Container[str]) -> tuple[list[_Group], int | None]:
    """Sentences of a block grouped into actions; a sentence naming a new owner starts a new
    action, anything else continues the current one. Stops at an embedded agenda heading."""
    groups: list[_Group] = []
    for start, end in split_sentences(block):
        sentence = block[start:end]
        if P.HEADING_SENTENCE.match(sentence):
            return groups, start
        if not groups:
            groups.extend(_parts(sentence, start, explicit_clause(sentence, gazetteer), gazetteer))
            continue
        clause = new_action_clause(sentence, gazetteer)
        current = groups[-1]
        if clause is not None and current.clause.owners:
            groups.extend(_parts(sentence, start, replace(clause, start=0), gazetteer))
        elif clause is not None:
            current.end, current.clause = end, replace(current.clause, owners=clause.owners)
        else:
            current.end = end
    return groups, None


def _owner_marker(body: str, kw: str) -> tuple[tuple[str, ...], str] | None:
    """ "Action: FT" / "(Action: Fiona Taylor)" / "Action by: Clerk, 30 June" - owners and no
    task; returns the owners and any timing written after them."""
    owners = parse_owner_list(body.strip(_OWNER_ONLY_JUNK), LENIENT)
    if owners is not None:
        return owners, ""
    if kw.lower() not in {"action by", "action owner"}:
        return None
    words = body.strip(_OWNER_ONLY_JUNK).split()
    for size in range(min(len(words) - 1, 8), 0, -1):
        owners = parse_owner_list(" ".join(words[:size]).strip(_OWNER_ONLY_JUNK), LENIENT)
        if owners is not None:
            return owners, " ".join(words[size:]).strip(_OWNER_ONLY_JUNK)
    return (), ""


def _attach_owners(unit: Unit, prefix_start: int, owners: tuple[str, ...], timing: str,
                   ctx: Context) -> None:
    before = unit.text[:prefix_start].rstrip(" (-–[")
    spans = split_sentences(before)
    if spans:
        start, end = spans[-1]
        text, line = before[start:end], unit.line_at(start)
    else:
        previous = ctx.previous_sentence(unit)
        if previous is None:
            return
        text, line = previous.text, previous.line
    for candidate in reversed(ctx.found[-3:]):
        if candidate.line == line and (candidate.text in text or text in candidate.text):
            candidate.owners, candidate.explicit = owners or candidate.owners, True
            candidate.timing = timing or candidate.timing
            return
    ctx.add(Candidate(text=normalise(text), owners=owners, line=line, explicit=True,
                      predicate=text, timing=timing or None))


def _flagged(unit: Unit, prefix_start: int) -> bool:
    """Whether the words just before the marker flag the action: "RESTRICTED ACTION:",
    "[Confidential] Action -", "CONFIDENTIAL - ACTION:"."""
    lead = _SENTENCE_END.split(unit.text[:prefix_start] + " ")[-1].strip(" *_")
    return bool(_FLAG_ONLY.fullmatch(lead)) or P.is_restricted(lead)


def explicit_block(unit: Unit, start: int, end: int, kw: str, prefix_start: int,
                   ctx: Context) -> int:
    """Record the actions in ``unit.text[start:end]``; return where unread prose resumes."""
    block = unit.text[start:end]
    body = block.strip()
    if not body:
        ctx.actions_list = kw.lower() not in {"resolved", "action by", "action owner"}
        return end
    if P.NONE_ACTION.match(body):
        return end
    marker = _owner_marker(body, kw)
    if marker is not None:
        _attach_owners(unit, prefix_start, *marker, ctx)
        return end
    groups, stop = _group_sentences(block, ctx.gazetteer)
    flagged = _flagged(unit, prefix_start) or P.is_restricted(unit.text[prefix_start:start])
    for group in groups:
        if kw.lower() == "resolved" and group.clause.form in {"none", "bare_owner"}:
            continue
        text = _TRIM_TAIL.sub("", block[group.start:group.end]).strip()
        if group.clause.form == "trailing_owner":  # "Circulate the TOR (FT)" -> the task alone
            text = trailing_owner_removed(text)
        if not text or P.STATUS_DONE.search(text) or P.NONE_ACTION.match(text):
            continue
        ctx.add(Candidate(
            text=text, owners=group.clause.owners, line=unit.line_at(start + group.start),
            explicit=True, predicate=block[max(group.start, group.clause.predicate):group.end],
            restricted=flagged,
        ))
    return end if stop is None else start + stop
