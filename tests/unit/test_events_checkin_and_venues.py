"""Check-in codes and the fitness circle's opening hours, without I/O."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from marshmallow import ValidationError

from services.common.actor import Actor
from services.common.errors import DomainError, Forbidden, InvalidInput
from services.events import domain
from services.events.contract import VenueInput
from services.events.messages import MESSAGES

ZONE = ZoneInfo("Asia/Shanghai")
STARTS = datetime(2026, 12, 20, 6, tzinfo=UTC)  # 14:00 in the district, a Sunday
WINDOW = domain.CheckInWindow.of(STARTS, STARTS + timedelta(hours=3), minutes_before=60)


def scan(state=domain.CONFIRMED, now=STARTS, activity_state=domain.PUBLISHED, checked_in_at=None):
    return domain.check_in_state(activity_state, WINDOW, state, checked_in_at, now)


def test_a_confirmed_code_checks_in_from_an_hour_before_until_the_end():
    assert scan(now=STARTS - timedelta(minutes=60)) == domain.CHECKED_IN
    assert scan(now=STARTS + timedelta(hours=3)) == domain.CHECKED_IN
    with pytest.raises(DomainError, match="check_in_not_open"):
        scan(now=STARTS - timedelta(minutes=61))
    with pytest.raises(DomainError, match="check_in_closed"):
        scan(now=STARTS + timedelta(hours=3, seconds=1))


def test_a_code_works_once():
    with pytest.raises(DomainError) as used:
        scan(state=domain.CHECKED_IN, checked_in_at=STARTS)
    assert used.value.code == "check_in_code_used" and used.value.status == 409
    assert used.value.params["checked_in_at"] == STARTS.isoformat()


@pytest.mark.parametrize("state", [domain.WAITLISTED, domain.REG_CANCELLED])
def test_a_code_without_a_confirmed_place_is_void(state):
    with pytest.raises(DomainError, match="check_in_code_void"):
        scan(state=state)


def test_no_check_in_at_an_activity_that_is_not_running_as_published():
    with pytest.raises(DomainError, match="activity_not_open"):
        scan(activity_state=domain.CANCELLED)


def test_codes_avoid_look_alike_characters_and_ignore_how_they_are_typed():
    codes = {domain.new_check_in_code(8) for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 8 and set(c) <= set(domain.CODE_ALPHABET) for c in codes)
    assert not set("01OI") & set(domain.CODE_ALPHABET)
    assert domain.normalise_code(" k7qx-m2pa ") == "K7QXM2PA"


WEEKDAYS_6_TO_22 = domain.OpeningHours.from_data(
    [
        {"weekdays": [1, 2, 3, 4, 5], "opens": "06:00", "closes": "22:00"},
        {"weekdays": [6, 7], "opens": "08:00", "closes": "12:00"},
        {"weekdays": [6, 7], "opens": "14:00", "closes": "24:00"},
    ]
)


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """December 2026 in the district: the 14th is a Monday, the 19th a Saturday."""
    return datetime(2026, 12, day, hour, minute, tzinfo=ZONE)


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        (local(14, 6), True),
        (local(14, 21, 59), True),
        (local(14, 22), False),
        (local(19, 12, 30), False),  # the weekend's lunch break
        (local(19, 23, 59), True),
        (local(20, 7, 59), False),
    ],
)
def test_a_venue_is_open_inside_its_periods(moment, open_):
    assert WEEKDAYS_6_TO_22.is_open_at(moment, ZONE) is open_


def test_an_activity_of_one_day_must_fit_one_opening_period():
    hours = WEEKDAYS_6_TO_22
    assert hours.covers(local(14, 19), local(14, 22), ZONE)
    assert not hours.covers(local(14, 20), local(14, 22, 30), ZONE)
    assert not hours.covers(local(19, 11), local(19, 15), ZONE)  # spans the lunch break
    assert hours.covers(local(19, 20), local(20, 0), ZONE)  # ends at Saturday's 24:00
    assert not hours.covers(local(14, 23), local(15, 8), ZONE)  # starts when it is closed


def test_an_activity_over_several_days_starts_and_ends_inside_opening_hours():
    assert WEEKDAYS_6_TO_22.covers(local(18, 9), local(20, 18), ZONE)
    assert not WEEKDAYS_6_TO_22.covers(local(18, 9), local(20, 13), ZONE)


def test_a_venue_closed_for_the_activity_is_a_field_error():
    with pytest.raises(InvalidInput) as refused:
        domain.check_venue_hosts(WEEKDAYS_6_TO_22, local(14, 23), local(14, 23, 30), ZONE)
    assert refused.value.errors[0]["field"] == "starts_at"
    assert refused.value.errors[0]["code"] == "venue_closed"


@pytest.mark.parametrize(
    ("period", "field", "code"),
    [
        ({"weekdays": [1], "opens": "22:00", "closes": "06:00"}, "closes", "closes_before_opens"),
        ({"weekdays": [1], "opens": "6:00", "closes": "22:00"}, "opens", "clock_format"),
        ({"weekdays": [1], "opens": "06:00", "closes": "24:30"}, "closes", "clock_format"),
        ({"weekdays": [8], "opens": "06:00", "closes": "22:00"}, "weekdays.0", "weekday_range"),
    ],
)
def test_opening_hours_are_refused_field_by_field(period, field, code):
    body = {"name": "篮球场", "kind": "basketball_court", "area": "城关街道"}
    with pytest.raises(ValidationError) as refused:
        VenueInput().load(body | {"opening_hours": [period]})
    error = InvalidInput.from_validation_error(refused.value, MESSAGES)
    assert [(e["field"], e["code"]) for e in error.errors] == [(f"opening_hours.0.{field}", code)]
    assert error.errors[0]["messages"]["zh-CN"] == MESSAGES.render(code)["zh-CN"]


def test_only_officers_of_the_venue_units_and_admins_keep_venues():
    domain.check_may_keep_venues(Actor("o1", "officer", "education_sports"), ("education_sports",))
    domain.check_may_keep_venues(Actor("a1", "admin", None), ("education_sports",))
    for role, unit in (("officer", "youth_league"), ("youth", None)):
        with pytest.raises(Forbidden, match="not_venue_keeper"):
            domain.check_may_keep_venues(Actor("x", role, unit), ("education_sports",))
