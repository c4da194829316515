"""Message events: what is said in channels, threads and DMs; edits and deletions of messages.

In a DM everything is for Chaser. In a channel Chaser answers when it is mentioned, captures
messages that hold actions, and hears owner replies ("done") in threads; other chatter is left
alone. Slack retries and the app_mention twin of a channel message share one key
(``slack:<channel>:<ts>``), so each message is handled once.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from bot.slack import edits, inbound
from bot.slack.context import SlackContext
from handlers.conversation.parser import parse

log = logging.getLogger(__name__)

THREAD_INTENTS = frozenset({"done", "update", "snooze", "not_mine"})


def message_key(channel: str, ts: str) -> str:
    """The idempotency key of one Slack message."""
    return f"slack:{channel}:{ts}"


def for_chaser(ctx: SlackContext, event: dict[str, Any]) -> bool:
    """Whether a person's message is addressed to Chaser (or holds actions to capture)."""
    if str(event.get("channel", "")).startswith("D") or event.get("channel_type") == "im":
        return True
    text = str(event.get("text") or "")
    if ctx.bot_user_id and f"<@{ctx.bot_user_id}" in text:
        return True
    intent = parse(inbound.plain_text(text, bot_user_id=ctx.bot_user_id, name_of=str)).intent
    if intent == "capture":
        return True
    in_thread = event.get("thread_ts") not in (None, event.get("ts"))
    return in_thread and intent in THREAD_INTENTS


def said(ctx: SlackContext, event: dict[str, Any]) -> None:
    """Handle one person's message (runs in a worker thread, after the acknowledgement)."""
    if not for_chaser(ctx, event):
        return
    key = message_key(str(event["channel"]), str(event["ts"]))
    ctx.say(ctx.incoming(event, str(event.get("text") or ""), key))


def _learn_bot(ctx: SlackContext, context: AsyncBoltContext) -> None:
    if context.bot_user_id and not ctx.bot_user_id:
        ctx.bot_user_id = context.bot_user_id


def register(app: AsyncApp, ctx: SlackContext) -> None:
    """Listen to message events and @mentions."""

    @app.event("message")
    async def on_message(event: dict[str, Any], context: AsyncBoltContext) -> None:
        _learn_bot(ctx, context)
        subtype = event.get("subtype")
        if inbound.is_human_message(event):
            await ctx.work(said, ctx, event)
        elif subtype == "message_changed":
            await ctx.work(edits.changed, ctx, event)
        elif subtype == "message_deleted":
            await ctx.work(edits.deleted, ctx, event)

    @app.event("app_mention")
    async def on_mention(event: dict[str, Any], context: AsyncBoltContext) -> None:
        _learn_bot(ctx, context)
        if event.get("user") and not event.get("bot_id"):
            await ctx.work(said, ctx, event)
