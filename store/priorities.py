"""The priority register: import from YAML, edit, list; every change audited and versioned."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, joinedload, selectinload

from store import audit
from store.directory import group_by_name
from store.models import Action, Group, utcnow
from store.models.actions import OPEN
from store.models.priorities import LEAD, SUPPORT, Priority, PriorityGroup, PriorityRegister
from store.priorities_yaml import PriorityIn

ENTITY = "priority"
_FIELDS = (
    "acronyms", "aliases", "description", "period", "targets", "notes", "scores", "stated_total",
)  # fmt: skip


@dataclass
class ImportSummary:
    """What an import did: names created, changed and unchanged, and subgroups it had to create."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    new_groups: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class IndexRow:
    """What the question index keeps per priority: names, period, score and the subgroup ids."""

    id: int
    name: str
    acronyms: tuple[str, ...]
    aliases: tuple[str, ...]
    period: str | None
    risk_total: int | None
    stated_total: int | None
    leads: tuple[int, ...]
    supporting: tuple[int, ...]


# ---- version --------------------------------------------------------------------------------


def register_version(session: Session) -> int:
    """The register's change counter: equal counters mean an identical register."""
    version = session.scalar(select(PriorityRegister.version).where(PriorityRegister.id == 1))
    return version or 0


def bump_version(session: Session) -> None:
    """Move the register version on (in this transaction), so cached indexes are rebuilt."""
    result = session.execute(
        update(PriorityRegister)
        .where(PriorityRegister.id == 1)
        .values(version=PriorityRegister.version + 1, updated_at=utcnow())
    )
    if not getattr(result, "rowcount", 0):
        session.add(PriorityRegister(id=1, version=1, updated_at=utcnow()))
    session.flush()


# ---- groups ---------------------------------------------------------------------------------


