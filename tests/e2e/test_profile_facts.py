"""The facts a decision rests on, over HTTP on the whole platform: a hire reported by jobs is
remembered on the profile (the hired person is employed, is no longer eligible for a
traineeship, and cannot re-book the station nights the hire freed)."""

from services.common.clock import clock
from tests.support.housing import station_room
from tests.support.jobs import hire, published_post
from tests.support.messaging import wait_for

PROBLEM = "application/problem+json"


def test_a_hire_makes_the_person_employed_and_the_freed_nights_cannot_be_rebooked(api):
    housing = api.staff("officer", unit="housing")
    room = station_room(housing, beds=1)
    today = clock.today()
    graduate = api.youth(
        age=23, degree="bachelor", graduation_date=today.isoformat(), employment_status="unemployed"
    )
    nights = {"unit_id": room["id"], "first_night": today.isoformat(), "nights": 3}
    booked = graduate.post("/api/v1/housing/station-bookings", json=nights)
    assert booked.status_code == 201, booked.text
    assert graduate.get("/api/v1/traineeships/eligibility").json()["eligible"] is True

    employer, post = published_post(api, api.staff("officer", unit="hrss"), kind="job")
    hire(employer, graduate, post["id"])

    def employed():
        profile = graduate.get("/api/v1/accounts/me").json()["profile"]
        return profile if profile["employment_status"] == "employed" else None

    profile = wait_for(employed, timeout=30, interval=0.2, message="the hire on the profile")
    assert profile["employer_id"] == employer.id
    assert profile["employed_since"] == today.isoformat()

    def freed():
        view = graduate.get(f"/api/v1/housing/station-bookings/{booked.json()['id']}").json()
        return view if view["nights_booked"] == 1 else None

    wait_for(freed, timeout=30, interval=0.2, message="the remaining nights freed")
    tomorrow = {**nights, "first_night": today.fromordinal(today.toordinal() + 1).isoformat()}
    again = graduate.in_english().post(
        "/api/v1/housing/station-bookings", json={**tomorrow, "nights": 2}
    )
    assert again.status_code == 422, again.text
    assert again.headers["Content-Type"] == PROBLEM
    assert [e["field"] for e in again.json()["errors"]] == ["employment_status"]

    eligibility = graduate.get("/api/v1/traineeships/eligibility").json()
    assert eligibility["eligible"] is False
