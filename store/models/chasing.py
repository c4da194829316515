"""The chase send log: one row per reminder slot, so "sent once" is provable from the database."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base, UTCDateTime, utcnow

SENDING = "sending"  # written before the platform is called; outcome unknown until it changes
SENT = "sent"
FAILED = "failed"  # the platform refused; retried with backoff
REPORTED = "reported"  # failed too often; the chair was told instead
UNDELIVERABLE = "undeliverable"  # failed too often and nobody could be told; audited


class ChaseSend(Base):
    """One message slot: a reminder to an owner, an escalation, a pre-meeting digest.

    ``key`` names the slot ("chase:<owner id>:<scheduled instant>", "escalate:<owner id>",
    "meeting:<id>:chair", ...) and is unique, so a slot can be recorded as sent only once.
    """

    __tablename__ = "chase_sends"
    __table_args__ = (
        UniqueConstraint("key"),
        Index("ix_chase_sends_owner", "owner_id"),
        Index("ix_chase_sends_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # before_due | due_today | overdue | ...
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("action_owners.id", ondelete="CASCADE")
    )
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    recipient: Mapped[str] = mapped_column(String(300))  # "member:12" or "slack:C123"
    status: Mapped[str] = mapped_column(String(20), default=SENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    instance: Mapped[str] = mapped_column(String(100))
    lease_until: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
