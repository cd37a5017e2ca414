"""Dates of test data taken from the platform's clock (`services/common/clock.py`), so an
activity "in two weeks" is in the future, and a graduation "half a year ago" inside its window,
whatever day the suite runs.

    starts = district_time(days=14, hour=14)           # 14:00 in the district, two weeks on
    body = {"starts_at": starts.isoformat(), "ends_at": later(starts, hours=4).isoformat()}
    assert shown(starts) in message["body"]            # how messages show a time
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from services.common.clock import clock


def district_time(days: int, hour: int, minute: int = 0) -> datetime:
    """`hour`:`minute` in the district, `days` after (or before, when negative) today."""
    return datetime.combine(clock.today() + timedelta(days=days), time(hour, minute), clock.zone)


def later(moment: datetime, hours: float) -> datetime:
    return moment + timedelta(hours=hours)


def days_ago(days: int) -> str:
    """The district's date `days` ago, ISO: a graduation inside (or outside) a window."""
    return (clock.today() - timedelta(days=days)).isoformat()


def days_ahead(days: int) -> str:
    """The district's date `days` on, ISO: a due date, a course's first day."""
    return (clock.today() + timedelta(days=days)).isoformat()


def shown(moment: datetime) -> str:
    """A time as messages show it: the district's `YYYY-MM-DD HH:MM`."""
    return moment.astimezone(clock.zone).strftime("%Y-%m-%d %H:%M")
