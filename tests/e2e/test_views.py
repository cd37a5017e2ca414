"""The dashboard and the plan's indicators in a year of this module's own (the session's
platform moved to 2031), so every number is one this test created: hires, a business
registration, station nights, a loan, activity registrations; the graduate who was both hired
and started a business counts once. Then one service stops, and the dashboard still answers in
time with that part degraded."""

from __future__ import annotations

import os
import signal
import time

import requests

from services.common.clock import clock
from tests.support.dates import days_ago, district_time
from tests.support.housing import station_room
from tests.support.jobs import hire, published_post
from tests.support.messaging import wait_for
from tests.support.platform import process_of
from tests.support.startup import Staff, approved_loan, business, complete_steps, unit_officers

STARTUP = "/api/v1/startup"


def recent_graduate() -> dict:
    """A recent graduate's profile facts, dated from the clock (moved with the platform)."""
    return {
        "graduation_date": days_ago(160),
        "employment_status": "unemployed",
        "degree": "bachelor",
    }


#: a moment of this module's own: every indicator of 2031 is one this test made, as no other
#: test of the session's platform touches that year
OWN_PERIOD = "2031-06-17T10:00:00+08:00"


def activity(officer, title: str) -> str:
    created = officer.post(
        "/api/v1/activities",
        json={
            "title": title,
            "category": "youth_mixer",
            "venue": "青年之家",
            "starts_at": district_time(days=30, hour=14).isoformat(),
            "ends_at": district_time(days=30, hour=17).isoformat(),
            "capacity": 30,
        },
    ).json()
    officer.post(f"/api/v1/activities/{created['id']}/publish")
    return created["id"]


def figures(answer: dict) -> dict:
    return {i["code"]: i["value"] for task in answer["tasks"] for i in task["indicators"]}


def test_the_dashboard_and_every_indicator_show_the_numbers_this_test_made(
    api, platform, platform_clock
):
    platform_clock(OWN_PERIOD)
    staff = Staff(api)
    hr_officer = api.staff("officer", unit="hrss")
    employer, post = published_post(
        api, hr_officer, "XX旅游发展有限公司", title="导游见习", positions=2
    )

    both = api.youth(age=24, **recent_graduate())  # hired, and starts a business too
    hired_only = api.youth(age=23, **recent_graduate())
    for graduate in (both, hired_only):
        hire(employer, graduate, post["id"])

    officers = unit_officers(staff)
    registration = both.post(f"{STARTUP}/registrations", json=business()).json()
    assert complete_steps(officers, registration["id"]).json()["state"] == "completed"

    housing_officer = api.staff("officer", unit="housing")
    room = station_room(housing_officer, beds=2)
    traveller = api.youth(
        age=22, graduation_date=clock.today().isoformat(), employment_status="unemployed"
    )
    booked = traveller.post(
        "/api/v1/housing/station-bookings",
        json={"unit_id": room["id"], "first_night": clock.today().isoformat(), "nights": 2},
    )
    assert booked.status_code == 201, booked.text

    bank, loan = approved_loan(staff, both)
    paid = bank.post(
        f"{STARTUP}/loans/{loan['id']}/disbursement",
        json={"disbursed_on": clock.today().isoformat()},
    )
    assert paid.json()["state"] == "disbursed", paid.text

    league = api.staff("officer", unit="youth_league")
    mixers = [activity(league, f"青年联谊 {n}") for n in range(3)]
    for mixer in mixers:
        assert both.post(f"/api/v1/activities/{mixer}/registrations").status_code == 201

    dashboard = wait_for(
        lambda: (answer := both.get("/api/v1/me/dashboard").json())["unread_messages"] and answer,
        timeout=20,
        interval=0.5,
        message="messages for the dashboard",
    )
    assert dashboard["degraded"] == []
    sections = dashboard["sections"]
    assert [i["state"] for i in sections["jobs"] if i["kind"].startswith("jobs.application")] == [
        "hired"
    ]
    assert any(
        i["kind"] == "startup.registration" and i["state"] == "completed"
        for i in sections["startup"]
    )
    assert any(
        i["kind"].startswith("startup.loan") and i["state"] == "disbursed"
        for i in sections["startup"]
    )
    assert len([i for i in sections["events"] if i["state"] == "confirmed"]) == 3
    assert all(
        isinstance(i["title"], str) and i["state"] for items in sections.values() for i in items
    )

    officer = api.staff("officer", unit="hrss")

    def counted():
        answer = officer.get(
            "/api/v1/indicators", params={"period": str(clock.today().year)}
        ).json()
        values = figures(answer)
        return (
            values
            if values.get("events.activities_held.youth_mixer") is not None
            and not answer["degraded"]
            else None
        )

    values = wait_for(counted, timeout=30, interval=1, message="every service's indicators")
    assert (
        values["headline.graduates_staying"] == 2
    )  # two hired, one of them also a founder: counted once
    assert values["jobs.graduates_hired_in_district"] == 2
    assert values["startup.graduate_businesses"] == 1
    assert values["jobs.traineeships_started"] == 2
    assert values["jobs.posts_published.traineeship"] == 1
    assert values["startup.registrations_completed"] == 1
    assert values["startup.loan_amount_disbursed_cny"] == 100000
    assert values["housing.station_nights"] == 2
    assert values["events.registrations"] == 3
    assert (
        values["startup.registration_business_minutes_p90"] is None
        or values["startup.registration_business_minutes_p90"] <= 120
    )
    month = clock.today().month - 1
    whole = wait_for(  # a loaded machine may give up on a service's part: ask again
        lambda: (answer := officer.get("/api/v1/indicators").json())["degraded"] == [] and answer,
        timeout=30,
        interval=1,
        message="the indicators with every service's part",
    )
    series = {i["code"]: i["series"] for task in whole["tasks"] for i in task["indicators"]}
    assert series["headline.graduates_staying"][month] == 2
    csv = officer.get("/api/v1/indicators.csv").text
    assert "headline.graduates_staying" in csv and ">= 1000" in csv

    metrics = requests.get(f"{platform.metrics['gateway']}/metrics", timeout=5).text
    assert "youthcity_indicator_target" in metrics


def test_with_one_service_stopped_the_dashboard_answers_in_time_and_names_it(api, platform):
    youth = api.youth(age=22)
    housing = process_of(platform, "housing")
    os.kill(housing, signal.SIGSTOP)  # hung: it holds its queue but answers nothing
    try:
        started = time.monotonic()
        answer = youth.get("/api/v1/me/dashboard")
        elapsed = time.monotonic() - started
        assert answer.status_code == 200
        assert elapsed < 2 + 1.0  # VIEW_TIMEOUT, and a margin for a loaded machine
        body = answer.json()
        assert body["degraded"] == [{"service": "housing", "reason": "timeout"}]
        assert body["sections"]["housing"] == [] and "jobs" in body["sections"]
    finally:
        os.kill(housing, signal.SIGCONT)
