"""Startup support over HTTP, through the gateway of the session's platform: a young graduate
starts a business at the one-stop zone and every unit completes its step inside the 2-hour
promise; another application is left waiting and its breach is published on `startup.events`;
refusals are problems that change nothing; a loan goes from quote to disbursement.

Business hours cannot pass in a test, so the tests' platform runs with `CLOCK=adjustable` and
the tests move the clock of all its processes over RPC (services/startup/README.md, "Testing the
2-hour promise").
"""

import pytest

from tests.support.messaging import wait_for
from tests.support.startup import (
    STEP_UNITS,
    EventLog,
    Staff,
    at,
    business,
    complete_steps,
    credit_code,
    unit_officers,
)

BASE = "/api/v1/startup"
GRADUATE = {"degree": "bachelor", "graduation_date": "2025-07-01"}


@pytest.fixture(scope="module")
def staff(api):
    return Staff(api)


@pytest.fixture(scope="module")
def officers(staff):
    return unit_officers(staff)


@pytest.fixture
def clock(platform_clock):
    """`clock(instant)` moves the platform's clock; it goes back to real time after."""
    return platform_clock


@pytest.fixture
def events(platform_amqp_uri, platform):
    log = EventLog(platform_amqp_uri)
    yield log
    log.close()


def problem(answer, status: int, code: str) -> dict:
    assert answer.status_code == status, answer.text
    assert answer.headers["Content-Type"] == "application/problem+json"
    body = answer.json()
    assert body["code"] == code, body
    return body


def test_a_graduate_registers_a_business_inside_two_business_hours_and_is_counted(
    api, staff, officers, clock, events, platform_amqp_uri
):
    clock(at(2026, 12, 8, 9))  # Tuesday, the zone opens
    founder = api.youth(age=24, **GRADUATE)
    submitted = founder.post(f"{BASE}/registrations", json=business())
    assert submitted.status_code == 201, submitted.text
    registration = submitted.json()
    assert submitted.headers["Location"] == f"{BASE}/registrations/{registration['id']}"
    assert registration["business_time"]["status"] == "on_track"

    clock(at(2026, 12, 8, 10, 15))
    done = complete_steps(officers, registration["id"]).json()
    assert done["state"] == "completed" and done["graduate"] is True
    assert done["business_time"]["status"] == "met"
    assert 74 * 60 < done["business_time"]["elapsed_seconds"] < 76 * 60
    assert [s["state"] for s in done["steps"]] == ["completed"] * 6

    found = events.about(registration["id"], until_type="registration.completed")
    completed = found[-1][1]
    assert (completed["person_id"], completed["graduate"], completed["within_target"]) == (
        founder.id,
        True,
        True,
    )
    assert [kind for kind, _ in found].count("registration.step_completed") == 6

    period = {"since": "2026-12-08", "until": "2026-12-09"}
    figures = staff.admin.get(f"{BASE}/indicators", params=period).json()["indicators"]
    assert figures["startup.registrations_completed"] == 1
    assert figures["startup.graduate_businesses"] == 1
    assert figures["startup.registrations_within_target"] == 1
    assert figures["startup.registration_target_minutes"] == 120
    from services.common.rpc import StandaloneRpc

    with StandaloneRpc(platform_amqp_uri) as cluster:
        assert cluster.startup.graduates_registered_businesses(**period) == [founder.id]

    mine = founder.get("/api/v1/me/startup").json()["items"]
    assert [(i["kind"], i["state"]) for i in mine] == [("startup.registration", "completed")]

    def completion_message():
        inbox = founder.get("/api/v1/me/messages").json()["items"]
        return [m for m in inbox if m["event_type"] == "youthcity.startup.registration.completed"]

    message = wait_for(completion_message, timeout=15, interval=0.2, message="the message")[0]
    assert message["title"] == "企业开办已办结"


