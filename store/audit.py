"""Writing the audit trail and remembering platform deliveries already handled."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store.models import AuditEvent, ProcessedEvent, utcnow


def record(
    session: Session,
    *,
    actor: str,
    via: str,
    entity: str,
    entity_id: int | None,
    event: str,
    actor_id: int | None = None,
    **detail: Any,
) -> AuditEvent:
    """Add one audit row for a change made in this session's transaction."""
    row = AuditEvent(
        at=utcnow(),
        actor_id=actor_id,
        actor=actor,
        via=via,
        entity=entity,
        entity_id=entity_id,
        event=event,
        detail=detail,
    )
    session.add(row)
    return row


def history(session: Session, entity: str, entity_id: int) -> list[AuditEvent]:
    """Every audit row for one entity, oldest first."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
        .order_by(AuditEvent.id)
    )
    return list(session.scalars(query))


def claim_event(session: Session, key: str) -> bool:
    """Mark a platform delivery as handled; False when it already was (a retry or double click).

    Runs in a savepoint so a duplicate does not spoil the caller's transaction.
    """
    try:
        with session.begin_nested():
            session.add(ProcessedEvent(key=key[:300], at=utcnow()))
    except IntegrityError:
        return False
    return True
