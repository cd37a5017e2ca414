"""The facts a decision rests on, over HTTP on the whole platform: a hire reported by jobs is
remembered on the profile (the hired person is employed, is no longer eligible for a
traineeship, and cannot re-book the station nights the hire freed); an officer of 区人社局
verifies facts, a change the person makes unverifies them, the ID number cannot be changed, and
the hiring subsidy is paid only on verified facts."""

from services.common.clock import clock
from tests.support.api import born_aged, citizen_id, verify_facts
from tests.support.housing import station_room
from tests.support.jobs import hire, published_post, recent_graduate
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


def test_an_officer_verifies_facts_a_change_unverifies_them_and_the_id_number_is_locked(api):
    graduate = recent_graduate(api)
    hrss, housing = api.staff("officer", unit="hrss"), api.staff("officer", unit="housing")
    reason = "核对学信网学历证书电子注册备案表"
    url = f"/api/v1/people/{graduate.id}/facts/graduation_date/verification"

    not_theirs = housing.post(url, json={"reason": reason})
    assert (not_theirs.status_code, not_theirs.json()["code"]) == (403, "not_responsible_unit")
    no_reason = hrss.post(url, json={})
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
    verified = hrss.post(url, json={"reason": reason})
    assert verified.status_code == 200, verified.text
    assert verified.json()["profile"]["facts"] == {
        "graduation_date": "verified",
        "degree": "declared",
        "employment_status": "declared",
        "local_social_insurance_months": "declared",
    }
    [entry] = [
        e
        for e in api.admin()
        .get("/api/v1/admin/audit", params={"service": "gateway", "subject_id": graduate.id})
        .json()["items"]
        if e["action"] == "profile_fact.verified"
    ]
    assert (entry["actor_id"], entry["reason"]) == (hrss.id, reason)

    unchanged = graduate.patch("/api/v1/accounts/me/profile", json={"school": "XX大学"})
    assert unchanged.json()["profile"]["facts"]["graduation_date"] == "verified"
    changed = graduate.patch(
        "/api/v1/accounts/me/profile", json={"graduation_date": clock.today().isoformat()}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["profile"]["facts"]["graduation_date"] == "declared"

    another_id = citizen_id(born_aged(30))
    for session, words in ((graduate, "身份证号码"), (graduate.in_english(), "citizen ID")):
        locked = session.patch("/api/v1/accounts/me/profile", json={"citizen_id": another_id})
        assert locked.status_code == 422 and locked.headers["Content-Type"] == PROBLEM
        [error] = locked.json()["errors"]
        assert (error["field"], error["code"]) == ("citizen_id", "citizen_id_locked")
        assert words in error["message"]
    assert graduate.get("/api/v1/accounts/me").json()["profile"]["age"] == 23


def test_the_hiring_subsidy_is_paid_only_on_a_verified_graduation_date(api):
    hrss = api.staff("officer", unit="hrss")
    employer, post = published_post(api, hrss, kind="job")
    graduate = recent_graduate(api)
    application = hire(employer, graduate, post["id"])
    claim = employer.post("/api/v1/employment-subsidies", json={"application_id": application})
    assert claim.status_code == 201, claim.text
    decide = f"/api/v1/employment-subsidies/{claim.json()['id']}/decision"

    refused = hrss.in_english().post(decide, json={"decision": "grant"})
    assert refused.status_code == 409 and refused.headers["Content-Type"] == PROBLEM
    problem = refused.json()
    assert (problem["code"], problem["field"]) == ("facts_unverified", "graduation_date")
    assert "verified" in problem["title"] and "graduation_date" in problem["title"]
    assert "核验" in hrss.post(decide, json={"decision": "grant"}).json()["title"]
    assert employer.get(f"/api/v1/employment-subsidies/{claim.json()['id']}").json()["state"] == (
        "claimed"
    )

    verify_facts(hrss, graduate.id, "graduation_date")
    granted = hrss.post(decide, json={"decision": "grant"})
    assert granted.status_code == 200 and granted.json()["state"] == "granted", granted.text
    [entry] = [
        e
        for e in api.admin()
        .get("/api/v1/admin/audit", params={"service": "jobs", "subject_id": claim.json()["id"]})
        .json()["items"]
        if e["action"] == "subsidy.granted"
    ]
    assert entry["details"]["facts"] == {"graduation_date": "verified"}
