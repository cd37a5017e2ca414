"""The startup service's part in the PIPL rights, against real RabbitMQ and a real database
(SQLite and PostgreSQL): a person's export holds everything, loans with their schedules; after
`person.erased` no cell of the database names them, the indicators give the same figures, loans
and grants keep their amounts and decisions, and the gateway is answered with ids only, once per
event however often it comes."""

from __future__ import annotations

import uuid

import pytest

from services.common.privacy import ERASED
from services.startup.domain import STEPS
from tests.support.infra import virtual_host
from tests.support.messaging import scalar, wait_for
from tests.support.privacy import (
    Identity,
    anonymised_answers,
    erased_event,
    found_in_database,
    publish_erased,
)
from tests.support.startup import STEP_UNITS, at, business, credit_code, rpc_as, travel

GRADUATE = {"graduation_date": "2025-06-30", "degree": "bachelor", "age": 23}


@pytest.fixture(scope="module")
def amqp_uri():
    """This module's own virtual host (tests.support.infra.virtual_host says why)."""
    with virtual_host("startup-privacy") as uri:
        yield uri


def founder_of_everything(amqp_uri: str, who: Identity) -> tuple[str, dict]:
    """A graduate who registered a company (named after them), borrowed, was granted the startup
    grant, took a desk in the park and enrolled on a course, with their name, ID number and
    phone in every free text they and the officers wrote."""
    travel(amqp_uri, at(2026, 12, 1, 10))
    person = str(uuid.uuid4())
    ids = {}
    with rpc_as(amqp_uri, "youth", actor_id=person) as youth:
        registration = youth.startup.submit_registration(
            application=business(
                company_name=f"XX{who.name}科技工作室",
                address=f"XX区青年路8号（{who.name}家）",
                business_scope=f"软件开发；联系人{who.phone}",
                founders=[
                    {"name": who.name, "share_percent": "70"},
                    {"name": "王禾", "share_percent": "30"},
                ],
            ),
            founder={"person_id": person, **GRADUATE},
        )
    ids["registration"] = registration["id"]
    for step in STEPS:
        with rpc_as(amqp_uri, "officer", STEP_UNITS[step]) as officer:
            body = {"credit_code": credit_code()} if step == "licence" else {}
            officer.startup.complete_step(
                registration_id=registration["id"], step=step, completion=body
            )
    bank = str(uuid.uuid4())
    with rpc_as(amqp_uri, "admin") as admin:
        lender = admin.startup.create_lender(
            lender={"name": "XX农村商业银行", "partner_account_id": bank}
        )
    with rpc_as(amqp_uri, "youth", actor_id=person) as youth:
        loan = youth.startup.apply_for_loan(
            application={
                "borrower_kind": "individual",
                "amount_cny": "200000",
                "term_months": 24,
                "purpose": who.in_words(),
                "lender_id": lender["id"],
            },
            applicant={"person_id": person, "age": 23},
        )
    ids["loan"] = loan["id"]
    with rpc_as(amqp_uri, "partner", actor_id=bank) as lender_bank:
        lender_bank.startup.review_loan(
            loan_id=loan["id"], review={"decision": "approve", "contract_rate_percent": "3.5"}
        )
    with rpc_as(amqp_uri, "officer", "hrss") as officer:
        officer.startup.decide_loan(
            loan_id=loan["id"], decision={"decision": "approve", "reason": f"{who.name}符合条件"}
        )
    with rpc_as(amqp_uri, "partner", actor_id=bank) as lender_bank:
        lender_bank.startup.disburse_loan(
            loan_id=loan["id"], disbursement={"disbursed_on": "2026-12-01"}
        )
    with rpc_as(amqp_uri, "officer", "development_reform") as park:
        desk = park.startup.create_space(
            space={"code": "B-101-01", "kind": "desk", "building": "双创智慧港B座", "area_m2": "4"}
        )
    with rpc_as(amqp_uri, "officer", "hrss") as trainer:
        course = trainer.startup.create_course(
            course={
                "title": "SYB创业培训",
                "mode": "onsite",
                "venue": "区人社局培训中心",
                "starts_on": "2026-12-10",
                "ends_on": "2026-12-20",
                "hours": 56,
                "capacity": 5,
            }
        )
    with rpc_as(amqp_uri, "youth", actor_id=person) as youth:
        space = youth.startup.apply_for_space(
            application={"space_kind": "desk", "project": who.in_words(), "team_size": 2},
            applicant={"person_id": person},
        )
        ids["enrolment"] = youth.startup.enrol(
            course_id=course["id"], person={"person_id": person}
        )["id"]
    ids["space"] = space["id"]
    with rpc_as(amqp_uri, "officer", "development_reform") as park:
        park.startup.allocate_space(
            application_id=space["id"],
            allocation={"space_id": desk["id"], "starts_on": "2026-12-01", "ends_on": "2027-12-01"},
        )
    travel(amqp_uri, at(2027, 6, 2, 10))
    with rpc_as(amqp_uri, "youth", actor_id=person) as youth:
        grant = youth.startup.apply_for_grant(
            application={"registration_id": registration["id"]},
            applicant={"person_id": person, **GRADUATE},
        )
    ids["grant"] = grant["id"]
    with rpc_as(amqp_uri, "officer", "hrss") as officer:
        officer.startup.decide_grant(
            grant_id=grant["id"], decision={"decision": "approve", "reason": who.id_number}
        )
    return person, ids


