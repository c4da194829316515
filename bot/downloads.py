"""Reading an uploaded minutes file from a chat platform: never more than the upload limit, and
when it cannot be read, the reply that says why."""

from __future__ import annotations

import logging
import urllib.request

from handlers.documents import DocumentError, read_document
from handlers.limits import MAX_UPLOAD_BYTES, upload_too_large

log = logging.getLogger(__name__)

# https only; plain http only to this machine, where tests and local emulators serve files
_ALLOWED = ("https://", "http://127.0.0.1", "http://localhost")


class TooLarge(ValueError):
    """The file is over the upload limit; ``size`` is how much was read before stopping."""

    def __init__(self, size: int) -> None:
        super().__init__(f"the file is over {MAX_UPLOAD_BYTES} bytes")
        self.size = size


def fetch(url: str, headers: dict[str, str] | None = None, *, timeout: float = 30) -> bytes:
    """The bytes at ``url``, reading at most one byte past the limit (then TooLarge)."""
    if not url.startswith(_ALLOWED):
        raise ValueError("refusing to download a file from an unexpected address")
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - checked above
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        data: bytes = response.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise TooLarge(len(data))
    return data


class UploadRefused(Exception):
    """A file that was not read; the message is the reply for the person who sent it."""


def read_minutes(
    name: str, url: str, *, size: int | None = None, headers: dict[str, str] | None = None
) -> str:
    """The text of the minutes file ``name`` at ``url``. A file the platform says is over the
    limit is refused before a byte is fetched; UploadRefused carries the reply."""
    refused = upload_too_large(name, size) if size is not None else None
    if refused is not None:
        raise UploadRefused(refused)
    try:
        return read_document(fetch(url, headers), name)
    except TooLarge as exc:
        raise UploadRefused(upload_too_large(name, exc.size) or "") from exc
    except DocumentError as exc:
        reason = str(exc).split(": ", 1)[-1]
        raise UploadRefused(
            f"I couldn't read {name} as minutes ({reason}), so nothing was captured from it."
        ) from exc
    except (OSError, ValueError) as exc:  # the link only: a pre-authorised URL is a secret
        log.warning("could not fetch an uploaded minutes file: %s", type(exc).__name__)
        raise UploadRefused(
            f"I couldn't fetch {name}, so nothing was captured from it. Try sending it again."
        ) from exc
