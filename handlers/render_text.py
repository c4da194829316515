"""Plain-text rendering of a neutral :class:`~handlers.messages.Message`, for terminals and logs."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from handlers.messages import (
    ActionItem,
    Attachment,
    Block,
    Heading,
    Inline,
    Mention,
    Message,
    Paragraph,
)

RAG_MARK = {"red": "[RED]", "amber": "[AMBER]", "green": "[GREEN]", "done": "[DONE]", "none": ""}
INDENT = "      "


def inline(parts: Iterable[Inline]) -> str:
    """Parts as text; a mention becomes ``@Name``."""
    return "".join(f"@{p.name}" if isinstance(p, Mention) else p for p in parts)


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    return textwrap.wrap(
        text, width=width, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
    ) or [indent.rstrip()]


def _item(item: ActionItem, width: int) -> list[str]:
    mark = RAG_MARK.get(item.rag, "")
    status = "" if item.status == "open" else f" ({item.status})"
    head = f"{item.ref.ljust(5)} {item.text}{status}" + (f" {mark}" if mark else "")
    lines = _wrap(head, width, "")
    lines[1:] = [INDENT + line.lstrip() for line in lines[1:]]
    owners = inline(item.owners) or "no owner"
    due = f" · due {item.due}" if item.due else ""
    lines += _wrap(f"owners: {owners}{due}", width, INDENT)
    if item.note:
        lines += _wrap(f"! {item.note}", width, INDENT)
    if item.buttons:
        lines.append(INDENT + " ".join(f"[{b.label}]" for b in item.buttons))
    return lines


def render_block(block: Block, *, width: int = 100) -> list[str]:
    """The lines of one block."""
    if isinstance(block, Heading):
        return [block.text, "-" * min(len(block.text), width)]
    if isinstance(block, Paragraph):
        return _wrap(inline(block.parts), width)
    if isinstance(block, ActionItem):
        return _item(block, width)
    if isinstance(block, Attachment):
        return [f"(attachment: {block.filename}, {len(block.content)} bytes)"]
    raise TypeError(f"unknown block {block!r}")


def render_text(message: Message, *, width: int = 100) -> str:
    """The whole message as text: the blocks, or the summary when there are none."""
    if not message.blocks:
        return message.summary + "\n"
    lines: list[str] = []
    for block in message.blocks:
        lines += render_block(block, width=width)
    return "\n".join(lines) + "\n"