def test_export_holds_everything_and_erasure_leaves_no_trace_of_the_person(startup, amqp_uri):
    url, who = startup, Identity.new()
    person, ids = founder_of_everything(amqp_uri, who)

    with rpc_as(amqp_uri, "youth", actor_id=person) as youth:
        export = youth.startup.export_person(person_id=person)
    [registration] = export["business_registrations"]
    assert registration["founders"][0] == {"name": who.name, "share_percent": "70.0000"}
    assert registration["state"] == "completed" and len(registration["steps"]) == len(STEPS)
    [loan] = export["loans"]
    assert loan["purpose"] == who.in_words() and loan["state"] == "disbursed"
    assert loan["schedule"]["estimate"] is False and len(loan["schedule"]["instalments"]) == 24
    assert [g["amount_cny"] for g in export["grants"]] == ["5000.00"]
    assert export["incubator_applications"][0]["project"] == who.in_words()
    assert [e["id"] for e in export["enrolments"]] == [ids["enrolment"]]
    assert found_in_database(url, who.details)
    with rpc_as(amqp_uri, "admin") as admin:
        figures = admin.startup.indicators(since="2026-12-01", until="2027-07-01")

    event = erased_event(person)
    publish_erased(amqp_uri, event)
    publish_erased(amqp_uri, event)  # a redelivery: the inbox applies it once
    wait_for(lambda: anonymised_answers(url, "startup"), message="the person.anonymised answer")
    publish_erased(amqp_uri, erased_event(person, event["data"]["erasure_id"]))
    wait_for(
        lambda: len(anonymised_answers(url, "startup")) == 2,
        message="the answer to the gateway asking again",
    )

    assert found_in_database(url, who.details) == {}
    first, second = anonymised_answers(url, "startup")
    assert (
        first
        == second
        == {
            "person_id": person,
            "erasure_id": event["data"]["erasure_id"],
            "records": 5,  # registration, loan, grant, incubator application, enrolment
        }
    )
    assert scalar(url, "SELECT count(*) FROM inbox") == 2
    with rpc_as(amqp_uri, "admin") as admin:
        assert admin.startup.indicators(since="2026-12-01", until="2027-07-01") == figures
        trail = admin.startup.audit_trail(filters={"subject_id": person})["items"]
        decisions = admin.startup.audit_trail(filters={"subject_id": ids["loan"]})["items"]
    assert [entry["action"] for entry in trail] == ["person.anonymised"]
    assert trail[0]["details"]["retained"] == {
        "business_registration": 1,
        "enrolment": 1,
        "grant_application": 1,
        "incubator_application": 1,
        "loan": 1,
    }
    assert {e["action"]: e["reason"] for e in decisions}["loan.approved"] == ERASED

    with rpc_as(amqp_uri, "youth", actor_id=person) as youth:
        after = youth.startup.export_person(person_id=person)
    [registration] = after["business_registrations"]
    assert [f["name"] for f in registration["founders"]] == [ERASED, ERASED]
    assert [f["share_percent"] for f in registration["founders"]] == ["70.0000", "30.0000"]
    assert registration["company_name"] == ERASED and registration["graduation_date"] is None
    assert registration["graduate"] is True and registration["credit_code"]
    [loan] = after["loans"]
    assert (loan["purpose"], loan["age"], loan["amount_cny"]) == (ERASED, None, "200000.00")
    assert loan["schedule"]["totals"] == export["loans"][0]["schedule"]["totals"]
    [grant] = after["grants"]
    assert (grant["state"], grant["amount_cny"], grant["degree"]) == ("approved", "5000.00", None)
    assert after["incubator_applications"][0]["project"] == ERASED


