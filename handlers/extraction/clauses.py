"""Action clauses in a sentence: who is to do what ("X to ...", "X agreed to", "X will")."""

from __future__ import annotations

import re
from collections.abc import Container, Iterator
from dataclasses import dataclass

from handlers.extraction import patterns as P
from handlers.extraction.hints import owner_like_end
from handlers.extraction.owner_phrases import (
    INDIVIDUAL,
    LENIENT,
    PERSON,
    STRICT,
    parse_owner_list,
)

__all__ = ["Clause", "compound_clauses", "explicit_clause", "find_clauses", "new_action_clause",
           "trailing_owner_removed"]

_VERB = r"(?P<verb>[A-Za-z][a-z'’-]*)"
_ADV = r"(?:(?:" + "|".join(sorted(P.ADVERBS)) + r")\s+)?"
_TO = re.compile(r"\s(?:(?:is|are)\s+)?to\s+" + _VERB)
_WILL = re.compile(r"\s(?:will|shall)\s+" + _ADV + _VERB)
_AGREED = re.compile(r"\s(?:(?:has|have|had)\s+)?(?:agreed|volunteered|offered|undertook|"
                     r"promised)\s+to\s+" + _VERB)
_WERE_ASKED = re.compile(r"\s(?:was|were)\s+(?:asked|requested|tasked)\s+to\s+" + _VERB)
_ASKED = re.compile(r"\b(?:asked|requested|tasked)\s+(?P<own>[^,;]{1,60}?)\s+to\s+" + _VERB)
_AGREED_THAT = re.compile(
    r"\bagreed(?:\s+by\s+(?:all|members|the\s+\w+(?:\s+\w+)?))?(?:\s+and\s+resolved)?(?:\s+that)?"
    r"\s+(?P<own>[^;]{1,80}?)\s+(?:would|will)\s+" + _ADV + _VERB
)
_PASSIVE = re.compile(r"\s(?:(?:is|are)\s+)?to\s+be\s+(?P<pp>[a-z]+)(?:\s+(?P<by>by)\s+)?")
_STARTS = re.compile(r"\s[-–—]\s|:\s|\(|;\s")
_COMMAS = re.compile(r",\s|\s(?:and|but|so)\s")
_COMPOUND = re.compile(r"\s(?:and|&)\s|,\s|;\s")
_THAT = re.compile(r"^(?:that|then)\s+", re.I)
_SUBJECT_PRONOUN = frozenset({"she", "he", "they", "we"})


@dataclass(frozen=True)
class Clause:
    """An action clause found in a sentence (offsets are within that sentence)."""

    start: int
    owners: tuple[str, ...]
    predicate: int
    form: str
    verb: str


def _starts(sentence: str, upto: int, commas: bool) -> list[int]:
    starts = [0] + [m.end() for m in _STARTS.finditer(sentence, 0, upto)]
    if commas:
        starts += [m.end() for m in _COMMAS.finditer(sentence, 0, upto)]
    return sorted(set(starts))


def _owner_before(sentence: str, trigger: int, mode: str, gazetteer: Container[str],
                  commas: bool) -> tuple[int, tuple[str, ...]] | None:
    if not owner_like_end(sentence, trigger):
        return None
    for start in _starts(sentence, trigger, commas):
        phrase = sentence[start:trigger]
        stripped = _THAT.sub("", phrase.lstrip())
        owners = parse_owner_list(stripped, mode, gazetteer)
        if owners:
            return start + len(phrase) - len(phrase.lstrip()), owners
    return None


def _owner_after_by(sentence: str, pos: int, gazetteer: Container[str]) -> tuple[str, ...] | None:
    words = sentence[pos:].split()
    for size in range(min(5, len(words)), 0, -1):
        owners = parse_owner_list(" ".join(words[:size]).rstrip(".,;)"), STRICT, gazetteer)
        if owners:
            return owners
    return None


