"""The messages a capture produces: the confirmation in the thread and each owner's DM."""

from __future__ import annotations

from handlers.capture_result import CapturedAction, CapturedOwner, CaptureResult, british
from handlers.messages import (
    ActionItem,
    Block,
    Heading,
    Inline,
    Mention,
    Message,
    Outgoing,
    Paragraph,
    ToMember,
    owner_buttons,
)

HOW_TO_WRITE = (
    "Write one action per line, starting with ACTION:, naming who and by when — e.g. "
    "`ACTION: Fiona Taylor to circulate the assessment by end of month`."
)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _owner_inline(owner: CapturedOwner) -> Inline:
    if owner.member_id is not None and owner.name is not None:
        return Mention(owner.member_id, owner.name, owner.slack_user_id, owner.teams_user_id)
    return owner.written


def owners_inline(action: CapturedAction) -> tuple[Inline, ...]:
    """The owners as mentions (matched) or as written, separated by commas."""
    parts: list[Inline] = []
    for i, owner in enumerate(action.owners):
        if i:
            parts.append(", ")
        parts.append(_owner_inline(owner))
    return tuple(parts)


def _item(action: CapturedAction, *, buttons: bool = False, notes: bool = True) -> ActionItem:
    return ActionItem(
        ref=action.ref,
        text=action.text,
        owners=owners_inline(action),
        due=action.due,
        status="open",
        rag="none",
        note="; ".join(action.problems) if notes and action.problems else None,
        buttons=owner_buttons(action.ref) if buttons else (),
    )


def _where(result: CaptureResult) -> str:
    parts = []
    if result.group_name:
        parts.append(result.group_name)
    if result.meeting_date:
        parts.append(f"meeting of {british(result.meeting_date)}")
    return f" ({', '.join(parts)})" if parts else ""


def confirmation(result: CaptureResult, *, private: bool = False) -> Message:
    """The reply in the thread: each new action with its reference, owners and due date, and a
    note for whatever could not be resolved. Restricted actions are only counted unless
    ``private`` (a direct chat with the person who captured them)."""
    if not result.found:
        return Message("No actions found.", (Paragraph.of(f"No actions found. {HOW_TO_WRITE}"),))
    shown = [a for a in result.created if private or not a.restricted]
    hidden = [a for a in result.created if not private and a.restricted]
    blocks: list[Block] = []
    if result.created:
        blocks.append(Heading(f"{_plural(len(result.created), 'action')} recorded{_where(result)}"))
    blocks.extend(_item(a) for a in shown)
    if hidden:
        refs = ", ".join(a.ref for a in hidden)
        verb = "its owners have" if len(hidden) == 1 else "their owners have"
        count = _plural(len(hidden), "restricted action")
        blocks.append(Paragraph.of(f"{count} recorded ({refs}); {verb} been told privately"))
    if result.duplicates:
        refs = ", ".join(d.ref or f"line {d.line}" for d in result.duplicates)
        blocks.append(Paragraph.of(f"Already recorded, not added again: {refs}."))
    return Message(_summary(result), tuple(blocks))


def _summary(result: CaptureResult) -> str:
    if not result.created:
        return f"Nothing new: {_plural(len(result.duplicates), 'action')} already recorded."
    text = f"Recorded {_plural(len(result.created), 'action')}: " + ", ".join(
        a.ref for a in result.created
    )
    if result.unresolved:
        text += f" ({len(result.unresolved)} need attention)"
    return text


def owner_notifications(result: CaptureResult) -> list[Outgoing]:
    """One direct message per matched owner: the action with its buttons, or a digest of them."""
    by_owner: dict[int, list[CapturedAction]] = {}
    for action in result.created:
        for member_id in dict.fromkeys(o.member_id for o in action.owners if o.member_id):
            assert member_id is not None
            by_owner.setdefault(member_id, []).append(action)
    out: list[Outgoing] = []
    for member_id, owned in by_owner.items():
        refs = tuple(a.ref for a in owned)
        if len(owned) == 1:
            action = owned[0]
            summary = f"New action for you{_where(result)}: {action.ref} {action.text}"
            heading = f"New action for you{_where(result)}"
        else:
            summary = f"{_plural(len(owned), 'new action')} for you{_where(result)}: " + ", ".join(
                refs
            )
            heading = f"{_plural(len(owned), 'new action')} for you{_where(result)}"
        blocks: list[Block] = [Heading(heading)]
        blocks.extend(_item(a, buttons=True, notes=False) for a in owned)
        example = refs[0] if len(refs) == 1 else "A-n"
        blocks.append(Paragraph.of(f"Reply `done {example}` when finished, or use the buttons."))
        out.append(Outgoing(ToMember(member_id), Message(summary, tuple(blocks)), action_refs=refs))
    return out
