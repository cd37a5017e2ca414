"""Business time: the 2-hour promise counts the service centre's working hours only, on the
district's calendar (weekends, official holidays and make-up workdays, the district's own)."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest

from services.common.config import Settings
from services.common.policy import PolicyError, load_policy
from services.startup.domain import (
    AT_RISK,
    BREACHED,
    MET,
    MISSED,
    ON_TRACK,
    STOPPED,
    WorkingCalendar,
)
from services.startup.policy import StartupPolicy

POLICY = StartupPolicy()
CALENDAR = POLICY.calendar
TZ = CALENDAR.timezone
TWO_HOURS = timedelta(hours=2)


def at(year, month, day, hour, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


def test_the_promise_runs_across_a_weekend():
    friday_afternoon = at(2026, 11, 27, 16)  # one working hour left on Friday
    assert CALENDAR.add_business_time(friday_afternoon, TWO_HOURS) == at(2026, 11, 30, 10)
    assert CALENDAR.business_time(friday_afternoon, at(2026, 11, 30, 10)) == TWO_HOURS
    assert CALENDAR.business_time(at(2026, 11, 28, 9), at(2026, 11, 29, 17)) == timedelta(0)


def test_the_promise_skips_a_public_holiday():
    # National Day 2026: October 1-7 are holidays; Saturday October 10 is a make-up workday
    eve = at(2026, 9, 30, 16)
    assert CALENDAR.add_business_time(eve, TWO_HOURS) == at(2026, 10, 8, 10)
    assert CALENDAR.business_time(at(2026, 10, 1, 9), at(2026, 10, 7, 17)) == timedelta(0)
    assert CALENDAR.business_time(at(2026, 10, 10, 9), at(2026, 10, 10, 11)) == TWO_HOURS


def test_the_promise_pauses_at_the_end_of_the_working_day_and_over_lunch():
    assert CALENDAR.add_business_time(at(2026, 12, 1, 16, 30), TWO_HOURS) == at(2026, 12, 2, 10, 30)
    assert CALENDAR.add_business_time(at(2026, 12, 1, 11), TWO_HOURS) == at(2026, 12, 1, 14)
    evening = at(2026, 12, 1, 17, 0)
    assert CALENDAR.business_time(evening, at(2026, 12, 2, 8, 59)) == timedelta(0)


def test_time_before_opening_starts_counting_at_opening():
    assert CALENDAR.add_business_time(at(2026, 12, 1, 7, 45), TWO_HOURS) == at(2026, 12, 1, 11)
    assert CALENDAR.business_time(at(2026, 12, 1, 7), at(2026, 12, 1, 9, 30)) == timedelta(
        minutes=30
    )


def test_business_time_is_exact_to_the_second():
    start = at(2026, 12, 1, 9) + timedelta(microseconds=500_000)
    end = start + timedelta(minutes=119, seconds=59, microseconds=999_999)
    assert CALENDAR.business_time(start, end) == end - start
    assert CALENDAR.business_time(end, start) == timedelta(0)


def test_a_district_adds_next_years_holidays_as_data():
    # chinese-calendar 1.11.0 knows 2004-2026; 2027 falls back to Monday to Friday
    assert not CALENDAR.knows_year(2027)
    assert CALENDAR.is_workday(date(2027, 1, 1))  # a Friday, unknown as a holiday
    policy = load_policy(
        StartupPolicy,
        Settings.from_env(
            "startup",
            env={
                "STARTUP_POLICY": '{"extra_holidays": ["2027-01-01"], '
                '"extra_workdays": ["2027-01-02"]}'
            },
        ),
    )
    assert policy.calendar.knows_year(2027)
    assert not policy.calendar.is_workday(date(2027, 1, 1))
    assert policy.calendar.is_workday(date(2027, 1, 2))  # a Saturday made a workday
    thursday = datetime(2026, 12, 31, 16, tzinfo=TZ)
    assert policy.calendar.add_business_time(thursday, TWO_HOURS) == datetime(
        2027, 1, 2, 10, tzinfo=TZ
    )


def test_the_district_sets_its_own_working_hours():
    calendar = WorkingCalendar(TZ, [(time(8), time(18))])
    assert calendar.add_business_time(at(2026, 12, 1, 17), TWO_HOURS) == at(2026, 12, 2, 9)


@pytest.mark.parametrize(
    "override",
    [
        '{"working_hours": ["12:00-09:00"]}',
        '{"working_hours": ["09:00-12:00", "11:00-13:00"]}',
        '{"step_units": ["name_check=market_regulation"]}',
        '{"registration_warning_ratio": "1.5"}',
        '{"one_year_lpr": ["2025-05-20=abc"]}',
        '{"extra_holidays": ["2027-01-01"], "extra_workdays": ["2027-01-01"]}',
        '{"unknown_rule": 1}',
    ],
)
def test_a_policy_that_does_not_parse_stops_the_start(override):
    with pytest.raises(PolicyError):
        load_policy(StartupPolicy, Settings.from_env("startup", env={"STARTUP_POLICY": override}))


def test_the_warning_falls_due_at_75_percent_of_the_promise():
    sla = POLICY.sla
    assert sla.warning == timedelta(minutes=90)
    warn, breach = sla.due_instants(CALENDAR, at(2026, 12, 1, 10, 30))
    assert (warn, breach) == (at(2026, 12, 1, 12), at(2026, 12, 1, 13, 30))


@pytest.mark.parametrize(
    ("state", "minutes", "warned", "status"),
    [
        ("in_progress", 30, False, ON_TRACK),
        ("in_progress", 90, False, AT_RISK),
        ("in_progress", 100, True, AT_RISK),
        ("in_progress", 121, True, BREACHED),
        ("completed", 120, True, MET),
        ("completed", 121, True, MISSED),
        ("withdrawn", 10, False, STOPPED),
    ],
)
def test_each_application_shows_where_it_stands_against_the_promise(state, minutes, warned, status):
    view = POLICY.sla.view(state, timedelta(minutes=minutes), warned)
    assert view["status"] == status
    assert view["elapsed_minutes"] == Decimal(minutes).quantize(Decimal("0.01"))
    assert view["target_minutes"] == 120
