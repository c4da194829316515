"""What chairs and secretaries (and an action's creator) say: assign, due, cancel, reopen,
restrict and unrestrict."""

from __future__ import annotations

import re

from handlers.conversation.context import Context, to_member
from handlers.conversation.lookup import card, find_action, not_found, unknown_speaker
from handlers.conversation.owners import record
from handlers.conversation.parser import Command
from handlers.conversation.permissions import may_manage, own_parts, who_can
from handlers.conversation.views import british, owner_name
from handlers.dates import parse_date_phrase
from handlers.messages import Outgoing, Paragraph
from store import directory
from store.models import Action, ActionOwner, Member
from store.models.actions import CANCELLED, DONE, OPEN

_SLACK_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")


def _say(ctx: Context, text: str, action: Action | None = None) -> list[Outgoing]:
    blocks = [Paragraph.of(text)] + ([card(ctx, action)] if action is not None else [])
    refs = (action.ref or "",) if action is not None else ()
    return [ctx.reply(text, *blocks, refs=refs)]


def _named(ctx: Context, cmd: Command) -> Action | list[Outgoing]:
    """The action named by a known speaker; otherwise the reply saying what is wrong."""
    if ctx.speaker is None:
        return [unknown_speaker(ctx)]
    assert cmd.ref is not None
    action = find_action(ctx, cmd.ref)
    if action is None:
        return [not_found(ctx, cmd.ref)]
    return action


def _managed(ctx: Context, cmd: Command) -> Action | list[Outgoing]:
    """The action named, when the speaker may manage it; otherwise the reply saying why not."""
    action = _named(ctx, cmd)
    if not isinstance(action, Action):
        return action
    if not may_manage(ctx, action):
        return _say(ctx, who_can(ctx, action, whole=True))
    return action


def member_named(ctx: Context, written: str) -> Member | None:
    """A member from a platform mention ("<@U123>") or a name ("@Fiona Taylor", "Fiona Taylor")."""
    mention = _SLACK_MENTION.fullmatch(written.strip())
    if mention:
        return directory.member_by_platform(ctx.session, "slack", mention.group(1))
    name = re.sub(r"^@|</?at>", "", written.strip()).strip()
    return directory.member_by_name(ctx.session, name)


def assign(ctx: Context, cmd: Command) -> list[Outgoing]:
    """Give an action to a member (replacing owners nobody could match), and tell them."""
    found = _managed(ctx, cmd)
    if not isinstance(found, Action):
        return found
    if found.status != OPEN:
        return _say(ctx, f'{found.ref} is {found.status}. Say "reopen {found.ref}" first.')
    member = member_named(ctx, cmd.text or "")
    if member is None:
        return _say(
            ctx,
            f'I don\'t know anyone called "{cmd.text}". The secretary adds people to the '
            "directory (`chaser directory import partnership.yml`).",
        )
    if any(o.status == OPEN for o in own_parts(found, member.id)):
        return _say(ctx, f"{member.name} already owns {found.ref} — nothing changed.", found)
    _give(found, member)
    record(ctx, found, "assigned", to=member.name, member_id=member.id)
    out = _say(ctx, f"{found.ref} is now with {member.name}.", found)
    if member.id != ctx.speaker_id:
        note = f"{ctx.speaker_name} assigned you {found.ref}."
        private = card(ctx, found, buttons=True, private=True)
        out.append(to_member(member.id, note, Paragraph.of(note), private, refs=(found.ref or "",)))
    return out


def _give(action: Action, member: Member) -> None:
    for owner in action.owners:
        if owner.status == OPEN and owner.member_id is None:
            owner.status = CANCELLED
            owner.note = f"replaced by assignment to {member.name}"
            owner.next_chase_at = None
    previous = own_parts(action, member.id)
    if previous:
        row = previous[0]
        row.status, row.closed_at, row.note, row.match_status = OPEN, None, None, "assigned"
        row.next_chase_at = None
        return
    position = max((o.position for o in action.owners), default=-1) + 1
    action.owners.append(
        ActionOwner(
            position=position,
            written=member.name,
            member_id=member.id,
            member=member,
            match_status="assigned",
            status=OPEN,
        )
    )


