"""Actions as rows of the action log: plain text cells and a RAG status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from store.models import Action
from store.models.actions import CANCELLED, DECLINED, DONE

RESTRICTED_TEXT = "Restricted action — details held by the secretary"
COLUMNS = ("Ref", "Action", "Owner(s)", "Due", "Status", "Latest update")
RAG_LABEL = {"red": "Red", "amber": "Amber", "green": "Green", "done": "Done", "none": "No date"}


def british(day: dt.date) -> str:
    """A date the British way: ``Tue 20 Mar 2018``."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def rag(action: Action, today: dt.date) -> str:
    """red overdue, amber due within 7 days, green on track, done (done or cancelled), none."""
    if action.status in (DONE, CANCELLED):
        return "done"
    if action.due_date is None:
        return "none"
    if action.due_date < today:
        return "red"
    return "amber" if (action.due_date - today).days <= 7 else "green"


@dataclass(frozen=True)
class LogRow:
    """One action as the log shows it (all plain text)."""

    ref: str
    action: str
    owners: str
    due: str
    status: str
    rag: str
    latest_update: str
    group: str
    meeting: str

    def cells(self) -> tuple[str, ...]:
        """The values under :data:`COLUMNS`."""
        return (self.ref, self.action, self.owners, self.due, self.status, self.latest_update)


def _owners(action: Action) -> str:
    names = []
    for owner in action.owners:
        if owner.status == CANCELLED:
            continue
        name = owner.member.name if owner.member is not None else owner.written
        if owner.status == DONE and action.status not in (DONE, CANCELLED):
            name += " (done)"
        elif owner.status == DECLINED:
            name += " (not mine)"
        names.append(name)
    return ", ".join(names) or "(no owner)"


def _status(action: Action, colour: str, today: dt.date) -> str:
    if action.status == DONE:
        return "Done"
    if action.status == CANCELLED:
        return "Cancelled"
    if colour == "red" and action.due_date is not None:
        days = (today - action.due_date).days
        return f"Overdue ({days} day{'s' if days != 1 else ''})"
    return {"amber": "Due soon", "green": "On track"}.get(colour, "Open")


def _due(action: Action) -> str:
    if action.due_date is None:
        return action.due_text or ""
    return action.due_date.isoformat()


def row(action: Action, today: dt.date, *, redact: bool = True) -> LogRow:
    """One log row; a restricted action's text and updates are withheld when ``redact``."""
    colour = rag(action, today)
    hide = redact and action.restricted
    latest = action.updates[-1].text if action.updates else (action.close_note or "")
    return LogRow(
        ref=action.ref or f"A-{action.id}",
        action=RESTRICTED_TEXT if hide else action.text,
        owners=_owners(action),
        due=_due(action),
        status=_status(action, colour, today),
        rag=colour,
        latest_update="" if hide else latest,
        group=action.group.name if action.group is not None else "",
        meeting=action.meeting_date.isoformat() if action.meeting_date else "",
    )


def rows(actions: Iterable[Action], today: dt.date, *, redact: bool = True) -> list[LogRow]:
    """The log rows for ``actions``, in the order given."""
    return [row(a, today, redact=redact) for a in actions]
