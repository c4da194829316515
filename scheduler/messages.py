"""The scheduler's messages: owner reminders, chair escalations, failure reports, digests."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from handlers.messages import (
    ActionItem,
    Block,
    Heading,
    Inline,
    Mention,
    Message,
    Paragraph,
    owner_buttons,
)
from scheduler.policy import Reason
from store.models import Action, ActionOwner, Group, Meeting, Member

Rag = Literal["red", "amber", "green", "done", "none"]


def format_day(day: dt.date) -> str:
    """A date as people read it: "Mon 31 Aug 2026"."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def mention(member: Member) -> Mention:
    """A mention of a member (renderers use the platform id when there is one)."""
    return Mention(member.id, member.name, member.slack_user_id, member.teams_user_id)


def owner_parts(action: Action) -> tuple[Inline, ...]:
    """The action's owners: mentions for matched members, the written name otherwise."""
    parts: list[Inline] = []
    for i, owner in enumerate(action.owners):
        if i:
            parts.append(", ")
        parts.append(mention(owner.member) if owner.member is not None else owner.written)
    return tuple(parts)


def _due_text(action: Action) -> str | None:
    if action.due_date is None:
        return None
    text = format_day(action.due_date)
    return f"{text} ({action.due_text})" if action.due_text else text


def action_item(
    action: Action, *, rag: Rag = "none", note: str | None = None, buttons: bool = False
) -> ActionItem:
    """One action as a message block, with the owner buttons when asked."""
    ref = action.ref or f"A-{action.id}"
    return ActionItem(
        ref=ref,
        text=action.text,
        owners=owner_parts(action),
        due=_due_text(action),
        status=action.status,
        rag=rag,
        note=note,
        buttons=owner_buttons(ref) if buttons else (),
    )


@dataclass(frozen=True)
class ChaseLine:
    """One owner's part to remind them about, and why."""

    owner: ActionOwner
    reason: Reason


_RAG: dict[str, Rag] = {"overdue": "red", "due_today": "amber", "before_due": "amber"}


def _note(line: ChaseLine, today: dt.date) -> str:
    reason = line.reason
    if reason.kind == "overdue" and reason.due is not None:
        return f"Overdue since {format_day(reason.due)}."
    if reason.kind == "due_today":
        return "Due today." if reason.due == today else f"Due {format_day(reason.due or today)}."
    if reason.kind == "before_due" and reason.due is not None:
        return f"Due {format_day(reason.due)}."
    meeting = format_day(reason.meeting) if reason.meeting else "the next meeting"
    return f"No due date: a gentle reminder before the meeting on {meeting}."


def chase_summary(lines: Sequence[ChaseLine]) -> str:
    """The one-line summary: "Overdue: A-12 …", "Reminder: 2 actions due"."""
    overdue = [ln for ln in lines if ln.reason.kind == "overdue"]
    if overdue:
        first = overdue[0].owner.action
        head = f"Overdue: {first.ref} {_clip(first.text)}"
        more = len(lines) - 1
        return head + (f" (and {more} more)" if more else "")
    dated = [ln for ln in lines if ln.reason.kind != "pre_meeting"]
    if dated:
        n = len(lines)
        return f"Reminder: {n} action{'s' if n != 1 else ''} due"
    n = len(lines)
    return f"Before your meeting: {n} open action{'s' if n != 1 else ''}"