def _passive(sentence: str, at: int, gazetteer: Container[str],
             explicit: bool) -> tuple[tuple[str, ...], str] | None:
    """Passive clause at ``at``: "(are) to be tackled by the Clerk" or "to be asked"."""
    match = _PASSIVE.match(sentence, at)
    if not match:
        return None
    if match.group("by"):
        owners = _owner_after_by(sentence, match.end(), gazetteer)
        if owners:
            return owners, "passive_by"
    if explicit or match.group("pp") in P.PASSIVE_CONTACT:
        return (), "passive"
    return None


def _is_task_verb(verb: str) -> bool:
    return verb[:1].islower() and verb.lower() not in P.NON_TASK_VERBS


def _agreed_that(sentence: str, gazetteer: Container[str]) -> Iterator[Clause]:
    for match in _AGREED_THAT.finditer(sentence):
        verb, own = match.group("verb"), match.group("own")
        if not _is_task_verb(verb):
            continue
        if own.lower() in _SUBJECT_PRONOUN:
            found = _owner_before(sentence, match.start(), PERSON, gazetteer, commas=True)
            if found:
                yield Clause(found[0], found[1], match.start("own"), "agreed_that", verb)
            continue
        owners = parse_owner_list(_THAT.sub("", own), PERSON, gazetteer)
        if owners:
            yield Clause(0, owners, match.end("own"), "agreed_that", verb)


_AGREED_WORDS = ("agreed", "volunteered", "offered", "undertook", "promised")
_ASKED_WORDS = ("asked", "requested", "tasked")


def _forms(lowered: str) -> Iterator[tuple[re.Pattern[str], str, str]]:
    """The trigger patterns worth trying on a sentence (by the words it contains)."""
    if any(word in lowered for word in _AGREED_WORDS):
        yield _AGREED, PERSON, "agreed"
    if any(word in lowered for word in _ASKED_WORDS):
        yield _WERE_ASKED, PERSON, "asked"
    if (" will " in lowered or " shall " in lowered) and not lowered.startswith("if "):
        yield _WILL, PERSON, "will"
    if " to " in lowered:
        yield _TO, STRICT, "to"


def _triggered(sentence: str, gazetteer: Container[str]) -> Iterator[Clause]:
    for pattern, mode, form in _forms(sentence.lower()):
        for match in pattern.finditer(sentence):
            verb = match.group("verb")
            if form == "to" and verb == "be":
                passive = _passive(sentence, match.start(), gazetteer, explicit=False)
                found = _owner_before(sentence, match.start(), LENIENT, gazetteer, False)
                if passive and (found or passive[0]):
                    yield Clause(found[0] if found else 0, passive[0], match.start(),
                                 passive[1], verb)
                continue
            if not _is_task_verb(verb):
                continue
            owner = _owner_before(sentence, match.start(), mode, gazetteer, commas=form != "to")
            if owner:
                yield Clause(owner[0], owner[1], match.start(), form, verb)


def _asked(sentence: str, gazetteer: Container[str]) -> Iterator[Clause]:
    for match in _ASKED.finditer(sentence):
        owners = parse_owner_list(match.group("own"), INDIVIDUAL, gazetteer)
        if owners and _is_task_verb(match.group("verb")):
            yield Clause(0, owners, match.end("own"), "asked", match.group("verb"))


def compound_clauses(sentence: str, first: Clause,
                     gazetteer: Container[str]) -> Iterator[Clause]:
    """Further "and NC to check ..." clauses after the first one in the same sentence."""
    for match in _TO.finditer(sentence, first.predicate + 1):
        seps = [m.end() for m in _COMPOUND.finditer(sentence, first.predicate, match.start())]
        if not seps or not _is_task_verb(match.group("verb")):
            continue
        owners = parse_owner_list(sentence[seps[-1]:match.start()], STRICT, gazetteer)
        if owners:
            yield Clause(seps[-1], owners, match.start(), "to", match.group("verb"))


