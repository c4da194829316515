"""What the chase sweep asks the store: owners to schedule, atomic claims, and the send log."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    and_,
    bindparam,
    exists,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session, selectinload

from store.directory_lookup import is_chair_or_secretary
from store.models import Action, ActionOwner, Base, Group, GroupChannel, Meeting, Member, Membership
from store.models.actions import OPEN


def _reachable_part() -> ColumnElement[bool]:
    return and_(
        ActionOwner.status == OPEN,
        exists().where(Member.id == ActionOwner.member_id, Member.erased.is_(False)),
    )


def _open_part() -> ColumnElement[bool]:
    return and_(
        _reachable_part(),
        exists().where(Action.id == ActionOwner.action_id, Action.status == OPEN),
    )


def _unclaimed(now: dt.datetime) -> ColumnElement[bool]:
    return or_(ActionOwner.claimed_until.is_(None), ActionOwner.claimed_until <= now)


def _due(now: dt.datetime) -> ColumnElement[bool]:
    return and_(_open_part(), ActionOwner.next_chase_at <= now, _unclaimed(now))


def _claimable(now: dt.datetime) -> ColumnElement[bool]:
    # the claim leaves the action's status to the sweep (a closed action's row is claimed once
    # and unscheduled): no join with actions keeps the hottest query one index range scan,
    # whatever the planner believes about freshly loaded tables
    return and_(_reachable_part(), ActionOwner.next_chase_at <= now, _unclaimed(now))


def _load(query: Select[ActionOwner]) -> Select[ActionOwner]:
    return query.options(
        selectinload(ActionOwner.member),
        selectinload(ActionOwner.action).selectinload(Action.group),
        selectinload(ActionOwner.action)
        .selectinload(Action.owners)
        .selectinload(ActionOwner.member),
    )


def unscheduled(
    session: Session, today: dt.date, *, after_id: int = 0, limit: int = 2000
) -> list[ActionOwner]:
    """Open parts of open actions with a known member and no next chase time that can have one
    (a due date, or a group meeting on or after ``today``), by id after ``after_id``, loaded."""
    has_meeting = exists().where(Meeting.group_id == Action.group_id, Meeting.date >= today)
    dated_or_meeting = ActionOwner.action_id.in_(
        select(Action.id).where(or_(Action.due_date.is_not(None), has_meeting))
    )
    query = (
        select(ActionOwner)
        .where(_open_part(), ActionOwner.next_chase_at.is_(None), dated_or_meeting)
        .where(ActionOwner.id > after_id)
        .order_by(ActionOwner.id)
        .limit(limit)
    )
    return list(session.scalars(_load(query)))


def future_meetings(
    session: Session, group_ids: Iterable[int], today: dt.date
) -> dict[int, list[dt.date]]:
    """Meeting dates on or after ``today`` per group, soonest first."""
    ids = set(group_ids)
    result: dict[int, list[dt.date]] = defaultdict(list)
    if not ids:
        return result
    query = (
        select(Meeting.group_id, Meeting.date)
        .where(Meeting.group_id.in_(ids), Meeting.date >= today)
        .order_by(Meeting.date)
    )
    for group_id, day in session.execute(query):
        result[group_id].append(day)
    return result


def schedule(session: Session, times: dict[int, dt.datetime]) -> None:
    """Set next_chase_at on owner rows that still have none (compare-and-set, one round trip)."""
    if not times:
        return
    table = _table(ActionOwner)
    statement = (
        update(table)
        .where(table.c.id == bindparam("owner_id"), table.c.next_chase_at.is_(None))
        .values(next_chase_at=bindparam("at"))
    )
    params = [{"owner_id": owner_id, "at": at} for owner_id, at in times.items()]
    session.connection().execute(statement, params)


def due_owners(session: Session, now: dt.datetime, *, limit: int = 10000) -> list[ActionOwner]:
    """Owner rows due now and not claimed, loaded (read only: for a dry run)."""
    query = select(ActionOwner).where(_due(now)).order_by(ActionOwner.member_id, ActionOwner.id)
    return list(session.scalars(_load(query.limit(limit))))


def claim_due(
    session: Session, now: dt.datetime, *, instance: str, until: dt.datetime, members: int = 200
) -> list[int]:
    """Claim every due owner row of up to ``members`` members for ``instance``; their ids.

    All of one member's due rows are claimed together so they go out as one digest. On
    PostgreSQL the members are locked with ``FOR NO KEY UPDATE SKIP LOCKED`` so concurrent
    sweeps take different members without waiting; on SQLite the single UPDATE is atomic (the
    database has one writer) and re-checks that each row is still unclaimed.
    """
    pending = select(ActionOwner.member_id).where(_claimable(now))
    if session.get_bind().dialect.name == "postgresql":
        locked = (
            select(Member.id)
            .where(Member.id.in_(pending))
            .order_by(Member.id)
            .limit(members)
            .with_for_update(skip_locked=True, key_share=True)
        )
        member_ids = list(session.scalars(locked))
        if not member_ids:
            return []
        chosen: ColumnElement[bool] = ActionOwner.member_id.in_(member_ids)
    else:
        chosen = ActionOwner.member_id.in_(
            pending.distinct().order_by(ActionOwner.member_id).limit(members)
        )
    return claim_ids(
        session, None, now, instance=instance, until=until, where=and_(chosen, _claimable(now))
    )


def claim_ids(
    session: Session,
    ids: Sequence[int] | None,
    now: dt.datetime,
    *,
    instance: str,
    until: dt.datetime,
    where: ColumnElement[bool] | None = None,
) -> list[int]:
    """Claim the given (or matching) owner rows that are not claimed by anyone; the ids taken."""
    condition = _unclaimed(now) if where is None else where
    if ids is not None:
        condition = and_(condition, ActionOwner.id.in_(ids))
    result = session.execute(
        update(ActionOwner)
        .execution_options(synchronize_session=False)
        .where(condition)
        .values(claimed_by=instance, claimed_until=until)
        .returning(ActionOwner.id)
    )
    return sorted(result.scalars())


def load_owners(session: Session, ids: Sequence[int]) -> list[ActionOwner]:
    """Owner rows with their action, group and member loaded, by member then id."""
    query = select(ActionOwner).where(ActionOwner.id.in_(ids))
    return list(session.scalars(_load(query.order_by(ActionOwner.member_id, ActionOwner.id))))


def release(
    session: Session, ids: Sequence[int], *, instance: str, hold_until: dt.datetime | None = None
) -> int:
    """Give back claimed rows; with ``hold_until`` nobody takes them again before then."""
    result = session.execute(
        update(ActionOwner)
        .execution_options(synchronize_session=False)
        .where(ActionOwner.id.in_(ids), ActionOwner.claimed_by == instance)
        .values(claimed_by=None, claimed_until=hold_until)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Advance:
    """What a delivered reminder changes on its owner row."""

    owner_id: int
    next_chase_at: dt.datetime | None
    overdue: bool


def advance(
    session: Session, moves: Sequence[Advance], *, instance: str, now: dt.datetime
) -> list[int]:
    """Count a delivered reminder on each row still claimed by ``instance`` and set its next
    chase time (one statement); the ids whose claim had been lost to another instance."""
    if not moves:
        return []
    table = _table(ActionOwner)
    statement = (
        update(table)
        .where(table.c.id == bindparam("owner_id"), table.c.claimed_by == instance)
        .values(
            chase_count=table.c.chase_count + 1,
            overdue_chases=table.c.overdue_chases + bindparam("overdue_step"),
            last_chased_at=now,
            next_chase_at=bindparam("next_at"),
            claimed_by=None,
            claimed_until=None,
        )
    )
    params = [
        {"owner_id": m.owner_id, "overdue_step": int(m.overdue), "next_at": m.next_chase_at}
        for m in moves
    ]
    result = session.connection().execute(statement, params)
    if result.rowcount == len(moves):
        return []
    # some rows were taken over (only after this instance's lease ran out): name them
    changed = select(ActionOwner.id).where(
        ActionOwner.id.in_([m.owner_id for m in moves]), ActionOwner.last_chased_at == now
    )
    done = set(session.scalars(changed))
    return [m.owner_id for m in moves if m.owner_id not in done]


def _table(model: type[Base]) -> Table:
    table: Table = model.__table__  # type: ignore[assignment]
    return table


def reschedule(session: Session, owner_id: int, at: dt.datetime | None, *, instance: str) -> None:
    """Move a claimed row's next chase time without counting a reminder, and release it."""
    session.execute(
        update(ActionOwner)
        .execution_options(synchronize_session=False)
        .where(ActionOwner.id == owner_id, ActionOwner.claimed_by == instance)
        .values(next_chase_at=at, claimed_by=None, claimed_until=None)
    )


