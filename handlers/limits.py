"""How much Chaser reads and sends in one go, and what it says when something is bigger.

Every refusal changes nothing and tells the person what to do instead.
"""

from __future__ import annotations

MAX_MESSAGE_CHARS = 40_000  # Slack's own ceiling for one message's text
MAX_DOCUMENT_CHARS = 1_000_000  # text read from one uploaded minutes file
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # one minutes file (.txt, .md, .docx)
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # what a Word file may expand to when unzipped
MAX_EXPORT_ACTIONS = 3_000  # actions in one action log sent in chat
MAX_EXPORT_BYTES = 10 * 1024 * 1024  # one exported file sent in chat


def clipped(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, an ellipsis marking the cut (for the text
    limits of one block on a chat platform)."""
    return text[: limit - 1] + "…" if len(text) > limit else text


def megabytes(size: int) -> str:
    """A byte count the way people say it: "23.4 MB", "512 KB"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(size // 1024, 1)} KB"


def message_too_long(length: int, document: str | None = None) -> str | None:
    """The reply for a message (or an uploaded file's text) over the limit, else None."""
    if document is not None:
        if length <= MAX_DOCUMENT_CHARS:
            return None
        return (
            f"{document} holds {length:,} characters of text; I read up to "
            f"{MAX_DOCUMENT_CHARS:,} from one file, so nothing was captured from it. "
            "Split the minutes into smaller files."
        )
    if length <= MAX_MESSAGE_CHARS:
        return None
    return (
        f"That message is too long for me to read ({length:,} characters; I read up to "
        f"{MAX_MESSAGE_CHARS:,}), so I haven't captured or changed anything. Send it in parts, "
        "or upload the minutes as a .docx, .txt or .md file in the group's channel."
    )


def upload_too_large(name: str, size: int) -> str | None:
    """The reply for a minutes file over the limit, or None when it is within it."""
    if size <= MAX_UPLOAD_BYTES:
        return None
    return (
        f"{name} is {megabytes(size)}; I read minutes files up to "
        f"{megabytes(MAX_UPLOAD_BYTES)}, so nothing was captured from it. Save a copy without "
        "images, or paste the actions into a message."
    )


def export_too_large(group: str, count: int, size: int | None = None) -> str | None:
    """The reply for an action log too big to send in chat, or None when it can be sent."""
    if count > MAX_EXPORT_ACTIONS:
        what = f"{count:,} actions, more than the {MAX_EXPORT_ACTIONS:,} I send in chat"
    elif size is not None and size > MAX_EXPORT_BYTES:
        what = f"{megabytes(size)}, more than the {megabytes(MAX_EXPORT_BYTES)} I send in chat"
    else:
        return None
    return (
        f"The action log for {group} is {what}. Ask in a subgroup's channel for its own log, "
        f'or have an administrator run `chaser actions --group "{group}" --format docx`.'
    )
