"""The chase send log: a row per message slot, written before sending: "sent once" is provable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from store.models.chasing import FAILED, SENDING, SENT, ChaseSend


def _table() -> Table:
    table: Table = ChaseSend.__table__  # type: ignore[assignment]
    return table


@dataclass(frozen=True)
class SendSlot:
    """One slot about to be sent: its key, what it is, who it is for."""

    key: str
    kind: str
    recipient: str
    recipient_id: int | None = None
    owner_id: int | None = None
    meeting_id: int | None = None


ALREADY_SENT = "already sent"
BUSY = "busy"


def begin_sends(
    session: Session,
    messages: Sequence[Sequence[SendSlot]],
    *,
    instance: str,
    now: dt.datetime,
    lease: dt.datetime,
) -> list[int | str]:
    """Write (or take over) the send-log rows of each message before the platform is called.

    For each message (a list of slots) the answer is the attempt number to send it as, or
    ``ALREADY_SENT`` (every slot is recorded as sent) or ``BUSY`` (some slot was sent, or is
    held by another instance whose lease has not run out, or is waiting to retry); for those
    nothing is written. A row left ``sending`` by a crashed instance is taken over and its
    ``attempts`` counted up: the outcome of that attempt is unknown, so it is sent again.
    New rows go in with one statement, so a batch of messages costs two round trips.
    """
    keys = [slot.key for slots in messages for slot in slots]
    existing = {
        row.key: row for row in session.scalars(select(ChaseSend).where(ChaseSend.key.in_(keys)))
    }
    answers: list[int | str] = []
    new_rows: list[dict[str, object]] = []
    for slots in messages:
        found = [existing[s.key] for s in slots if s.key in existing]
        if found and all(row.status == SENT for row in found) and len(found) == len(slots):
            answers.append(ALREADY_SENT)
            continue
        if any(row.status not in (SENDING, FAILED) or row.lease_until > now for row in found):
            answers.append(BUSY)
            continue
        for row in found:
            row.status, row.instance, row.lease_until = SENDING, instance, lease
            row.attempts += 1
        new_rows += [
            {
                "key": s.key, "kind": s.kind, "owner_id": s.owner_id, "meeting_id": s.meeting_id,
                "recipient_id": s.recipient_id, "recipient": s.recipient, "status": SENDING,
                "attempts": 1, "instance": instance, "lease_until": lease, "created_at": now,
            }
            for s in slots
            if s.key not in existing
        ]  # fmt: skip
        answers.append(max((row.attempts for row in found), default=1))
    if new_rows:
        session.execute(insert(ChaseSend), new_rows)
    session.flush()
    return answers


def already_sent(session: Session, keys: Sequence[str]) -> set[str]:
    """The keys among ``keys`` whose slot is recorded as sent."""
    query = select(ChaseSend.key).where(ChaseSend.key.in_(keys), ChaseSend.status == SENT)
    return set(session.scalars(query))


def finish_sends(
    session: Session,
    keys: Sequence[str],
    *,
    status: str,
    now: dt.datetime,
    retry_at: dt.datetime | None = None,
    error: str | None = None,
) -> None:
    """Record the outcome of a send: sent, failed (retry not before ``retry_at``), reported."""
    values: dict[str, object] = {"status": status, "last_error": error}
    if status == SENT:
        values["sent_at"] = now
    if retry_at is not None:
        values["lease_until"] = retry_at
    table = _table()
    session.connection().execute(update(table).where(table.c.key.in_(keys)).values(**values))


def abandon_sends(session: Session, keys: Sequence[str], *, now: dt.datetime) -> None:
    """Give back slots logged but never sent (the sweep ran short of time): any instance may
    take them at once, and the attempt is not counted."""
    table = _table()
    session.connection().execute(
        update(table)
        .where(table.c.key.in_(keys), table.c.status == SENDING)
        .values(
            status=FAILED, lease_until=now, attempts=table.c.attempts - 1, last_error="deferred"
        )
    )


def send_log(session: Session, *, owner_id: int | None = None) -> list[ChaseSend]:
    """The send log (of one owner row), oldest first."""
    query = select(ChaseSend).order_by(ChaseSend.id)
    if owner_id is not None:
        query = query.where(ChaseSend.owner_id == owner_id)
    return list(session.scalars(query))