def find_clauses(sentence: str, gazetteer: Container[str]) -> list[Clause]:
    """Action clauses in a sentence of ordinary minutes (no ACTION: marker), strictest reading."""
    lowered = sentence.lower()
    found = [*_triggered(sentence, gazetteer)]
    if "agreed" in lowered:
        found.extend(_agreed_that(sentence, gazetteer))
    if any(word in lowered for word in _ASKED_WORDS):
        found.extend(_asked(sentence, gazetteer))
    if not found:
        return []
    first = min(found, key=lambda c: (c.predicate, c.start))
    return [first, *compound_clauses(sentence, first, gazetteer)]


def _leading_owner(sentence: str, gazetteer: Container[str]) -> Clause | None:
    """ "Parish Clerk arrange meeting ..." - an owner straight before a lower-case verb."""
    words = sentence.split()
    for size in range(min(4, len(words) - 1), 0, -1):
        nxt = words[size]
        if not nxt.isalpha() or not nxt.islower() or nxt in P.STOPWORDS:
            continue
        owners = parse_owner_list(" ".join(words[:size]), LENIENT, gazetteer)
        if owners:
            return Clause(0, owners, len(" ".join(words[:size])), "bare_owner", nxt)
    return None


_OWNER_DASH = re.compile(r"^(?P<own>[^-–—:]{1,60}?)\s*[-–—:]\s+(?P<verb>[a-z][a-z'’-]*)\b")


def _owner_dash(sentence: str, gazetteer: Container[str]) -> Clause | None:
    """ "FT - circulate the TOR by Friday": the owner, a dash, then the task."""
    match = _OWNER_DASH.match(sentence)
    if not match or not _is_task_verb(match.group("verb")):
        return None
    owners = parse_owner_list(match.group("own"), LENIENT, gazetteer)
    return Clause(0, owners, match.start("verb"), "owner_dash", match.group("verb")) \
        if owners else None


_TRAILING_OWNER = re.compile(r"(?:\s[-–—/]\s*|\s\(|\bowner:\s*|\blead:\s*)"
                             r"(?P<own>[^()\-–—/]{1,60}?)\)?\W*$", re.I)


def trailing_owner_removed(text: str) -> str:
    """The text without a trailing owner marker ("... / Tom Hook", "... (FT)")."""
    match = _TRAILING_OWNER.search(text)
    return text[: match.start()].rstrip(" -–—/") if match and match.start() > 0 else text


def new_action_clause(sentence: str, gazetteer: Container[str]) -> Clause | None:
    """The owner clause a sentence opens with, when it names who acts (lenient reading)."""
    text = _THAT.sub("", sentence)
    offset = len(sentence) - len(text)
    for pattern, form in ((_TO, "to"), (_WILL, "will"), (_AGREED, "agreed")):
        match = pattern.search(text)
        if not match or not _is_task_verb(match.group("verb")):
            continue
        owners = parse_owner_list(text[: match.start()], LENIENT, gazetteer)
        if owners:
            return Clause(offset, owners, offset + match.start(), form, match.group("verb"))
    return None


def explicit_clause(sentence: str, gazetteer: Container[str]) -> Clause:
    """Owners of the first sentence after an ACTION: marker; owners () when none are stated."""
    clause = new_action_clause(sentence, gazetteer)
    to_be = re.search(r"\s(?:(?:is|are)\s+)?to\s+be\s", sentence)
    if clause and (not to_be or to_be.start() >= clause.predicate):
        return clause
    if to_be:
        passive = _passive(sentence, to_be.start(), gazetteer, explicit=True)
        if passive:
            return Clause(0, passive[0], to_be.start(), passive[1], "be")
    leading = _leading_owner(_THAT.sub("", sentence), gazetteer) or _owner_dash(sentence, gazetteer)
    if leading:
        return leading
    trailing = _TRAILING_OWNER.search(sentence)
    if trailing:
        owners = parse_owner_list(trailing.group("own"), LENIENT, gazetteer)
        if owners:
            return Clause(0, owners, 0, "trailing_owner", "")
    return Clause(0, (), 0, "none", "")
