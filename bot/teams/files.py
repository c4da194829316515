"""Files Chaser hands back in Teams (the action log), kept briefly behind an unguessable link.

A bot cannot attach a Word file to a Teams channel message, so the card carries a download link
to Chaser's own server instead: ``GET /api/teams/files/{token}`` serves the file for an hour.
The base address is the one Teams called the bot on (``BASE_URL``, set per request).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field

from aiohttp import web

from handlers.limits import MAX_EXPORT_BYTES
from handlers.messages import Attachment, Message

BASE_URL: ContextVar[str | None] = ContextVar("chaser_teams_base_url", default=None)
ROUTE = "/api/teams/files/{token}"


@dataclass(frozen=True)
class SharedFile:
    """One file on the shelf, until it expires."""

    filename: str
    mime_type: str
    content: bytes
    expires: dt.datetime


@dataclass
class FileShelf:
    """Files waiting to be downloaded, by token."""

    clock: Callable[[], dt.datetime]
    ttl: dt.timedelta = dt.timedelta(hours=1)
    max_bytes: int = 20 * MAX_EXPORT_BYTES  # memory held for links at once, per instance
    _files: dict[str, SharedFile] = field(default_factory=dict)

    def put(self, attachment: Attachment) -> str:
        """Shelve a file; the token that fetches it. Expired files go first; past ``max_bytes``
        the oldest links stop working early (their card says to ask again)."""
        now = self.clock()
        for token in [t for t, f in self._files.items() if f.expires <= now]:
            del self._files[token]
        held = sum(len(f.content) for f in self._files.values()) + len(attachment.content)
        for token in list(self._files):
            if held <= self.max_bytes:
                break
            held -= len(self._files.pop(token).content)
        token = secrets.token_urlsafe(24)
        self._files[token] = SharedFile(
            attachment.filename, attachment.mime_type, attachment.content, now + self.ttl
        )
        return token

    def get(self, token: str) -> SharedFile | None:
        """The file behind ``token`` while it has not expired."""
        found = self._files.get(token)
        if found is None or found.expires <= self.clock():
            return None
        return found

    def links(self, message: Message) -> dict[str, str]:
        """Download links for the message's files (none when no base address is known)."""
        base = BASE_URL.get()
        if not base:
            return {}
        return {
            block.filename: f"{base.rstrip('/')}/api/teams/files/{self.put(block)}"
            for block in message.blocks
            if isinstance(block, Attachment)
        }

    async def download(self, request: web.Request) -> web.Response:
        """``GET /api/teams/files/{token}``: the file, or 404 once it has expired."""
        found = self.get(request.match_info["token"])
        if found is None:
            return web.Response(status=404, text="this link has expired; ask Chaser again")
        safe_name = found.filename.replace('"', "").replace("\r", "").replace("\n", "")
        return web.Response(
            body=found.content,
            content_type=found.mime_type,
            headers={"Content-Disposition": f'attachment; filename="{safe_name}"'},
        )


def base_url_of(request: web.Request) -> str:
    """The address Teams reached Chaser on (a proxy's X-Forwarded-Proto is honoured)."""
    scheme = request.headers.get("X-Forwarded-Proto", request.scheme).split(",")[0].strip()
    return f"{scheme}://{request.host}"
