"""Business time (the service centre's working hours on the district's working calendar), and
calendar-month arithmetic. No I/O: callers pass the instants."""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

from services.common.clock import clock

#: the years chinese-calendar carries the State Council's holiday schedule for
OFFICIAL_YEARS = range(
    min(day.year for day in chinese_calendar.constants.holidays),
    max(day.year for day in chinese_calendar.constants.holidays) + 1,
)

#: a calendar with no working time in ten years is a configuration mistake, not a long wait
_SEARCH_DAYS = 3660


def parse_period(text: str) -> tuple[time, time]:
    """`"09:00-12:00"` → (09:00, 12:00); the end must be after the start."""
    start_text, sep, end_text = text.partition("-")
    if not sep:
        raise ValueError(f"working period {text!r} is not HH:MM-HH:MM")
    start, end = time.fromisoformat(start_text.strip()), time.fromisoformat(end_text.strip())
    if end <= start:
        raise ValueError(f"working period {text!r} ends before it starts")
    return start, end


class WorkingCalendar:
    """When the service centre works: periods of each working day, in the district's time.

    A day is a working day when the district configured it as one (a make-up workday, 调休),
    is not one when the district configured it as a holiday, and otherwise as the State
    Council's schedule says (chinese-calendar, for the years it knows) or, for a year it does
    not know, Monday to Friday. A district adds next year's holidays as data (policy
    `extra_holidays` / `extra_workdays`) as soon as the State Council publishes them.
    """

    def __init__(
        self,
        timezone: ZoneInfo | None,
        periods: Iterable[tuple[time, time]],
        official: bool = True,
        holidays: Iterable[date] = (),
        workdays: Iterable[date] = (),
    ):
        self._timezone = timezone
        self.periods = tuple(sorted(periods))
        if not self.periods:
            raise ValueError("a working calendar needs at least one working period")
        for (_, end), (start, _) in zip(self.periods, self.periods[1:], strict=False):
            if start < end:
                raise ValueError("working periods overlap")
        self.official = official
        self.holidays = frozenset(holidays)
        self.workdays = frozenset(workdays)
        if self.holidays & self.workdays:
            raise ValueError("a day is configured both as a holiday and as a workday")

    @property
    def timezone(self) -> ZoneInfo:
        """The zone its hours are in: its own, or (None) the platform clock's district zone."""
        return self._timezone or clock.zone

    def knows_year(self, year: int) -> bool:
        """Whether the official schedule (or the district's own data) covers `year`."""
        configured = any(day.year == year for day in self.holidays | self.workdays)
        return configured or (self.official and year in OFFICIAL_YEARS)

    def is_workday(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        if self.official and day.year in OFFICIAL_YEARS:
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5

    def _windows(self, day: date) -> list[tuple[datetime, datetime]]:
        if not self.is_workday(day):
            return []
        return [
            (
                datetime.combine(day, start, tzinfo=self.timezone),
                datetime.combine(day, end, tzinfo=self.timezone),
            )
            for start, end in self.periods
        ]

    def business_time(self, start: datetime, end: datetime) -> timedelta:
        """Working time between two instants (zero when `end` is not after `start`)."""
        total = timedelta(0)
        if end <= start:
            return total
        day, last = start.astimezone(self.timezone).date(), end.astimezone(self.timezone).date()
        while day <= last:
            for window_start, window_end in self._windows(day):
                overlap = min(end, window_end) - max(start, window_start)
                if overlap > timedelta(0):
                    total += overlap
            day += timedelta(days=1)
        return total

    def add_business_time(self, start: datetime, amount: timedelta) -> datetime:
        """The instant at which `amount` of working time has passed since `start`."""
        if amount <= timedelta(0):
            return start
        remaining = amount
        day = start.astimezone(self.timezone).date()
        for _ in range(_SEARCH_DAYS):
            for window_start, window_end in self._windows(day):
                begin = max(start, window_start)
                if begin >= window_end:
                    continue
                available = window_end - begin
                if remaining <= available:
                    return (begin + remaining).astimezone(start.tzinfo)
                remaining -= available
            day += timedelta(days=1)
        raise ValueError("the working calendar has no working time in the next ten years")


def add_months(day: date, months: int) -> date:
    """The same day `months` later, on the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))
