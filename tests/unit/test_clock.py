"""The platform's one clock (services/common/clock.py): the district's date, whatever the hour
the machine's own clock says, and no other way for production code to read the time."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from services.common.clock import DistrictClock
from services.common.config import Settings

ROOT = Path(__file__).resolve().parents[2]
CLOCK_MODULE = ROOT / "services" / "common" / "clock.py"

#: 23:30 UTC on the last day of a year: already 07:30 on New Year's Day in the district
YEAR_END_EVENING_UTC = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)


def fixed(moment: datetime, zone: str = "Asia/Shanghai") -> DistrictClock:
    return DistrictClock(zone, source=lambda: moment)


def test_today_is_the_districts_date_when_utc_is_still_on_the_day_before():
    clock = fixed(YEAR_END_EVENING_UTC)
    assert clock.today() == date(2027, 1, 1)
    assert clock.now().utcoffset() == timedelta(hours=8)
    assert clock.utcnow() == YEAR_END_EVENING_UTC
    assert clock.now() == clock.utcnow()


def test_a_district_day_starts_at_its_own_midnight():
    clock = fixed(YEAR_END_EVENING_UTC)
    assert clock.start_of(date(2027, 1, 1)) == datetime(2026, 12, 31, 16, 0, tzinfo=UTC)
    assert clock.local_date(datetime(2026, 12, 31, 15, 59, tzinfo=UTC)) == date(2026, 12, 31)
    assert clock.local_date(datetime(2026, 12, 31, 16, 0, tzinfo=UTC)) == date(2027, 1, 1)


def test_the_zone_is_a_setting():
    clock = fixed(YEAR_END_EVENING_UTC)
    clock.configure("Europe/London")
    assert clock.today() == date(2026, 12, 31)
    assert Settings.from_env("jobs", 9101, {}).district_timezone == "Asia/Shanghai"
    assert Settings.from_env("jobs", 9101, {"DISTRICT_TIMEZONE": "Asia/Urumqi"}).district_timezone
    with pytest.raises(ValueError, match="DISTRICT_TIMEZONE"):
        Settings.from_env("jobs", 9101, {"DISTRICT_TIMEZONE": "Mars/Olympus"})
    with pytest.raises(ValueError, match="CLOCK"):
        Settings.from_env("jobs", 9101, {"CLOCK": "sundial"})


def test_a_travelled_clock_runs_on_and_goes_back():
    real = [YEAR_END_EVENING_UTC]
    clock = DistrictClock(source=lambda: real[0])
    arrived = clock.travel_to(datetime(2027, 2, 1, 0, 30, tzinfo=clock.zone))
    assert arrived.date() == date(2027, 2, 1) and clock.travelled
    real[0] += timedelta(minutes=5)
    assert clock.now() == datetime(2027, 2, 1, 0, 35, tzinfo=clock.zone)
    clock.advance(timedelta(days=1))
    assert clock.today() == date(2027, 2, 2)
    clock.reset()
    assert clock.utcnow() == real[0] and not clock.travelled
    with pytest.raises(ValueError):
        clock.travel_to(datetime(2027, 2, 1))


# -- nothing reads the time but the clock ---------------------------------------------------

#: calls that read the machine's date or time without a zone, or around the platform's clock
FORBIDDEN = {
    ("date", "today"),
    ("datetime", "today"),
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("date", "fromtimestamp"),
    ("datetime", "fromtimestamp"),
    ("datetime", "utcfromtimestamp"),
    ("time", "localtime"),
    ("time", "mktime"),
    ("time", "ctime"),
    ("time", "asctime"),
}


def _dotted(node: ast.AST) -> tuple[str, str] | None:
    """('datetime', 'now') for `datetime.now` and `datetime.datetime.now`."""
    if not isinstance(node, ast.Attribute):
        return None
    owner = node.value
    if isinstance(owner, ast.Attribute):
        return owner.attr, node.attr
    if isinstance(owner, ast.Name):
        return owner.id, node.attr
    return None


def clock_reads(source: str) -> list[tuple[int, str]]:
    """(line, call) of each read of the date or time in `source` that bypasses the clock."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = _dotted(node.func)
            one_argument_strftime = name == ("time", "strftime") and len(node.args) < 2
            if name in FORBIDDEN or one_argument_strftime:
                found.append((node.lineno, ".".join(name)))
    return found


def test_the_checker_sees_each_kind_of_read():
    source = (
        "import datetime, time\n"
        "a = date.today()\n"
        "b = datetime.datetime.now()\n"
        "c = datetime.now(UTC)\n"
        "d = time.localtime()\n"
        "e = time.strftime('%Y')\n"
        "f = time.strftime('%Y', time.gmtime(0))\n"
        "g = clock.today()\n"
    )
    assert [call for _, call in clock_reads(source)] == [
        "date.today",
        "datetime.now",
        "datetime.now",
        "time.localtime",
        "time.strftime",
    ]


def test_production_code_reads_the_date_and_time_only_through_the_clock():
    offenders = [
        f"{path.relative_to(ROOT)}:{line} {call}"
        for folder in ("services", "gateway", "youthcity")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path != CLOCK_MODULE
        for line, call in clock_reads(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_tests_take_business_dates_from_the_clock_too():
    offenders = [
        f"{path.relative_to(ROOT)}:{line} {call}"
        for folder in ("tests", "bench")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path != Path(__file__)
        for line, call in clock_reads(path.read_text(encoding="utf-8"))
        if call in ("date.today", "datetime.today", "time.localtime")
    ]
    assert offenders == []
