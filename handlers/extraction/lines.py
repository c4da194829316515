"""Segmentation: source lines into paragraph units, units into sentences, with line numbers."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from handlers.extraction import patterns as P
from handlers.extraction.patterns import words

__all__ = ["Document", "Unit", "normalise", "split_sentences", "strip_marker"]

_JOIN_END = re.compile(r"(?:[,&(\-–]|(?:^|\s)(?:and|or|to|with|the|of|for|by|a|an|in|on|at))$",
                       re.I)
_ABBREVIATIONS = words(
    "mr mrs ms dr cllr cllrs cll st no nos rev prof supt insp sgt co etc eg ie approx vs pp fig "
    "ref tel jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri "
    "inc dept est govt ch"
)
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]*[A-Z0-9•£])")
_INITIALISM = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]")


@dataclass(frozen=True)
class Unit:
    """A paragraph (one or more joined source lines) with its list marker removed."""

    text: str
    starts: tuple[int, ...]  # offset in text where each joined source line begins
    lines: tuple[int, ...]   # the 1-based source line number of each of those
    bullet: bool  # began with a list marker ("•", "-", "1.", "a)")
    numbered: bool = False  # ... and that marker was a number or letter

    @property
    def line(self) -> int:
        """The line the unit starts on."""
        return self.lines[0]

    def line_at(self, offset: int) -> int:
        """The source line holding the character at ``offset``."""
        return self.lines[max(0, bisect.bisect_right(self.starts, offset) - 1)]


# invisible format characters, and the C0/C1 control characters that are not whitespace (NUL,
# BEL, ESC of terminal colour codes ...): none belongs in an action's stored text
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f"
    "\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]"
)


def normalise(text: str) -> str:
    """Collapse every run of whitespace (tabs, no-break spaces, newlines) into one space and
    drop invisible format characters (zero-width spaces, direction marks) and control
    characters."""
    return " ".join(_INVISIBLE.sub("", text).split())


def strip_marker(text: str) -> tuple[str, str]:
    """Remove up to two leading list markers ("•", "1.", "a)", "6.1", "- 1."); also say what
    the last one was: "" (none), "bullet" or "number"."""
    kind = ""
    for _ in range(2):
        match = P.LIST_MARKER.match(text)
        if not match or match.end() >= len(text):
            break
        kind = "number" if any(ch.isalnum() for ch in match.group(0)) else "bullet"
        text = text[match.end():]
    return text, kind


def _starts_new_unit(line: str) -> bool:
    return bool(
        P.LIST_MARKER.match(line) or P.PREFIX.match(line) or P.ACTIONS_HEADING.match(line)
        or P.HEADING_SENTENCE.match(line) or line[:1] in "(["
    )


def _joins(current: str, nxt: str) -> bool:
    if not (nxt[:1].islower() or _JOIN_END.search(current[-6:])):
        return False
    return not _starts_new_unit(nxt)


class Document:
    """The source lines of a text, grouped into units on demand (only where actions may be)."""

    def __init__(self, text: str, skip: frozenset[int] = frozenset()) -> None:
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.skip = skip  # 0-based indexes of lines already used (table rows)
        self._normal: dict[int, str] = {}

    def normal(self, index: int) -> str:
        """Line ``index`` (0-based) with its whitespace normalised ("" for skipped lines)."""
        if index not in self._normal:
            raw = self.lines[index] if 0 <= index < len(self.lines) else ""
            self._normal[index] = "" if index in self.skip else normalise(raw)
        return self._normal[index]

    def _continues(self, index: int) -> bool:
        """Whether line ``index`` carries on the paragraph of the line before it."""
        previous, current = self.normal(index - 1), self.normal(index)
        return bool(index > 0 and previous and current and _joins(previous, current))

    def unit_start(self, index: int) -> int:
        """The first line of the unit holding line ``index``."""
        while index > 0 and self._continues(index):
            index -= 1
        return index

    def unit_at(self, start: int) -> Unit | None:
        """The unit starting at line ``start`` (0-based), or None for a blank line."""
        first = self.normal(start)
        if not first:
            return None
        text, marker = strip_marker(first)
        starts, numbers = [0], [start + 1]
        index = start + 1
        while index < len(self.lines) and self._continues(index):
            starts.append(len(text) + 1)
            numbers.append(index + 1)
            text = f"{text} {self.normal(index)}"
            index += 1
        return Unit(text, tuple(starts), tuple(numbers), bool(marker), marker == "number")

    def unit_before(self, unit: Unit) -> Unit | None:
        """The nearest unit above ``unit`` (blank lines skipped)."""
        index = unit.line - 2
        while index >= 0 and not self.normal(index):
            index -= 1
        return self.unit_at(self.unit_start(index)) if index >= 0 else None

    def units_from(self, index: int) -> Iterator[Unit]:
        """Units in order from line ``index`` (0-based) to the end."""
        while index < len(self.lines):
            unit = self.unit_at(index)
            if unit is None:
                index += 1
                continue
            yield unit
            index = unit.lines[-1]


def _is_boundary(text: str, dot: int) -> bool:
    """Whether the full stop at ``dot`` ends a sentence (not "Mrs.", "N.C.C.", "15.")."""
    if text[dot] != ".":
        return True
    word = text[: dot].rsplit(" ", 1)[-1].lstrip("(\"'“‘")
    if not word:
        return True
    if word.lower() in _ABBREVIATIONS or _INITIALISM.fullmatch(word):
        return False
    return not (word.isdigit() and len(word) <= 2)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans in ``text``; also cuts before embedded headings ("... 21. ITEMS FOR")."""
    cuts = {m.end() for m in P.EMBEDDED_HEADING.finditer(text)}
    for match in _BOUNDARY.finditer(text):
        if _is_boundary(text, match.start()):
            cuts.add(match.end())
    spans, start = [], 0
    for cut in sorted(cuts):
        if cut > start and text[start:cut].strip():
            spans.append((start, cut))
            start = cut
    if text[start:].strip():
        spans.append((start, len(text)))
    return [_trim(text, s, e) for s, e in spans]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