class GroupResolver:
    """Finds subgroups through the directory (name or alias), creating missing ones on request."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._found: dict[str, Group | None] = {}
        self.created: list[str] = []

    def find(self, name: str) -> Group | None:
        """The group with this name or alias, if the directory has it."""
        key = " ".join(name.casefold().split())
        if key not in self._found:
            self._found[key] = group_by_name(self._session, name)
        return self._found[key]

    def get_or_create(self, name: str) -> Group:
        """The group with this name, created as a subgroup when the directory lacks it."""
        group = self.find(name)
        if group is None:
            group = Group(name=name, kind="subgroup", aliases=[], settings={})
            self._session.add(group)
            self._session.flush()
            self._found[" ".join(name.casefold().split())] = group
            self.created.append(name)
        return group


# ---- reading --------------------------------------------------------------------------------


def get(session: Session, priority_id: int) -> Priority | None:
    """One priority with its subgroup links loaded (groups come from the session, else lazily)."""
    query = select(Priority).where(Priority.id == priority_id)
    query = query.options(joinedload(Priority.groups))
    return session.execute(query).unique().scalar_one_or_none()


def by_name(session: Session, name: str) -> Priority | None:
    """The priority with exactly this name (case-insensitive; SQLite folds only ASCII letters,
    so the name exactly as written is looked for too)."""
    same = or_(Priority.name == name, func.lower(Priority.name) == name.lower())
    return session.scalar(select(Priority).where(same))


def list_all(session: Session) -> list[Priority]:
    """Every priority, by name, with its subgroups loaded."""
    query = (
        select(Priority)
        .order_by(Priority.name)
        .options(selectinload(Priority.groups).selectinload(PriorityGroup.group).selectinload(Group.lead))
    )
    return list(session.scalars(query))


def index_rows(session: Session) -> list[IndexRow]:
    """The whole register in the compact form the question index is built from (two queries)."""
    links: dict[int, tuple[list[int], list[int]]] = {}
    query = select(PriorityGroup.priority_id, PriorityGroup.group_id, PriorityGroup.role).order_by(
        PriorityGroup.position
    )
    for priority_id, group_id, role in session.execute(query):
        leads, supporting = links.setdefault(priority_id, ([], []))
        (leads if role == LEAD else supporting).append(group_id)
    rows = session.execute(
        select(
            Priority.id, Priority.name, Priority.acronyms, Priority.aliases, Priority.period,
            Priority.risk_total, Priority.stated_total,
        )
    )  # fmt: skip
    result = []
    for pid, name, acronyms, aliases, period, risk_total, stated_total in rows:
        leads, supporting = links.get(pid, ([], []))
        result.append(
            IndexRow(pid, name, tuple(acronyms or ()), tuple(aliases or ()), period, risk_total,
                     stated_total, tuple(leads), tuple(supporting))
        )  # fmt: skip
    return result


def open_action_counts(session: Session, priority_ids: Iterable[int]) -> dict[int, int]:
    """How many open actions are linked to each priority (actions.priority_id)."""
    ids = list(priority_ids)
    if not ids:
        return {}
    query = (
        select(Action.priority_id, func.count())
        .where(Action.priority_id.in_(ids), Action.status == OPEN)
        .group_by(Action.priority_id)
    )
    return {pid: count for pid, count in session.execute(query) if pid is not None}


def open_actions(
    session: Session, priority_id: int, *, limit: int
) -> tuple[int, list[tuple[int, str, dt.date | None]]]:
    """How many actions linked to a priority are open, and the first ``limit`` that are not
    restricted (earliest due first): one query."""
    query = (
        select(Action.id, Action.text, Action.due_date, Action.restricted, func.count().over())
        .where(Action.priority_id == priority_id, Action.status == OPEN)
        .order_by(Action.restricted, Action.due_date.is_(None), Action.due_date, Action.id)
        .limit(limit)
    )
    rows = session.execute(query).all()
    total = rows[0][4] if rows else 0
    return total, [(r[0], r[1], r[2]) for r in rows if not r[3]]


# ---- writing --------------------------------------------------------------------------------


def risk_total(scores: Mapping[str, int] | None) -> int | None:
    """The risk-matrix total (out of 80) of a set of scores."""
    return None if scores is None else sum(scores.values())


def _values(item: PriorityIn) -> dict[str, Any]:
    return {
        "acronyms": list(item.acronyms),
        "aliases": list(item.aliases),
        "description": item.description,
        "period": item.period,
        "targets": list(item.targets),
        "notes": item.notes,
        "scores": dict(item.scores) if item.scores is not None else None,
        "stated_total": item.stated_total,
    }


def _link_names(priority: Priority) -> dict[str, list[str]]:
    return {
        "lead": [link.group.name for link in priority.groups if link.role == LEAD],
        "supporting": [link.group.name for link in priority.groups if link.role == SUPPORT],
    }


def _set_links(priority: Priority, leads: Sequence[Group], supporting: Sequence[Group]) -> None:
    wanted = [(g, LEAD) for g in leads]
    wanted += [(g, SUPPORT) for g in supporting if g.id not in {x.id for x in leads}]
    current = [(link.group_id, link.role) for link in priority.groups]
    if current == [(g.id, role) for g, role in wanted]:
        return
    existing = {link.group_id: link for link in priority.groups}
    links = []
    for position, (group, role) in enumerate(wanted):
        link = existing.pop(group.id, None) or PriorityGroup(group=group, group_id=group.id)
        link.role, link.position = role, position
        links.append(link)
    priority.groups = links  # rows of groups no longer named are deleted (delete-orphan)


def _state(priority: Priority) -> dict[str, Any]:
    fields = {key: getattr(priority, key) for key in ("name", *_FIELDS)}
    return fields | _link_names(priority)


def _diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    return {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]}


def save(
    session: Session, item: PriorityIn, *, groups: GroupResolver, actor: str, via: str,
    existing: Priority | None = None, actor_id: int | None = None, bump: bool = True,
) -> str:  # fmt: skip
    """Create or update one priority from ``item``; returns "created", "updated" or "unchanged".

    With ``bump`` (the default) a change moves the register version on; a caller saving many
    priorities passes False and calls :func:`bump_version` once.
    """
    leads = [groups.get_or_create(name) for name in item.leads]
    supporting = [groups.get_or_create(name) for name in item.supporting]
    priority = existing or Priority(name=item.name)
    before = _state(priority) if existing is not None else None
    for key, value in _values(item).items():
        setattr(priority, key, value)
    priority.name, priority.risk_total = item.name, risk_total(item.scores)
    if existing is None:
        session.add(priority)
    _set_links(priority, leads, supporting)
    detail: dict[str, Any] = {"links": _link_names(priority)}
    if before is not None:
        detail = {"changes": _diff(before, _state(priority))}
        if not detail["changes"]:
            return "unchanged"
        priority.updated_at = utcnow()
    session.flush()
    event = "created" if existing is None else "updated"
    audit.record(session, actor=actor, via=via, entity=ENTITY, entity_id=priority.id,
                 actor_id=actor_id, event=event, name=priority.name, **detail)  # fmt: skip
    if bump:
        bump_version(session)
    return event


def import_priorities(
    session: Session, items: Sequence[PriorityIn], *, actor: str, via: str = "cli"
) -> ImportSummary:
    """Load priorities (matched to existing ones by name); priorities not in the file are kept."""
    groups = GroupResolver(session)
    existing = {
        p.name.casefold(): p
        for p in session.scalars(select(Priority).options(
            selectinload(Priority.groups).selectinload(PriorityGroup.group)))
    }  # fmt: skip
    summary = ImportSummary()
    for item in items:
        outcome = save(session, item, groups=groups, actor=actor, via=via, bump=False,
                       existing=existing.get(item.name.casefold()))  # fmt: skip
        {"created": summary.created, "updated": summary.updated}.get(
            outcome, summary.unchanged
        ).append(item.name)
    summary.new_groups = list(groups.created)
    if summary.created or summary.updated:
        bump_version(session)
    return summary


def _editable(priority: Priority) -> dict[str, list[str]]:
    return _link_names(priority) | {
        "targets": list(priority.targets),
        "aliases": list(priority.aliases),
    }


def edit(
    session: Session, priority: Priority, *, actor: str, via: str, actor_id: int | None = None,
    leads: Sequence[Group] | None = None, supporting: Sequence[Group] | None = None,
    add_target: str | None = None, add_alias: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Change one priority from chat; returns the changes (empty when nothing changed)."""
    before = _editable(priority)
    current_leads = [link.group for link in priority.groups if link.role == LEAD]
    current_support = [link.group for link in priority.groups if link.role == SUPPORT]
    new_leads = list(leads) if leads is not None else current_leads
    new_support = list(supporting) if supporting is not None else current_support
    _set_links(priority, new_leads, [g for g in new_support if g not in new_leads])
    if add_target and add_target not in priority.targets:
        priority.targets = [*priority.targets, add_target]
    if add_alias and add_alias.casefold() not in {a.casefold() for a in priority.aliases}:
        priority.aliases = [*priority.aliases, add_alias]
    after = _editable(priority)
    changes = _diff(before, after)
    if changes:
        priority.updated_at = utcnow()
        session.flush()
        audit.record(session, actor=actor, via=via, entity=ENTITY, entity_id=priority.id,
                     actor_id=actor_id, event="updated", name=priority.name,
                     changes=changes)  # fmt: skip
        bump_version(session)
    return changes
