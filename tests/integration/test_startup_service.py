"""The startup service as it runs: a real nameko container on SQLite and PostgreSQL, called over
RabbitMQ as the gateway calls it, its events read off `startup.events` by a plain subscriber,
and its clock moved instead of waiting for business hours to pass."""

import json
import uuid
from decimal import Decimal

import pytest

from services.common.errors import DomainError
from services.startup.domain import STEPS
from services.startup.service import StartupService
from tests.support.infra import virtual_host
from tests.support.startup import (
    STEP_UNITS,
    EventLog,
    at,
    business,
    credit_code,
    rpc_as,
    travel,
)

GRADUATE = {"graduation_date": "2025-06-30", "degree": "bachelor", "age": 23}


@pytest.fixture(scope="module")
def amqp_uri():
    """This module's own virtual host (tests.support.infra.virtual_host says why)."""
    with virtual_host("startup-int") as uri:
        yield uri


@pytest.fixture
def events(amqp_uri):
    log = EventLog(amqp_uri)
    yield log
    log.close()


def submit(amqp_uri, person_id: str, facts=GRADUATE, **overrides) -> dict:
    with rpc_as(amqp_uri, "youth", actor_id=person_id) as youth:
        return youth.startup.submit_registration(
            application=business(**overrides), founder={"person_id": person_id, **facts}
        )


def complete(amqp_uri, registration_id: str, steps=STEPS) -> dict:
    view = None
    for step in steps:
        with rpc_as(amqp_uri, "officer", STEP_UNITS[step]) as officer:
            body = {"credit_code": credit_code()} if step == "licence" else {}
            view = officer.startup.complete_step(
                registration_id=registration_id, step=step, completion=body
            )
    return view


def test_a_registration_completes_step_by_step_and_counts_its_graduate(startup, amqp_uri, events):
    travel(amqp_uri, at(2026, 12, 1, 9))  # a Tuesday morning
    person = str(uuid.uuid4())
    submitted = submit(amqp_uri, person)
    assert submitted["state"] == "in_progress"
    assert [(s["step"], s["ready"]) for s in submitted["steps"]][:2] == [
        ("name_check", True),
        ("licence", False),
    ]
    travel(amqp_uri, at(2026, 12, 1, 9, 40))
    done = complete(amqp_uri, submitted["id"])

    assert done["state"] == "completed" and done["graduate"] is True
    assert done["business_time"]["status"] == "met"
    assert 39 * 60 < done["business_time"]["elapsed_seconds"] < 41 * 60
    kinds = events.about(submitted["id"], until_type="registration.completed")
    assert [kind for kind, _ in kinds] == [
        "registration.submitted",
        *["registration.step_completed"] * 6,
        "registration.completed",
    ]
    completed = kinds[-1][1]
    assert completed["person_id"] == person and completed["graduate"] is True
    assert completed["within_target"] is True and completed["target_business_seconds"] == 7200
    assert "company_name" not in json.dumps([data for _, data in kinds])

    with rpc_as(amqp_uri, "admin") as admin:
        period = {"since": "2026-12-01", "until": "2026-12-02"}
        assert admin.startup.graduates_registered_businesses(**period) == [person]
        assert (
            admin.startup.graduates_registered_businesses(since="2026-12-02", until="2026-12-03")
            == []
        )
        figures = admin.startup.indicators(**period)
    assert figures["startup.registrations_submitted"] == 1
    assert figures["startup.registrations_completed"] == 1
    assert figures["startup.graduate_businesses"] == 1
    assert figures["startup.registrations_within_target"] == 1
    assert 39 < figures["startup.registration_business_minutes_median"] < 41
    assert figures["startup.registration_target_minutes"] == 120
    with rpc_as(amqp_uri, "youth", actor_id=person) as youth:
        board = youth.startup.dashboard(person_id=person)["items"]
    assert [(i["kind"], i["state"], i["next_step"]) for i in board] == [
        ("startup.registration", "completed", None)
    ]