def test_a_registration_left_waiting_breaches_and_the_breach_is_published(
    api, officers, clock, events
):
    clock(at(2026, 12, 9, 9))
    founder = api.youth(age=27)
    registration = founder.post(f"{BASE}/registrations", json=business()).json()
    complete_steps(officers, registration["id"], steps=["name_check"])

    clock(at(2026, 12, 9, 10, 31))  # 91 business minutes: past the 75 % warning
    warned = events.about(registration["id"], until_type="registration.sla_warned")
    clock(at(2026, 12, 9, 11, 1))  # 121 business minutes: the promise is broken
    found = events.about(registration["id"], until_type="registration.sla_breached")
    breach = next(data for kind, data in found if kind == "registration.sla_breached")
    assert [kind for kind, _ in warned].count("registration.sla_warned") == 1
    assert breach["person_id"] == founder.id
    assert breach["elapsed_business_seconds"] > 7200 and breach["target_business_seconds"] == 7200
    assert breach["pending_steps"] == ["licence", "seal", "tax", "bank_account", "social_insurance"]
    assert "market_regulation" in breach["pending_units"]

    view = founder.get(f"{BASE}/registrations/{registration['id']}").json()
    assert view["business_time"]["status"] == "breached" and view["sla_breached_at"]
    officer = officers[STEP_UNITS["licence"]]
    queue = officer.get(f"{BASE}/registrations", params={"awaiting_my_unit": "true"}).json()
    assert registration["id"] in [item["id"] for item in queue["items"]]


def test_invalid_input_and_wrong_roles_are_refused_and_change_nothing(api, officers, events):
    founder = api.youth(age=23)
    shares = founder.post(
        f"{BASE}/registrations",
        json=business(founders=[{"name": "李青", "share_percent": "90"}], company_type="llc"),
    )
    body = problem(shares, 422, "validation_failed")
    assert {(e["field"], e["code"]) for e in body["errors"]} == {
        ("founders", "founders_shares_total"),
        ("company_type", "one_of"),
    }
    english = founder.in_english().post(f"{BASE}/registrations", json=business(founders=[]))
    assert problem(english, 422, "validation_failed")["errors"][0]["field"] == "founders"
    problem(api.employer().post(f"{BASE}/registrations", json=business()), 403, "role_not_allowed")

    registration = founder.post(f"{BASE}/registrations", json=business()).json()
    rid = registration["id"]
    step = f"{BASE}/registrations/{rid}/steps"
    problem(api.youth().get(f"{BASE}/registrations/{rid}"), 404, "business_registration_not_found")
    problem(founder.post(f"{step}/name_check/complete", json={}), 403, "role_not_allowed")
    wrong_unit = officers["taxation"].post(f"{step}/name_check/complete", json={})
    assert "market_regulation" in problem(wrong_unit, 403, "not_responsible_unit")["title"]
    market = officers["market_regulation"]
    problem(
        market.post(f"{step}/licence/complete", json={"credit_code": credit_code()}),
        409,
        "step_prerequisites_pending",
    )
    bad_code = market.post(f"{step}/licence/complete", json={"credit_code": "91350100M000100Y44"})
    assert problem(bad_code, 422, "validation_failed")["errors"][0] == {
        "field": "credit_code",
        "code": "credit_code.checksum",
        "message": "统一社会信用代码校验码不正确",
    }
    problem(market.post(f"{step}/registry/complete", json={}), 404, "registration_step_not_found")
    problem(
        market.post(f"{BASE}/registrations/{rid}/reject", json={"reason": ""}),
        422,
        "validation_failed",
    )

    unchanged = founder.get(f"{BASE}/registrations/{rid}").json()
    assert unchanged["state"] == "in_progress"
    assert [s["state"] for s in unchanged["steps"]] == ["pending"] * 6
    assert [r["id"] for r in founder.get(f"{BASE}/registrations").json()["items"]] == [rid]
    assert [kind for kind, _ in events.about(rid, until_type="registration.submitted")] == [
        "registration.submitted"
    ]


