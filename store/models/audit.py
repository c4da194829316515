"""The audit trail of every change, and the record of platform events already handled."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base, UTCDateTime, utcnow


class AuditEvent(Base):
    """Who changed what, when, and from where."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    # the actor as known at the time ("Fiona Taylor", "scheduler")
    actor: Mapped[str] = mapped_column(String(200))
    via: Mapped[str] = mapped_column(String(20))  # cli | console | slack | teams | scheduler
    # action | owner | member | group | priority ...
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None]
    event: Mapped[str] = mapped_column(String(40))  # created | closed | reopened | snoozed ...
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ProcessedEvent(Base):
    """A platform delivery already handled (event id, message ts, button action id)."""

    __tablename__ = "processed_events"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
