"""Who is asking, where, and when: the context every conversation command works in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from handlers.messages import Block, Message, Outgoing, Place, ToMember, ToPlace
from store.models import Group, Member


@dataclass
class Context:
    """One request: the session, the speaker (None when not in the directory), place and time."""

    session: Session
    speaker: Member | None
    speaker_name: str
    place: Place
    group: Group | None
    now: dt.datetime
    zone: ZoneInfo

    @property
    def today(self) -> dt.date:
        """Today in the people's zone."""
        return self.now.astimezone(self.zone).date()

    @property
    def via(self) -> str:
        """The platform, as the audit trail names it."""
        return self.place.platform

    @property
    def speaker_id(self) -> int | None:
        """The speaker's member id, when known."""
        return self.speaker.id if self.speaker is not None else None

    @property
    def in_channel(self) -> bool:
        """True when others can read the reply (not a direct chat)."""
        return not self.place.is_direct

    def plausible(self, day: dt.date | None, *, years: int, past: bool = False) -> bool:
        """A date people could mean: within ``years`` from today, and not past unless allowed."""
        if day is None:
            return False
        earliest = self.today - dt.timedelta(days=366 * years) if past else self.today
        return earliest <= day <= self.today + dt.timedelta(days=366 * years)

    def local_time(self, day: dt.date, hour: int = 9) -> dt.datetime:
        """``hour`` o'clock on ``day`` in the people's zone, as an aware UTC instant."""
        return dt.datetime.combine(day, dt.time(hour), tzinfo=self.zone).astimezone(dt.UTC)

    def combine(self, replies: list[Outgoing]) -> Outgoing:
        """Several replies in the place as one message."""
        summary = " ".join(r.message.summary for r in replies)
        blocks = tuple(b for r in replies for b in r.message.blocks)
        refs = tuple(ref for r in replies for ref in r.action_refs)
        return Outgoing(ToPlace(self.place), Message(summary, blocks), action_refs=refs)

    def reply(self, summary: str, *blocks: Block, refs: tuple[str, ...] = ()) -> Outgoing:
        """A message back to the place the request came from."""
        return Outgoing(ToPlace(self.place), Message(summary, tuple(blocks)), action_refs=refs)


def to_member(member_id: int, summary: str, *blocks: Block, refs: tuple[str, ...] = ()) -> Outgoing:
    """A direct message to a member."""
    return Outgoing(ToMember(member_id), Message(summary, tuple(blocks)), action_refs=refs)
