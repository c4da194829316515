"""Working days (weekends and UK bank holidays) and the quiet-hours sending window."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

Region = Literal["ENG", "WLS", "SCT", "NIR"]
REGIONS: tuple[Region, ...] = ("ENG", "WLS", "SCT", "NIR")
DEFAULT_ZONE = "Europe/London"


@lru_cache(maxsize=8)
def _bank_holidays(region: Region) -> holidays.HolidayBase:
    # the holidays object fills in years lazily; one per region keeps that work shared
    result: holidays.HolidayBase = holidays.country_holidays("GB", subdiv=region)
    return result


def zone_for(name: str | None) -> ZoneInfo:
    """The member's time zone, or Europe/London when unknown or not a real zone name."""
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return ZoneInfo(DEFAULT_ZONE)


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days are working days, and when on them a message may be sent.

    ``region`` picks the bank holidays: England and Wales ("ENG", the default; "WLS" is the same
    list), Scotland ("SCT") or Northern Ireland ("NIR"). Messages go out only on working days,
    from ``window_start`` until ``window_end`` in the recipient's local time.
    """

    region: Region = "ENG"
    window_start: dt.time = dt.time(9, 0)
    window_end: dt.time = dt.time(17, 0)

    def is_working_day(self, day: dt.date) -> bool:
        """Monday to Friday and not a bank holiday in the region."""
        return day.weekday() < 5 and day not in _bank_holidays(self.region)

    def holiday_name(self, day: dt.date) -> str | None:
        """The bank holiday on ``day`` in the region, if any."""
        name = _bank_holidays(self.region).get(day)
        return str(name) if name else None

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """The working day ``count`` working days after (negative: before) ``day``.

        With ``count`` 0 the answer is ``day`` itself when it is a working day, else the next one.
        """
        step = 1 if count >= 0 else -1
        if count == 0:
            return self.next_working_day(day)
        remaining = abs(count)
        while remaining:
            day += dt.timedelta(days=step)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` when it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def previous_working_day(self, day: dt.date) -> dt.date:
        """``day`` when it is a working day, else the last working day before it."""
        while not self.is_working_day(day):
            day -= dt.timedelta(days=1)
        return day

    def window_open(self, day: dt.date, zone: ZoneInfo) -> dt.datetime:
        """The instant (UTC) the sending window opens on ``day`` in ``zone``."""
        return dt.datetime.combine(day, self.window_start, tzinfo=zone).astimezone(dt.UTC)

    def window_close(self, day: dt.date, zone: ZoneInfo) -> dt.datetime:
        """The instant (UTC) the sending window closes on ``day`` in ``zone``."""
        return dt.datetime.combine(day, self.window_end, tzinfo=zone).astimezone(dt.UTC)

    def can_send(self, at: dt.datetime, zone: ZoneInfo) -> bool:
        """True when ``at`` is inside the window of a working day in ``zone``."""
        local = at.astimezone(zone)
        if not self.is_working_day(local.date()):
            return False
        return self.window_start <= local.time() < self.window_end

    def next_send_time(self, at: dt.datetime, zone: ZoneInfo) -> dt.datetime:
        """``at`` itself when a message may be sent then, else when the next window opens."""
        if self.can_send(at, zone):
            return at
        local = at.astimezone(zone)
        day = local.date()
        if local.time() >= self.window_start:
            day += dt.timedelta(days=1)
        return self.window_open(self.next_working_day(day), zone)
