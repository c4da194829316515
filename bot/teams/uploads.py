"""Minutes sent to Chaser as a file in a Teams personal chat: fetched, read and captured.

Teams hands a bot the files of a 1:1 chat (the app manifest's ``supportsFiles``) as attachments
of type ``application/vnd.microsoft.teams.file.download.info`` whose ``content.downloadUrl`` is a
short-lived, pre-authorised link. Files shared in channels stay in SharePoint and are not
delivered to bots, so there Chaser says how to send them instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botbuilder.schema import Activity

from bot.downloads import UploadRefused, read_minutes
from handlers.documents import is_readable

__all__ = ["FILE_INFO", "IN_CHANNEL", "NOT_MINUTES", "UploadRefused", "read_upload", "uploads_of"]

FILE_INFO = "application/vnd.microsoft.teams.file.download.info"
NOT_MINUTES = "I read minutes from .docx, .txt or .md files, so I haven't opened {name}."
IN_CHANNEL = (
    "I can't open files shared in a channel. Send the minutes to me in a personal chat "
    "(.docx, .txt or .md), or paste the actions into a message here."
)


@dataclass(frozen=True)
class Upload:
    """One file attached to a personal-chat message."""

    name: str
    url: str
    size: int | None = None


def _field(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)


def uploads_of(activity: Activity) -> list[Upload]:
    """The files attached to ``activity`` (any type; the caller decides what it reads)."""
    found = []
    attachments = activity.attachments if isinstance(activity.attachments, list) else []
    for attachment in attachments:
        if _field(attachment, "content_type") != FILE_INFO:
            continue
        content = _field(attachment, "content")
        name, url = _field(attachment, "name"), _field(content, "downloadUrl")
        if isinstance(name, str) and name and isinstance(url, str) and url:
            size = _field(content, "size")
            found.append(Upload(name, url, size if isinstance(size, int) else None))
    return found


def shared_files(activity: Activity) -> list[str]:
    """Names of files attached to a channel or group-chat message (kept in SharePoint)."""
    names = []
    attachments = activity.attachments if isinstance(activity.attachments, list) else []
    for attachment in attachments:
        kind, name = _field(attachment, "content_type"), _field(attachment, "name")
        if kind in ("reference", FILE_INFO) and isinstance(name, str) and name:
            names.append(name)
    return names


def is_minutes(upload: Upload) -> bool:
    return is_readable(upload.name)


def read_upload(upload: Upload) -> str:
    """The text of an uploaded minutes file; UploadRefused says why it cannot be read."""
    return read_minutes(upload.name, upload.url, size=upload.size)
