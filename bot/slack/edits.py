"""Edits and deletions of a message actions were captured from.

Editing the message re-reads it: an action whose line changed takes the new wording and due date,
an action whose line is gone is cancelled, new lines are captured (capture is idempotent per
line). Deleting the message cancels its open actions. Either way the thread gets a note. Each
edit (by its edit time) and each deletion is handled once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.slack import inbound
from bot.slack.context import SlackContext
from handlers.capture import capture, confirmation, owner_notifications
from handlers.extraction import ExtractedAction, extract_actions
from handlers.messages import Message, Outgoing, Paragraph, Place, ToPlace
from store import audit, directory
from store.models import Action
from store.models.actions import CANCELLED, OPEN


def _captured(session: Session, key: str) -> list[Action]:
    return list(
        session.scalars(
            select(Action).where(Action.source_key.like(f"{key}:%")).order_by(Action.id)
        )
    )


def _line_of(action: Action, key: str) -> int:
    return int((action.source_key or "").removeprefix(f"{key}:").split(".", 1)[0] or -1)


def _cancel(session: Session, action: Action, *, now: dt.datetime, why: str) -> None:
    action.status = CANCELLED
    action.closed_at = now
    action.close_note = why
    for owner in action.owners:
        if owner.status == OPEN:
            owner.next_chase_at = None
    audit.record(
        session,
        actor="slack",
        via="slack",
        entity="action",
        entity_id=action.id,
        event="cancelled",
        ref=action.ref,
        reason=why,
    )


def _revise(session: Session, action: Action, item: ExtractedAction) -> bool:
    if (action.text, action.due_date, action.due_text) == (item.text, item.due_date, item.due_text):
        return False
    due_moved = action.due_date != item.due_date
    before = {"text": action.text, "due": action.due_date.isoformat() if action.due_date else None}
    action.text, action.due_date, action.due_text = item.text, item.due_date, item.due_text
    action.due_unresolved = bool(item.due_unresolved)
    if due_moved:
        for owner in action.owners:
            owner.next_chase_at = None
    audit.record(
        session,
        actor="slack",
        via="slack",
        entity="action",
        entity_id=action.id,
        event="edited",
        ref=action.ref,
        before=before,
        text=item.text,
    )
    return True


def _note(place: Place, text: str) -> Outgoing:
    return Outgoing(ToPlace(place), Message(text, (Paragraph.of(text),)))


def changed(ctx: SlackContext, event: dict[str, Any]) -> None:
    """Bring the actions of an edited message in line with its new text (worker thread)."""
    new = dict(event.get("message") or {})
    channel, ts = str(event.get("channel") or ""), str(new.get("ts") or "")
    edited = str((new.get("edited") or {}).get("ts") or event.get("event_ts") or "")
    if (
        not (channel and ts and new.get("user"))
        or new.get("bot_id")
        or new["user"] == ctx.bot_user_id
    ):
        return
    new["channel"], new["channel_type"] = channel, event.get("channel_type")
    key = inbound.message_key(channel, ts)
    text = inbound.translate(
        str(new.get("text") or ""),
        sessions=ctx.chaser.sessions,
        bot_user_id=ctx.bot_user_id,
        slack_name=ctx.users.name_of,
    )
    place = inbound.place_of(channel, ts, new.get("thread_ts"), event.get("channel_type"))
    with ctx.chaser.sessions() as session:
        known = session.scalar(select(Action.id).where(Action.source_key.like(f"{key}:%")).limit(1))
    if known is None:
        if inbound.for_chaser(new, ctx.bot_user_id):
            ctx.say(ctx.incoming(new, str(new.get("text") or ""), f"{key}:edit:{edited}"))
        return
    with ctx.chaser.sessions() as session, session.begin():
        if not audit.claim_event(session, f"{key}:edit:{edited}"):
            return
        answers = _apply_edit(
            ctx, session, _captured(session, key), key, text, place, str(new["user"])
        )
    ctx.deliver(answers)


def _reconcile(
    session: Session,
    existing: list[Action],
    key: str,
    found: dict[int, ExtractedAction],
    now: dt.datetime,
) -> tuple[list[str], list[str]]:
    """Revise the open actions whose line changed, cancel those whose line is gone."""
    revised, cancelled = [], []
    for action in existing:
        item = found.get(_line_of(action, key))
        if action.status != OPEN:
            continue
        if item is None:
            _cancel(session, action, now=now, why="removed from the message when it was edited")
            cancelled.append(action.ref or "")
        elif _revise(session, action, item):
            revised.append(action.ref or "")
    return revised, cancelled


def _apply_edit(
    ctx: SlackContext,
    session: Session,
    existing: list[Action],
    key: str,
    text: str,
    place: Place,
    user: str,
) -> list[Outgoing]:
    now = ctx.chaser.clock()
    group = directory.group_for_channel(session, "slack", place.channel_id or "")
    group = group or directory.board(session)
    today = now.astimezone(ctx.chaser.zone).date()
    calendar = directory.meeting_dates(session, group.id) if group is not None else []
    lines = extract_actions(text, meeting_date=today, meetings=calendar)
    revised, cancelled = _reconcile(session, existing, key, {i.line: i for i in lines}, now)
    member = directory.member_by_platform(session, "slack", user)
    result = capture(
        session,
        text,
        via="slack",
        source_key=key,
        group_id=group.id if group else None,
        meeting_date=today,
        created_by_id=member.id if member else None,
        actor=member.name if member else user,
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


def deleted(ctx: SlackContext, event: dict[str, Any]) -> None:
    """Cancel the open actions of a deleted message and say so in its thread (worker thread)."""
    channel = str(event.get("channel") or "")
    ts = str(event.get("deleted_ts") or (event.get("previous_message") or {}).get("ts") or "")
    if not (channel and ts):
        return
    key = inbound.message_key(channel, ts)
    with ctx.chaser.sessions() as session, session.begin():
        if not audit.claim_event(session, f"{key}:deleted"):
            return
        open_ones = [a for a in _captured(session, key) if a.status == OPEN]
        for action in open_ones:
            _cancel(
                session, action, now=ctx.chaser.clock(), why="the message it came from was deleted"
            )
        refs = [a.ref or "" for a in open_ones]
        thread = open_ones[0].origin_thread if open_ones else None
    if refs:
        text = (
            f"The message with {', '.join(refs)} was deleted, so I've cancelled "
            f'{"it" if len(refs) == 1 else "them"}. Say "reopen {refs[0]}" if that was a mistake.'
        )
        ctx.deliver([_note(Place("slack", channel, thread or ts), text)])
