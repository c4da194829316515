"""Minutes uploaded to a channel with Chaser in it (.txt, .md, .docx): downloaded and captured.

The file is fetched with the bot token (Slack's private file URLs need it), turned into text and
said to the conversation as the upload's content, keyed by the file id so a re-share adds nothing.
"""

from __future__ import annotations

import io
import logging
import urllib.request
from pathlib import PurePath
from typing import Any
from zipfile import BadZipFile

from docx import Document as read_docx
from docx.opc.exceptions import PackageNotFoundError
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot.slack import inbound
from bot.slack.context import SlackContext
from handlers.messages import Incoming, Message, Outgoing, Paragraph, ToPlace

log = logging.getLogger(__name__)

MINUTES = frozenset({".txt", ".md", ".docx"})
MAX_BYTES = 5 * 1024 * 1024


def document_text(name: str, content: bytes) -> str:
    """The words of a minutes file: plain text as is, a Word file's paragraphs and table rows."""
    if PurePath(name).suffix.lower() != ".docx":
        return content.decode("utf-8", errors="replace")
    doc = read_docx(io.BytesIO(content))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text.strip() for cell in row.cells))
    return "\n".join(lines)


def download(url: str, token: str | None) -> bytes:
    """A private Slack file's bytes (https only, or the configured API host in tests)."""
    if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise ValueError("refusing to download a file from an unexpected address")
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token or ''}"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        data: bytes = response.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValueError("the file is too large to read as minutes")
    return data


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
    if PurePath(name).suffix.lower() not in MINUTES:
        return
    place = inbound.place_of(channel, None, None, None)
    try:
        url = str(info.get("url_private_download") or info.get("url_private") or "")
        text = document_text(name, download(url, token))
    except (OSError, ValueError, BadZipFile, PackageNotFoundError) as exc:
        log.warning("could not read a shared minutes file: %s", exc)
        note = f"I couldn't read {name} as minutes, so nothing was captured from it."
        ctx.deliver([Outgoing(ToPlace(place), Message(note, (Paragraph.of(note),)))])
        return
    speaker = inbound.speaker_of(user, ctx.users.member_for(user), ctx.users.name_of(user))
    key = f"slack:file:{file_id}"
    ctx.say(Incoming(text, speaker, place, ctx.chaser.clock(), event_key=key))


def register(app: AsyncApp, ctx: SlackContext) -> None:
    """Listen to file shares (other file events are acknowledged and ignored)."""

    @app.event("file_shared")
    async def on_file(event: dict[str, Any]) -> None:
        await ctx.work(shared, ctx, event)
