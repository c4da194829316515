"""A ✅ reaction by an owner on the message an action was captured from closes their part.

The reaction is said to the conversation as "done A-12" from the reacting person, in the thread
of that message, once per action (a removed and re-added reaction changes nothing).
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.slack import inbound
from bot.slack.context import SlackContext
from handlers.messages import Incoming
from store.actions import owned_from_message

DONE_REACTIONS = frozenset({"white_check_mark", "heavy_check_mark", "ballot_box_with_check"})


def reacted(ctx: SlackContext, event: dict[str, Any]) -> None:
    """Close the reacting owner's parts of the actions in that message (worker thread)."""
    item = event.get("item") or {}
    user = str(event.get("user") or "")
    channel, ts = str(item.get("channel") or ""), str(item.get("ts") or "")
    if not (user and channel and ts):
        return
    member_id = ctx.users.member_for(user)
    if member_id is None:
        return
    speaker = inbound.speaker_of(user, member_id, ctx.users.name_of(user))
    key = inbound.message_key(channel, ts)
    with ctx.chaser.sessions() as session:
        owned = owned_from_message(
            session, source_key=key, channel=channel, ts=ts, member_id=member_id
        )
    for ref, thread in owned:
        place = inbound.place_of(channel, ts, thread, None)
        key = f"slack:reaction:{channel}:{ts}:{user}:{ref}"
        ctx.say(Incoming(f"done {ref}", speaker, place, ctx.chaser.clock(), event_key=key))


def register(app: AsyncApp, ctx: SlackContext) -> None:
    """Listen to reactions (other reactions and removals are acknowledged and ignored)."""

    @app.event("reaction_added")
    async def on_reaction(event: dict[str, Any]) -> None:
        if (
            event.get("reaction") in DONE_REACTIONS
            and (event.get("item") or {}).get("type") == "message"
        ):
            await ctx.work(reacted, ctx, event)

    @app.event("reaction_removed")
    async def on_unreaction() -> None:
        return None
