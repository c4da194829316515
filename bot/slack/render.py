"""Message → Block Kit blocks and fallback text, with every piece of user text neutralised.

Nothing rendered here can ping ``@channel``/``@here``/a user group or carry a disguised link:
plain text has ``&``, ``<`` and ``>`` escaped (so ``<!channel>`` and ``<https://evil|bank>`` arrive
as harmless characters) and the special words lose their power; mentions are only inserted from
Slack user ids that look like Slack user ids.
"""

from __future__ import annotations

import re
from typing import Any

from handlers.limits import clipped
from handlers.messages import (
    ActionItem,
    Attachment,
    Block,
    Button,
    Heading,
    Inline,
    Mention,
    Message,
    Paragraph,
)

USER_ID = re.compile(r"^[UW][A-Z0-9]{2,20}$")
_SPECIAL = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
_WORD_JOINER = "\u2060"
MAX_SECTION = 2900
MAX_BLOCKS = 50
SNOOZE_CHOICES = (
    ("1 day", "tomorrow"),
    ("3 days", "3 days"),
    ("1 week", "1 week"),
    ("2 weeks", "2 weeks"),
    ("Monday", "until Monday"),
)
_RAG = {
    "red": ":red_circle:",
    "amber": ":large_orange_circle:",
    "green": ":large_green_circle:",
    "done": ":white_check_mark:",
    "none": "",
}


def escape(text: str) -> str:
    """Plain text made safe for mrkdwn: control characters escaped, special mentions defused."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(lambda m: "@" + _WORD_JOINER + m.group(1), text)


def mention(part: Mention) -> str:
    """A real mention when the id is a valid Slack user id, otherwise the escaped name."""
    if part.slack_user_id and USER_ID.match(part.slack_user_id):
        return f"<@{part.slack_user_id}>"
    return escape(part.name)


def inline(parts: tuple[Inline, ...]) -> str:
    return "".join(escape(p) if isinstance(p, str) else mention(p) for p in parts)


def _clip(text: str) -> str:
    return clipped(text, MAX_SECTION)


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _clip(text) or " "}}


def button_elements(buttons: tuple[Button, ...]) -> list[dict[str, Any]]:
    """Done / Update / Not mine as buttons, Snooze as a menu of choices."""
    elements: list[dict[str, Any]] = []
    for b in buttons:
        if b.kind == "snooze":
            elements.append(
                {
                    "type": "static_select",
                    "action_id": "chaser_snooze",
                    "placeholder": {"type": "plain_text", "text": b.label[:75]},
                    "options": [
                        {
                            "text": {"type": "plain_text", "text": label},
                            "value": f"{b.action_ref}|{value}",
                        }
                        for label, value in SNOOZE_CHOICES
                    ],
                }
            )
            continue
        element: dict[str, Any] = {
            "type": "button",
            "action_id": f"chaser_{b.kind}",
            "text": {"type": "plain_text", "text": b.label[:75]},
            "value": b.action_ref,
        }
        if b.kind == "done":
            element["style"] = "primary"
        elements.append(element)
    return elements


def action_item(item: ActionItem) -> list[dict[str, Any]]:
    """One action: reference and text, owners and due date, a note, and its buttons."""
    rag = _RAG.get(item.rag, "")
    head = f"{rag} *{escape(item.ref)}* {escape(item.text)}".strip()
    details = [f"Owners: {inline(item.owners) or 'none'}"]
    details.append(f"Due: {escape(item.due)}" if item.due else "Due: no date")
    if item.status != "open":
        details.append(f"Status: {escape(item.status)}")
    blocks = [_section(head + "\n" + " · ".join(details))]
    if item.note:
        blocks.append(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": _clip(escape(item.note))}]}
        )
    if item.buttons:
        blocks.append(
            {
                "type": "actions",
                "block_id": f"act|{item.ref}"[:255],
                "elements": button_elements(item.buttons),
            }
        )
    return blocks


def _rendered(block: Block) -> list[dict[str, Any]]:
    if isinstance(block, Heading):
        return [_section(f"*{escape(block.text)}*")]
    if isinstance(block, Paragraph):
        return [_section(inline(block.parts))]
    if isinstance(block, ActionItem):
        return action_item(block)
    return []  # attachments are uploaded separately


def blocks_of(message: Message) -> list[dict[str, Any]]:
    """The Block Kit blocks of a message, cut to Slack's limit (attachments are uploaded
    separately)."""
    blocks = [b for block in message.blocks for b in _rendered(block)]
    if len(blocks) > MAX_BLOCKS:
        blocks = [*blocks[: MAX_BLOCKS - 1], _section("_…and more: ask for a narrower list._")]
    return blocks


def pages_of(message: Message) -> list[list[dict[str, Any]]]:
    """All the Block Kit blocks of a message, in pages Slack accepts (at most MAX_BLOCKS each),
    broken only between the message's own blocks so an action keeps its buttons."""
    pages: list[list[dict[str, Any]]] = [[]]
    for block in message.blocks:
        rendered = _rendered(block)
        if pages[-1] and len(pages[-1]) + len(rendered) > MAX_BLOCKS:
            pages.append([])
        pages[-1].extend(rendered)
    return pages


def fallback_text(message: Message) -> str:
    """The notification text: the summary, neutralised; the whole message when it has no blocks.

    Clipped like a section: the blocks carry the message, and Slack refuses text that is too long.
    """
    if message.summary:
        return _clip(escape(message.summary))
    parts = [inline(b.parts) for b in message.blocks if isinstance(b, Paragraph)]
    return _clip("\n".join(parts)) or "Chaser"


def attachments_of(message: Message) -> list[Attachment]:
    return [b for b in message.blocks if isinstance(b, Attachment)]


def has_buttons(message: Message) -> bool:
    return any(isinstance(b, ActionItem) and b.buttons for b in message.blocks)
