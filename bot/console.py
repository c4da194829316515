"""The terminal console: a real adapter on the conversation, for trying Chaser without a chat app.

A line typed as a member in a console channel (``csp-board`` by default; each group's console
channels come from the directory) becomes an :class:`~handlers.messages.Incoming`; replies are
rendered as plain text. Direct messages to other members are shown as such, and files the bot
hands back (the action log) are saved to a folder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import process
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from handlers.conversation import Conversation
from handlers.messages import Attachment, Incoming, Outgoing, Place, Speaker, ToMember
from handlers.render_text import render_text
from store import directory
from store.models import Member

DEFAULT_CHANNEL = "csp-board"


class UnknownMemberError(LookupError):
    """The console was asked to speak as someone not in the member directory."""


@dataclass(frozen=True)
class Delivery:
    """One message the bot sent: to the place (``to`` is None) or privately to a member."""

    to: str | None
    text: str
    files: tuple[Path, ...] = ()


class ConsoleAdapter:
    """Talk to the conversation as a named member, in a console channel or a direct chat."""

    def __init__(
        self,
        conversation: Conversation,
        sessions: sessionmaker[Session],
        *,
        clock: Callable[[], dt.datetime],
        save_dir: Path | None = None,
    ) -> None:
        self._conversation = conversation
        self._sessions = sessions
        self._clock = clock
        self._save_dir = save_dir

    def speaker(self, name: str) -> Speaker:
        """The member called ``name`` as a speaker; :class:`UnknownMemberError` when unknown."""
        with self._sessions() as session:
            member = directory.member_by_name(session, name)
            if member is None:
                raise UnknownMemberError(_unknown_message(session, name))
            return Speaker(member_id=member.id, display_name=member.name)

    def group_of(self, channel: str) -> str | None:
        """The name of the group whose console channel this is; None when no group owns it."""
        with self._sessions() as session:
            group = directory.group_for_channel(session, "console", channel)
            return group.name if group is not None else None

    def say(
        self, text: str, *, as_name: str, channel: str | None = None, direct: bool = False
    ) -> list[Delivery]:
        """Say ``text`` as ``as_name``; the replies, the place's first."""
        speaker = self.speaker(as_name)
        place = Place(
            platform="console",
            channel_id=f"dm:{speaker.member_id}" if direct else (channel or DEFAULT_CHANNEL),
            is_direct=direct,
        )
        incoming = Incoming(text=text, speaker=speaker, place=place, at=self._clock())
        return [self._deliver(out) for out in self._conversation.handle(incoming)]

    def _deliver(self, out: Outgoing) -> Delivery:
        to = self._member_name(out.to.member_id) if isinstance(out.to, ToMember) else None
        files = tuple(
            self._save(block) for block in out.message.blocks if isinstance(block, Attachment)
        )
        text = render_text(out.message)
        if files:
            text += "".join(f"saved {path}\n" for path in files)
        return Delivery(to, text, files)

    def _member_name(self, member_id: int) -> str:
        with self._sessions() as session:
            member = session.get(Member, member_id)
            return member.name if member is not None else f"member {member_id}"

    def _save(self, attachment: Attachment) -> Path:
        folder = self._save_dir or Path.cwd()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / Path(attachment.filename).name
        path.write_bytes(attachment.content)
        return path


def _unknown_message(session: Session, name: str) -> str:
    names = list(session.scalars(select(Member.name).where(Member.erased.is_(False))))
    close = [str(m[0]) for m in process.extract(name, names, limit=3, score_cutoff=60)]
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    how = (
        " Add people to the directory with `chaser directory import FILE` "
        "(see examples/partnership.yml for the format), then try again."
    )
    if not names:
        return f"No member called {name!r}: the directory is empty.{how}"
    return f"No member called {name!r} in the directory.{hint}{how}"


def transcript(deliveries: list[Delivery]) -> str:
    """The deliveries as the terminal shows them: the reply, then each direct message."""
    parts = []
    for delivery in deliveries:
        if delivery.to is None:
            parts.append(delivery.text)
        else:
            body = "".join(f"  │ {line}\n" for line in delivery.text.rstrip("\n").split("\n"))
            parts.append(f"→ direct message to {delivery.to}:\n{body}")
    return "".join(parts)
