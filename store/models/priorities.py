"""The priority register: priorities, the subgroups that lead and support them, and its version."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store.models.base import Base, UTCDateTime, utcnow
from store.models.directory import Group

LEAD = "lead"
SUPPORT = "support"

# The strategic-assessment risk matrix: 16 criteria, each scored 0-5, total out of 80.
RISK_CRITERIA: tuple[str, ...] = (
    "gap_in_current_picture",
    "contribution_to_csp_outcomes",
    "current_csp_priority",
    "performance_deteriorating",
    "national_priority",
    "local_priority",
    "community_concern",
    "harm_to_property_environment",
    "harm_to_people_victims",
    "proportion_of_demand",
    "generator_of_fear",
    "cross_cutting",
    "media_attention",
    "social_and_economic_cost",
    "risk_of_increase",
    "likelihood_of_achievability",
)
RISK_MAX = 5 * len(RISK_CRITERIA)


class Priority(Base):
    """One agreed priority ("Knife crime"), with its names, period, targets and risk scores."""

    __tablename__ = "priorities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    acronyms: Mapped[list[str]] = mapped_column(JSON, default=list)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str | None] = mapped_column(Text)
    period: Mapped[str | None] = mapped_column(String(40))
    targets: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str | None] = mapped_column(Text)
    # criterion (see RISK_CRITERIA) -> 0..5; risk_total is their sum, kept for ordering
    scores: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    risk_total: Mapped[int | None] = mapped_column(Integer, index=True)
    # the total printed in the source assessment, when it differs from the sum of the scores
    stated_total: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    groups: Mapped[list[PriorityGroup]] = relationship(
        back_populates="priority",
        cascade="all, delete-orphan",
        order_by="PriorityGroup.position",
    )

    def __repr__(self) -> str:
        return f"Priority({self.id}, {self.name!r})"


class PriorityGroup(Base):
    """A subgroup's part in a priority: lead (normally one) or support."""

    __tablename__ = "priority_groups"
    __table_args__ = (UniqueConstraint("priority_id", "group_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    priority_id: Mapped[int] = mapped_column(
        ForeignKey("priorities.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10))  # lead | support
    position: Mapped[int] = mapped_column(Integer, default=0)  # leads first, then supporters

    priority: Mapped[Priority] = relationship(back_populates="groups")
    group: Mapped[Group] = relationship()


class PriorityRegister(Base):
    """One row: a counter bumped by every change, so readers can cache the register safely."""

    __tablename__ = "priority_register"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
