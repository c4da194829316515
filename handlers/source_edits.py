"""Edits and deletions of a chat message that actions were captured from, on any platform.

Editing the message re-reads it: an action whose line changed takes the new wording and due date,
an action whose line is gone is cancelled, new lines are captured. Deleting the message cancels
its open actions. Either way the thread gets a note; every change is audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from handlers.capture import capture, confirmation, owner_notifications
from handlers.extraction import ExtractedAction, extract_actions
from handlers.messages import Message, Outgoing, Paragraph, Place, ToPlace
from store import audit, directory
from store.actions import captured_from
from store.models import Action
from store.models.actions import CANCELLED, OPEN


def _line_of(action: Action, key: str) -> int:
    """The line of the message an action came from (``<key>:<line>[.<n>]``); -1 if unknown."""
    rest = (action.source_key or "").removeprefix(f"{key}:")
    if rest.startswith("edit:"):  # first captured from an edit: ``<key>:edit:<ts>:<line>``
        rest = rest.split(":", 2)[-1]
    line = rest.split(".", 1)[0]
    return int(line) if line.isdecimal() else -1


def _cancel(
    session: Session, action: Action, *, now: dt.datetime, why: str, actor: str, via: str
) -> None:
    action.status = CANCELLED
    action.closed_at = now
    action.close_note = why
    for owner in action.owners:
        if owner.status == OPEN:
            owner.next_chase_at = None
    audit.record(
        session,
        actor=actor,
        via=via,
        entity="action",
        entity_id=action.id,
        event="cancelled",
        ref=action.ref,
        reason=why,
    )


def _revise(
    session: Session, action: Action, item: ExtractedAction, *, actor: str, via: str
) -> bool:
    flagged = item.restricted and not action.restricted  # an edit can restrict, never un-restrict
    after = (item.text, item.due_date, item.due_text)
    if (action.text, action.due_date, action.due_text) == after and not flagged:
        return False
    due_moved = action.due_date != item.due_date
    before = {"text": action.text, "due": action.due_date.isoformat() if action.due_date else None}
    action.text, action.due_date, action.due_text = item.text, item.due_date, item.due_text
    action.due_unresolved = bool(item.due_unresolved)
    action.restricted = action.restricted or item.restricted
    if due_moved:
        for owner in action.owners:
            owner.next_chase_at = None
    audit.record(
        session,
        actor=actor,
        via=via,
        entity="action",
        entity_id=action.id,
        event="edited",
        ref=action.ref,
        before=before,
        text=item.text,
        restricted=action.restricted,
    )
    return True


def _note(place: Place, text: str) -> Outgoing:
    return Outgoing(ToPlace(place), Message(text, (Paragraph.of(text),)))


def _reconcile(
    session: Session,
    existing: list[Action],
    key: str,
    found: dict[int, ExtractedAction],
    edit: SourceEdit,
) -> tuple[list[str], list[str]]:
    """Revise the open actions whose line changed, cancel those whose line is gone."""
    revised, cancelled = [], []
    for action in existing:
        item = found.get(_line_of(action, key))
        if action.status != OPEN:
            continue
        if item is None:
            why = "removed from the message when it was edited"
            _cancel(session, action, now=edit.now, why=why, actor=edit.actor, via=edit.via)
            cancelled.append(action.ref or "")
        elif _revise(session, action, item, actor=edit.actor, via=edit.via):
            revised.append(action.ref or "")
    return revised, cancelled


@dataclass(frozen=True)
class SourceEdit:
    """A chat message that actions were captured from, as it reads after an edit."""

    source_key: str
    text: str  # the new text, platform markup already turned into plain words
    place: Place  # the thread to answer in
    member_id: int | None
    actor: str
    via: str
    now: dt.datetime
    zone: ZoneInfo


def apply_edit(session: Session, edit: SourceEdit) -> list[Outgoing]:
    """Bring the actions captured from a message in line with its edited text.

    A changed line re-words and re-dates its action, a line that is gone cancels its action, and
    new lines are captured (capture is idempotent per line). Returns the notes for the thread and
    the new actions' confirmations and owner messages.
    """
    key, place = edit.source_key, edit.place
    existing = captured_from(session, key)
    group = directory.group_for_channel(session, place.platform, place.channel_id or "")
    group = group or directory.board(session)
    today = edit.now.astimezone(edit.zone).date()
    calendar = directory.meeting_dates(session, group.id) if group is not None else []
    lines = extract_actions(edit.text, meeting_date=today, meetings=calendar)
    revised, cancelled = _reconcile(session, existing, key, {i.line: i for i in lines}, edit)
    result = capture(
        session,
        edit.text,
        via=edit.via,
        source_key=key,
        group_id=group.id if group else None,
        meeting_date=today,
        created_by_id=edit.member_id,
        actor=edit.actor,
        origin_channel=place.channel_id,
        origin_thread=place.thread_id,
    )
    answers: list[Outgoing] = []
    if revised:
        answers.append(
            _note(place, f"The message was edited, so I've updated {', '.join(revised)}.")
        )
    if cancelled:
        gone = ", ".join(cancelled)
        answers.append(
            _note(place, f"{gone} no longer appear in the edited message, so I've cancelled them.")
        )
    if result.created:
        answers += [Outgoing(ToPlace(place), confirmation(result)), *owner_notifications(result)]
    return answers


def cancel_deleted(
    session: Session, source_key: str, place: Place, *, actor: str, via: str, now: dt.datetime
) -> list[Outgoing]:
    """Cancel the open actions of a deleted message; the note goes to their thread."""
    open_ones = [a for a in captured_from(session, source_key) if a.status == OPEN]
    why = "the message it came from was deleted"
    for action in open_ones:
        _cancel(session, action, now=now, why=why, actor=actor, via=via)
    if not open_ones:
        return []
    refs = [a.ref or "" for a in open_ones]
    thread = open_ones[0].origin_thread or place.thread_id
    text = (
        f"The message with {', '.join(refs)} was deleted, so I've cancelled "
        f'{"it" if len(refs) == 1 else "them"}. Say "reopen {refs[0]}" if that was a mistake.'
    )
    return [_note(Place(place.platform, place.channel_id, thread), text)]
