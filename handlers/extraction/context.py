"""What the extractor knows while reading a document top to bottom."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field

from handlers.extraction.lines import Document, Unit, split_sentences
from handlers.extraction.model import Candidate

__all__ = ["Context", "Sentence"]


@dataclass(frozen=True)
class Sentence:
    """A sentence already read, kept for actions that point back to it ("Clerk to action")."""

    text: str
    line: int


@dataclass
class Context:
    """Reading state: where we are in the document and what has been found so far."""

    doc: Document
    gazetteer: Container[str]
    found: list[Candidate] = field(default_factory=list)
    restricted_until: int = -1  # last line (1-based) of a RESTRICTED / CONFIDENTIAL part
    adjourn_until: int = -1     # last line of an "(Adjourned: ...)" public session
    agenda: bool = False        # inside the next meeting's agenda
    actions_list: bool = False  # just below an "Actions" heading
    line: int = 0               # the line of the unit being read

    @property
    def restricted(self) -> bool:
        """Whether the unit being read sits in a restricted part."""
        return self.line <= self.restricted_until

    @property
    def adjourn(self) -> bool:
        """Whether the unit being read is inside a public session."""
        return self.line <= self.adjourn_until

    def add(self, candidate: Candidate) -> None:
        """Record a candidate, marking it restricted when the part it sits in is."""
        candidate.restricted = candidate.restricted or self.restricted
        self.found.append(candidate)

    def previous_sentence(self, unit: Unit) -> Sentence | None:
        """The last sentence of the paragraph above ``unit``."""
        before = self.doc.unit_before(unit)
        if before is None:
            return None
        spans = split_sentences(before.text)
        if not spans:
            return None
        start, end = spans[-1]
        return Sentence(before.text[start:end], before.line_at(start))
