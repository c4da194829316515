"""Importing the directory file into the store (idempotent, audited) and exporting it back.

Import adds and updates by name; it never deletes a member, group, channel or meeting. A group's
chair, secretary and lead are what the file says (a changed chair replaces the old one); listed
members are added to the group. Importing the same file twice changes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store import audit
from store.directory_lookup import CHAIR, LEAD, MEMBER, SECRETARY, add_meeting, member_by_name
from store.directory_spec import MEMBER_FIELDS, DirectoryError, GroupSpec, MemberSpec, parse
from store.models import Group, GroupChannel, Member, Membership

_SINGLE_ROLES = (CHAIR, SECRETARY, LEAD)
_UNIQUE_IDS = ("slack_user_id", "teams_user_id")


@dataclass(frozen=True)
class ImportSummary:
    """What an import changed."""

    members_added: int = 0
    members_updated: int = 0
    groups_added: int = 0
    groups_updated: int = 0
    roles_changed: int = 0
    channels_added: int = 0
    meetings_added: int = 0

    @property
    def changed(self) -> bool:
        """True when the import changed anything at all."""
        return any(vars(self).values())

    def describe(self) -> str:
        """One line for people: "12 members added, 6 groups added, 5 meetings added"."""
        parts = [
            f"{n} {label}"
            for n, label in (
                (self.members_added, "members added"),
                (self.members_updated, "members updated"),
                (self.groups_added, "groups added"),
                (self.groups_updated, "groups updated"),
                (self.roles_changed, "roles changed"),
                (self.channels_added, "channels added"),
                (self.meetings_added, "meetings added"),
            )
            if n
        ]
        return (
            ", ".join(parts) if parts else "nothing changed (the directory was already up to date)"
        )


@dataclass
class _Run:
    session: Session
    actor: str
    via: str
    counts: Counter[str]
    new_groups: set[int]

    def count_group_change(self, group: Group) -> None:
        if group.id not in self.new_groups:
            self.counts["groups_updated"] += 1

    def audit(self, entity: str, entity_id: int | None, event: str, **detail: Any) -> None:
        audit.record(
            self.session,
            actor=self.actor,
            via=self.via,
            entity=entity,
            entity_id=entity_id,
            event=event,
            **detail,
        )


def import_yaml(
    session: Session, data: Mapping[str, Any], *, actor: str, via: str
) -> ImportSummary:
    """Bring the directory in line with ``data`` (the parsed YAML); raises DirectoryError."""
    spec = parse(data)
    run = _Run(session, actor, via, Counter(), set())
    for member in spec.members:
        _upsert_member(run, member)
    session.flush()
    groups = {g.name: _upsert_group(run, g) for g in spec.groups}
    session.flush()
    for g in spec.groups:
        _link_group(run, groups[g.name], g)
    session.flush()
    return ImportSummary(**run.counts)


def _by_name(session: Session, model: type[Member] | type[Group], name: str) -> Any:
    return session.scalar(
        select(model).where(func.lower(model.name) == name.lower()).order_by(model.id)
    )


def _upsert_member(run: _Run, spec: MemberSpec) -> Member:
    member: Member | None = _by_name(run.session, Member, spec.name)
    wanted: dict[str, Any] = dict(spec.fields)
    if spec.aliases is not None:
        wanted["aliases"] = list(spec.aliases)
    _check_unique_ids(run.session, spec, member)
    if member is None:
        member = Member(name=spec.name, **{"aliases": [], **wanted})
        run.session.add(member)
        run.session.flush()
        run.counts["members_added"] += 1
        run.audit("member", member.id, "created", name=spec.name)
        return member
    changed = [k for k, v in wanted.items() if getattr(member, k) != v]
    if member.name != spec.name:
        changed.append("name")
        member.name = spec.name
    for key in changed:
        if key != "name":
            setattr(member, key, wanted[key])
    if changed:
        run.counts["members_updated"] += 1
        run.audit("member", member.id, "updated", name=spec.name, fields=sorted(changed))
    return member


def _check_unique_ids(session: Session, spec: MemberSpec, member: Member | None) -> None:
    for key in _UNIQUE_IDS:
        value = spec.fields.get(key)
        if not value:
            continue
        other = session.scalar(select(Member).where(getattr(Member, key) == value))
        if other is not None and other is not member:
            raise DirectoryError(
                f"member {spec.name!r}: {key} {value} already belongs to {other.name}"
            )


def _upsert_group(run: _Run, spec: GroupSpec) -> Group:
    group: Group | None = _by_name(run.session, Group, spec.name)
    wanted: dict[str, Any] = {"kind": spec.kind}
    if spec.aliases is not None:
        wanted["aliases"] = list(spec.aliases)
    if spec.settings is not None:
        wanted["settings"] = dict(spec.settings)
    if group is None:
        group = Group(name=spec.name, **{"aliases": [], "settings": {}, **wanted})
        run.session.add(group)
        run.session.flush()
        run.counts["groups_added"] += 1
        run.new_groups.add(group.id)
        run.audit("group", group.id, "created", name=spec.name)
        return group
    changed = sorted(k for k, v in wanted.items() if getattr(group, k) != v)
    for key in changed:
        setattr(group, key, wanted[key])
    if changed:
        run.counts["groups_updated"] += 1
        run.audit("group", group.id, "updated", name=spec.name, fields=changed)
    return group


def _person(run: _Run, group: GroupSpec, role: str, name: str) -> Member:
    member = member_by_name(run.session, name)
    if member is None:
        raise DirectoryError(
            f"group {group.name!r}: {role} {name!r} is not a member (add them under `members:`)"
        )
    return member


def _link_group(run: _Run, group: Group, spec: GroupSpec) -> None:
    _set_parent(run, group, spec)
    lead = _person(run, spec, "lead", spec.lead) if spec.lead else None
    if lead is not None and group.lead_id != lead.id:
        group.lead_id = lead.id
        run.count_group_change(group)
        run.audit("group", group.id, "lead_set", lead=lead.name)
    wanted_single = {
        role: _person(run, spec, role, name)
        for role, name in ((CHAIR, spec.chair), (SECRETARY, spec.secretary), (LEAD, spec.lead))
        if name
    }
    _sync_roles(run, group, wanted_single)
    have = {(m.member_id, m.role) for m in group.memberships}
    for name in spec.members:
        member = _person(run, spec, "member", name)
        if (member.id, MEMBER) not in have:
            _add_role(run, group, member, MEMBER)
            have.add((member.id, MEMBER))
    _add_channels(run, group, spec)
    known = {m.date for m in group.meetings}
    for meeting in spec.meetings:
        add_meeting(
            run.session, group.id, meeting.date, title=meeting.title, actor=run.actor, via=run.via
        )
        if meeting.date not in known:
            known.add(meeting.date)
            run.counts["meetings_added"] += 1
    run.session.expire(group, ["meetings"])


def _set_parent(run: _Run, group: Group, spec: GroupSpec) -> None:
    if not spec.parent:
        return
    parent: Group | None = _by_name(run.session, Group, spec.parent)
    if parent is None:
        raise DirectoryError(
            f"group {spec.name!r}: parent {spec.parent!r} is not a group in the file"
        )
    if group.parent_id != parent.id:
        group.parent_id = parent.id
        run.count_group_change(group)
        run.audit("group", group.id, "parent_set", parent=parent.name)


def _sync_roles(run: _Run, group: Group, wanted: Mapping[str, Member]) -> None:
    for membership in list(group.memberships):
        holder = wanted.get(membership.role)
        if membership.role in wanted and holder is not None and membership.member_id != holder.id:
            group.memberships.remove(membership)
            run.counts["roles_changed"] += 1
            run.audit(
                "group",
                group.id,
                "role_removed",
                role=membership.role,
                member_id=membership.member_id,
            )
    have = {(m.member_id, m.role) for m in group.memberships}
    for role, member in wanted.items():
        if (member.id, role) not in have:
            _add_role(run, group, member, role)
            if group.id not in run.new_groups:
                run.counts["roles_changed"] += 1


def _add_role(run: _Run, group: Group, member: Member, role: str) -> None:
    group.memberships.append(Membership(member_id=member.id, role=role))
    run.session.flush()
    run.audit("group", group.id, "role_added", role=role, member=member.name)


def _add_channels(run: _Run, group: Group, spec: GroupSpec) -> None:
    for platform, ids in spec.channels.items():
        for channel_id in ids:
            row = run.session.scalar(
                select(GroupChannel).where(
                    GroupChannel.platform == platform, GroupChannel.channel_id == channel_id
                )
            )
            if row is not None and row.group_id == group.id:
                continue
            if row is None:
                row = GroupChannel(group_id=group.id, platform=platform, channel_id=channel_id)
                run.session.add(row)
            else:
                row.group_id = group.id
            run.counts["channels_added"] += 1
            run.audit("group", group.id, "channel_added", platform=platform, channel=channel_id)
    run.session.flush()


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
    out["members"] = sorted(m.member.name for m in group.memberships if m.role == MEMBER)
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
