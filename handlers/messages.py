"""The platform-neutral conversation contract: what comes in, and what goes out.

Adapters (console, Slack, Teams) turn a platform event into an :class:`Incoming` and render each
:class:`Outgoing` back into their own format. Text from users is never pre-formatted here: a
message is a list of blocks whose inline parts are plain text (renderers escape it) or
:class:`Mention` objects (renderers insert a real mention from the member's validated platform
id, or the plain name when there is none). That is how no action text can ping a channel.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Platform = Literal["console", "cli", "slack", "teams", "scheduler"]


@dataclass(frozen=True)
class Mention:
    """A member, rendered by each platform as a real mention when it knows their id."""

    member_id: int | None
    name: str
    slack_user_id: str | None = None
    teams_user_id: str | None = None


Inline = str | Mention


@dataclass(frozen=True)
class Place:
    """Where a message was said or should go: a channel (and thread) or a direct chat."""

    platform: Platform
    channel_id: str | None = None
    thread_id: str | None = None
    is_direct: bool = False


@dataclass(frozen=True)
class Speaker:
    """Who said it: the member when known, and how the platform named them."""

    member_id: int | None
    display_name: str
    platform_user_id: str | None = None


@dataclass(frozen=True)
class Incoming:
    """One thing said to Chaser."""

    text: str
    speaker: Speaker
    place: Place
    at: dt.datetime
    # a key unique to this delivery (platform event id, message ts); a second delivery with the
    # same key changes nothing and sends nothing
    event_key: str | None = None
    # the file's name when the text was read from uploaded minutes rather than typed
    document: str | None = None


@dataclass(frozen=True)
class ButtonPress:
    """A button on an action card: done, snooze, update, not_mine (and the owner row it is for)."""

    kind: Literal["done", "snooze", "update", "not_mine", "reopen"]
    action_ref: str
    speaker: Speaker
    place: Place
    at: dt.datetime
    value: str | None = None  # snooze length, update text
    event_key: str | None = None


# ---- blocks of an outgoing message ---------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    parts: tuple[Inline, ...]

    @classmethod
    def of(cls, *parts: Inline) -> Paragraph:
        return cls(tuple(parts))


@dataclass(frozen=True)
class Button:
    kind: Literal["done", "snooze", "update", "not_mine", "reopen"]
    label: str
    action_ref: str


def owner_buttons(ref: str) -> tuple[Button, ...]:
    """The buttons an owner gets on an open action: Done, Snooze, Update, Not mine."""
    return (
        Button("done", "Done", ref),
        Button("snooze", "Snooze", ref),
        Button("update", "Update", ref),
        Button("not_mine", "Not mine", ref),
    )


@dataclass(frozen=True)
class ActionItem:
    """One action as shown to people: reference, text, owners, due date, status."""

    ref: str
    text: str
    owners: tuple[Inline, ...]
    due: str | None  # human form, e.g. "Fri 30 Jun 2026 (end of month)"
    status: str  # open | done | cancelled
    rag: Literal["red", "amber", "green", "done", "none"] = "none"
    note: str | None = None  # a line about unresolved owners or dates, or the latest update
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True)
class Attachment:
    """A file to hand back (the action log export)."""

    filename: str
    content: bytes
    mime_type: str


Block = Heading | Paragraph | ActionItem | Attachment


@dataclass(frozen=True)
class Message:
    """What to say: a short plain summary (for notifications) and the blocks."""

    summary: str
    blocks: tuple[Block, ...] = ()
    ephemeral: bool = False  # only the speaker should see it where the platform allows


@dataclass(frozen=True)
class ToPlace:
    """Send to a channel/thread/chat (usually the one the request came from)."""

    place: Place


@dataclass(frozen=True)
class ToMember:
    """Send privately to a member (direct message / Teams 1:1)."""

    member_id: int


@dataclass(frozen=True)
class Outgoing:
    to: ToPlace | ToMember
    message: Message
    # set when this message stands for one action to an owner, so a platform can update it in place
    action_refs: tuple[str, ...] = field(default=())
