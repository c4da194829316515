"""What owners say: done, update, snooze, not mine, my actions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from handlers.conversation.context import Context, to_member
from handlers.conversation.digest import sort_key
from handlers.conversation.lookup import card, find_action, not_found, unknown_speaker
from handlers.conversation.parser import Command
from handlers.conversation.permissions import chairs, may_change, may_manage, own_parts, who_can
from handlers.conversation.views import british, is_overdue, owner_name
from handlers.dates import parse_date_phrase
from handlers.messages import Heading, Outgoing, Paragraph
from store import actions as repo
from store import audit, directory
from store.models import Action, ActionOwner, ActionUpdate
from store.models.actions import CANCELLED, DECLINED, DONE, OPEN

MAX_REFS = 25  # actions one message may close or hand back ("done and A-5")


def _resolve(ctx: Context, cmd: Command, verb: str) -> Action | Outgoing:
    """The action the owner means: the ref given, the one captured in this thread, or their
    only open one (else ask which)."""
    if cmd.ref is not None:
        return find_action(ctx, cmd.ref) or not_found(ctx, cmd.ref)
    assert ctx.speaker_id is not None
    parts = repo.open_parts_for(ctx.session, ctx.speaker_id)
    here = [p for p in parts if _from_this_thread(ctx, p.action)]
    parts = here if len(here) == 1 else parts
    if not parts:
        return ctx.reply("You have no open actions.", Paragraph.of("You have no open actions. 🎉"))
    if len(parts) == 1:
        return parts[0].action
    example = f"{verb} {parts[0].action.ref}"
    ask = f'You have {len(parts)} open actions — which one? Say e.g. "{example}".'
    return ctx.reply(ask, Paragraph.of(ask), *(card(ctx, p.action) for p in parts))


def _from_this_thread(ctx: Context, action: Action) -> bool:
    place = ctx.place
    return (
        place.thread_id is not None
        and action.origin_thread == place.thread_id
        and action.origin_channel == place.channel_id
    )


def _each(
    ctx: Context, cmd: Command, one: Callable[[Context, Command], list[Outgoing]]
) -> list[Outgoing]:
    """Do ``one`` for every reference in the command; one reply in the place, then any DMs.

    More than :data:`MAX_REFS` references is refused whole, so a pasted list cannot grow the
    reply without bound."""
    refs = (cmd.ref, *cmd.more_refs)
    if len(refs) > MAX_REFS:
        text = (
            f"That names {len(refs):,} actions; I take up to {MAX_REFS} in one message, so "
            "nothing changed. Send them in smaller groups."
        )
        return [ctx.reply(text, Paragraph.of(text))]
    here: list[Outgoing] = []
    rest: list[Outgoing] = []
    for ref in refs:
        first, *others = one(ctx, replace(cmd, ref=ref, more_refs=()))
        here.append(first)
        rest += others
    return [ctx.combine(here), *rest]


def record(ctx: Context, action: Action, event: str, **detail: object) -> None:
    """Audit one change to an action, by the speaker, from this place."""
    audit.record(
        ctx.session,
        actor=ctx.speaker_name,
        actor_id=ctx.speaker_id,
        via=ctx.via,
        entity="action",
        entity_id=action.id,
        event=event,
        ref=action.ref,
        **detail,
    )


def _add_update(ctx: Context, action: Action, text: str) -> None:
    action.updates.append(
        ActionUpdate(
            member_id=ctx.speaker_id, author=ctx.speaker_name, text=text, created_at=ctx.now
        )
    )


def done(ctx: Context, cmd: Command) -> list[Outgoing]:
    """Close the speaker's part (the whole action once every owner has closed)."""
    if ctx.speaker is None:
        return [unknown_speaker(ctx)]
    if cmd.more_refs:
        return _each(ctx, cmd, done)
    found = _resolve(ctx, cmd, "done")
    if isinstance(found, Outgoing):
        return [found]
    return [close(ctx, found, cmd.text)]


