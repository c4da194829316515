"""Render a neutral :class:`~handlers.messages.Message` as an Adaptive Card for Teams.

User text is escaped so it can never format, link or mention; a mention is only ever a real Teams
mention entity (``<at>Name</at>`` plus an entity carrying the member's validated Teams id).
Buttons are ``Action.Execute`` (Universal Actions) with an ``Action.Submit`` fallback; both carry
``{"chaser": "press", "kind": ..., "ref": ...}``, which the bot turns into a ButtonPress and the
handlers check against the action's owners: the card's data is never trusted on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
PRESS = "press"
SNOOZE_INPUT = "snooze_for"
UPDATE_INPUT = "update_text"
SNOOZE_CHOICES = (("Until tomorrow", "1 day"), ("One week", "1 week"), ("Two weeks", "2 weeks"))

# Teams user ids ("29:..."), their org form ("8:orgid:<guid>") and bare AAD object ids
_TEAMS_ID = re.compile(
    r"^(?:29:[A-Za-z0-9_\-]{4,200}|8:orgid:[0-9a-fA-F-]{36}|[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}"
    r"-[0-9a-fA-F]{12})$"
)
_MARKDOWN = re.compile(r"([\\`*_\[\]<>#~|!])")
_RAG = {"red": "Attention", "amber": "Warning", "green": "Good", "done": "Good", "none": "Default"}
_EXPORT_PREVIEW_LINES = 25
MAX_TEXT = 2900  # characters of one TextBlock


def valid_teams_id(value: str | None) -> bool:
    """True for a well-formed Teams user id or AAD object id (the only ids we ever mention)."""
    return bool(value) and _TEAMS_ID.match(value or "") is not None


def escape(text: str) -> str:
    """Plain text made inert in a TextBlock: markdown, links and ``<at>`` tags cannot form."""
    return _MARKDOWN.sub(r"\\\1", text)


@dataclass
class _Builder:
    """Collects the mention entities while the card's text is rendered."""

    entities: list[dict[str, Any]] = field(default_factory=list)

    def inline(self, part: Inline) -> str:
        if isinstance(part, str):
            return escape(part)
        return self.mention(part)

    def mention(self, who: Mention) -> str:
        name = " ".join(who.name.replace("<", " ").replace(">", " ").split()) or "someone"
        if not valid_teams_id(who.teams_user_id):
            return escape(name)
        tag = f"<at>{name}</at>"
        entity = {
            "type": "mention",
            "text": tag,
            "mentioned": {"id": who.teams_user_id, "name": name},
        }
        if entity not in self.entities:
            self.entities.append(entity)
        return tag

    def line(self, parts: tuple[Inline, ...]) -> str:
        return "".join(self.inline(p) for p in parts)


def clip(text: str) -> str:
    """``text`` cut to one TextBlock's share: a Teams message is at most 28 KB, cards and all."""
    return clipped(text, MAX_TEXT)


