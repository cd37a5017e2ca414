"""Housing over HTTP through the gateway, on the whole platform: a graduate's station nights
freed by a hire in the district, an application from review to lease and the talent ledger, and
refusals that name their reason and change nothing."""

from datetime import timedelta

from services.common.clock import clock
from tests.support.housing import station_room
from tests.support.jobs import hire, published_post
from tests.support.messaging import wait_for

PROBLEM = "application/problem+json"


def problem(response, status, code):
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == PROBLEM
    body = response.json()
    assert body["code"] == code
    return body


def hire_in_the_district(api, graduate) -> None:
    """An employer in the district posts a job and hires the graduate; jobs reports the hire."""
    employer, post = published_post(api, api.staff("officer", unit="hrss"), kind="job")
    assert post["in_district"]
    hire(employer, graduate, post["id"])


def test_a_graduate_hired_in_the_district_has_the_remaining_station_nights_freed(api, platform):
    officer = api.staff("officer", unit="housing")
    room = station_room(officer, beds=1)
    today = clock.today()
    graduate = api.youth(age=23, graduation_date=today.isoformat(), employment_status="unemployed")
    booked = graduate.post(
        "/api/v1/housing/station-bookings",
        json={"unit_id": room["id"], "first_night": today.isoformat(), "nights": 3},
    )
    assert booked.status_code == 201, booked.text
    booking = booked.json()
    assert (booking["state"], booking["nights_booked"]) == ("confirmed", 3)

    other = api.youth(age=22, graduation_date=today.isoformat())
    tomorrow = {"unit_id": room["id"], "first_night": (today + timedelta(days=1)).isoformat()}
    full = problem(
        other.in_english().post("/api/v1/housing/station-bookings", json={**tomorrow, "nights": 1}),
        409,
        "station_full",
    )
    assert full["title"] == f"No bed is left on the night of {tomorrow['first_night']}"

    hire_in_the_district(api, graduate)

    def freed():
        view = graduate.get(f"/api/v1/housing/station-bookings/{booking['id']}").json()
        return view if view["nights_booked"] == 1 else None

    view = wait_for(freed, timeout=30, interval=0.2, message="the remaining nights freed")
    assert [n["state"] for n in view["nights"]] == ["booked", "cancelled", "cancelled"]
    nights = api.anonymous.get(
        f"/api/v1/housing/units/{room['id']}/nights",
        params={"first_night": today.isoformat(), "nights": 3},
    ).json()["nights"]
    assert [n["free"] for n in nights] == [0, 1, 1]
    assert (
        other.post("/api/v1/housing/station-bookings", json={**tomorrow, "nights": 2}).status_code
        == 201
    )

    def hint():
        inbox = graduate.get("/api/v1/me/messages").json()["items"]
        types = {m["event_type"] for m in inbox}
        return types if "youthcity.housing.talenthint.sent" in types else None

    types = wait_for(hint, timeout=30, interval=0.2, message="the talent-apartment hint")
    assert "youthcity.housing.stationbooking.cancelled" in types


