"""Business dates are the district's, at any hour the machines' clocks show.

From 16:00 to 24:00 UTC the district (UTC+8) is already on the next day. Each test moves the clock
of every process of the platform to such an evening, where the UTC date and the district's date
differ (and the month, and the year), and checks a date-sensitive path against the district's date:
a person's age on their birthday, an eligibility window's last day, a station night, a
disbursement dated today, the indicators' current year and month, the 2-hour promise across
midnight. A process that read the machine's date, or took the UTC date for the district's, fails
one of them whatever hour this suite runs at.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.support.api import citizen_id
from tests.support.housing import station_room
from tests.support.startup import Staff, approved_loan, business, complete_steps, unit_officers

#: 23:30 UTC on 30 November 2026; the district is at 07:30 on Tuesday 1 December
DECEMBER_FIRST = "2026-11-30T23:30:00+00:00"
#: 23:30 UTC on 1 December 2026; the district is at 07:30 on Wednesday 2 December
DECEMBER_SECOND = "2026-12-01T23:30:00+00:00"
#: 23:30 UTC on 31 December 2025; the district is at 07:30 on 1 January 2026
NEW_YEAR = "2025-12-31T23:30:00+00:00"

STARTUP = "/api/v1/startup"


def born(day: date, api, **profile):
    """A young person whose ID number says they were born on `day`."""
    return api.youth(citizen_id=citizen_id(day), **profile)


def rules_of(answer: dict) -> dict:
    return {rule["rule"]: rule["passed"] for rule in answer["rules"]}


def test_a_person_is_a_year_older_on_their_birthday_in_the_district(api, platform_clock):
    moved = platform_clock(DECEMBER_FIRST)
    assert moved["now"].startswith("2026-12-01T07:30")
    birthday = born(date(2002, 12, 1), api)
    assert birthday.get("/api/v1/accounts/me").json()["profile"]["age"] == 24
    eve = born(date(2002, 12, 2), api)
    assert eve.get("/api/v1/accounts/me").json()["profile"]["age"] == 23


@pytest.mark.parametrize(
    ("birth_date", "eligible"),
    [(date(2001, 12, 2), True), (date(2001, 12, 1), False)],
    ids=["24 until tomorrow", "25 today"],
)
def test_the_unemployed_youth_age_window_ends_on_the_districts_date(
    api, platform_clock, birth_date, eligible
):
    platform_clock(DECEMBER_FIRST)
    person = born(birth_date, api, employment_status="unemployed")
    answer = person.get("/api/v1/traineeships/eligibility").json()
    assert rules_of(answer)["age_range"] is eligible
    assert answer["eligible"] is eligible


@pytest.mark.parametrize(
    ("graduated", "recent"),
    [("2024-12-01", True), ("2024-11-30", False)],
    ids=["two years ago today", "two years and a day ago"],
)
def test_the_two_years_after_graduation_end_on_the_districts_date(
    api, platform_clock, graduated, recent
):
    platform_clock(DECEMBER_FIRST)
    person = born(date(1998, 6, 1), api, graduation_date=graduated, employment_status="unemployed")
    answer = person.get("/api/v1/traineeships/eligibility").json()
    assert rules_of(answer)["recent_graduate"] is recent
    assert answer["route"] == ("recent_graduate" if recent else None)


def test_a_station_night_is_booked_from_the_districts_today_not_the_utc_one(api, platform_clock):
    platform_clock(DECEMBER_FIRST)
    room = station_room(api.staff("officer", unit="housing"), beds=1)
    guest = api.youth(age=23, graduation_date="2026-06-30", employment_status="unemployed")
    yesterday = guest.post(
        "/api/v1/housing/station-bookings",
        json={"unit_id": room["id"], "first_night": "2026-11-30", "nights": 1},
    )
    assert yesterday.status_code == 422, yesterday.text
    tonight = guest.post(
        "/api/v1/housing/station-bookings",
        json={"unit_id": room["id"], "first_night": "2026-12-01", "nights": 1},
    )
    assert tonight.status_code == 201, tonight.text


def test_a_loan_is_disbursed_on_the_districts_today_and_not_a_day_later(api, platform_clock):
    platform_clock(DECEMBER_FIRST)
    bank, loan = approved_loan(Staff(api), api.youth(age=26), amount_cny="50000.00")
    tomorrow = bank.in_english().post(
        f"{STARTUP}/loans/{loan['id']}/disbursement", json={"disbursed_on": "2026-12-02"}
    )
    assert tomorrow.status_code == 422, tomorrow.text
    refusal = tomorrow.json()["errors"][0]
    assert (refusal["field"], refusal["code"]) == ("disbursed_on", "disbursed_in_future")
    assert "2026-12-01" in refusal["message"]
    today = bank.post(
        f"{STARTUP}/loans/{loan['id']}/disbursement", json={"disbursed_on": "2026-12-01"}
    )
    assert today.status_code == 200, today.text
    assert today.json()["state"] == "disbursed"


def test_the_indicators_current_year_and_month_are_the_districts(api, platform_clock):
    platform_clock(NEW_YEAR)
    league = api.staff("officer", unit="youth_league")
    created = league.post(
        "/api/v1/activities",
        json={
            "title": "新年青年联谊",
            "category": "youth_mixer",
            "venue": "青年之家",
            "starts_at": "2026-01-10T14:00:00+08:00",
            "ends_at": "2026-01-10T17:00:00+08:00",
            "capacity": 30,
        },
    ).json()
    league.post(f"/api/v1/activities/{created['id']}/publish")
    registered = api.youth(age=22).post(f"/api/v1/activities/{created['id']}/registrations")
    assert registered.status_code == 201, registered.text

    officer = api.staff("officer", unit="youth_league")
    answer = officer.get("/api/v1/indicators").json()
    assert answer["degraded"] == []
    assert answer["period"] == {"name": "2026", "since": "2026-01-01", "until": "2027-01-01"}
    assert answer["series_months"][0] == "2026-01"
    series = {i["code"]: i["series"] for task in answer["tasks"] for i in task["indicators"]}
    assert series["events.registrations"][0] == 1
    december = officer.get("/api/v1/indicators", params={"period": "2025-12"}).json()
    values = {i["code"]: i["value"] for task in december["tasks"] for i in task["indicators"]}
    assert values["events.registrations"] == 0


def test_the_two_hour_promise_counts_business_hours_across_the_districts_midnight(
    api, platform_clock
):
    staff = Staff(api)
    officers = unit_officers(staff)
    platform_clock("2026-12-01T16:30:00+08:00")  # Tuesday, half an hour before the centre closes
    founder = api.youth(age=27)
    registration = founder.post(f"{STARTUP}/registrations", json=business()).json()
    complete_steps(officers, registration["id"], steps=["name_check"])

    def business_time() -> dict:
        view = founder.get(f"{STARTUP}/registrations/{registration['id']}").json()
        return view["business_time"]

    platform_clock(DECEMBER_SECOND)  # the district's Wednesday morning, UTC's Tuesday evening
    assert business_time()["elapsed_seconds"] == pytest.approx(30 * 60, abs=60)
    swept = platform_clock("2026-12-02T10:01:00+08:00")["swept"]  # 30 + 61 business minutes
    assert swept["warned"] >= 1
    assert business_time()["status"] == "at_risk"
    assert 90 * 60 < business_time()["elapsed_seconds"] < 93 * 60
