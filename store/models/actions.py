"""Actions, their owners (one row each, own status and chase state) and progress notes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store.models.base import Base, UTCDateTime, utcnow
from store.models.directory import Group, Meeting, Member

OPEN = "open"
DONE = "done"
CANCELLED = "cancelled"
DECLINED = "declined"  # an owner said "not mine"; the chair reassigns


class Document(Base):
    """An ingested minutes document, known by content hash so a second ingest adds nothing."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(500))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Action(Base):
    """One action as decided in a meeting or chat."""

    __tablename__ = "actions"
    __table_args__ = (
        Index("ix_actions_status_due", "status", "due_date"),
        Index("ix_actions_group", "group_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str | None] = mapped_column(String(20), unique=True)
    text: Mapped[str] = mapped_column(Text)
    # where it came from: "document", "slack", "teams", "console", "cli"
    source_kind: Mapped[str] = mapped_column(String(20))
    # stable key of the source item (document hash + line, platform message id + index): makes
    # capture idempotent
    source_key: Mapped[str | None] = mapped_column(String(300), unique=True)
    source_line: Mapped[int | None] = mapped_column(Integer)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    # the platform place the action was captured in (channel + thread), for thread notes
    origin_channel: Mapped[str | None] = mapped_column(String(200))
    origin_thread: Mapped[str | None] = mapped_column(String(200))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    meeting_date: Mapped[dt.date | None] = mapped_column(Date)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    due_text: Mapped[str | None] = mapped_column(String(300))
    due_unresolved: Mapped[bool] = mapped_column(default=False)
    recurring: Mapped[str | None] = mapped_column(String(100))
    priority_id: Mapped[int | None] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(20), default=OPEN)
    restricted: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    close_note: Mapped[str | None] = mapped_column(Text)

    owners: Mapped[list[ActionOwner]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="ActionOwner.position"
    )
    updates: Mapped[list[ActionUpdate]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="ActionUpdate.id"
    )
    group: Mapped[Group | None] = relationship()
    meeting: Mapped[Meeting | None] = relationship()
    created_by: Mapped[Member | None] = relationship(foreign_keys=[created_by_id])

    @property
    def is_open(self) -> bool:
        return self.status == OPEN


class ActionOwner(Base):
    """One owner of an action, as written and (when matched) the member; closes their own part."""

    __tablename__ = "action_owners"
    __table_args__ = (
        UniqueConstraint("action_id", "position"),
        Index("ix_action_owners_chase", "status", "next_chase_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    written: Mapped[str] = mapped_column(String(300))  # exactly as written in the source
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    # matched | ambiguous | unknown | collective | assigned
    match_status: Mapped[str] = mapped_column(String(20), default="unknown")
    status: Mapped[str] = mapped_column(String(20), default=OPEN)
    note: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # chasing: the store decides what is due; the scheduler only asks
    next_chase_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    chase_count: Mapped[int] = mapped_column(Integer, default=0)
    overdue_chases: Mapped[int] = mapped_column(Integer, default=0)
    last_chased_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    snoozed_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    action: Mapped[Action] = relationship(back_populates="owners")
    member: Mapped[Member | None] = relationship()


class ActionUpdate(Base):
    """A progress note on an action ("waiting for police data")."""

    __tablename__ = "action_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    author: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    action: Mapped[Action] = relationship(back_populates="updates")
