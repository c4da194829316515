"""Importing the directory file into the store (idempotent, audited) and exporting it back.

Import adds and updates by name; it never deletes a member, group, channel or meeting. A group's
chair, secretary and lead are what the file says (a changed chair replaces the old one); listed
members are added to the group. Importing the same file twice changes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from store import audit
from store.directory_lookup import CHAIR, LEAD, MEMBER, SECRETARY, add_meeting
from store.directory_spec import DirectoryError, GroupSpec, MemberSpec, parse
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
    new_groups: set[int] = field(default_factory=set)
    members: dict[str, Member] = field(default_factory=dict)  # lower-case name -> member
    groups: dict[str, Group] = field(default_factory=dict)  # lower-case name -> group
    channels: dict[tuple[str, str], GroupChannel] = field(default_factory=dict)
    created: list[Member | Group] = field(default_factory=list)

    def load(self) -> None:
        """Read the directory once, so the import looks names up in memory."""
        for member in self.session.scalars(select(Member).order_by(Member.id.desc())):
            self.members[member.name.lower()] = member
        query = select(Group).options(selectinload(Group.memberships), selectinload(Group.meetings))
        for group in self.session.scalars(query.order_by(Group.id.desc())):
            self.groups[group.name.lower()] = group
        for channel in self.session.scalars(select(GroupChannel)):
            self.channels[(channel.platform, channel.channel_id)] = channel

    def person(self, name: str) -> Member | None:
        """A member by name, then by alias (case-insensitive)."""
        wanted = " ".join(name.split()).lower()
        found = self.members.get(wanted)
        if found is not None:
            return found
        return next(
            (m for m in self.members.values() if wanted in (a.lower() for a in m.aliases or ())),
            None,
        )

    def audit_created(self) -> None:
        """Audit rows for the members or groups added since the last call (ids now known)."""
        self.session.flush()
        for row in self.created:
            self.audit(type(row).__name__.lower(), row.id, "created", name=row.name)
            if isinstance(row, Group):
                self.new_groups.add(row.id)
        self.created.clear()

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
    run = _Run(session, actor, via, Counter())
    with session.no_autoflush:
        run.load()
        for member in spec.members:
            _upsert_member(run, member)
        run.audit_created()
        groups = {g.name: _upsert_group(run, g) for g in spec.groups}
        run.audit_created()
        for g in spec.groups:
            _link_group(run, groups[g.name], g)
    session.flush()
    return ImportSummary(**run.counts)


def _upsert_member(run: _Run, spec: MemberSpec) -> Member:
    member = run.members.get(spec.name.lower())
    wanted: dict[str, Any] = dict(spec.fields)
    if spec.aliases is not None:
        wanted["aliases"] = list(spec.aliases)
    _check_unique_ids(run, spec, member)
    if member is None:
        member = Member(name=spec.name, **{"aliases": [], **wanted})
        run.session.add(member)
        run.members[spec.name.lower()] = member
        run.created.append(member)
        run.counts["members_added"] += 1
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


def _check_unique_ids(run: _Run, spec: MemberSpec, member: Member | None) -> None:
    for key in _UNIQUE_IDS:
        value = spec.fields.get(key)
        if not value:
            continue
        other = next((m for m in run.members.values() if getattr(m, key) == value), None)
        if other is not None and other is not member:
            raise DirectoryError(
                f"member {spec.name!r}: {key} {value} already belongs to {other.name}"
            )


def _upsert_group(run: _Run, spec: GroupSpec) -> Group:
    group = run.groups.get(spec.name.lower())
    wanted: dict[str, Any] = {"kind": spec.kind}
    if spec.aliases is not None:
        wanted["aliases"] = list(spec.aliases)
    if spec.settings is not None:
        wanted["settings"] = dict(spec.settings)
    if group is None:
        group = Group(name=spec.name, **{"aliases": [], "settings": {}, **wanted})
        group.memberships, group.channels, group.meetings = [], [], []
        run.session.add(group)
        run.groups[spec.name.lower()] = group
        run.created.append(group)
        run.counts["groups_added"] += 1
        return group
    changed = sorted(k for k, v in wanted.items() if getattr(group, k) != v)
    for key in changed:
        setattr(group, key, wanted[key])
    if changed:
        run.counts["groups_updated"] += 1
        run.audit("group", group.id, "updated", name=spec.name, fields=changed)
    return group


def _person(run: _Run, group: GroupSpec, role: str, name: str) -> Member:
    member = run.person(name)
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
    known = {m.date: m for m in group.meetings}
    for meeting in spec.meetings:
        if meeting.date in known:
            if meeting.title and not known[meeting.date].title:
                known[meeting.date].title = meeting.title
            continue
        known[meeting.date] = add_meeting(
            run.session, group.id, meeting.date, title=meeting.title, actor=run.actor, via=run.via
        )
        run.counts["meetings_added"] += 1
    run.session.expire(group, ["meetings"])


def _set_parent(run: _Run, group: Group, spec: GroupSpec) -> None:
    if not spec.parent:
        return
    parent = run.groups.get(spec.parent.lower())
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
    run.audit("group", group.id, "role_added", role=role, member=member.name)


def _add_channels(run: _Run, group: Group, spec: GroupSpec) -> None:
    for platform, ids in spec.channels.items():
        for channel_id in ids:
            row = run.channels.get((platform, channel_id))
            if row is not None and row.group_id == group.id:
                continue
            if row is None:
                row = GroupChannel(group_id=group.id, platform=platform, channel_id=channel_id)
                run.session.add(row)
                run.channels[(platform, channel_id)] = row
            else:
                row.group_id = group.id
            run.counts["channels_added"] += 1
            run.audit("group", group.id, "channel_added", platform=platform, channel=channel_id)
    run.session.flush()