def _clip(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _order(line: ChaseLine) -> tuple[int, dt.date, int]:
    rank = {"overdue": 0, "due_today": 1, "before_due": 2, "pre_meeting": 3}[line.reason.kind]
    action = line.owner.action
    return rank, action.due_date or dt.date.max, action.id


def chase_message(lines: Sequence[ChaseLine], today: dt.date) -> Message:
    """One digest of an owner's due reminders, overdue first, each with its buttons."""
    ordered = sorted(lines, key=_order)
    member = ordered[0].owner.member
    name = member.name.split()[0] if member is not None and member.name else "there"
    count = "an action" if len(ordered) == 1 else f"{len(ordered)} actions"
    blocks: list[Block] = [Paragraph.of(f"Hello {name}, a reminder about {count} you own.")]
    for line in ordered:
        rag = _RAG.get(line.reason.kind, "none")
        blocks.append(
            action_item(line.owner.action, rag=rag, note=_note(line, today), buttons=True)
        )
    blocks.append(Paragraph.of("Reply done, or use the buttons, when you have finished."))
    return Message(summary=chase_summary(ordered), blocks=tuple(blocks))


def escalation_message(owners: Sequence[ActionOwner], today: dt.date) -> Message:
    """One message to a chair listing slipped actions, grouped by owner."""
    by_owner: dict[str, list[ActionOwner]] = defaultdict(list)
    for owner in owners:
        by_owner[owner.member.name if owner.member else owner.written].append(owner)
    n = len(owners)
    blocks: list[Block] = [
        Paragraph.of(
            f"{n} action{'s have' if n != 1 else ' has'} slipped: overdue and already chased."
        )
    ]
    for name in sorted(by_owner):
        blocks.append(Heading(name))
        for owner in by_owner[name]:
            note = f"Chased {owner.overdue_chases} times since it fell due."
            blocks.append(action_item(owner.action, rag="red", note=note))
    return Message(
        summary=f"Escalation: {n} overdue action{'s' if n != 1 else ''}", blocks=tuple(blocks)
    )


def failure_report(
    member_name: str, owners: Sequence[ActionOwner], attempts: int, error: str
) -> Message:
    """Tell a chair that a reminder could not be delivered."""
    refs = ", ".join(o.action.ref or str(o.action_id) for o in owners)
    blocks: list[Block] = [
        Paragraph.of(
            f"I could not deliver a reminder to {member_name} after {attempts} attempts "
            f"({error}). Please chase them another way."
        ),
        *(action_item(o.action, rag="red") for o in owners),
    ]
    return Message(summary=f"Could not reach {member_name} about {refs}", blocks=tuple(blocks))


def _is_overdue(action: Action, today: dt.date) -> bool:
    return action.due_date is not None and action.due_date < today


def meeting_digest(
    meeting: Meeting,
    groups: Sequence[Group],
    actions: Sequence[Action],
    today: dt.date,
    *,
    include_restricted: bool,
) -> Message:
    """The pre-meeting digest: outstanding actions by subgroup, then owner, overdue first."""
    shown = [a for a in actions if include_restricted or not a.restricted]
    title = meeting.title or meeting.group.name
    blocks: list[Block] = [
        Heading(f"Outstanding actions before {title}, {format_day(meeting.date)}")
    ]
    overdue_total = sum(_is_overdue(a, today) for a in shown)
    blocks.append(Paragraph.of(f"{len(shown)} open, {overdue_total} overdue."))
    for group in groups:
        mine = [a for a in shown if a.group_id == group.id]
        if not mine:
            continue
        blocks.append(Heading(group.name))
        for owner_name, owned in _by_owner(mine):
            blocks.append(Paragraph.of(owner_name))
            for action in sorted(
                owned, key=lambda a: (not _is_overdue(a, today), a.due_date or dt.date.max, a.id)
            ):
                rag: Rag = "red" if _is_overdue(action, today) else "none"
                blocks.append(
                    action_item(action, rag=rag, note="Overdue." if rag == "red" else None)
                )
    if not shown:
        blocks.append(Paragraph.of("Nothing outstanding."))
    summary = f"Before {title}: {len(shown)} outstanding, {overdue_total} overdue"
    return Message(summary=summary, blocks=tuple(blocks))


def _by_owner(actions: Sequence[Action]) -> list[tuple[str, list[Action]]]:
    """Actions under each of their open owners (an action with two owners shows under both)."""
    grouped: dict[str, list[Action]] = defaultdict(list)
    for action in actions:
        names = [
            o.member.name if o.member is not None else o.written
            for o in action.owners
            if o.status == "open"
        ]
        for name in dict.fromkeys(names or ["No owner"]):
            grouped[name].append(action)
    return sorted(grouped.items())
