"""An in-memory index of the priority register for fast fuzzy questions, rebuilt per version.

Names, acronyms and aliases are normalised once (case, punctuation, "&", hyphens, plurals, little
words) and matched with rapidfuzz: an exact normalised name wins outright; otherwise the best
WRatio score (which forgives word order and small misspellings) wins, and near-equal best scores
for different priorities are reported as ambiguous so the caller can ask which.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from typing import Literal

from rapidfuzz import fuzz, process, utils
from rapidfuzz.distance import OSA
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from store.models.priorities import PriorityRegister
from store.priorities import IndexRow, index_rows

ACCEPT = 80.0  # a fuzzy score at least this good is a match
TIE = 2.0  # best scores this close are "equally good"
SUGGEST = 45.0  # below a match, names at least this close are offered as suggestions
CANDIDATES = 150  # names scored in full per question
SWAPPED = 90.0  # the score of an acronym with two letters swapped ("vwag")

_LITTLE_WORDS = frozenset({"the", "a", "an", "our", "of", "and", "on", "for", "to", "in", "with"})
_NON_WORD = re.compile(r"[^0-9a-z ]+")


@lru_cache(maxsize=65536)
def _singular(word: str) -> str:
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") else word


_FOLD = str.maketrans({"&": " and ", "-": None, "'": None, "’": None})


def normalise(text: str) -> str:
    """A name as compared: lower case, no punctuation or hyphens, singular, no little words."""
    text = text.casefold().replace("'s", "").replace("’s", "").translate(_FOLD)
    words = _NON_WORD.sub(" ", text).split()
    return " ".join([_singular(w) for w in words if w not in _LITTLE_WORDS])


@dataclass(frozen=True)
class Match:
    """The outcome of looking a name up: one priority, several equally good, or none."""

    kind: Literal["one", "ambiguous", "none"]
    ids: tuple[int, ...] = ()
    score: float = 0.0
    suggestions: tuple[int, ...] = ()  # nearest ids when nothing matched


@dataclass
class NameIndex:
    """Normalised names (each pointing at an id) searchable exactly and fuzzily.

    Fuzzy search runs in two steps so it stays fast with thousands of names: cheap candidates
    first (names sharing a word close to a query word, and names close as a whole by plain
    ratio), then WRatio on those candidates only.
    """

    keys: list[str] = field(default_factory=list)
    owners: list[int] = field(default_factory=list)
    exact: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    postings: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    vocabulary: list[str] = field(default_factory=list)

    def add(self, item_id: int, names: Iterable[str]) -> None:
        """Index ``names`` (name, acronyms, aliases) for ``item_id``."""
        for name in names:
            key = normalise(name)
            if key and item_id not in self.exact[key]:
                self.exact[key].add(item_id)
                for word in set(key.split()):
                    self.postings[word].append(len(self.keys))
                self.keys.append(key)
                self.owners.append(item_id)
        self.vocabulary = []  # rebuilt on the next fuzzy search

    def match(self, text: str) -> Match:
        """Find ``text``: exact normalised name first, then fuzzy (see module docstring)."""
        query = normalise(text)
        if not query:
            return Match("none")
        exact = self.exact.get(query)
        if exact:
            ids = tuple(sorted(exact))
            return Match("one" if len(ids) == 1 else "ambiguous", ids, 100.0)
        best = self._scores(query)
        if not best or best[0][1] < ACCEPT:
            near = tuple(i for i, score in best[:3] if score >= SUGGEST)
            return Match("none", suggestions=near)
        top = best[0][1]
        tied = tuple(i for i, score in best if score >= top - TIE)
        return Match("one" if len(tied) == 1 else "ambiguous", tied, top)

    def _candidates(self, query: str) -> list[int]:
        if not self.vocabulary:
            self.vocabulary = list(self.postings)
        hits: Counter[int] = Counter()
        for word in set(query.split()):
            cutoff = 100 if len(word) <= 2 else 75
            near = process.extract(
                word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=cutoff, limit=20
            )
            hits.update(chain.from_iterable(self.postings[found] for found, _, _ in near))
        ranked = [position for position, _ in hits.most_common(CANDIDATES)]
        if " " in query and ranked:
            return ranked
        # one word ("antisocial", "vawg"), or no word close: compare whole names as well
        whole = process.extract(query, self.keys, scorer=fuzz.ratio, limit=CANDIDATES // 10)
        return list(dict.fromkeys([*ranked, *(position for _, _, position in whole)]))

    def _swapped(self, query: str) -> list[int]:
        letters = sorted(query)
        return [
            position
            for word in self.vocabulary
            if len(word) == len(query) and sorted(word) == letters
            and OSA.distance(word, query) == 1
            for position in self.postings[word]
        ]  # fmt: skip

    def _scores(self, query: str) -> list[tuple[int, float]]:
        positions = self._candidates(query)
        found = process.extract(
            query, [self.keys[p] for p in positions], scorer=fuzz.WRatio,
            processor=utils.default_process, limit=25, score_cutoff=SUGGEST,
        )  # fmt: skip
        best: dict[int, float] = {}
        for _key, score, at in found:
            owner = self.owners[positions[at]]
            best[owner] = max(best.get(owner, 0.0), float(score))
        if " " not in query and 3 <= len(query) <= 6:  # "vwag": swapped letters in an acronym
            for position in self.postings.get(query, ()) or self._swapped(query):
                owner = self.owners[position]
                best[owner] = max(best.get(owner, 0.0), SWAPPED)
        return sorted(best.items(), key=lambda pair: (-pair[1], pair[0]))


class PriorityIndex:
    """The register as the questions need it: names to match, risk order and overlaps."""

    def __init__(self, rows: Sequence[IndexRow]) -> None:
        self.rows = {row.id: row for row in rows}
        self.names = NameIndex()
        for row in rows:
            self.names.add(row.id, [row.name, *row.acronyms, *row.aliases])
        self.by_risk = sorted(
            (row for row in rows if row.risk_total is not None),
            key=lambda row: (-(row.risk_total or 0), -(row.stated_total or 0), row.name.casefold()),
        )
        self.by_name = sorted(rows, key=lambda row: row.name.casefold())
        self.multi_lead = [row for row in self.by_name if len(row.leads) > 1]
        self.no_lead = [row for row in self.by_name if not row.leads]
        self._led: dict[int, list[IndexRow]] = defaultdict(list)
        self._supported: dict[int, list[IndexRow]] = defaultdict(list)
        for row in self.by_name:
            for group_id in row.leads:
                self._led[group_id].append(row)
            for group_id in row.supporting:
                self._supported[group_id].append(row)

    def led_by(self, group_id: int) -> list[IndexRow]:
        """Priorities this group leads, by name."""
        return self._led.get(group_id, [])

    def supported_by(self, group_id: int) -> list[IndexRow]:
        """Priorities this group supports, by name."""
        return self._supported.get(group_id, [])


class IndexCache:
    """One index per database engine, rebuilt only when the register version changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._built: weakref.WeakKeyDictionary[Engine, tuple[object, PriorityIndex]] = (
            weakref.WeakKeyDictionary()
        )

    def get(self, session: Session) -> PriorityIndex:
        """The index for the register as this session sees it."""
        state = session.execute(
            select(PriorityRegister.version, PriorityRegister.updated_at).where(
                PriorityRegister.id == 1
            )
        ).first()
        key: object = tuple(state) if state is not None else None
        engine = session.get_bind()
        if not isinstance(engine, Engine):
            engine = engine.engine
        cached = self._built.get(engine)
        if cached is not None and cached[0] == key:
            return cached[1]
        index = PriorityIndex(index_rows(session))
        with self._lock:
            self._built[engine] = (key, index)
        return index


# A memo keyed by engine (entries die with their engine); it holds no connection or settings.
CACHE = IndexCache()
