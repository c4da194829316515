"""The message shortcut "Capture actions": run extraction on any message, replying in its thread."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.webhook import WebhookClient

from bot.slack import inbound
from bot.slack.context import SlackContext

log = logging.getLogger(__name__)

CALLBACK_ID = "capture_actions"


def capture(ctx: SlackContext, body: dict[str, Any]) -> None:
    """Capture the actions in the chosen message (worker thread)."""
    message = body.get("message") or {}
    named = body.get("channel")
    channel = str((named.get("id") if isinstance(named, dict) else None) or "")
    ts = str(message.get("ts") or "")
    user = inbound.user_of(body)
    if user is None or not (channel and ts):
        log.warning("ignored a Capture actions shortcut without its person or message")
        return
    event = {
        "user": user,
        "channel": channel,
        "ts": ts,
        "thread_ts": message.get("thread_ts"),
    }
    incoming = ctx.incoming(event, str(message.get("text") or ""), inbound.message_key(channel, ts))
    if not ctx.say(incoming) and body.get("response_url"):
        WebhookClient(str(body["response_url"])).send(
            text="I've already read that message — its actions are in its thread.",
            response_type="ephemeral",
            replace_original=False,
        )


def register(app: AsyncApp, ctx: SlackContext) -> None:
    """Acknowledge the shortcut at once; capture after."""

    @app.shortcut(CALLBACK_ID)
    async def on_shortcut(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        await ctx.work(capture, ctx, body)
