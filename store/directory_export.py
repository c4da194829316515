"""Exporting the directory in the shape of the directory file (for `chaser directory show`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.directory_lookup import CHAIR, LEAD, SECRETARY
from store.directory_spec import MEMBER_FIELDS
from store.models import Group, Member

_SINGLE_ROLES = (CHAIR, SECRETARY, LEAD)


def export_directory(session: Session) -> dict[str, Any]:
    """The whole directory in the shape of the directory file (dates as ISO text)."""
    members = [_export_member(m) for m in session.scalars(select(Member).order_by(Member.id))]
    groups = [_export_group(g) for g in session.scalars(select(Group).order_by(Group.id))]
    return {"members": [m for m in members if m], "groups": groups}


def _export_member(member: Member) -> dict[str, Any]:
    if member.erased:
        return {}
    out: dict[str, Any] = {"name": member.name}
    if member.aliases:
        out["aliases"] = list(member.aliases)
    for key in MEMBER_FIELDS:
        value = getattr(member, key)
        if value:
            out[key] = value
    return out


def _export_group(group: Group) -> dict[str, Any]:
    holders = {m.role: m.member.name for m in group.memberships if m.role in _SINGLE_ROLES}
    out: dict[str, Any] = {"name": group.name}
    if group.aliases:
        out["aliases"] = list(group.aliases)
    out["kind"] = group.kind
    if group.parent is not None:
        out["parent"] = group.parent.name
    if group.lead is not None:
        out["lead"] = group.lead.name
    for role in (CHAIR, SECRETARY):
        if role in holders:
            out[role] = holders[role]
    out["members"] = sorted(m.member.name for m in group.memberships if m.role == "member")
    channels: dict[str, list[str]] = {}
    for channel in sorted(group.channels, key=lambda c: (c.platform, c.channel_id)):
        channels.setdefault(channel.platform, []).append(channel.channel_id)
    if channels:
        out["channels"] = channels
    out["meetings"] = [
        {"date": m.date.isoformat(), "title": m.title} if m.title else m.date.isoformat()
        for m in group.meetings
    ]
    if group.settings:
        out["settings"] = dict(group.settings)
    return out
