"""Slack edits and deletions of a message actions were captured from.

The Slack side only translates: it works out the message's key, its new text in plain words and
its thread, claims the delivery once (by edit time, or the deletion), and hands the decision to
handlers.source_edits.
"""

from __future__ import annotations

from typing import Any

from bot.slack import inbound
from bot.slack.context import SlackContext
from handlers.conversation.parser import parse
from handlers.messages import Place
from handlers.source_edits import SourceEdit, apply_edit, cancel_deleted
from store import audit, directory
from store.actions import captured_from


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
        known = bool(captured_from(session, key))
    if not known and parse(text).intent != "capture":
        # not a source of actions, and none added: an edited question or command is answered
        if inbound.for_chaser(new, ctx.bot_user_id):
            ctx.say(ctx.incoming(new, str(new.get("text") or ""), f"{key}:edit:{edited}"))
        return
    # actions (now) in it: they are kept under the message's own key, however often it is edited
    with ctx.chaser.sessions() as session, session.begin():
        if not audit.claim_event(session, f"{key}:edit:{edited}"):
            return
        member = directory.member_by_platform(session, "slack", str(new["user"]))
        edit = SourceEdit(
            source_key=key,
            text=text,
            place=place,
            member_id=member.id if member else None,
            actor=member.name if member else str(new["user"]),
            via="slack",
            now=ctx.chaser.clock(),
            zone=ctx.chaser.zone,
        )
        answers = apply_edit(session, edit)
    ctx.deliver(answers)


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
        answers = cancel_deleted(
            session,
            key,
            Place("slack", channel, ts),
            actor="slack",
            via="slack",
            now=ctx.chaser.clock(),
        )
    ctx.deliver(answers)
