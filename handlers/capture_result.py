"""What a capture did: the actions saved, their owners, and the problems people should fix."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class CapturedOwner:
    """One owner of a captured action: as written, and the member when matched."""

    written: str
    status: str  # matched | ambiguous | unknown | collective
    member_id: int | None = None
    name: str | None = None
    slack_user_id: str | None = None
    teams_user_id: str | None = None
    candidates: tuple[str, ...] = ()  # member names, when ambiguous


@dataclass(frozen=True)
class CapturedAction:
    """An action saved by a capture, with what could not be resolved about it."""

    action_id: int
    ref: str
    text: str
    line: int
    owners: tuple[CapturedOwner, ...]
    due_date: dt.date | None
    due_text: str | None
    due_unresolved: bool
    recurring: str | None
    restricted: bool

    @property
    def unresolved_owners(self) -> tuple[str, ...]:
        """Owners as written that are not matched to one member."""
        return tuple(o.written for o in self.owners if o.member_id is None)

    @property
    def problems(self) -> tuple[str, ...]:
        """One line per thing people should fix (owner not matched, date not understood)."""
        found = [
            p
            for o in self.owners
            if (p := owner_problem(o.written, o.status, o.candidates, self.ref))
        ]
        if not self.owners:
            found.append(f"no owner named — reply `assign {self.ref} to @name`")
        if self.due_unresolved and self.due_text:
            found.append(due_problem(self.due_text, self.ref))
        return tuple(found)

    @property
    def due(self) -> str | None:
        """The due date as people read it: "Fri 30 Sep 2018 (end of month)"."""
        return due_label(self.due_date, self.due_text, self.recurring)


@dataclass(frozen=True)
class Duplicate:
    """An action found again in a source already captured: nothing was added."""

    line: int
    ref: str | None


@dataclass(frozen=True)
class CaptureResult:
    """What one capture did."""

    created: tuple[CapturedAction, ...]
    duplicates: tuple[Duplicate, ...] = ()
    group_name: str | None = None
    meeting_date: dt.date | None = None

    @property
    def found(self) -> int:
        """How many actions the text held (new and already recorded)."""
        return len(self.created) + len(self.duplicates)

    @property
    def unresolved(self) -> tuple[CapturedAction, ...]:
        """The new actions with something to fix."""
        return tuple(a for a in self.created if a.problems)


_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_MEETING_WORDS = re.compile(r"\b(meeting|csp|board|group|committee)\b", re.IGNORECASE)


def british(day: dt.date) -> str:
    """A date the British way: ``Fri 30 Sep 2018``."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def due_label(due_date: dt.date | None, due_text: str | None, recurring: str | None) -> str | None:
    """A due date as people read it, with its phrase: "Fri 30 Sep 2018 (end of month)"."""
    if due_date is None:
        label = f"{due_text} (no date yet)" if due_text else None
    else:
        label = british(due_date) + (f" ({due_text})" if due_text else "")
    if recurring:
        label = f"{label}, then {recurring}" if label else f"{recurring} (recurring)"
    return label


def owner_problem(written: str, status: str, candidates: tuple[str, ...], ref: str) -> str | None:
    """What to say about an owner that is not one member, or None when it is."""
    if status == "matched":
        return None
    if status == "ambiguous" and candidates:
        names = " or ".join(candidates[:4])
        return f"'{written}' could be {names} — reply `assign {ref} to @name`"
    if status == "collective":
        return f"'{written}' is not one person, so nobody is chased — `assign {ref} to @name`"
    return f"Could not match '{written}' to a member — reply `assign {ref} to @name`"


def due_problem(due_text: str, ref: str) -> str:
    """What to say about a deadline phrase that gave no date, and how to fix it."""
    if _MEETING_WORDS.search(due_text):
        words = re.findall(r"[a-z]{3,}", due_text.lower())
        month = next((m for w in words for m in _MONTHS if m.startswith(w)), None)
        if month:
            name = month.capitalize()
            return f"'{due_text}': no {name} meeting in the calendar — `next meeting 19 {name}`"
        return f"'{due_text}': no next meeting in the calendar — `next meeting 19 June`"
    return f"'{due_text}': could not work out a date — reply `{ref} due 30 June`"
