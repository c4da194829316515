"""Where actions may be: quick whole-text scans that decide which lines get read carefully."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from handlers.extraction import patterns as P
from handlers.extraction.patterns import words

__all__ = ["has_hint", "hinted_lines", "owner_like_end"]

_WORDING = ("agreed", "volunteered", "offered", "undertook", "promised", "asked", "requested",
            "tasked", " to be ", " / ")
_KEYWORDS = (*_WORDING, "action", "resolved", "agenda", "minutes of", "present:", "adjourn",
             "restricted", "confidential")
_NOT_OWNER_END = words(
    "the this that these those it there here we they he she you i a an all any each no not "
    "some need needs potential able going want wants work plans"
)


def _line_of(starts: Sequence[int], offset: int) -> int:
    return bisect.bisect_right(starts, offset) - 1


def owner_like_end(text: str, at: int) -> bool:
    """Whether the word ending at ``at`` could end an owner phrase (a name, initials, a role)."""
    window = text[max(0, at - 40):at].rstrip()
    word = window[window.rfind(" ") + 1:].rsplit("\n", 1)[-1].strip("().,;:*")
    lowered = word.lower()
    return (word[:1].isupper() and lowered not in _NOT_OWNER_END) or lowered in P.ROLE_WORDS


def _trigger_lines(text: str, starts: Sequence[int]) -> set[int]:
    """Lines with "<Owner-like word> to|will|shall <verb>"."""
    found: set[int] = set()
    for match in P.TRIGGER_HINT.finditer(text):
        if owner_like_end(text, match.start()):
            found.add(_line_of(starts, match.start()))
    return found


def has_hint(sentence: str) -> bool:
    """Whether a sentence has any wording an action could be written in."""
    lowered = sentence.lower()
    if any(word in lowered for word in _WORDING):
        return True
    return any(owner_like_end(sentence, m.start()) for m in P.TRIGGER_HINT.finditer(sentence))


def hinted_lines(lines: Sequence[str]) -> list[int]:
    """0-based indexes of lines worth reading: those with action wording, markers or changes of
    part (agenda, adjournment, restricted); every other line cannot hold an action."""
    text = "\n".join(lines)
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    found = _trigger_lines(text, starts)
    lowered = text.lower()
    for keyword in _KEYWORDS:
        at = lowered.find(keyword)
        while at >= 0:
            number = _line_of(starts, at)
            found.add(number)
            at = lowered.find(keyword,
                              starts[number + 1] if number + 1 < len(starts) else len(text))
    return sorted(found)