def test_the_sweep_warns_at_75_percent_and_reports_the_breach_once(startup, amqp_uri, events):
    travel(amqp_uri, at(2026, 12, 1, 16))  # Tuesday, one working hour left
    registration = submit(amqp_uri, str(uuid.uuid4()))
    complete(amqp_uri, registration["id"], steps=["name_check"])

    assert travel(amqp_uri, at(2026, 12, 2, 9, 29))["swept"] == {"warned": 0, "breached": 0}
    assert travel(amqp_uri, at(2026, 12, 2, 9, 31))["swept"] == {"warned": 1, "breached": 0}
    with rpc_as(amqp_uri, "admin") as admin:
        assert admin.startup.sweep_sla() == {"warned": 0, "breached": 0}
    assert travel(amqp_uri, at(2026, 12, 2, 10, 1))["swept"] == {"warned": 0, "breached": 1}
    with rpc_as(amqp_uri, "admin") as admin:
        assert admin.startup.sweep_sla() == {"warned": 0, "breached": 0}
        view = admin.startup.get_registration(registration_id=registration["id"])
    assert view["business_time"]["status"] == "breached"
    assert view["sla_warned_at"] and view["sla_breached_at"]

    found = events.about(registration["id"], until_type="registration.sla_breached")
    warned = [data for kind, data in found if kind == "registration.sla_warned"]
    breached = [data for kind, data in found if kind == "registration.sla_breached"]
    assert len(warned) == 1 and len(breached) == 1
    assert breached[0]["pending_steps"] == list(STEPS[1:])
    assert breached[0]["pending_units"] == sorted({STEP_UNITS[s] for s in STEPS[1:]})
    assert breached[0]["elapsed_business_seconds"] > 120 * 60

    finished = complete(amqp_uri, registration["id"], steps=STEPS[1:])
    assert finished["business_time"]["status"] == "missed"
    kinds = [k for k, _ in events.about(registration["id"], until_type="registration.completed")]
    assert kinds.count("registration.sla_breached") == 1


def test_refusals_name_the_reason_and_change_nothing(startup, amqp_uri, events):
    travel(amqp_uri, at(2026, 12, 1, 9))
    owner = str(uuid.uuid4())
    registration = submit(amqp_uri, owner)

    def refused(role, unit=None, actor_id=None, call=None):
        with rpc_as(amqp_uri, role, unit, actor_id) as cluster, pytest.raises(DomainError) as e:
            call(cluster.startup)
        return e.value.status, e.value.code

    rid = registration["id"]
    assert refused(
        "officer",
        "taxation",
        call=lambda s: s.complete_step(registration_id=rid, step="name_check"),
    ) == (403, "not_responsible_unit")
    assert refused(
        "officer", "taxation", call=lambda s: s.complete_step(registration_id=rid, step="tax")
    ) == (409, "step_prerequisites_pending")
    assert refused(
        "officer",
        "market_regulation",
        call=lambda s: s.complete_step(registration_id=rid, step="registry"),
    ) == (404, "registration_step_not_found")
    assert refused("youth", call=lambda s: s.get_registration(registration_id=rid)) == (
        404,
        "business_registration_not_found",
    )
    assert refused(
        "officer", "culture_tourism", call=lambda s: s.get_registration(registration_id=rid)
    ) == (404, "business_registration_not_found")
    complete(amqp_uri, rid, steps=["name_check"])
    assert refused(
        "officer",
        "market_regulation",
        call=lambda s: s.complete_step(
            registration_id=rid, step="licence", completion={"credit_code": "91350100M000100Y44"}
        ),
    ) == (422, "validation_failed")
    assert refused(
        "officer",
        "market_regulation",
        call=lambda s: s.complete_step(registration_id=rid, step="licence"),
    ) == (422, "validation_failed")
    with pytest.raises(DomainError) as clock, rpc_as(amqp_uri, "admin") as admin:
        admin.startup.travel_clock(to="2026-12-01T09:00:00")
    assert clock.value.status == 422

    with rpc_as(amqp_uri, "youth", actor_id=owner) as youth:
        unchanged = youth.startup.get_registration(registration_id=rid)
    assert [s["state"] for s in unchanged["steps"]] == ["completed"] + ["pending"] * 5
    kinds = [k for k, _ in events.about(rid, until_type="registration.step_completed")]
    assert kinds == ["registration.submitted", "registration.step_completed"]