def test_what_waited_on_an_erased_person_is_withdrawn_and_their_place_given_back(startup, amqp_uri):
    url = startup
    travel(amqp_uri, at(2026, 12, 1, 10))
    person, bank = str(uuid.uuid4()), str(uuid.uuid4())
    with rpc_as(amqp_uri, "admin") as admin:
        lender = admin.startup.create_lender(lender={"name": "XX银行", "partner_account_id": bank})
    with rpc_as(amqp_uri, "officer", "hrss") as trainer:
        course = trainer.startup.create_course(
            course={
                "title": "SYB创业培训",
                "mode": "online",
                "starts_on": "2026-12-10",
                "ends_on": "2026-12-20",
                "hours": 56,
                "capacity": 1,
            }
        )
    with rpc_as(amqp_uri, "youth", actor_id=person) as youth:
        registration = youth.startup.submit_registration(
            application=business(), founder={"person_id": person, **GRADUATE}
        )
        loan = youth.startup.apply_for_loan(
            application={
                "borrower_kind": "individual",
                "amount_cny": "100000",
                "term_months": 12,
                "purpose": "购置设备",
                "lender_id": lender["id"],
            },
            applicant={"person_id": person, "age": 23},
        )
        youth.startup.apply_for_space(
            application={"space_kind": "desk", "project": "工作室", "team_size": 1},
            applicant={"person_id": person},
        )
        youth.startup.enrol(course_id=course["id"], person={"person_id": person})

    publish_erased(amqp_uri, erased_event(person))
    wait_for(lambda: anonymised_answers(url, "startup"), message="the person.anonymised answer")

    with rpc_as(amqp_uri, "youth", actor_id=person) as youth:
        after = youth.startup.export_person(person_id=person)
    assert [r["state"] for r in after["business_registrations"]] == ["withdrawn"]
    assert after["business_registrations"][0]["closed_at"] is not None
    assert [(x["id"], x["state"]) for x in after["loans"]] == [(loan["id"], "withdrawn")]
    assert [a["state"] for a in after["incubator_applications"]] == ["withdrawn"]
    assert [e["state"] for e in after["enrolments"]] == ["cancelled"]
    with rpc_as(amqp_uri, "admin") as admin:
        assert admin.startup.get_course(course_id=course["id"])["places_left"] == 1
    withdrawn = scalar(
        url,
        "SELECT count(*) FROM outbox WHERE subject = :id AND type LIKE '%registration.withdrawn'",
        id=registration["id"],
    )
    assert withdrawn == 1
