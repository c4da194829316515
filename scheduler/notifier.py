"""The port the scheduler sends through; the chat platforms implement it in bot/."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from handlers.messages import (
    ActionItem,
    Attachment,
    Heading,
    Inline,
    Mention,
    Message,
    Outgoing,
    Paragraph,
    ToMember,
)


class SendError(Exception):
    """A message was not delivered; the sweep retries it later and, in the end, tells the chair."""


class Notifier(Protocol):
    """Delivers one message to a member (direct) or a place (channel)."""

    def send(self, outgoing: Outgoing) -> None:
        """Deliver ``outgoing``; raise :class:`SendError` when it was not delivered."""


@dataclass
class RecordingNotifier:
    """Keeps every message it is given; can be told to fail the next ``fail_times`` sends.

    ``fail_members`` makes every send to those members fail (an unreachable person).
    """

    fail_times: int = 0
    fail_members: set[int] = field(default_factory=set)
    sent: list[Outgoing] = field(default_factory=list)
    failures: int = 0

    def send(self, outgoing: Outgoing) -> None:
        """Record ``outgoing`` or fail as told."""
        if isinstance(outgoing.to, ToMember) and outgoing.to.member_id in self.fail_members:
            self.failures += 1
            raise SendError(f"member {outgoing.to.member_id} is unreachable")
        if self.fail_times > 0:
            self.fail_times -= 1
            self.failures += 1
            raise SendError("the platform refused the message")
        self.sent.append(outgoing)

    def to_member(self, member_id: int) -> list[Message]:
        """The messages sent privately to one member, oldest first."""
        return [
            o.message
            for o in self.sent
            if isinstance(o.to, ToMember) and o.to.member_id == member_id
        ]


def _inline(parts: tuple[Inline, ...]) -> str:
    return "".join(p.name if isinstance(p, Mention) else p for p in parts)


def render_text(message: Message) -> str:
    """A plain-text rendering of a message, for the terminal and logs."""
    lines = [message.summary]
    for block in message.blocks:
        if isinstance(block, Heading):
            lines.append(f"# {block.text}")
        elif isinstance(block, Paragraph):
            lines.append(_inline(block.parts))
        elif isinstance(block, ActionItem):
            owners = _inline(block.owners) or "no owner"
            due = f", due {block.due}" if block.due else ""
            lines.append(f"- {block.ref} {block.text} ({owners}{due})")
            if block.note:
                lines.append(f"  {block.note}")
        elif isinstance(block, Attachment):
            lines.append(f"[attachment {block.filename}]")
    return "\n".join(lines)


@dataclass
class ConsoleNotifier:
    """Prints each message as plain text (``chaser chase`` without a chat platform)."""

    write: Callable[[str], None] = print

    def send(self, outgoing: Outgoing) -> None:
        """Print who it is for, then the message."""
        to = outgoing.to
        target = f"member {to.member_id}" if isinstance(to, ToMember) else f"{to.place}"
        self.write(f"→ {target}\n{render_text(outgoing.message)}\n")
