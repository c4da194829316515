"""Restatements: minutes often say the same action twice (narrative, then an ACTION: line)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from handlers.extraction.model import Candidate
from handlers.extraction.prose import content_words

__all__ = ["drop_restatements"]

_WINDOW = 6
Between = Callable[[int, int], bool]
_THE = re.compile(r"^(?:the|parish)\s+", re.I)


def _owner_key(owners: Sequence[str]) -> frozenset[str]:
    return frozenset(_THE.sub("", _THE.sub("", o.lower())) for o in owners)


def _similar(a: Candidate, b: Candidate) -> bool:
    words_a, words_b = content_words(a.predicate), content_words(b.predicate)
    shared = len(words_a & words_b)
    smaller = min(len(words_a), len(words_b))
    return shared >= 2 or (smaller > 0 and shared / smaller >= 0.5 and shared >= 1)


def _restated_later(index: int, candidates: Sequence[Candidate], heading_between: Between) -> bool:
    """A narrative action the minute-taker restated as an ACTION: line just below.
    ``candidates`` are in line order, so only the next few need looking at."""
    a = candidates[index]
    key = _owner_key(a.owners)
    if not key:
        return False
    for e in candidates[index + 1:]:
        if e.line - a.line > _WINDOW:
            return False
        if e.explicit and _owner_key(e.owners) == key and _similar(a, e) \
                and not heading_between(a.line, e.line):
            return True
    return False


def _bare_repeat(b: Candidate, kept: Sequence[Candidate]) -> bool:
    """ "Clerk to investigate." straight after "the Clerk would investigate if the bill ..."."""
    verb = content_words(b.predicate)
    return b.bare and bool(verb) and any(
        not a.explicit and 0 <= b.line - a.line <= 3 and a is not b
        and _owner_key(a.owners) == _owner_key(b.owners) and verb <= content_words(a.predicate)
        for a in kept[-3:]
    )


def drop_restatements(candidates: Sequence[Candidate],
                      heading_between: Between = lambda _a, _b: False) -> list[Candidate]:
    """Keep each action once, preferring the explicit ACTION: wording over the narrative.
    ``heading_between(a, b)`` tells whether a heading separates lines a and b."""
    kept: list[Candidate] = []
    for index, candidate in enumerate(candidates):
        if not candidate.explicit and (_restated_later(index, candidates, heading_between)
                                       or _bare_repeat(candidate, kept)):
            continue
        kept.append(candidate)
    return kept
