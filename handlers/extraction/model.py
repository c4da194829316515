"""The extracted action (public) and the candidate the extractor builds it from (internal)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from handlers.dates import Deadline

__all__ = ["Candidate", "ExtractedAction"]


@dataclass(frozen=True)
class ExtractedAction:
    """One action found in a message or document."""

    text: str
    owners: tuple[str, ...]
    due_text: str | None
    due_date: dt.date | None
    line: int
    recurring: str | None = None
    restricted: bool = False
    due_unresolved: bool = False

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-ready dict (dates as ISO strings, owners as a list)."""
        return {
            "text": self.text,
            "owners": list(self.owners),
            "due_text": self.due_text,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "line": self.line,
            "recurring": self.recurring,
            "restricted": self.restricted,
            "due_unresolved": self.due_unresolved,
        }


@dataclass
class Candidate:
    """An action the extractor believes it found, before deadlines and de-duplication."""

    text: str
    owners: tuple[str, ...]
    line: int
    explicit: bool
    predicate: str
    restricted: bool = False
    due: Deadline | None = None
    timing: str | None = None  # a deadline written apart from the text ("Action by: FT, 30 June")
    bare: bool = False
    notes: list[str] = field(default_factory=list)
