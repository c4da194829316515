"""How actions look in replies: British dates, owners as mentions, overdue marked, redaction."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from handlers import export
from handlers.messages import ActionItem, Button, Inline, Mention
from store.models import Action, ActionOwner, Member
from store.models.actions import CANCELLED, DECLINED, DONE, OPEN

Rag = Literal["red", "amber", "green", "done", "none"]
Kind = Literal["done", "snooze", "update", "not_mine", "reopen"]
OWNER_BUTTONS: tuple[tuple[Kind, str], ...] = (
    ("done", "Done"),
    ("snooze", "Snooze"),
    ("update", "Update"),
    ("not_mine", "Not mine"),
)

REOPEN: tuple[tuple[Kind, str], ...] = (("reopen", "Reopen"),)


def british(day: dt.date) -> str:
    """A date the British way: ``Tue 30 Jun 2026``."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def mention(member: Member) -> Mention:
    """A member as a mention the platforms can render."""
    return Mention(member.id, member.name, member.slack_user_id, member.teams_user_id)


def owner_inline(owner: ActionOwner) -> Inline:
    """An owner as a mention when matched, else as written."""
    return mention(owner.member) if owner.member is not None else owner.written


def owner_name(owner: ActionOwner) -> str:
    """An owner's name: the member's, else as written."""
    return owner.member.name if owner.member is not None else owner.written


def is_overdue(action: Action, today: dt.date) -> bool:
    """Open and due before today."""
    return action.status == OPEN and action.due_date is not None and action.due_date < today


_RAGS: dict[str, Rag] = {"red": "red", "amber": "amber", "green": "green", "done": "done"}


def rag(action: Action, today: dt.date) -> Rag:
    """The action log's RAG colour (handlers.export), typed for a card."""
    return _RAGS.get(export.rag(action, today), "none")


def due_label(action: Action, today: dt.date) -> str | None:
    """The due date as people read it, overdue marked; the phrase when it has no date."""
    if action.due_date is None:
        return f"{action.due_text} (no date yet)" if action.due_text else None
    label = british(action.due_date)
    if is_overdue(action, today):
        days = (today - action.due_date).days
        label += f" — OVERDUE by {days} day{'s' if days != 1 else ''}"
    return label


def _owners(action: Action) -> tuple[Inline, ...]:
    shown: list[Inline] = []
    for owner in action.owners:
        if owner.status == CANCELLED:
            continue
        if shown:
            shown.append(", ")
        shown.append(owner_inline(owner))
        if owner.status == DONE and action.status == OPEN:
            shown.append(" (done)")
        elif owner.status == DECLINED:
            shown.append(" (not mine)")
    return tuple(shown)


def latest_note(action: Action) -> str | None:
    """The latest progress note, or the closing note."""
    if action.close_note and action.status != OPEN:
        return action.close_note
    return action.updates[-1].text if action.updates else None


def item(
    action: Action, today: dt.date, *, redact: bool = False, buttons: bool = False
) -> ActionItem:
    """One action as a card; ``redact`` hides everything but the reference (restricted actions)."""
    ref = action.ref or f"A-{action.id}"
    if redact:
        return ActionItem(
            ref=ref,
            text="(restricted — details only in a direct message)",
            owners=(),
            due=None,
            status=action.status,
        )
    kinds: tuple[tuple[Kind, str], ...] = OWNER_BUTTONS if action.status == OPEN else REOPEN
    return ActionItem(
        ref=ref,
        text=action.text,
        owners=_owners(action),
        due=due_label(action, today),
        status=action.status,
        rag=rag(action, today),
        note=latest_note(action),
        buttons=tuple(Button(k, label, ref) for k, label in kinds) if buttons else (),
    )
