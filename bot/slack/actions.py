"""Buttons on action cards: Done, Snooze (a menu of choices), Update (a modal), Not mine, Reopen.

A press becomes a :class:`ButtonPress`; the answer replaces the pressed message in place
(chat.update), and when something changed the thread the action was captured in gets a short note.
A double click or a replayed payload has the same key, so it changes and sends nothing.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any, Literal, cast

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack import home, inbound
from bot.slack.context import SlackContext
from handlers.messages import ButtonPress, Message, Outgoing, Paragraph, Place, ToPlace
from store import actions as repo
from store import audit

log = logging.getLogger(__name__)

Kind = Literal["done", "snooze", "update", "not_mine", "reopen"]
UPDATE_VIEW = "chaser_update_modal"
_NOTES = {
    "done": "marked their part done",
    "snooze": "snoozed their reminders",
    "update": "added an update",
    "not_mine": "said it is not theirs",
    "reopen": "reopened it",
}


def _history_size(ctx: SlackContext, ref: str) -> tuple[int, str | None, str | None, bool]:
    with ctx.chaser.sessions() as session:
        action = repo.get(session, ref)
        if action is None:
            return 0, None, None, False
        size = len(audit.history(session, "action", action.id))
        return size, action.origin_channel, action.origin_thread, action.restricted


def press(
    ctx: SlackContext,
    body: dict[str, Any],
    kind: Kind,
    ref: str,
    value: str | None,
    where: tuple[str | None, str | None],
) -> None:
    """Apply one button press and show the result (runs in a worker thread)."""
    user = inbound.user_of(body)
    if user is None or not ref:
        log.warning("ignored a Slack button press without its person or action")
        return
    channel, message_ts = where
    place = (
        inbound.place_of(channel, None, None, None) if channel else Place("slack", is_direct=True)
    )
    key = f"slack:press:{channel or 'home'}:{message_ts or '-'}:{kind}:{ref}:{value or ''}:{user}"
    speaker = inbound.speaker_of(user, ctx.users.member_for(user), ctx.users.name_of(user))
    before, origin_channel, origin_thread, restricted = _history_size(ctx, ref)
    answers = ctx.conversation.press(
        ButtonPress(kind, ref, speaker, place, ctx.chaser.clock(), value, key)
    )
    if not answers:
        return
    rest = _show_in_place(ctx, answers, place, channel, message_ts)
    ctx.deliver(rest)
    if channel is None:
        home.publish(ctx, user)
    after = _history_size(ctx, ref)[0]
    if after > before and origin_channel and origin_thread and origin_channel != channel:
        note = f"{speaker.display_name} {_NOTES[kind]} on {ref}" + (
            f": {value}" if kind == "update" and value and not restricted else "."
        )
        ctx.deliver(
            [
                Outgoing(
                    ToPlace(Place("slack", origin_channel, origin_thread)),
                    Message(note, (Paragraph.of(note),)),
                )
            ]
        )


def _show_in_place(
    ctx: SlackContext,
    answers: list[Outgoing],
    place: Place,
    channel: str | None,
    message_ts: str | None,
) -> list[Outgoing]:
    """Replace the pressed message with the first answer to the press's place; return the rest."""
    first = answers[0]
    if not isinstance(first.to, ToPlace) or first.to.place != place:
        return answers
    if channel and message_ts:
        ctx.notifier.update(channel, message_ts, first.message)
    return answers[1:]


def _where(body: dict[str, Any]) -> tuple[str | None, str | None]:
    container = body.get("container") or {}
    named = body.get("channel")
    channel = container.get("channel_id") or (named.get("id") if isinstance(named, dict) else None)
    return _text_or_none(channel), _text_or_none(container.get("message_ts"))


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _saved_update(view: dict[str, Any]) -> tuple[str, str, tuple[str | None, str | None]] | None:
    """(ref, text, where) from a submitted update modal; None when the view is not one of ours."""
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
        text = view["state"]["values"]["note"]["text"].get("value")
    except (ValueError, RecursionError, KeyError, TypeError, AttributeError):
        return None
    if not isinstance(meta, dict):
        return None
    where = (_text_or_none(meta.get("channel")), _text_or_none(meta.get("ts")))
    return str(meta.get("ref", "")), str(text or "").strip(), where


def update_modal(ref: str, where: tuple[str | None, str | None]) -> dict[str, Any]:
    """The modal that asks for an update's text."""
    return {
        "type": "modal",
        "callback_id": UPDATE_VIEW,
        "private_metadata": json.dumps({"ref": ref, "channel": where[0], "ts": where[1]}),
        "title": {"type": "plain_text", "text": f"Update {ref}"[:24]},
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {
                "type": "input",
                "block_id": "note",
                "label": {"type": "plain_text", "text": "What's the news?"},
                "element": {"type": "plain_text_input", "action_id": "text", "multiline": True},
            }
        ],
    }


def register(app: AsyncApp, ctx: SlackContext) -> None:
    """Listen to card buttons, the snooze menu and the update modal."""

    @app.action(re.compile(r"^chaser_(done|not_mine|reopen)$"))
    async def on_button(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        kind = cast(Kind, str(action["action_id"]).removeprefix("chaser_"))
        await ctx.work(press, ctx, body, kind, str(action.get("value", "")), None, _where(body))

    @app.action("chaser_snooze")
    async def on_snooze(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        ref, _, choice = str((action.get("selected_option") or {}).get("value", "")).partition("|")
        await ctx.work(press, ctx, body, "snooze", ref, choice or None, _where(body))

    @app.action("chaser_update")
    async def on_update(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        trigger = _text_or_none(body.get("trigger_id"))
        if trigger is None:
            log.warning("ignored an Update press without a trigger to open the form with")
            return
        view = update_modal(str(action.get("value", "")), _where(body))
        await client.views_open(trigger_id=trigger, view=view)

    @app.view(UPDATE_VIEW)
    async def on_update_saved(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        await ack()
        saved = _saved_update(view)
        if saved is None:
            log.warning("ignored an update form that Chaser could not read")
            return
        ref, text, where = saved
        await ctx.work(press, ctx, body, "update", ref, text, where)
