"""Working days, bank holidays, quiet hours and the chase policy, without a database."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from scheduler.calendar import WorkingCalendar, zone_for
from scheduler.policy import ChasePolicy, next_chase_at, policy_for, reason_at

LONDON = ZoneInfo("Europe/London")
ENG = WorkingCalendar()
SCT = WorkingCalendar(region="SCT")


def local(day: dt.date, hour: int = 10, minute: int = 0, zone: ZoneInfo = LONDON) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)


def test_summer_bank_holiday_differs_between_england_and_scotland() -> None:
    assert not ENG.is_working_day(dt.date(2026, 8, 31))
    assert ENG.holiday_name(dt.date(2026, 8, 31)) == "Late Summer Bank Holiday"
    assert ENG.is_working_day(dt.date(2026, 8, 3))
    assert not SCT.is_working_day(dt.date(2026, 8, 3))
    assert SCT.is_working_day(dt.date(2026, 8, 31))


def test_working_days_skip_weekends_and_bank_holidays() -> None:
    # Fri 28 Aug + 1 working day is Tue 1 Sep: the weekend and the bank holiday are skipped
    assert ENG.add_working_days(dt.date(2026, 8, 28), 1) == dt.date(2026, 9, 1)
    assert ENG.add_working_days(dt.date(2026, 9, 2), -2) == dt.date(2026, 8, 28)
    assert ENG.next_working_day(dt.date(2026, 8, 29)) == dt.date(2026, 9, 1)
    assert ENG.previous_working_day(dt.date(2026, 8, 31)) == dt.date(2026, 8, 28)


def test_quiet_hours_and_time_zones() -> None:
    tue = dt.date(2026, 9, 1)
    assert not ENG.can_send(local(tue, 8, 59), LONDON)
    assert ENG.can_send(local(tue, 9, 0), LONDON)
    assert not ENG.can_send(local(tue, 17, 0), LONDON)
    # 17:30 on Friday waits for 09:00 on Tuesday after the bank holiday Monday
    assert ENG.next_send_time(local(dt.date(2026, 8, 28), 17, 30), LONDON) == local(tue, 9)
    new_york = zone_for("America/New_York")
    assert not ENG.can_send(local(tue, 10), new_york)  # 05:00 in New York
    assert ENG.can_send(local(tue, 15), new_york)  # 10:00 in New York
    assert zone_for("Not/AZone") == LONDON
    assert zone_for(None) == LONDON


def test_slots_before_due_on_the_day_then_overdue_every_five_working_days() -> None:
    policy = ChasePolicy()
    due = dt.date(2026, 9, 2)  # Wednesday after the August bank holiday

    def chase(now: dt.datetime, last: dt.datetime | None = None) -> dt.datetime | None:
        return next_chase_at(
            due=due, meetings=[], now=now, zone=LONDON, policy=policy, last_chased_at=last
        )

    thu = local(dt.date(2026, 8, 27))
    assert chase(thu) == local(dt.date(2026, 8, 28), 9)  # two working days before: Friday
    fri = local(dt.date(2026, 8, 28))
    assert chase(fri, last=fri) == local(due, 9)  # never twice on one day
    assert chase(local(due, 11), last=local(due, 11)) == local(dt.date(2026, 9, 9), 9)
    # captured on the due date after the window closed: the first overdue reminder is next
    assert chase(local(due, 18)) == local(dt.date(2026, 9, 9), 9)


def test_snooze_and_undated_actions_before_meetings() -> None:
    policy = ChasePolicy()
    due = dt.date(2026, 9, 2)

    def after_snooze(until: dt.datetime) -> dt.datetime | None:
        return next_chase_at(
            due=due,
            meetings=[],
            now=local(dt.date(2026, 8, 31)),
            zone=LONDON,
            policy=policy,
            snoozed_until=until,
        )

    # a recomputed row keeps its snooze: no reminder before it ends, then the next slot
    assert after_snooze(local(dt.date(2026, 9, 1), 14)) == local(due, 9)
    assert after_snooze(local(due, 14)) == local(due, 14)
    meeting = dt.date(2026, 9, 17)
    got = next_chase_at(
        due=None, meetings=[meeting], now=local(dt.date(2026, 9, 1)), zone=LONDON, policy=policy
    )
    assert got == local(dt.date(2026, 9, 15), 9)
    after = next_chase_at(
        due=None,
        meetings=[meeting],
        now=local(dt.date(2026, 9, 15)),
        zone=LONDON,
        policy=policy,
        last_chased_at=local(dt.date(2026, 9, 15)),
    )
    assert after is None  # one gentle reminder per meeting
    reason = reason_at(due=None, meetings=[meeting], today=dt.date(2026, 9, 15), policy=policy)
    assert reason is not None and reason.kind == "pre_meeting"


def test_group_settings_override_and_bad_values_are_ignored() -> None:
    policy = policy_for(
        {
            "chase": {
                "before_days": 3,
                "overdue_every_days": 2,
                "region": "SCT",
                "quiet_start": "08:00",
                "quiet_end": "18:30",
            }
        }
    )
    assert (policy.before_days, policy.overdue_every_days) == (3, 2)
    assert policy.calendar == WorkingCalendar("SCT", dt.time(8), dt.time(18, 30))
    bad = policy_for(
        {
            "chase": {
                "before_days": "two",
                "region": "XX",
                "quiet_start": "25:00",
                "overdue_every_days": 0,
            }
        }
    )
    assert bad == ChasePolicy()
    assert policy_for(None) == ChasePolicy()


def test_an_action_already_overdue_when_first_scheduled_is_chased_at_the_next_window() -> None:
    policy = ChasePolicy()
    due = dt.date(2026, 8, 20)
    at_once = next_chase_at(
        due=due, meetings=[], now=local(dt.date(2026, 9, 2), 15), zone=LONDON, policy=policy
    )
    assert at_once == local(dt.date(2026, 9, 2), 9)  # today's window is still open
    evening = next_chase_at(
        due=due, meetings=[], now=local(dt.date(2026, 9, 4), 18), zone=LONDON, policy=policy
    )
    assert evening == local(dt.date(2026, 9, 7), 9)  # Friday evening: Monday morning
