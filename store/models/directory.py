"""The people and the groups they meet in: members, groups, memberships, channels, meetings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store.models.base import Base, UTCDateTime, utcnow


class Member(Base):
    """A person: one row however many platforms they use."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    initials: Mapped[str | None] = mapped_column(String(10))
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    organisation: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    slack_user_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    teams_user_id: Mapped[str | None] = mapped_column(String(128), unique=True)
    teams_aad_id: Mapped[str | None] = mapped_column(String(64), index=True)
    timezone: Mapped[str | None] = mapped_column(String(64))
    erased: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="member", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"Member({self.id}, {self.name!r})"


class Group(Base):
    """The board or one of its subgroups."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    kind: Mapped[str] = mapped_column(String(20), default="subgroup")  # board | subgroup
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"))
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    # chase policy overrides and holiday region, see scheduler.policy
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    parent: Mapped[Group | None] = relationship(remote_side="Group.id")
    lead: Mapped[Member | None] = relationship(foreign_keys=[lead_id])
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="group", cascade="all, delete-orphan"
    )
    channels: Mapped[list[GroupChannel]] = relationship(
        back_populates="group", cascade="all, delete-orphan"
    )
    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="Meeting.date"
    )


class Membership(Base):
    """A member's place in a group, with the role they hold there."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("member_id", "group_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    # chair | secretary | lead | member
    role: Mapped[str] = mapped_column(String(40), default="member")

    member: Mapped[Member] = relationship(back_populates="memberships")
    group: Mapped[Group] = relationship(back_populates="memberships")


class GroupChannel(Base):
    """A chat channel that belongs to a group, on one platform."""

    __tablename__ = "group_channels"
    __table_args__ = (UniqueConstraint("platform", "channel_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(20))  # slack | teams | console
    channel_id: Mapped[str] = mapped_column(String(200))

    group: Mapped[Group] = relationship(back_populates="channels")


class Meeting(Base):
    """A group's dated meeting, for deadlines like "for June CSP" and pre-meeting digests."""

    __tablename__ = "meetings"
    __table_args__ = (
        UniqueConstraint("group_id", "date"),
        Index("ix_meetings_date", "date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    title: Mapped[str | None] = mapped_column(String(200))
    digest_sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    group: Mapped[Group] = relationship(back_populates="meetings")