def test_an_application_from_review_to_lease_and_the_talent_ledger(api):
    officer = api.staff("officer", unit="housing")
    unit = officer.post(
        "/api/v1/housing/units",
        json={
            "kind": "talent_apartment",
            "homestay": True,
            "title": "民宿改建人才公寓 A-101",
            "address": "XX区古镇路8号",
            "area_m2": "52.5",
            "rooms": 2,
            "rent_cny": "600",
        },
    ).json()
    applicant = api.youth(age=38, degree="master", local_social_insurance_months=12)
    eligibility = applicant.in_english().post(
        "/api/v1/housing/eligibility-checks",
        json={
            "kind": "talent_apartment",
            "owns_property_in_district": False,
            "on_government_payroll": False,
        },
    )
    assert eligibility.status_code == 200, eligibility.text
    assert eligibility.json()["eligible"] is True
    assert eligibility.json()["rules"][0]["explanation"]["en"] == "Age 38 is within 18 to 40"
    submitted = applicant.post(
        "/api/v1/housing/applications",
        json={
            "kind": "talent_apartment",
            "owns_property_in_district": False,
            "on_government_payroll": False,
        },
    )
    assert submitted.status_code == 201, submitted.text
    application = submitted.json()
    decided = officer.post(
        f"/api/v1/housing/applications/{application['id']}/decision",
        json={"decision": "approved", "reason": "硕士研究生,符合人才公寓条件"},
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["state"] == "waitlisted"
    round_ = officer.post("/api/v1/housing/allocation-rounds", json={"kind": "talent_apartment"})
    assert round_.status_code == 200, round_.text
    mine = applicant.get("/api/v1/me/housing/offers").json()["items"]
    offer = next(o for o in mine if o["unit_id"] == unit["id"])
    accepted = applicant.post(f"/api/v1/housing/offers/{offer['id']}/accept")
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["lease"]["state"] == "active"

    ledger = officer.get("/api/v1/housing/ledger", params={"person_id": applicant.id}).json()
    [entry] = ledger["items"]
    visit = officer.post(
        f"/api/v1/housing/ledger/{entry['id']}/followups",
        json={"visited_on": clock.today().isoformat(), "method": "visit", "notes": "入住顺利"},
    )
    assert visit.status_code == 201, visit.text
    assert officer.get(f"/api/v1/housing/ledger/{entry['id']}").json()["followups"] == 1
    states = [a["state"] for a in applicant.get("/api/v1/me/housing/applications").json()["items"]]
    assert states == ["housed"]


def test_invalid_input_and_wrong_roles_get_specific_problems_and_change_nothing(api):
    officer = api.staff("officer", unit="housing")
    league = api.staff("officer", unit="youth_league")
    youth = api.youth(age=24, local_social_insurance_months=3)
    title = "不应出现的房源"
    unit = {
        "kind": "public_rental",
        "title": title,
        "address": "XX区",
        "area_m2": "40",
        "rooms": 1,
        "rent_cny": "500",
    }
    problem(youth.post("/api/v1/housing/units", json=unit), 403, "role_not_allowed")
    problem(league.post("/api/v1/housing/units", json=unit), 403, "not_responsible_unit")
    problem(api.anonymous.post("/api/v1/housing/units", json=unit), 401, "unauthenticated")
    too_big = problem(
        officer.post(
            "/api/v1/housing/units", json={**unit, "kind": "affordable_rental", "area_m2": "75"}
        ),
        422,
        "validation_failed",
    )
    assert too_big["errors"][0]["field"] == "area_m2"
    assert too_big["errors"][0]["code"] == "area_too_large"
    listed = api.anonymous.get("/api/v1/housing/units", params={"limit": 100}).json()["items"]
    assert title not in {u["title"] for u in listed}

    bad = problem(
        youth.in_english().post(
            "/api/v1/housing/applications",
            json={"kind": "castle", "owns_property_in_district": "perhaps"},
        ),
        422,
        "validation_failed",
    )
    assert {(e["field"], e["code"]) for e in bad["errors"]} == {
        ("kind", "one_of"),
        ("owns_property_in_district", "not_boolean"),
        ("on_government_payroll", "required"),
    }
    assert youth.get("/api/v1/me/housing/applications").json()["items"] == []

    refused = youth.in_english().post(
        "/api/v1/housing/applications",
        json={
            "kind": "public_rental",
            "owns_property_in_district": False,
            "on_government_payroll": False,
        },
    )
    assert refused.status_code == 201
    rejected = refused.json()
    assert (rejected["state"], rejected["eligible"]) == ("rejected", False)
    [insurance] = [r for r in rejected["eligibility"] if not r["passed"]]
    assert insurance["explanation"]["en"] == (
        "3 consecutive months of social insurance in the district; 12 are required"
    )
    problem(
        officer.post(
            f"/api/v1/housing/applications/{rejected['id']}/decision",
            json={"decision": "approved"},
        ),
        409,
        "illegal_transition",
    )
    stranger = api.youth(age=24)
    problem(stranger.get(f"/api/v1/housing/applications/{rejected['id']}"), 404, "not_found")
    problem(
        officer.post(
            "/api/v1/housing/station-bookings",
            json={"unit_id": "x", "first_night": "2026-07-01", "nights": 1},
        ),
        403,
        "role_not_allowed",
    )
    nights = problem(
        youth.post(
            "/api/v1/housing/station-bookings",
            json={"unit_id": "x", "first_night": "2026-07-01", "nights": 0, "extra": 1},
        ),
        422,
        "validation_failed",
    )
    assert {(e["field"], e["code"]) for e in nights["errors"]} == {
        ("nights", "range"),
        ("extra", "unknown_field"),
    }
    assert youth.get("/api/v1/me/housing/station-bookings").json()["items"] == []