def test_a_founder_withdraws_an_application_in_progress_and_sees_its_steps(
    startup, amqp_uri, events
):
    travel(amqp_uri, at(2026, 12, 1, 9))
    owner = str(uuid.uuid4())
    registration = submit(amqp_uri, owner)
    complete(amqp_uri, registration["id"], steps=["name_check"])
    with rpc_as(amqp_uri, "youth", actor_id=owner) as youth:
        withdrawn = youth.startup.withdraw_registration(registration_id=registration["id"])
    assert withdrawn["state"] == "withdrawn"
    assert [s["state"] for s in withdrawn["steps"]] == ["completed"] + ["pending"] * 5
    kinds = [k for k, _ in events.about(registration["id"], until_type="registration.withdrawn")]
    assert kinds[-1] == "registration.withdrawn"


def test_a_loan_goes_from_application_through_the_bank_and_the_officer_to_disbursement(
    startup, amqp_uri, events
):
    travel(amqp_uri, at(2026, 12, 1, 10))
    bank, other_bank, person = (str(uuid.uuid4()) for _ in range(3))
    with rpc_as(amqp_uri, "admin") as admin:
        lender = admin.startup.create_lender(
            lender={"name": "XX农村商业银行", "partner_account_id": bank}
        )
        admin.startup.create_lender(lender={"name": "XX银行", "partner_account_id": other_bank})
    application = {
        "borrower_kind": "individual",
        "amount_cny": "300000",
        "term_months": 36,
        "purpose": "购置设备",
        "lender_id": lender["id"],
    }
    with rpc_as(amqp_uri, "youth", actor_id=person) as youth:
        with pytest.raises(DomainError) as over:
            youth.startup.apply_for_loan(
                application={**application, "amount_cny": "300000.01"},
                applicant={"person_id": person, "age": 23},
            )
        assert over.value.errors[0]["code"] == "loan_amount_over_limit"
        loan = youth.startup.apply_for_loan(
            application=application, applicant={"person_id": person, "age": 23}
        )
        with pytest.raises(DomainError) as again:
            youth.startup.apply_for_loan(
                application=application, applicant={"person_id": person, "age": 23}
            )
        assert again.value.code == "loan_already_open"

    with rpc_as(amqp_uri, "partner", actor_id=other_bank) as stranger:
        with pytest.raises(DomainError) as hidden:
            stranger.startup.review_loan(
                loan_id=loan["id"], review={"decision": "decline", "reason": "不符合"}
            )
        assert hidden.value.status == 404
        assert stranger.startup.list_loans(filters={})["items"] == []
    with rpc_as(amqp_uri, "partner", actor_id=bank) as lender_bank:
        with pytest.raises(DomainError) as capped:
            lender_bank.startup.review_loan(
                loan_id=loan["id"],
                review={"decision": "approve", "contract_rate_percent": "3.6"},
            )
        assert capped.value.errors[0]["code"] == "contract_rate_over_cap"
        reviewed = lender_bank.startup.review_loan(
            loan_id=loan["id"], review={"decision": "approve", "contract_rate_percent": "3.5"}
        )
    assert (reviewed["state"], reviewed["lpr_percent"], reviewed["borrower_rate_percent"]) == (
        "bank_approved",
        "3",
        "1.5",
    )
    with rpc_as(amqp_uri, "officer", "hrss") as officer:
        decided = officer.startup.decide_loan(
            loan_id=loan["id"], decision={"decision": "approve", "reason": "符合条件"}
        )
    assert decided["state"] == "approved"
    with rpc_as(amqp_uri, "partner", actor_id=bank) as lender_bank:
        paid = lender_bank.startup.disburse_loan(
            loan_id=loan["id"], disbursement={"disbursed_on": "2026-12-01"}
        )
        schedule = lender_bank.startup.loan_schedule(loan_id=loan["id"])
    assert paid["state"] == "disbursed" and schedule["estimate"] is False
    assert schedule["totals"] == {
        "principal": "300000.00",
        "interest": "31500.00",
        "borrower_interest": "19500.00",
        "subsidy": "12000.00",
        "borrower_payments": "319500.00",
    }
    assert len(schedule["instalments"]) == 36
    kinds = events.about(loan["id"], until_type="loan.disbursed")
    assert [k for k, _ in kinds] == [
        "loan.applied",
        "loan.reviewed",
        "loan.decided",
        "loan.disbursed",
    ]
    assert kinds[-1][1]["total_subsidy_cny"] == "12000.00"
    with rpc_as(amqp_uri, "admin") as admin:
        trail = admin.startup.audit_trail(filters={"subject_id": loan["id"]})["items"]
        figures = admin.startup.indicators(since="2026-12-01", until="2026-12-02")
    assert [e["action"] for e in trail][::-1] == [
        "loan.bank_approved",
        "loan.approved",
        "loan.disbursed",
    ]
    assert trail[1]["reason"] == "符合条件" and trail[1]["actor_unit"] == "hrss"
    assert figures["startup.loans_approved"] == 1
    assert figures["startup.loan_amount_disbursed_cny"] == 300000.0


