"""Data protection: export everything held on a member, erase it, and expire old closed actions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session, selectinload

from store import audit
from store.models import (
    Action,
    ActionOwner,
    ActionUpdate,
    AuditEvent,
    ConversationRef,
    Group,
    Member,
    Membership,
)
from store.models.actions import CANCELLED, DONE
from store.scrub import scrub_everywhere


def erased_label(member_id: int) -> str:
    """The name an erased member is known by from then on."""
    return f"Erased member #{member_id}"


def _iso(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _row(obj: Any, *columns: str) -> dict[str, Any]:
    return {name: _iso(getattr(obj, name)) for name in columns}


_MEMBER_FIELDS = (
    "id", "name", "aliases", "initials", "email", "organisation", "title", "slack_user_id",
    "teams_user_id", "teams_aad_id", "timezone", "erased", "created_at",
)  # fmt: skip


def export_member(session: Session, member_id: int) -> dict[str, Any]:
    """Everything held on one person, as JSON-ready data (ISO dates); KeyError when unknown.

    Covers the member row, memberships and roles, groups they lead, their parts of actions (with
    the action's reference, text and status), actions they created or closed, progress notes they
    wrote, audit rows where they are the actor and the conversations the bot keeps for them.
    """
    member = session.get(Member, member_id)
    if member is None:
        raise KeyError(member_id)
    return {
        "member": _row(member, *_MEMBER_FIELDS),
        "memberships": _memberships(session, member_id),
        "groups_led": [
            {"group_id": g.id, "group": g.name}
            for g in session.scalars(select(Group).where(Group.lead_id == member_id))
        ],
        "action_parts": _parts(session, member_id),
        "actions_created_or_closed": _actions_touched(session, member_id),
        "updates": _updates(session, member_id),
        "audit": [
            _row(e, "id", "at", "actor", "via", "entity", "entity_id", "event", "detail")
            for e in session.scalars(
                select(AuditEvent).where(AuditEvent.actor_id == member_id).order_by(AuditEvent.id)
            )
        ],
        "conversation_refs": [
            _row(c, "platform", "key", "reference", "updated_at")
            for c in session.scalars(
                select(ConversationRef)
                .where(ConversationRef.member_id == member_id)
                .order_by(ConversationRef.id)
            )
        ],
    }


def _memberships(session: Session, member_id: int) -> list[dict[str, Any]]:
    query = (
        select(Membership, Group.name)
        .join(Group, Group.id == Membership.group_id)
        .where(Membership.member_id == member_id)
        .order_by(Group.name, Membership.role)
    )
    return [
        {"group_id": m.group_id, "group": name, "role": m.role}
        for m, name in session.execute(query)
    ]


def _parts(session: Session, member_id: int) -> list[dict[str, Any]]:
    query = (
        select(ActionOwner)
        .where(ActionOwner.member_id == member_id)
        .options(selectinload(ActionOwner.action))
        .order_by(ActionOwner.action_id, ActionOwner.position)
    )
    parts = []
    for part in session.scalars(query):
        row = _row(
            part, "written", "match_status", "status", "note", "closed_at", "next_chase_at",
            "chase_count", "overdue_chases", "last_chased_at", "snoozed_until", "escalated_at",
        )  # fmt: skip
        action = part.action
        row.update(
            action_ref=action.ref,
            action_text=action.text,
            action_status=action.status,
            due_date=_iso(action.due_date),
            restricted=action.restricted,
        )
        parts.append(row)
    return parts


def _actions_touched(session: Session, member_id: int) -> list[dict[str, Any]]:
    query = (
        select(Action)
        .where(or_(Action.created_by_id == member_id, Action.closed_by_id == member_id))
        .order_by(Action.id)
    )
    return [
        {
            "ref": a.ref,
            "text": a.text,
            "status": a.status,
            "created": a.created_by_id == member_id,
            "closed": a.closed_by_id == member_id,
            "created_at": _iso(a.created_at),
            "closed_at": _iso(a.closed_at),
        }
        for a in session.scalars(query)
    ]


def _updates(session: Session, member_id: int) -> list[dict[str, Any]]:
    query = (
        select(ActionUpdate, Action.ref)
        .join(Action, Action.id == ActionUpdate.action_id)
        .where(ActionUpdate.member_id == member_id)
        .order_by(ActionUpdate.id)
    )
    return [
        {"action_ref": ref, **_row(u, "author", "text", "created_at")}
        for u, ref in session.execute(query)
    ]


@dataclass(frozen=True)
class EraseSummary:
    """What an erasure changed (all zero and ``already_erased`` on a second run)."""

    member_id: int
    label: str
    already_erased: bool
    owner_parts: int = 0
    updates: int = 0
    audit_rows: int = 0
    conversation_refs: int = 0
    scrubbed_values: int = 0


def erase_member(session: Session, member_id: int, *, actor: str, via: str) -> EraseSummary:
    """Remove a person's personal data; the actions, their history and the audit trail stay.

    The member row keeps its id (so history still joins) but is renamed to "Erased member #id"
    with every identifier cleared; their owner parts, notes and audit rows now carry that label;
    the conversations kept for them are deleted; and any remaining mention of their name, aliases,
    email or platform ids in any text or JSON column is replaced by the label. One audit row
    "member erased" (with no personal data) is written. A second run changes nothing.
    KeyError when the member does not exist.
    """
    member = session.get(Member, member_id)
    if member is None:
        raise KeyError(member_id)
    label = erased_label(member_id)
    if member.erased:
        return EraseSummary(member_id, label, already_erased=True)
    terms = _identifiers(session, member)
    owner_parts = _execute_count(
        session,
        update(ActionOwner).where(ActionOwner.member_id == member_id).values(written=label),
    )
    updates = _execute_count(
        session,
        update(ActionUpdate).where(ActionUpdate.member_id == member_id).values(author=label),
    )
    audit_rows = _execute_count(
        session, update(AuditEvent).where(AuditEvent.actor_id == member_id).values(actor=label)
    )
    refs = _execute_count(
        session, delete(ConversationRef).where(ConversationRef.member_id == member_id)
    )
    _clear_member(member, label)
    session.flush()
    scrubbed = scrub_everywhere(session, terms, label)
    summary = EraseSummary(
        member_id, label, False, owner_parts, updates, audit_rows, refs, scrubbed
    )
    audit.record(
        session,
        actor=actor,
        via=via,
        entity="member",
        entity_id=member_id,
        event="erased",
        owner_parts=owner_parts,
        updates=updates,
        audit_rows=audit_rows,
        conversation_refs=refs,
        scrubbed_values=scrubbed,
    )
    session.flush()
    return summary


def _execute_count(session: Session, statement: Any) -> int:
    return int(getattr(session.execute(statement), "rowcount", 0) or 0)


def _identifiers(session: Session, member: Member) -> list[str]:
    """Every string that identifies the member, longest first."""
    found = [member.name, *(member.aliases or []), member.email, member.initials]
    found += [member.slack_user_id, member.teams_user_id, member.teams_aad_id]
    found += session.scalars(
        select(ActionOwner.written).where(ActionOwner.member_id == member.id).distinct()
    )
    found += session.scalars(
        select(ActionUpdate.author).where(ActionUpdate.member_id == member.id).distinct()
    )
    found += session.scalars(
        select(AuditEvent.actor).where(AuditEvent.actor_id == member.id).distinct()
    )
    unique = {t.strip() for t in found if isinstance(t, str) and len(t.strip()) >= 2}
    return sorted(unique, key=lambda t: (-len(t), t))


def _clear_member(member: Member, label: str) -> None:
    member.name = label
    member.aliases = []
    for field in ("initials", "email", "organisation", "title", "slack_user_id",
                  "teams_user_id", "teams_aad_id", "timezone"):  # fmt: skip
        setattr(member, field, None)
    member.erased = True


@dataclass(frozen=True)
class RetentionResult:
    """Closed actions removed (or, on a dry run, that would be removed)."""

    refs: list[str]
    cutoff: dt.datetime
    dry_run: bool


def retention_candidates(
    session: Session, *, older_than: dt.timedelta, now: dt.datetime
) -> list[Action]:
    """Closed (done or cancelled) actions whose ``closed_at`` is before ``now - older_than``."""
    cutoff = now - older_than
    query = (
        select(Action)
        .where(Action.status.in_((DONE, CANCELLED)), Action.closed_at.is_not(None))
        .where(Action.closed_at < cutoff)
        .order_by(Action.id)
    )
    return list(session.scalars(query))


def apply_retention(
    session: Session,
    *,
    older_than: dt.timedelta,
    now: dt.datetime,
    actor: str,
    via: str,
    dry_run: bool = False,
) -> RetentionResult:
    """Delete closed actions past the retention period (owners and notes go with them).

    A dry run only lists them. A real run that removes anything writes one audit row with the
    count and the references; the earlier audit rows of those actions are kept.
    """
    candidates = retention_candidates(session, older_than=older_than, now=now)
    refs = [a.ref or f"#{a.id}" for a in candidates]
    cutoff = now - older_than
    if dry_run or not candidates:
        return RetentionResult(refs, cutoff, dry_run)
    for action in candidates:
        session.delete(action)
    audit.record(
        session,
        actor=actor,
        via=via,
        entity="retention",
        entity_id=None,
        event="purged",
        count=len(refs),
        refs=refs,
        cutoff=cutoff.isoformat(),
    )
    session.flush()
    return RetentionResult(refs, cutoff, dry_run)