def close(ctx: Context, action: Action, note: str | None) -> Outgoing:
    """Mark done what the speaker may mark done; say so when it already was."""
    if action.status == DONE:
        text = f"{action.ref} is already done — nothing changed."
        return ctx.reply(text, Paragraph.of(text), card(ctx, action))
    if action.status == CANCELLED:
        text = f'{action.ref} was cancelled. Say "reopen {action.ref}" first if it is live again.'
        return ctx.reply(text, Paragraph.of(text))
    mine = own_parts(action, ctx.speaker_id)
    open_mine = [o for o in mine if o.status == OPEN]
    if not open_mine and mine and not may_manage(ctx, action):
        text = f"You've already closed your part of {action.ref} — nothing changed."
        return ctx.reply(text, Paragraph.of(text), card(ctx, action))
    if not open_mine and not may_manage(ctx, action):
        text = who_can(ctx, action, whole=False)
        return ctx.reply(text, Paragraph.of(text))
    parts = open_mine or [o for o in action.owners if o.status == OPEN]
    for owner in parts:
        _close_part(owner, ctx, note)
    if parts:
        record(ctx, action, "owner_done", owners=[owner_name(o) for o in parts], note=note)
    if note:
        _add_update(ctx, action, note)
    if not open_mine and not any(o.status == OPEN for o in action.owners):
        _close_action(ctx, action, note)
    elif repo.refresh_status(action, at=ctx.now, by_id=ctx.speaker_id):
        action.close_note = note
        record(ctx, action, "closed", note=note)
    return _after_close(ctx, action)


def _close_part(owner: ActionOwner, ctx: Context, note: str | None) -> None:
    owner.status = DONE
    owner.closed_at = ctx.now
    owner.next_chase_at = None
    if note:
        owner.note = note


def _close_action(ctx: Context, action: Action, note: str | None) -> None:
    action.status = DONE
    action.closed_at = ctx.now
    action.closed_by_id = ctx.speaker_id
    action.close_note = note
    record(ctx, action, "closed", note=note)


def _after_close(ctx: Context, action: Action) -> Outgoing:
    if action.status == DONE:
        text = f"Thanks — {action.ref} is done."
    else:
        waiting = ", ".join(owner_name(o) for o in action.owners if o.status == OPEN)
        text = f"Thanks — your part of {action.ref} is done. Still open with {waiting}."
    return ctx.reply(text, Paragraph.of(text), card(ctx, action), refs=(action.ref or "",))


def update(ctx: Context, cmd: Command) -> list[Outgoing]:
    """Add a progress note to an action."""
    if ctx.speaker is None:
        return [unknown_speaker(ctx)]
    found = _resolve(ctx, cmd, "update")
    if isinstance(found, Outgoing):
        return [found]
    action, note = found, cmd.text or ""
    if not note:
        text = f'What\'s the news? Say e.g. "update {action.ref}: waiting for police data".'
        return [ctx.reply(text, Paragraph.of(text))]
    if not may_change(ctx, action):
        text = who_can(ctx, action, whole=False)
        return [ctx.reply(text, Paragraph.of(text))]
    if action.updates and action.updates[-1].text == note:
        text = f"That note is already on {action.ref} — nothing changed."
        return [ctx.reply(text, Paragraph.of(text))]
    _add_update(ctx, action, note)
    record(ctx, action, "updated", note=note)
    text = f"Noted on {action.ref}."
    return [ctx.reply(text, Paragraph.of(text), card(ctx, action), refs=(action.ref or "",))]


def _my_open_part(ctx: Context, action: Action) -> ActionOwner | Outgoing:
    mine = own_parts(action, ctx.speaker_id)
    open_mine = [o for o in mine if o.status == OPEN]
    if open_mine and action.status == OPEN:
        return open_mine[0]
    if mine:
        text = f"Your part of {action.ref} is not open any more — nothing changed."
    else:
        text = f"You're not an owner of {action.ref}, so there's nothing of yours to change."
    return ctx.reply(text, Paragraph.of(text))