def escalation_candidates(
    session: Session, now: dt.datetime, *, min_overdue: int = 1
) -> list[ActionOwner]:
    """Open parts chased at least ``min_overdue`` times while overdue and not yet escalated,
    unclaimed, loaded."""
    query = select(ActionOwner).where(
        _open_part(),
        _unclaimed(now),
        ActionOwner.escalated_at.is_(None),
        ActionOwner.overdue_chases >= max(min_overdue, 1),
    )
    return list(session.scalars(_load(query.order_by(ActionOwner.id))))


def group_settings(session: Session) -> list[Group]:
    """Every group (their settings carry the chase policy)."""
    return list(session.scalars(select(Group).order_by(Group.id)))


def mark_escalated(
    session: Session, ids: Sequence[int], *, instance: str, now: dt.datetime
) -> None:
    """Record that the chair has been told about these rows, and release them."""
    session.execute(
        update(ActionOwner)
        .execution_options(synchronize_session=False)
        .where(ActionOwner.id.in_(ids), ActionOwner.claimed_by == instance)
        .values(escalated_at=now, claimed_by=None, claimed_until=None)
    )


# ---- chairs, meetings and what is outstanding -----------------------------------------------


def chair_of(session: Session, group_id: int | None) -> Member | None:
    """The chair of the group, else of its parent groups, else of the board."""
    seen: set[int] = set()
    while group_id is not None and group_id not in seen:
        seen.add(group_id)
        chair = _role_holder(session, group_id, "chair")
        if chair is not None:
            return chair
        group_id = session.scalar(select(Group.parent_id).where(Group.id == group_id))
    boards = select(Group.id).where(Group.kind == "board").order_by(Group.id)
    for board_id in session.scalars(boards):
        chair = _role_holder(session, board_id, "chair")
        if chair is not None:
            return chair
    return None


