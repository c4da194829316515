"""Fetching an uploaded minutes file from a chat platform, never more than the upload limit."""

from __future__ import annotations

import urllib.request

from handlers.limits import MAX_UPLOAD_BYTES

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