def test_the_grant_waits_six_months_and_is_paid_once(startup, amqp_uri, events):
    travel(amqp_uri, at(2026, 3, 2, 9))
    person = str(uuid.uuid4())
    registration = complete(amqp_uri, submit(amqp_uri, person)["id"])
    facts = {"person_id": person, **GRADUATE}
    with rpc_as(amqp_uri, "youth", actor_id=person) as youth:
        with pytest.raises(DomainError) as young:
            youth.startup.apply_for_grant(
                application={"registration_id": registration["id"]}, applicant=facts
            )
        assert young.value.code == "grant_business_too_young"
    travel(amqp_uri, at(2026, 9, 2, 9))
    with rpc_as(amqp_uri, "youth", actor_id=person) as youth:
        grant = youth.startup.apply_for_grant(
            application={"registration_id": registration["id"]}, applicant=facts
        )
        with pytest.raises(DomainError) as twice:
            youth.startup.apply_for_grant(
                application={"registration_id": registration["id"]}, applicant=facts
            )
        assert twice.value.code == "grant_already_claimed"
    assert grant["amount_cny"] == "5000.00"
    with rpc_as(amqp_uri, "officer", "hrss") as officer:
        decided = officer.startup.decide_grant(
            grant_id=grant["id"], decision={"decision": "approve"}
        )
    assert decided["state"] == "approved"
    data = events.about(grant["id"], until_type="grant.decided")[-1][1]
    assert (data["state"], data["amount_cny"], data["person_id"]) == ("approved", "5000.00", person)


