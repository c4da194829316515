"""What proactive messaging needs to survive a restart: where each member can be reached."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base, UTCDateTime, utcnow


class ConversationRef(Base):
    """A platform conversation the bot can post into later (Slack DM channel, Teams reference)."""

    __tablename__ = "conversation_refs"
    __table_args__ = (UniqueConstraint("platform", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    # "user:<platform user id>" for a 1:1 chat, "channel:<id>" for a channel
    key: Mapped[str] = mapped_column(String(300))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    reference: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
