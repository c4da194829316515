"""The action register: creating actions with their owners, finding and listing them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from store import audit
from store.models import Action, ActionOwner, utcnow
from store.models.actions import CANCELLED, DONE, OPEN

_REF = re.compile(r"^\s*#?\s*a?\s*-?\s*(\d{1,9})\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class NewOwner:
    """An owner as written, with the member it was matched to (if any)."""

    written: str
    member_id: int | None = None
    match_status: str = "unknown"  # matched | ambiguous | unknown | collective | assigned


@dataclass(frozen=True)
class NewAction:
    """Everything needed to record one captured action."""

    text: str
    source_kind: str
    owners: Sequence[NewOwner] = ()
    source_key: str | None = None
    source_line: int | None = None
    document_id: int | None = None
    origin_channel: str | None = None
    origin_thread: str | None = None
    group_id: int | None = None
    meeting_id: int | None = None
    meeting_date: dt.date | None = None
    due_date: dt.date | None = None
    due_text: str | None = None
    due_unresolved: bool = False
    recurring: str | None = None
    restricted: bool = False
    created_by_id: int | None = None


def format_ref(action_id: int) -> str:
    """The short human reference of an action: ``A-12``."""
    return f"A-{action_id}"


def parse_ref(text: str) -> int | None:
    """The action id in a reference as people type it ("A-12", "a12", "#12", "12")."""
    match = _REF.match(text)
    return int(match.group(1)) if match else None


def create(session: Session, new: NewAction, *, actor: str, via: str) -> Action | None:
    """Record an action and its owners; None when its source key was already captured."""
    if new.source_key is not None:
        found = session.scalar(select(Action.id).where(Action.source_key == new.source_key))
        if found is not None:
            return None
    action = Action(
        text=new.text,
        source_kind=new.source_kind,
        source_key=new.source_key,
        source_line=new.source_line,
        document_id=new.document_id,
        origin_channel=new.origin_channel,
        origin_thread=new.origin_thread,
        group_id=new.group_id,
        meeting_id=new.meeting_id,
        meeting_date=new.meeting_date,
        due_date=new.due_date,
        due_text=new.due_text,
        due_unresolved=new.due_unresolved,
        recurring=new.recurring,
        restricted=new.restricted,
        created_by_id=new.created_by_id,
        status=OPEN,
        created_at=utcnow(),
    )
    action.owners = [
        ActionOwner(
            position=i,
            written=o.written,
            member_id=o.member_id,
            match_status=o.match_status,
            status=OPEN,
        )
        for i, o in enumerate(new.owners)
    ]
    session.add(action)
    session.flush()
    action.ref = format_ref(action.id)
    audit.record(
        session,
        actor=actor,
        actor_id=new.created_by_id,
        via=via,
        entity="action",
        entity_id=action.id,
        event="created",
        ref=action.ref,
        owners=[o.written for o in new.owners],
        due_date=new.due_date.isoformat() if new.due_date else None,
    )
    session.flush()
    return action


def get(session: Session, ref: str) -> Action | None:
    """The action with this reference, owners loaded; None when there is none."""
    action_id = parse_ref(ref)
    if action_id is None:
        return None
    return session.scalar(
        select(Action).where(Action.id == action_id).options(selectinload(Action.owners))
    )


@dataclass(frozen=True)
class ActionFilter:
    """What to list. Every field narrows the list; the default lists everything."""

    statuses: tuple[str, ...] = ()
    group_ids: tuple[int, ...] = ()
    member_id: int | None = None  # actions where this member owns an open (or any) part
    owner_text: str | None = None  # owner as written, case-insensitive substring
    overdue_on: dt.date | None = None  # open and due before this date
    due_on_or_before: dt.date | None = None
    meeting_id: int | None = None
    meeting_month: tuple[int, int] | None = None  # (year, month) of the meeting it came from
    closed_since: dt.datetime | None = None
    include_restricted: bool = True
    limit: int | None = None


def _query(flt: ActionFilter) -> Select[Action]:
    query = select(Action).options(selectinload(Action.owners), selectinload(Action.updates))
    if flt.statuses:
        query = query.where(Action.status.in_(flt.statuses))
    if flt.group_ids:
        query = query.where(Action.group_id.in_(flt.group_ids))
    if flt.member_id is not None:
        query = query.where(
            exists().where(
                ActionOwner.action_id == Action.id, ActionOwner.member_id == flt.member_id
            )
        )
    if flt.owner_text:
        pattern = f"%{flt.owner_text.lower()}%"
        query = query.where(
            exists().where(
                ActionOwner.action_id == Action.id, func.lower(ActionOwner.written).like(pattern)
            )
        )
    if flt.overdue_on is not None:
        query = query.where(Action.status == OPEN, Action.due_date < flt.overdue_on)
    if flt.due_on_or_before is not None:
        query = query.where(Action.due_date <= flt.due_on_or_before)
    if flt.meeting_id is not None:
        query = query.where(Action.meeting_id == flt.meeting_id)
    if flt.meeting_month is not None:
        year, month = flt.meeting_month
        start = dt.date(year, month, 1)
        end = dt.date(year + (month == 12), month % 12 + 1, 1)
        query = query.where(Action.meeting_date >= start, Action.meeting_date < end)
    if flt.closed_since is not None:
        query = query.where(Action.closed_at >= flt.closed_since)
    if not flt.include_restricted:
        query = query.where(Action.restricted.is_(False))
    query = query.order_by(Action.due_date.is_(None), Action.due_date, Action.id)
    if flt.limit is not None:
        query = query.limit(flt.limit)
    return query


def find(session: Session, flt: ActionFilter = ActionFilter()) -> list[Action]:
    """Actions matching ``flt``, soonest due first (undated last), then oldest first."""
    return list(session.scalars(_query(flt)).unique())


def _like_escaped(text: str) -> str:
    """``text`` matched literally in a LIKE pattern (ids may hold ``_`` or ``%``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def captured_from(session: Session, source_key: str) -> list[Action]:
    """Every action captured from one source (a message or document), oldest first."""
    query = (
        select(Action)
        .where(Action.source_key.like(f"{_like_escaped(source_key)}:%", escape="\\"))
        .options(selectinload(Action.owners))
        .order_by(Action.id)
    )
    return list(session.scalars(query))


def owned_from_message(
    session: Session, *, source_key: str, channel: str, ts: str, member_id: int
) -> list[tuple[str, str]]:
    """(ref, thread) of open actions from one chat message, or captured in its thread, in which
    the member still owns an open part."""
    query = (  # the id is selected for PostgreSQL: DISTINCT must hold what it is ordered by
        select(Action.id, Action.ref, Action.origin_thread)
        .join(ActionOwner, ActionOwner.action_id == Action.id)
        .where(
            Action.status == OPEN, ActionOwner.member_id == member_id, ActionOwner.status == OPEN
        )
        .where(
            or_(
                Action.source_key.like(f"{_like_escaped(source_key)}:%", escape="\\"),
                (Action.origin_channel == channel) & (Action.origin_thread == ts),
            )
        )
        .order_by(Action.id)
        .distinct()
    )
    return [(str(ref), str(thread or ts)) for _, ref, thread in session.execute(query) if ref]


def open_parts_for(session: Session, member_id: int) -> list[ActionOwner]:
    """The member's own open parts of open actions, soonest due first."""
    query = (
        select(ActionOwner)
        .join(Action)
        .where(ActionOwner.member_id == member_id, ActionOwner.status == OPEN)
        .where(Action.status == OPEN)
        .options(selectinload(ActionOwner.action).selectinload(Action.owners))
        .order_by(Action.due_date.is_(None), Action.due_date, Action.id)
    )
    return list(session.scalars(query))


def refresh_status(action: Action, *, at: dt.datetime, by_id: int | None) -> bool:
    """Close the action when every owner's part is closed; True when its status changed.

    Owners who said "not mine" do not hold an action open. An action with no owners is closed
    directly by whoever may close it, never here.
    """
    if action.status != OPEN or not action.owners:
        return False
    if any(o.status == OPEN for o in action.owners):
        return False
    if not any(o.status == DONE for o in action.owners):
        return False
    action.status = DONE
    action.closed_at = at
    action.closed_by_id = by_id
    return True


def is_closed(status: str) -> bool:
    """Done and cancelled actions are closed."""
    return status in (DONE, CANCELLED)


def search_text(session: Session, words: str, *, limit: int = 20) -> list[Action]:
    """Open actions whose text contains all ``words`` (case-insensitive)."""
    query = select(Action).where(Action.status == OPEN)
    for word in words.split():
        query = query.where(or_(func.lower(Action.text).like(f"%{word.lower()}%")))
    return list(session.scalars(query.limit(limit)))
