"""Owner phrases: splitting "A, B and C" into owners and telling owners from other words."""

from __future__ import annotations

import calendar
import re
from collections.abc import Container
from functools import lru_cache

from handlers.extraction import patterns as P

__all__ = ["INDIVIDUAL", "LENIENT", "PERSON", "STRICT", "NameIndex", "build_gazetteer",
           "parse_owner_list", "split_owner_cell"]

# How sure the surrounding wording already makes us that the phrase names an owner.
INDIVIDUAL = "individual"  # one person only ("asked RC to ...")
PERSON = "person"          # people and roles ("X agreed to", "X will")
STRICT = "strict"          # people, roles, organisations ("Police to ...")
LENIENT = "lenient"        # inside an ACTION: line, any capitalised word will do

_SPLIT = re.compile(r"\s*,\s*(?:and\s+|&\s+)?|\s+and\s+|\s+&\s+|\s*/\s*")
_COUPLE = re.compile(r"\b(Mr|Mrs|Ms|Dr)\s+(?:and|&)\s+(?=Mr|Mrs|Ms|Dr)")
_CALENDAR_WORDS = frozenset(
    w.lower() for w in (*calendar.month_name, *calendar.day_name) if w
)
_ORG_PHRASE = re.compile(r"(?:[A-Z][A-Za-z&]*\s+){0,4}[A-Z][A-Za-z&]*")
_NEXT_WORD = re.compile(r"[ \t]+((?:Mc|Mac|O['’])?[A-Z][a-z]+(?:[-'’][A-Z][a-z]+)*)\b")
_PREV_WORD = re.compile(r"\b([A-Z][a-z]+)[ \t]+$")
_MAX_OWNERS = 40  # a whole board can be named; every name must still look like an owner


class NameIndex:
    """First names and surnames of people written in full somewhere in the text ("Chris" counts
    as a name when "Chris Smith" appears), looked up on demand and remembered."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._known: dict[str, bool] = {}

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        if name not in self._known:
            self._known[name] = _plain_word(name) and self._written_in_full(name)
        return self._known[name]

    def _written_in_full(self, name: str) -> bool:
        text, at = self._text, self._text.find(name)
        while at >= 0:
            end = at + len(name)
            if (at == 0 or not text[at - 1].isalpha()) and (end == len(text)
                                                            or not text[end].isalpha()):
                after = _NEXT_WORD.match(text, end)
                before = _PREV_WORD.search(text, max(0, at - 40), at)
                if (after and _plain_word(after.group(1))) or (
                        before and _plain_word(before.group(1))):
                    return True
            at = text.find(name, end)
        return False


def build_gazetteer(text: str) -> NameIndex:
    """The names written in full in ``text`` (see NameIndex)."""
    return NameIndex(text)


def _plain_word(word: str) -> bool:
    lowered = word.lower()
    return lowered not in P.NOT_NAME_WORDS and lowered not in _CALENDAR_WORDS \
        and lowered not in P.ORG_WORDS


def _name_tokens_ok(unit: str) -> bool:
    words = re.findall(r"[A-Za-z][A-Za-z'’\-]*", unit)
    return bool(words) and all(_plain_word(w) for w in words)


def _is_org(unit: str) -> bool:
    if P.ORG_AMP.fullmatch(unit):
        return True
    if unit.lower() in P.ORG_WORDS:
        return True
    if not _ORG_PHRASE.fullmatch(unit):
        return False
    return unit.split()[-1].lower() in P.ORG_WORDS


def _person(unit: str, lenient: bool) -> bool | None:
    """True/False, or None for a lone first name or surname that only the document can vouch for."""
    if P.TITLED_NAME.fullmatch(unit) or P.INITIAL_NAME.fullmatch(unit):
        return True
    if P.INITIALS.fullmatch(unit):
        return True
    if P.FULL_NAME.fullmatch(unit):
        return _name_tokens_ok(unit)
    if P.SINGLE_NAME.fullmatch(unit) and _plain_word(unit):
        if unit.lower() in P.NOT_SINGLE_OWNER:
            return False
        return True if lenient else None
    return False


@lru_cache(maxsize=65536)
def _verdict(unit: str, mode: str) -> bool | None:
    """Whether one owner (no commas or "and") is plausible under ``mode``; None when it is a
    lone name that counts only if the document writes it in full somewhere."""
    if not unit or unit.lower() in P.PRONOUNS or len(unit) > 60:
        return False
    if mode == INDIVIDUAL:
        if P.INDIVIDUAL_ROLE.fullmatch(unit):
            return True
        return False if P.ROLE.fullmatch(unit) else _person(unit, lenient=False)
    if P.ROLE.fullmatch(unit):
        return True
    person = _person(unit, lenient=mode == LENIENT)
    if person is True or (mode in {STRICT, LENIENT} and _is_org(unit)):
        return True
    return person


def owner_unit_ok(unit: str, mode: str, gazetteer: Container[str]) -> bool:
    """Whether one owner (no commas or "and") is a plausible owner under ``mode``."""
    verdict = _verdict(unit, mode)
    return verdict is True or (verdict is None and unit in gazetteer)


@lru_cache(maxsize=65536)
def _split(phrase: str) -> tuple[str, ...]:
    protected = _COUPLE.sub(lambda m: m.group(1) + "\u0000", phrase)
    parts = [p.strip(" .;:") for p in _SPLIT.split(protected)]
    return tuple(p.replace("\u0000", " and ") for p in parts if p)


def parse_owner_list(phrase: str, mode: str,
                     gazetteer: Container[str] = frozenset()) -> tuple[str, ...] | None:
    """Split an owner phrase into owners as written, or None if any part is not an owner.

    "Jonathon Toy, Fiona Taylor and Teresa DeVito" -> three owners; "A&E" stays one owner;
    "AR/CC" is two owners; "Mr and Mrs Ryan" stays one.
    """
    phrase = phrase.strip(" ,;:-–")
    if not phrase or len(phrase) > 40 * 40:
        return None
    units = _split(phrase)
    if not units or len(units) > _MAX_OWNERS:
        return None
    if all(owner_unit_ok(u, mode, gazetteer) for u in units):
        return units
    return None


def split_owner_cell(cell: str) -> tuple[str, ...]:
    """Owners from a table's Lead/Owner cell: separators as usual, and "SBC Police Probation"
    (organisations separated by spaces only) becomes three owners."""
    cell = " ".join(cell.split()).strip(" ,;.")
    if not cell:
        return ()
    units = _split(cell)
    result: list[str] = []
    for unit in units:
        words = unit.split()
        if len(words) > 1 and all(P.INITIALS.fullmatch(w) or w.lower() in P.ORG_WORDS
                                  or P.ORG_AMP.fullmatch(w) for w in words):
            result.extend(words)
        else:
            result.append(unit)
    return tuple(result)
