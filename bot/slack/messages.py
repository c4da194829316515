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

log = logging.getLogger(__name__)


def said(ctx: SlackContext, event: dict[str, Any]) -> None:
    """Handle one person's message (runs in a worker thread, after the acknowledgement)."""
    if not all(isinstance(event.get(k), str) and event[k] for k in ("user", "channel", "ts")):
        log.warning("ignored a Slack message without its sender, channel or timestamp")
        return
    if not isinstance(event.get("text"), str):
        log.info("ignored a Slack message without text")
        return
    if not inbound.for_chaser(event, ctx.bot_user_id):
        return
    key = inbound.message_key(event["channel"], event["ts"])
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
            if inbound.for_chaser(event, ctx.bot_user_id):  # chatter costs no worker thread
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