def snooze(ctx: Context, cmd: Command) -> list[Outgoing]:
    """Move the speaker's chasing of an action to a later day."""
    if ctx.speaker is None:
        return [unknown_speaker(ctx)]
    found = _resolve(ctx, cmd, "snooze")
    if isinstance(found, Outgoing):
        return [found]
    part = _my_open_part(ctx, found)
    if isinstance(part, Outgoing):
        return [part]
    phrase = cmd.text or "1 week"
    meetings = directory.meeting_dates(ctx.session, found.group_id) if found.group_id else []
    day = parse_date_phrase(phrase, today=ctx.today, meetings=meetings)
    if day is None or day == ctx.today or not ctx.plausible(day, years=1):
        text = (
            f'I couldn\'t read "{phrase}" as a later date. Try "snooze {found.ref} until Monday" '
            f'or "snooze {found.ref} 2 weeks".'
        )
        return [ctx.reply(text, Paragraph.of(text))]
    until = ctx.local_time(day)
    if part.snoozed_until == until:
        text = f"{found.ref} is already snoozed until {british(day)} — nothing changed."
        return [ctx.reply(text, Paragraph.of(text))]
    part.snoozed_until = until
    part.next_chase_at = until
    record(ctx, found, "snoozed", until=until.isoformat(), phrase=phrase)
    text = f"OK — I won't chase you about {found.ref} until {british(day)}."
    return [ctx.reply(text, Paragraph.of(text), card(ctx, found), refs=(found.ref or "",))]


def not_mine(ctx: Context, cmd: Command) -> list[Outgoing]:
    """Hand the speaker's part back to the chair for reassignment, keeping the reason."""
    if ctx.speaker is None:
        return [unknown_speaker(ctx)]
    if cmd.more_refs:
        return _each(ctx, cmd, not_mine)
    found = _resolve(ctx, cmd, "not mine")
    if isinstance(found, Outgoing):
        return [found]
    mine = own_parts(found, ctx.speaker_id)
    if any(o.status == DECLINED for o in mine) and not any(o.status == OPEN for o in mine):
        text = f"You've already handed {found.ref} back — nothing changed."
        return [ctx.reply(text, Paragraph.of(text))]
    part = _my_open_part(ctx, found)
    if isinstance(part, Outgoing):
        return [part]
    part.status = DECLINED
    part.note = cmd.text
    part.closed_at = ctx.now
    part.next_chase_at = None
    record(ctx, found, "declined", owner=owner_name(part), reason=cmd.text)
    told = [m for m in chairs(ctx.session, found.group_id) if m.id != ctx.speaker_id]
    names = ", ".join(m.name for m in told) or "the chair"
    text = f"Thanks — I've handed {found.ref} back to {names} to reassign."
    reason = f" ({cmd.text})" if cmd.text else ""
    notice = (
        f"{ctx.speaker_name} says {found.ref} is not theirs{reason}. "
        f'Reassign it with "assign {found.ref} to NAME".'
    )
    out = [ctx.reply(text, Paragraph.of(text))]
    private = card(ctx, found, private=True)
    out += [
        to_member(m.id, notice, Paragraph.of(notice), private, refs=(found.ref or "",))
        for m in told
    ]
    return out


def my_actions(ctx: Context, cmd: Command) -> list[Outgoing]:
    """The speaker's open actions, overdue first, with due dates and references."""
    if ctx.speaker is None:
        return [unknown_speaker(ctx)]
    parts = repo.open_parts_for(ctx.session, ctx.speaker.id)
    if not parts:
        text = "You have no open actions."
        return [ctx.reply(text, Paragraph.of(text))]
    unique = {p.action.id: p.action for p in parts}.values()
    actions = sorted(unique, key=sort_key(ctx.today))
    late = sum(is_overdue(a, ctx.today) for a in actions)
    title = f"Your open actions: {len(actions)}" + (f", {late} overdue" if late else "")
    cards = [card(ctx, a, buttons=True) for a in actions]
    return [ctx.reply(title, Heading(title), *cards)]