def _text(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": clip(text), "wrap": True, **extra}


def _press_data(kind: str, ref: str) -> dict[str, Any]:
    return {"chaser": PRESS, "kind": kind, "ref": ref}


def _execute(title: str, kind: str, ref: str, *, style: str | None = None) -> dict[str, Any]:
    action: dict[str, Any] = {
        "type": "Action.Execute",
        "title": title,
        "verb": f"chaser.{kind}",
        "data": _press_data(kind, ref),
        "fallback": {"type": "Action.Submit", "title": title, "data": _press_data(kind, ref)},
    }
    if style:
        action["style"] = style
    return action


def _show_card(title: str, inputs: dict[str, Any], submit: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Action.ShowCard",
        "title": title,
        "card": {"type": "AdaptiveCard", "body": [inputs], "actions": [submit]},
    }


def _button(button: Button) -> dict[str, Any]:
    ref = button.action_ref
    if button.kind == "snooze":
        choices = [{"title": t, "value": v} for t, v in SNOOZE_CHOICES]
        pick = {
            "type": "Input.ChoiceSet",
            "id": SNOOZE_INPUT,
            "value": "1 week",
            "choices": choices,
        }
        return _show_card(button.label, pick, _execute("Snooze", "snooze", ref))
    if button.kind == "update":
        note = {
            "type": "Input.Text",
            "id": UPDATE_INPUT,
            "isMultiline": True,
            "maxLength": 1000,
            "placeholder": "What has happened so far?",
        }
        return _show_card(button.label, note, _execute("Save update", "update", ref))
    style = "positive" if button.kind == "done" else None
    return _execute(button.label, button.kind, ref, style=style)


def _action_item(item: ActionItem, b: _Builder) -> dict[str, Any]:
    owners = ", ".join(b.inline(o) for o in item.owners) or "nobody yet"
    body: list[dict[str, Any]] = [
        _text(f"**{escape(item.ref)}** · {escape(item.text)}", color=_RAG[item.rag]),
        _text(f"Owner(s): {owners}", spacing="Small"),
        _text(
            f"Due: {escape(item.due or 'no due date')} · Status: {escape(item.status)}",
            spacing="None",
            isSubtle=True,
        ),
    ]
    if item.note:
        body.append(_text(escape(item.note), isSubtle=True, spacing="Small"))
    if item.buttons:
        body.append({"type": "ActionSet", "actions": [_button(x) for x in item.buttons]})
    return {"type": "Container", "separator": True, "spacing": "Medium", "items": body}


def _attachment(att: Attachment, url: str | None) -> list[dict[str, Any]]:
    size = max(1, len(att.content) // 1024)
    blocks = [_text(f"📎 {escape(att.filename)} ({size} KB)", weight="Bolder")]
    if url is not None:
        download = {"type": "Action.OpenUrl", "title": f"Download {att.filename}", "url": url}
        blocks.append({"type": "ActionSet", "actions": [download]})
    elif att.mime_type.startswith("text/"):
        lines = att.content.decode("utf-8", errors="replace").splitlines()
        preview = "\n\n".join(escape(x) for x in lines[:_EXPORT_PREVIEW_LINES])
        blocks.append(_text(preview, fontType="Monospace", size="Small"))
        if len(lines) > _EXPORT_PREVIEW_LINES:
            blocks.append(
                _text(f"… {len(lines) - _EXPORT_PREVIEW_LINES} more lines", isSubtle=True)
            )
    else:
        blocks.append(
            _text(
                "A bot cannot post this file into a Teams chat: run chaser actions --format docx "
                "on the server for the Word copy.",
                isSubtle=True,
            )
        )
    return blocks


def _block(block: Block, b: _Builder, links: dict[str, str]) -> list[dict[str, Any]]:
    if isinstance(block, Heading):
        return [_text(escape(block.text), weight="Bolder", size="Medium")]
    if isinstance(block, Paragraph):
        return [_text(b.line(block.parts))]
    if isinstance(block, ActionItem):
        return [_action_item(block, b)]
    return _attachment(block, links.get(block.filename))


def render_card(message: Message, links: dict[str, str] | None = None) -> dict[str, Any]:
    """The Adaptive Card (1.4) JSON for ``message``: text escaped, real mentions, buttons.

    ``links`` maps an attachment's filename to a download address (see bot.teams.files).
    """
    b = _Builder()
    body: list[dict[str, Any]] = []
    for block in message.blocks:
        body.extend(_block(block, b, links or {}))
    if not body:
        body.append(_text(escape(message.summary)))
    card: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.4",
        "fallbackText": clip(message.summary),
        "body": body,
        "msteams": {"width": "Full"},
    }
    if b.entities:
        card["msteams"]["entities"] = b.entities
    return card


def card_text(card: dict[str, Any]) -> str:
    """Every TextBlock's text in a card, one per line (logs, tests and the console mirror)."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "TextBlock":
                out.append(str(node.get("text", "")))
            for key in ("body", "items", "card"):
                walk(node.get(key))
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(card)
    return "\n".join(out)


def card_buttons(card: dict[str, Any]) -> list[tuple[str, str]]:
    """(title, kind) of each top-level button on the card, in order."""
    found: list[tuple[str, str]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "ActionSet":
                for action in node.get("actions", []):
                    data = action.get("data") or {}
                    kind = data.get("kind") or action.get("card", {}).get("actions", [{}])[0].get(
                        "data", {}
                    ).get("kind", "")
                    found.append((str(action.get("title")), str(kind)))
            for key in ("body", "items"):
                walk(node.get(key))
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(card)
    return found
