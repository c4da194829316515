"""Minutes uploaded to a channel with Chaser in it (.txt, .md, .docx): downloaded and captured.

The file is fetched with the bot token (Slack's private file URLs need it), turned into text and
said to the conversation as the upload's content, keyed by the file id so a re-share adds nothing.
A file over the upload limit is refused with a note before anything is downloaded.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot.downloads import UploadRefused, read_minutes
from bot.slack import inbound
from bot.slack.context import SlackContext
from handlers.documents import is_readable
from handlers.messages import Incoming, Message, Outgoing, Paragraph, Place, ToPlace

log = logging.getLogger(__name__)


def _bearer(token: str | None) -> dict[str, str]:
    """Slack's private file URLs need the bot token."""
    return {"Authorization": f"Bearer {token or ''}"}


def _note(ctx: SlackContext, place: Place, text: str) -> None:
    ctx.deliver([Outgoing(ToPlace(place), Message(text, (Paragraph.of(text),)))])


def shared(ctx: SlackContext, event: dict[str, Any]) -> None:
    """Capture the actions in one shared minutes file (worker thread)."""
    file_id = str(event.get("file_id") or (event.get("file") or {}).get("id") or "")
    channel, user = str(event.get("channel_id") or ""), str(event.get("user_id") or "")
    if not (file_id and channel and user) or channel.startswith("D"):
        return
    token = ctx.notifier.bot_token()
    try:
        info = ctx.notifier.client.files_info(file=file_id)["file"]
    except SlackApiError as exc:
        log.warning("could not look up a shared file: %s", exc.response.get("error"))
        return
    name = str(info.get("name") or "")
    if not is_readable(name):
        return
    place = inbound.place_of(channel, None, None, None)
    size = info.get("size")
    url = str(info.get("url_private_download") or info.get("url_private") or "")
    try:
        text = read_minutes(
            name, url, size=size if isinstance(size, int) else None, headers=_bearer(token)
        )
    except UploadRefused as refused:
        _note(ctx, place, str(refused))
        return
    speaker = inbound.speaker_of(user, ctx.users.member_for(user), ctx.users.name_of(user))
    key = f"slack:file:{file_id}"
    ctx.say(Incoming(text, speaker, place, ctx.chaser.clock(), event_key=key, document=name))


def register(app: AsyncApp, ctx: SlackContext) -> None:
    """Listen to file shares (other file events are acknowledged and ignored)."""

    @app.event("file_shared")
    async def on_file(event: dict[str, Any]) -> None:
        await ctx.work(shared, ctx, event)