def test_incubator_spaces_are_allocated_once_and_freed_when_the_tenancy_ends(
    startup, amqp_uri, events
):
    travel(amqp_uri, at(2026, 12, 1, 9))
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    with rpc_as(amqp_uri, "officer", "development_reform") as park:
        desk = park.startup.create_space(
            space={"code": "A-301-01", "kind": "desk", "building": "双创智慧港A座", "area_m2": "4"}
        )
    applications = []
    for person in (first, second):
        with rpc_as(amqp_uri, "youth", actor_id=person) as youth:
            applications.append(
                youth.startup.apply_for_space(
                    application={"space_kind": "desk", "project": "短视频工作室", "team_size": 2},
                    applicant={"person_id": person},
                )
            )
    tenancy = {"space_id": desk["id"], "starts_on": "2026-12-01", "ends_on": "2027-12-01"}
    with rpc_as(amqp_uri, "officer", "development_reform") as park:
        allocated = park.startup.allocate_space(
            application_id=applications[0]["id"], allocation=tenancy
        )
        with pytest.raises(DomainError) as taken:
            park.startup.allocate_space(application_id=applications[1]["id"], allocation=tenancy)
        figures = park.startup.indicators(since="2026-12-01", until="2026-12-02")
        park.startup.end_tenancy(
            application_id=applications[0]["id"], ending={"ended_on": "2026-12-15"}
        )
        again = park.startup.allocate_space(
            application_id=applications[1]["id"],
            allocation={**tenancy, "starts_on": "2026-12-16"},
        )
    assert allocated["state"] == "allocated" and taken.value.code == "space_not_available"
    assert again["state"] == "allocated"
    assert figures["startup.incubator_spaces"] == 1
    assert figures["startup.incubator_occupancy_percent"] == 100.0
    kinds = [
        k for k, _ in events.about(applications[0]["id"], until_type="incubator.tenancy_ended")
    ]
    assert kinds == ["incubator.applied", "incubator.allocated", "incubator.tenancy_ended"]


def test_a_course_takes_enrolments_while_places_last_and_records_completion(
    startup, amqp_uri, events
):
    travel(amqp_uri, at(2026, 12, 1, 9))
    with rpc_as(amqp_uri, "officer", "hrss") as trainer:
        course = trainer.startup.create_course(
            course={
                "title": "SYB创业培训",
                "mode": "onsite",
                "venue": "区人社局培训中心",
                "starts_on": "2026-12-10",
                "ends_on": "2026-12-20",
                "hours": 56,
                "capacity": 1,
            }
        )
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    with rpc_as(amqp_uri, "youth", actor_id=first) as youth:
        enrolment = youth.startup.enrol(course_id=course["id"], person={"person_id": first})
    with rpc_as(amqp_uri, "youth", actor_id=second) as youth, pytest.raises(DomainError) as full:
        youth.startup.enrol(course_id=course["id"], person={"person_id": second})
    assert full.value.code == "course_full"
    with rpc_as(amqp_uri, "officer", "hrss") as trainer:
        done = trainer.startup.complete_enrolment(enrolment_id=enrolment["id"])
        figures = trainer.startup.indicators(since="2026-12-01", until="2026-12-02")
    assert done["state"] == "completed"
    assert figures["startup.trainees_enrolled"] == 1 and figures["startup.trainees_completed"] == 1
    kinds = [k for k, _ in events.about(enrolment["id"], until_type="enrolment.completed")]
    assert kinds == ["enrolment.confirmed", "enrolment.completed"]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_clock_stays_put_without_the_test_setting(start_service, databases, amqp_uri):
    start_service(StartupService, databases.migrated("services.startup"))
    with rpc_as(amqp_uri, "admin") as admin, pytest.raises(DomainError) as refused:
        admin.startup.travel_clock(to=at(2026, 12, 1, 9))
    assert (refused.value.status, refused.value.code) == (403, "clock_not_adjustable")


def test_amounts_are_exact_decimals_on_the_wire(startup, amqp_uri):
    with rpc_as(amqp_uri, "youth") as youth:
        quote = youth.startup.quote_loan(
            quote={"amount_cny": "123456.78", "term_months": 35, "starts_on": "2026-12-01"}
        )
    assert Decimal(quote["contract_rate_percent"]) == Decimal("3.50")
    assert Decimal(quote["totals"]["principal"]) == Decimal("123456.78")
