"""Minutes sent to Chaser as a file in a Teams personal chat: fetched, read and captured.

Teams hands a bot the files of a 1:1 chat (the app manifest's ``supportsFiles``) as attachments
of type ``application/vnd.microsoft.teams.file.download.info`` whose ``content.downloadUrl`` is a
short-lived, pre-authorised link. Files shared in channels stay in SharePoint and are not
delivered to bots, so there Chaser says how to send them instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from botbuilder.schema import Activity

from bot.downloads import TooLarge, fetch
from handlers.documents import DocumentError, read_document
from handlers.limits import upload_too_large

FILE_INFO = "application/vnd.microsoft.teams.file.download.info"
MINUTES = frozenset({".txt", ".md", ".docx"})
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
    return PurePath(upload.name).suffix.lower() in MINUTES


def read_upload(upload: Upload) -> str:
    """The text of an uploaded minutes file; UploadRefused says why it cannot be read."""
    refused = upload_too_large(upload.name, upload.size) if upload.size is not None else None
    if refused is not None:
        raise UploadRefused(refused)
    try:
        return read_document(fetch(upload.url), upload.name)
    except TooLarge as exc:
        raise UploadRefused(upload_too_large(upload.name, exc.size) or "") from exc
    except DocumentError as exc:
        reason = str(exc).split(": ", 1)[-1]
        raise UploadRefused(
            f"I couldn't read {upload.name} as minutes ({reason}), so nothing was captured from it."
        ) from exc
    except (OSError, ValueError) as exc:
        raise UploadRefused(
            f"I couldn't fetch {upload.name} from Teams, so nothing was captured from it. "
            "Try sending it again."
        ) from exc


class UploadRefused(Exception):
    """A file that was not read; the message is the reply for the person who sent it."""
