"""The ``/actions`` slash command: every conversation command, answered privately to the asker.

``/actions`` (outstanding here), ``/actions mine``, ``/actions overdue``, ``/actions @user``,
``/actions export [csv|md|docx]`` and anything else the conversation understands
(``/actions done A-12``). Answers go back through the command's response URL (only the asker sees
them); an exported action log is uploaded to the asker's direct messages.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.webhook import WebhookClient

from bot.slack import inbound, render
from bot.slack.context import SlackContext
from handlers.messages import Incoming, Message, Outgoing, Paragraph, Place, ToPlace

log = logging.getLogger(__name__)

COMMAND = "/actions"
_NEEDED = ("user_id", "channel_id", "response_url")  # and ``text``, which may be empty
_USER_ONLY = re.compile(r"^\s*<@([UW][A-Z0-9]+)(?:\|[^>]*)?>\s*$")
_WORDS = {
    "": "outstanding",
    "mine": "my actions",
    "my": "my actions",
    "overdue": "overdue",
    "all": "outstanding",
    "open": "outstanding",
}


def command_text(ctx: SlackContext, text: str) -> str:
    """What ``/actions <text>`` means in the conversation's words."""
    stripped = text.strip()
    if stripped.lower() in _WORDS:
        return _WORDS[stripped.lower()]
    user_only = _USER_ONLY.match(stripped)
    plain = inbound.translate(
        stripped,
        sessions=ctx.chaser.sessions,
        bot_user_id=ctx.bot_user_id,
        slack_name=ctx.users.name_of,
    )
    if user_only or (stripped.startswith("@") and len(stripped.split()) <= 3):
        return f"actions for {plain.lstrip('@')}"
    if stripped.lower().startswith("export"):
        return "export actions" + stripped[len("export") :]
    return plain


def _respond(response_url: str, message: Message) -> None:
    blocks = render.blocks_of(message)
    WebhookClient(response_url).send(
        text=render.fallback_text(message),
        blocks=blocks or None,
        response_type="ephemeral",
        replace_original=False,
    )


def run(ctx: SlackContext, body: dict[str, Any]) -> None:
    """Answer one /actions command (worker thread)."""
    user, channel = str(body["user_id"]), str(body["channel_id"])
    place = Place("slack", channel, None, is_direct=channel.startswith("D"))
    speaker = inbound.speaker_of(user, ctx.users.member_for(user), ctx.users.name_of(user))
    text = command_text(ctx, str(body.get("text") or ""))
    key = f"slack:command:{body.get('trigger_id') or body.get('response_url')}"
    ctx.users.link_members()
    answers = ctx.conversation.handle(
        Incoming(text, speaker, place, ctx.chaser.clock(), event_key=key)
    )
    for answer in answers:
        if not (isinstance(answer.to, ToPlace) and answer.to.place == place):
            ctx.deliver([answer])
            continue
        files = render.attachments_of(answer.message)
        shown = [b for b in answer.message.blocks if b not in files]
        if files and speaker.member_id is not None:
            dm = Place("slack", ctx.notifier.dm_channel(speaker.member_id), None, is_direct=True)
            ctx.deliver([Outgoing(ToPlace(dm), Message(answer.message.summary, tuple(files)))])
            note = "I've sent the action log to you in a direct message."
            shown.append(Paragraph.of(note))
        _respond(str(body["response_url"]), Message(answer.message.summary, tuple(shown)))


def register(app: AsyncApp, ctx: SlackContext) -> None:
    """Acknowledge /actions at once; answer after."""

    @app.command(COMMAND)
    async def on_command(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        if "text" not in body or not all(body.get(k) for k in _NEEDED):
            log.warning("ignored a /actions command without its text, user, channel or answer URL")
            return
        await ctx.work(run, ctx, body)
