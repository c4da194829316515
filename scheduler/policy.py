"""The chase policy: when an owner is reminded, as pure functions of dates and the current time."""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from zoneinfo import ZoneInfo

from scheduler.calendar import REGIONS, Region, WorkingCalendar

log = logging.getLogger(__name__)

Kind = Literal["before_due", "due_today", "overdue", "pre_meeting"]


@dataclass(frozen=True)
class ChasePolicy:
    """How one group chases; every field can be overridden in ``Group.settings["chase"]``."""

    before_days: int = 2  # a reminder this many working days before the due date (0: none)
    overdue_every_days: int = 5  # then, once overdue, every this many working days
    escalate_after: int = 2  # overdue reminders sent before the chair is told
    digest_before_days: int = 2  # the chair's pre-meeting digest, working days before
    max_attempts: int = 3  # failed sends of one reminder before the chair is told
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)


_INTS = (
    "before_days",
    "overdue_every_days",
    "escalate_after",
    "digest_before_days",
    "max_attempts",
)


def _time(value: Any) -> dt.time | None:
    if isinstance(value, str):
        try:
            return dt.time.fromisoformat(value)
        except ValueError:
            return None
    return None


def policy_for(settings: Mapping[str, Any] | None) -> ChasePolicy:
    """The policy for a group from its settings JSON (``{"chase": {...}}``).

    Unknown keys are ignored; a value of the wrong kind is logged and the default kept, so one
    mistyped setting never stops the other groups being chased.
    """
    chase = (settings or {}).get("chase") or {}
    if not isinstance(chase, Mapping):
        log.warning("group chase settings are not an object: %r", chase)
        return ChasePolicy()
    ints: dict[str, int] = {}
    for name in _INTS:
        value = chase.get(name)
        if value is None:
            continue
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100:
            ints[name] = value
        else:
            log.warning("ignoring chase setting %s=%r", name, value)
    if ints.get("overdue_every_days") == 0:
        log.warning("ignoring chase setting overdue_every_days=0")
        del ints["overdue_every_days"]
    return ChasePolicy(**ints, calendar=_calendar(chase))


def _calendar(chase: Mapping[str, Any]) -> WorkingCalendar:
    default = WorkingCalendar()
    region = chase.get("region", default.region)
    if region not in REGIONS:
        log.warning("ignoring chase setting region=%r", region)
        region = default.region
    start = _time(chase.get("quiet_start", "09:00")) or default.window_start
    end = _time(chase.get("quiet_end", "17:00")) or default.window_end
    if start >= end:
        log.warning("ignoring chase window %s-%s", start, end)
        start, end = default.window_start, default.window_end
    checked: Region = region
    return WorkingCalendar(region=checked, window_start=start, window_end=end)


@dataclass(frozen=True)
class Reason:
    """Why an owner is being reminded now."""

    kind: Kind
    due: dt.date | None = None
    meeting: dt.date | None = None

    def describe(self, overdue_n: int = 0) -> str:
        """A short phrase for logs and the CLI: "before due", "overdue 2", "pre-meeting"."""
        if self.kind == "overdue":
            return f"overdue {overdue_n}" if overdue_n else "overdue"
        return {"before_due": "before due", "due_today": "due today", "pre_meeting": "pre-meeting"}[
            self.kind
        ]


def due_slots(due: dt.date, policy: ChasePolicy) -> Iterator[tuple[Kind, dt.date]]:
    """The days an owner of an action due on ``due`` is reminded, in order (endless)."""
    cal = policy.calendar
    due_day = cal.previous_working_day(due)
    if policy.before_days > 0:
        before = cal.add_working_days(due, -policy.before_days)
        if before < due_day:
            yield "before_due", before
    yield "due_today", due_day
    for n in itertools.count(1):
        yield "overdue", cal.add_working_days(due, n * policy.overdue_every_days)


def meeting_slot(meeting: dt.date, policy: ChasePolicy) -> dt.date:
    """The day an undated action's owner is reminded ahead of a meeting."""
    return policy.calendar.add_working_days(meeting, -max(policy.before_days, 1))


def next_chase_at(
    *,
    due: dt.date | None,
    meetings: Sequence[dt.date],
    now: dt.datetime,
    zone: ZoneInfo,
    policy: ChasePolicy,
    last_chased_at: dt.datetime | None = None,
    snoozed_until: dt.datetime | None = None,
) -> dt.datetime | None:
    """When to remind this owner next (the window opening on the chosen day, UTC), or None.

    A slot counts while its day's window has not closed, so a reminder whose day is today is
    sent at once; an action already overdue and never chased is chased at the next window.
    Never twice on one local day (``last_chased_at``), never before a snooze ends. The answer
    depends only on its arguments, so two instances computing it agree.
    """
    cal = policy.calendar
    not_before = max(now, snoozed_until) if snoozed_until else now
    earliest = not_before.astimezone(zone).date()
    if last_chased_at is not None:
        earliest = max(earliest, last_chased_at.astimezone(zone).date() + dt.timedelta(days=1))
    if due is not None:
        slots: Iterator[dt.date] = (day for _kind, day in due_slots(due, policy))
        if last_chased_at is None and earliest > due:
            # already overdue and never chased (reassigned, or captured late): chase at once
            first = cal.next_working_day(earliest)
            slots = itertools.chain(
                [first, cal.next_working_day(first + dt.timedelta(days=1))], slots
            )
        for day in slots:
            if day >= earliest and cal.window_close(day, zone) > not_before:
                return _not_before(cal.window_open(day, zone), snoozed_until)
        return None  # unreachable: overdue slots never end
    last_day = last_chased_at.astimezone(zone).date() if last_chased_at else None
    for meeting in sorted(meetings):
        slot = meeting_slot(meeting, policy)
        if meeting < earliest or (last_day is not None and slot <= last_day):
            continue
        day = cal.next_working_day(max(slot, earliest))
        if day <= meeting and cal.window_close(day, zone) > not_before:
            return _not_before(cal.window_open(day, zone), snoozed_until)
    return None


def _not_before(at: dt.datetime, snoozed_until: dt.datetime | None) -> dt.datetime:
    return max(at, snoozed_until) if snoozed_until else at


def reason_at(
    *, due: dt.date | None, meetings: Sequence[dt.date], today: dt.date, policy: ChasePolicy
) -> Reason | None:
    """Why a reminder sent on ``today`` (the owner's local date) is being sent; None: no reason."""
    if due is not None:
        if today < policy.calendar.previous_working_day(due):
            return Reason("before_due", due=due)
        if today <= due:
            return Reason("due_today", due=due)
        return Reason("overdue", due=due)
    upcoming = [m for m in sorted(meetings) if m >= today]
    if upcoming:
        return Reason("pre_meeting", meeting=upcoming[0])
    return None


def digest_day(meeting: dt.date, policy: ChasePolicy) -> dt.date:
    """The working day the chair's pre-meeting digest is due."""
    return policy.calendar.add_working_days(meeting, -max(policy.digest_before_days, 0))


def retry_delay(attempt: int) -> dt.timedelta:
    """Backoff before retrying a failed send: 5, 10, 20 ... minutes, at most 4 hours."""
    return dt.timedelta(minutes=min(5 * 2 ** max(attempt - 1, 0), 240))