def due(ctx: Context, cmd: Command) -> list[Outgoing]:
    """Set an action's due date; chasing is recomputed for its open owners."""
    found = _managed(ctx, cmd)
    if not isinstance(found, Action):
        return found
    phrase = cmd.text or ""
    meetings = directory.meeting_dates(ctx.session, found.group_id) if found.group_id else []
    day = parse_date_phrase(phrase, today=ctx.today, meetings=meetings)
    if day is None or not ctx.plausible(day, years=10, past=True):
        return _say(ctx, f'I couldn\'t read "{phrase}" as a date. Try "due {found.ref} 30 June".')
    if found.due_date == day:
        return _say(ctx, f"{found.ref} is already due {british(day)} — nothing changed.", found)
    before = found.due_date.isoformat() if found.due_date else None
    found.due_date, found.due_text, found.due_unresolved = day, phrase, False
    for owner in found.owners:
        if owner.status == OPEN:
            # a new deadline starts the chase afresh: reminders recomputed, escalation re-armed
            owner.next_chase_at = None
            owner.overdue_chases = 0
            owner.escalated_at = None
    record(ctx, found, "due_changed", before=before, after=day.isoformat(), phrase=phrase)
    return _say(ctx, f"{found.ref} is now due {british(day)}.", found)


def cancel(ctx: Context, cmd: Command) -> list[Outgoing]:
    """Cancel an action (kept, never deleted), with the reason."""
    found = _managed(ctx, cmd)
    if not isinstance(found, Action):
        return found
    if found.status == CANCELLED:
        return _say(ctx, f"{found.ref} is already cancelled — nothing changed.")
    if found.status == DONE:
        return _say(ctx, f"{found.ref} is already done, so there is nothing to cancel.")
    found.status, found.closed_at, found.closed_by_id = CANCELLED, ctx.now, ctx.speaker_id
    found.close_note = cmd.text
    for owner in found.owners:
        if owner.status == OPEN:
            owner.status, owner.next_chase_at = CANCELLED, None
    record(ctx, found, "cancelled", reason=cmd.text)
    reason = f" ({cmd.text})" if cmd.text else ""
    return _say(ctx, f"{found.ref} is cancelled{reason}. It stays in the log.", found)


def reopen(ctx: Context, cmd: Command) -> list[Outgoing]:
    """Reopen an action (managers), or an owner's own closed part."""
    action = _named(ctx, cmd)
    if not isinstance(action, Action):
        return action
    mine = [o for o in own_parts(action, ctx.speaker_id) if o.status == DONE]
    manager = may_manage(ctx, action)
    if action.status == OPEN and not mine:
        return _say(ctx, f"{action.ref} is already open — nothing changed.", action)
    if not manager and not mine:
        return _say(ctx, who_can(ctx, action, whole=False))
    parts = mine if not manager else [o for o in action.owners if o.status in (DONE, CANCELLED)]
    for owner in parts:
        owner.status, owner.closed_at, owner.next_chase_at = OPEN, None, None
    if action.status != OPEN:
        action.status, action.closed_at, action.closed_by_id = OPEN, None, None
        action.close_note = None
    record(ctx, action, "reopened", owners=[owner_name(o) for o in parts], reason=cmd.text)
    return _say(ctx, f"{action.ref} is open again.", action)


def restrict(ctx: Context, cmd: Command) -> list[Outgoing]:
    """Restrict an action: from now on only its owners, the chair and the secretary see it."""
    found = _managed(ctx, cmd)
    if not isinstance(found, Action):
        return found
    if found.restricted:
        return _say(ctx, f"{found.ref} is already restricted — nothing changed.", found)
    found.restricted = True
    record(ctx, found, "restricted", reason=cmd.text)
    text = (
        f"{found.ref} is restricted: from now on only its owners, the chair and the secretary "
        "see its wording. Messages already posted are not changed; delete any that should go."
    )
    return _say(ctx, text, found)


def unrestrict(ctx: Context, cmd: Command) -> list[Outgoing]:
    """Lift the restriction (the chair or secretary of the action's group only)."""
    found = _named(ctx, cmd)
    if not isinstance(found, Action):
        return found
    assert ctx.speaker is not None  # _named answered an unknown speaker
    if not directory.is_chair_or_secretary(ctx.session, ctx.speaker.id, found.group_id):
        return _say(ctx, f"Only the chair or secretary can lift the restriction on {found.ref}.")
    if not found.restricted:
        return _say(ctx, f"{found.ref} is not restricted — nothing changed.", found)
    found.restricted = False
    record(ctx, found, "unrestricted", reason=cmd.text)
    return _say(ctx, f"{found.ref} is no longer restricted: it shows wherever actions are listed.")