def test_a_loan_goes_from_quote_through_the_bank_and_the_officer_to_disbursement(api, staff, clock):
    clock(at(2026, 12, 20, 10))  # the bank pays out the day it is approved
    admin = staff.admin
    bank = staff("partner", display_name="XX农村商业银行")
    founder = api.youth(age=25)
    refused = admin.post(
        f"{BASE}/lenders", json={"name": "假银行", "partner_account_id": founder.id}
    )
    problem(refused, 422, "validation_failed")
    lender = admin.post(
        f"{BASE}/lenders", json={"name": "XX农村商业银行", "partner_account_id": bank.id}
    )
    assert lender.status_code == 201, lender.text

    quote = api.anonymous.post(
        f"{BASE}/loan-quotes",
        json={"amount_cny": "300000", "term_months": 36, "starts_on": "2026-12-01"},
    ).json()
    assert (quote["contract_rate_percent"], quote["borrower_rate_percent"]) == ("3.5", "1.5")
    assert quote["totals"]["subsidy"] == "12000.00"

    application = {
        "borrower_kind": "individual",
        "amount_cny": "300000.00",
        "term_months": 36,
        "purpose": "购置设备、支付场地租金",
        "lender_id": lender.json()["id"],
    }
    over = founder.post(f"{BASE}/loans", json={**application, "amount_cny": "300000.01"})
    assert problem(over, 422, "validation_failed")["errors"][0]["code"] == "loan_amount_over_limit"
    loan = founder.post(f"{BASE}/loans", json=application)
    assert loan.status_code == 201, loan.text
    loan_id = loan.json()["id"]

    capped = bank.post(
        f"{BASE}/loans/{loan_id}/review",
        json={"decision": "approve", "contract_rate_percent": "3.51"},
    )
    assert (
        problem(capped, 422, "validation_failed")["errors"][0]["code"] == "contract_rate_over_cap"
    )
    reviewed = bank.post(
        f"{BASE}/loans/{loan_id}/review",
        json={"decision": "approve", "contract_rate_percent": "3.5"},
    )
    assert reviewed.json()["state"] == "bank_approved"
    problem(
        staff("officer", unit="taxation").post(
            f"{BASE}/loans/{loan_id}/decision", json={"decision": "approve"}
        ),
        403,
        "not_responsible_unit",
    )
    decided = staff("officer", unit="hrss").post(
        f"{BASE}/loans/{loan_id}/decision", json={"decision": "approve"}
    )
    assert decided.json()["state"] == "approved"
    paid = bank.post(f"{BASE}/loans/{loan_id}/disbursement", json={"disbursed_on": "2026-12-20"})
    assert paid.json()["state"] == "disbursed", paid.text

    schedule = founder.get(f"{BASE}/loans/{loan_id}/schedule").json()
    assert schedule["estimate"] is False and len(schedule["instalments"]) == 36
    assert schedule["instalments"][0]["due_on"] == "2027-01-20"
    assert schedule["totals"]["interest"] == "31500.00"
    problem(api.youth().get(f"{BASE}/loans/{loan_id}"), 404, "loan_not_found")


def test_a_founder_takes_a_desk_in_the_park_and_a_course(api, staff, clock):
    clock(at(2026, 12, 21, 10))  # the desk and the course start in January
    park = staff("officer", unit="development_reform")
    trainer = staff("officer", unit="hrss")
    founder = api.youth(age=22)
    desk = park.post(
        f"{BASE}/spaces",
        json={
            "code": f"A-{credit_code()[-6:]}",
            "kind": "desk",
            "building": "双创智慧港A座",
            "area_m2": "4.5",
        },
    ).json()
    application = founder.post(
        f"{BASE}/incubator-applications",
        json={"space_kind": "desk", "project": "乡村文旅短视频工作室", "team_size": 3},
    ).json()
    problem(
        founder.post(f"{BASE}/incubator-applications/{application['id']}/allocation", json={}),
        403,
        "role_not_allowed",
    )
    allocated = park.post(
        f"{BASE}/incubator-applications/{application['id']}/allocation",
        json={"space_id": desk["id"], "starts_on": "2027-01-04", "ends_on": "2028-01-04"},
    )
    assert allocated.json()["state"] == "allocated", allocated.text

    course = trainer.post(
        f"{BASE}/courses",
        json={
            "title": "SYB创业培训",
            "mode": "online",
            "starts_on": "2027-01-11",
            "ends_on": "2027-01-22",
            "hours": 56,
            "capacity": 30,
        },
    ).json()
    enrolled = founder.post(f"{BASE}/courses/{course['id']}/enrolments")
    assert enrolled.status_code == 201, enrolled.text
    problem(
        founder.post(f"{BASE}/courses/{course['id']}/enrolments"), 409, "course_already_enrolled"
    )
    kinds = {item["kind"]: item for item in founder.get("/api/v1/me/startup").json()["items"]}
    assert kinds["startup.incubator_application"]["state"] == "allocated"
    assert kinds["startup.enrolment"]["next_step"]["en"] == "Attend the course"
