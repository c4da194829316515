"""App Home: the member's open actions with their buttons; for chairs, the outstanding summary."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.slack import inbound, render
from bot.slack.context import SlackContext
from handlers.messages import Incoming, Message, Place
from store import directory

MAX_HOME_BLOCKS = 100


def _ask(ctx: SlackContext, user: str, member_id: int | None, text: str) -> Message | None:
    speaker = inbound.speaker_of(user, member_id, ctx.users.name_of(user))
    place = Place("slack", None, None, is_direct=True)
    answers = ctx.conversation.handle(Incoming(text, speaker, place, ctx.chaser.clock()))
    return answers[0].message if answers else None


def _is_officer(ctx: SlackContext, member_id: int) -> bool:
    with ctx.chaser.sessions() as session:
        return directory.is_chair_or_secretary(session, member_id, None)


def home_view(ctx: SlackContext, user: str) -> dict[str, Any]:
    """The Home tab for one Slack user."""
    member_id = ctx.users.member_for(user)
    blocks: list[dict[str, Any]] = []
    if member_id is None:
        text = (
            "I don't know you yet: ask the secretary to add you (with your email) to the "
            "partnership directory, then your actions will show here."
        )
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": render.escape(text)}})
    else:
        mine = _ask(ctx, user, member_id, "my actions")
        if mine is not None:
            blocks.extend(render.blocks_of(mine))
        if _is_officer(ctx, member_id):
            summary = _ask(ctx, user, member_id, "outstanding")
            if summary is not None:
                blocks.append({"type": "divider"})
                blocks.extend(render.blocks_of(summary))
    if len(blocks) > MAX_HOME_BLOCKS:
        blocks = [
            *blocks[: MAX_HOME_BLOCKS - 1],
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "…and more."}]},
        ]
    return {"type": "home", "callback_id": "chaser_home", "blocks": blocks}


def publish(ctx: SlackContext, user: str) -> None:
    """Publish (or refresh) one user's Home tab."""
    ctx.notifier.bot_token()
    ctx.notifier.client.views_publish(user_id=user, view=home_view(ctx, user))


def register(app: AsyncApp, ctx: SlackContext) -> None:
    """Refresh the Home tab whenever it is opened."""

    @app.event("app_home_opened")
    async def on_home(event: dict[str, Any]) -> None:
        user = event.get("user")
        if event.get("tab", "home") == "home" and isinstance(user, str) and user:
            await ctx.work(publish, ctx, user)
