"""Implicit actions in running minutes: "Clerk to ...", "X agreed to ...", "X will ..."."""

from __future__ import annotations

import re

from handlers.extraction import patterns as P
from handlers.extraction.clauses import Clause, find_clauses
from handlers.extraction.context import Context, Sentence
from handlers.extraction.hints import has_hint
from handlers.extraction.lines import Unit, split_sentences
from handlers.extraction.model import Candidate
from handlers.extraction.owner_phrases import STRICT, parse_owner_list

__all__ = ["prose_actions"]

_CONTINUATION = re.compile(r"^(?:also\s+)?to\s+[a-z]+", re.I)
_TRIM_TAIL = re.compile(r"(?:\s*(?:,|;|\band\b|&))+\s*$")
_SLASH_OWNER = re.compile(r"^(?P<body>.{8,}?)\s+/\s*(?P<own>[^/]{2,60}?)\W*$")
_WORD = re.compile(r"[a-z0-9][a-z0-9'’\-]*")


def content_words(text: str) -> set[str]:
    """Lower-case words of a text that carry meaning (no "the", "to", ...)."""
    return {w for w in _WORD.findall(text.lower()) if w not in P.STOPWORDS}


def _strip_heading(sentence: str) -> int:
    match = P.HEADING_SENTENCE.match(sentence)
    return match.end() + 1 if match and match.end() < len(sentence) else 0


def _is_bare_anaphoric(sentence: str, clause: Clause) -> bool:
    rest = sentence[clause.predicate:].split(clause.verb, 1)[-1]
    return clause.verb.lower() in P.BARE_ANAPHORIC and not rest.strip(" .;:)")


def _is_bare(sentence: str, clause: Clause) -> bool:
    """ "Clerk to investigate." - a verb with nothing after it (often a restatement)."""
    rest = sentence[clause.predicate:].split(clause.verb, 1)[-1]
    return set(_WORD.findall(rest.lower())) <= {"up"}


def _previous(spans: list[tuple[int, int]], index: int, segment: str, unit: Unit, offset: int,
              ctx: Context) -> Sentence | None:
    if index > 0:
        start, end = spans[index - 1]
        return Sentence(segment[start:end], unit.line_at(offset + start))
    if offset > 0:
        before = split_sentences(unit.text[:offset])
        if before:
            start, end = before[-1]
            return Sentence(unit.text[start:end], unit.line_at(start))
    return ctx.previous_sentence(unit)


def _slash_owner(sentence: str, ctx: Context) -> tuple[str, tuple[str, ...]] | None:
    """ "Circulate the revised TOR / Fiona Taylor" - a trailing "/ Name" owner."""
    match = _SLASH_OWNER.match(sentence)
    if not match:
        return None
    owners = parse_owner_list(match.group("own"), STRICT, ctx.gazetteer)
    return (match.group("body"), owners) if owners else None


def _sentence_actions(segment: str, spans: list[tuple[int, int]], index: int, unit: Unit,
                      offset: int, ctx: Context) -> bool:
    """Record the actions of one sentence; True when the next sentence was used up too."""
    start, end = spans[index]
    if not has_hint(segment[start:end]):
        return False
    cut = _strip_heading(segment[start:end])
    sentence = segment[start + cut:end]
    clauses = find_clauses(sentence, ctx.gazetteer)
    if not clauses:
        slash = _slash_owner(sentence, ctx) if unit.bullet or len(spans) == 1 else None
        if slash:
            ctx.add(Candidate(text=slash[0], owners=slash[1], line=unit.line_at(offset + start),
                              explicit=False, predicate=slash[0]))
        return False
    used_next = False
    for number, clause in enumerate(clauses):
        part_start = 0 if number == 0 else clause.start
        part_end = clauses[number + 1].start if number + 1 < len(clauses) else len(sentence)
        text = _TRIM_TAIL.sub("", sentence[part_start:part_end]).strip()
        predicate = sentence[clause.predicate:part_end]
        line = unit.line_at(offset + start + cut + part_start)
        if _is_bare_anaphoric(sentence, clause):
            before = _previous(spans, index, segment, unit, offset, ctx)
            if before is not None:
                text, line = f"{before.text} {text}", before.line
        if number == len(clauses) - 1 and index + 1 < len(spans):
            following = segment[spans[index + 1][0]:spans[index + 1][1]]
            if _CONTINUATION.match(following):
                text, predicate, used_next = f"{text} {following}", f"{predicate} {following}", True
        bare = _is_bare(sentence, clause)
        ctx.add(Candidate(text=text, owners=clause.owners, line=line, explicit=False,
                          predicate=predicate, bare=bare))
    return used_next


def prose_actions(unit: Unit, start: int, end: int, ctx: Context) -> None:
    """Record implicit actions in ``unit.text[start:end]`` (skips agendas and public sessions)."""
    segment = unit.text[start:end]
    agenda = P.AGENDA_START.search(segment) if "agenda" in segment.lower() else None
    if agenda:
        segment = segment[: agenda.start()]
    if not ctx.agenda and not ctx.adjourn:
        spans = split_sentences(segment)
        skip_next = False
        for index in range(len(spans)):
            if skip_next:
                skip_next = False
                continue
            skip_next = _sentence_actions(segment, spans, index, unit, start, ctx)
    ctx.agenda = ctx.agenda or bool(agenda)