def may_read(session: Session, member_id: int, action: Action) -> bool:
    """Whether a chair may read the action's details: always, unless it is restricted; then
    only as chair or secretary of its own group or of the board."""
    return not action.restricted or is_chair_or_secretary(session, member_id, action.group_id)


def chair_for(session: Session, action: Action) -> Member | None:
    """The chair to tell about an action: :func:`chair_of` its group, except that a restricted
    action goes to the board's chair when that chair may not read it (a parent group's)."""
    chair = chair_of(session, action.group_id)
    if chair is None or may_read(session, chair.id, action):
        return chair
    return chair_of(session, None)


def _role_holder(session: Session, group_id: int, role: str) -> Member | None:
    query = (
        select(Member)
        .join(Membership, Membership.member_id == Member.id)
        .where(Membership.group_id == group_id, Membership.role == role, Member.erased.is_(False))
        .order_by(Membership.id)
    )
    return session.scalars(query).first()


def meetings_awaiting_digest(session: Session, today: dt.date, horizon: dt.date) -> list[Meeting]:
    """Meetings from ``today`` to ``horizon`` whose pre-meeting digest has not gone out."""
    query = (
        select(Meeting)
        .where(Meeting.digest_sent_at.is_(None), Meeting.date >= today, Meeting.date <= horizon)
        .options(selectinload(Meeting.group))
        .order_by(Meeting.date, Meeting.id)
    )
    return list(session.scalars(query))


def mark_digest_sent(session: Session, meeting_id: int, now: dt.datetime) -> bool:
    """Set the meeting's digest_sent_at once (compare-and-set); False when it already was."""
    result = session.execute(
        update(Meeting)
        .execution_options(synchronize_session=False)
        .where(Meeting.id == meeting_id, Meeting.digest_sent_at.is_(None))
        .values(digest_sent_at=now)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def group_tree(session: Session, group_id: int) -> list[Group]:
    """The group and every subgroup below it, the group first."""
    groups = list(session.scalars(select(Group).order_by(Group.id)))
    children: dict[int | None, list[Group]] = defaultdict(list)
    for group in groups:
        children[group.parent_id].append(group)
    root = next((g for g in groups if g.id == group_id), None)
    result: list[Group] = []
    todo = [root] if root else []
    while todo:
        group = todo.pop(0)
        if group.id in {g.id for g in result}:
            continue
        result.append(group)
        todo.extend(children[group.id])
    return result


def outstanding(session: Session, group_ids: Sequence[int]) -> list[Action]:
    """Open actions of these groups with their owners (and owners' members) loaded."""
    query = (
        select(Action)
        .where(Action.status == OPEN, Action.group_id.in_(group_ids))
        .options(selectinload(Action.owners).selectinload(ActionOwner.member))
        .order_by(Action.due_date.is_(None), Action.due_date, Action.id)
    )
    return list(session.scalars(query))


CHAT_PLATFORMS = ("slack", "teams")  # a console channel is a terminal session's: no one reads posts


def channels_of(session: Session, group_id: int) -> list[GroupChannel]:
    """The group's chat channels (Slack and Teams): the places a message can be posted later."""
    query = (
        select(GroupChannel)
        .where(GroupChannel.group_id == group_id, GroupChannel.platform.in_(CHAT_PLATFORMS))
        .order_by(GroupChannel.id)
    )
    return list(session.scalars(query))
