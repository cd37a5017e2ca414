"""The jobs service's part in the PIPL rights, against real RabbitMQ and a real database
(SQLite and PostgreSQL): a person's export holds everything; after `person.erased` no cell of
the database names them, what the indicators count is still counted, the subsidy keeps its
amount, and the gateway is answered with ids only, once per event however often it comes."""

from __future__ import annotations

import uuid

import pytest

from services.common.privacy import ERASED
from tests.support.infra import virtual_host
from tests.support.jobs import acting, employer_body, graduate_facts, post_body
from tests.support.messaging import scalar, wait_for
from tests.support.privacy import (
    Identity,
    anonymised_answers,
    erased_event,
    found_in_database,
    publish_erased,
)

HRSS = {"role": "officer", "unit": "hrss"}


@pytest.fixture(scope="module")
def jobs_broker(amqp_uri):
    with virtual_host("jobs-privacy") as uri:
        yield uri


def hired_trainee_with_everything(amqp_uri: str, who: Identity) -> tuple[str, str, dict]:
    """A person hired into a traineeship, a subsidy claim decided for them, a fair registration,
    with their name, ID number and phone written into every free text they and others wrote."""
    employer_id = str(uuid.uuid4())
    with acting(amqp_uri, employer_id, "employer") as rpc:
        rpc.jobs.register_employer(employer=employer_body(), name="XX文旅发展有限公司")
    with acting(amqp_uri, "officer-1", **HRSS) as rpc:
        rpc.jobs.verify_employer(employer_id=employer_id)
    with acting(amqp_uri, employer_id, "employer") as rpc:
        post = rpc.jobs.create_post(post=post_body(positions=1))
        rpc.jobs.post_step(post_id=post["id"], action="submit")
    with acting(amqp_uri, "officer-1", **HRSS) as rpc:
        rpc.jobs.post_step(post_id=post["id"], action="approve")
        fair = rpc.jobs.create_fair(
            fair={
                "title": "2030年春风行动专场招聘会",
                "mode": "on_site",
                "venue": "区人力资源市场",
                "starts_at": "2030-03-01T09:00:00+08:00",
                "ends_at": "2030-03-01T17:00:00+08:00",
                "booth_capacity": 5,
            }
        )
    person = graduate_facts()
    person_id = person["person_id"]
    with acting(amqp_uri, person_id, "youth") as rpc:
        application = rpc.jobs.apply(
            post_id=post["id"], person=person, application={"cover_letter": who.in_words()}
        )
        rpc.jobs.register_for_fair(fair_id=fair["id"], person=person)
    with acting(amqp_uri, employer_id, "employer") as rpc:
        rpc.jobs.change_application_status(
            application_id=application["id"],
            change={"status": "viewed", "note": f"请{who.name}来面试，{who.phone}"},
        )
        rpc.jobs.change_application_status(
            application_id=application["id"], change={"status": "offer"}
        )
        rpc.jobs.change_application_status(
            application_id=application["id"],
            change={"status": "hired", "contract_with_social_insurance": True},
        )
        claim = rpc.jobs.claim_subsidy(claim={"application_id": application["id"]})
    with acting(amqp_uri, "officer-1", **HRSS) as rpc:
        rpc.jobs.decide_subsidy(
            claim_id=claim["id"],
            decision={"decision": "grant", "reason": f"{who.name} {who.id_number} 材料齐全"},
            verified_facts={"graduation_date": person["graduation_date"]},
        )
    return person_id, employer_id, claim


def test_export_holds_everything_and_erasure_leaves_no_trace_of_the_person(jobs):
    amqp_uri, url = jobs
    who = Identity.new()
    person_id, employer_id, claim = hired_trainee_with_everything(amqp_uri, who)

    with acting(amqp_uri, person_id, "youth") as rpc:
        export = rpc.jobs.export_person(person_id=person_id)
    [application] = export["applications"]
    assert application["cover_letter"] == who.in_words() and application["age"] == 23
    assert [step["to_state"] for step in application["history"]] == [
        "submitted",
        "viewed",
        "offer",
        "hired",
    ]
    assert who.phone in application["history"][1]["note"]
    assert [t["state"] for t in export["traineeships"]] == ["active"]
    assert [(c["id"], c["amount_cny"]) for c in export["subsidy_claims"]] == [
        (claim["id"], "1500.00")
    ]
    assert len(export["fair_registrations"]) == 1 and export["employer"] is None
    assert found_in_database(url, who.details)

    event = erased_event(person_id)
    publish_erased(amqp_uri, event)
    publish_erased(amqp_uri, event)  # a redelivery: the inbox applies it once
    wait_for(lambda: anonymised_answers(url, "jobs"), message="the person.anonymised answer")
    again = erased_event(person_id, event["data"]["erasure_id"])
    publish_erased(amqp_uri, again)  # the gateway asking again: harmless
    wait_for(lambda: len(anonymised_answers(url, "jobs")) == 2, message="the second answer")

    assert found_in_database(url, who.details) == {}
    first, second = anonymised_answers(url, "jobs")
    assert (
        first
        == second
        == {
            "person_id": person_id,
            "erasure_id": event["data"]["erasure_id"],
            "records": 8,  # application and its 4 steps, traineeship, subsidy claim, fair place
        }
    )
    assert scalar(url, "SELECT count(*) FROM inbox") == 2

    # what the indicators and the accounts of public funds rest on is still there
    assert scalar(url, "SELECT count(*) FROM application WHERE hired_at IS NOT NULL") == 1
    assert scalar(url, "SELECT count(*) FROM application WHERE graduate") == 1
    assert scalar(url, "SELECT hired_count FROM post") == 1
    assert scalar(url, "SELECT count(*) FROM traineeship") == 1
    assert scalar(url, "SELECT count(*) FROM fair_registration") == 1
    assert scalar(url, "SELECT registration_count FROM fair") == 1
    with acting(amqp_uri, "officer-1", **HRSS) as rpc:
        kept = rpc.jobs.get_subsidy_claim(claim_id=claim["id"])
    with acting(amqp_uri, "admin-1", "admin") as rpc:  # the trail is the administrators'
        trail = rpc.jobs.audit_trail(filters={"subject_id": person_id})["items"]
        decision = rpc.jobs.audit_trail(filters={"subject_id": claim["id"]})["items"]
    assert (kept["state"], kept["amount_cny"], kept["reason"]) == ("granted", "1500.00", ERASED)
    assert [entry["action"] for entry in trail] == ["person.anonymised"]
    assert trail[0]["details"]["retained"] == {
        "application": 1,
        "fair_registration": 1,
        "subsidy_claim": 1,
        "traineeship": 1,
    }
    assert "public funds" in trail[0]["reason"]
    assert [(e["action"], e["reason"]) for e in decision] == [("subsidy.granted", ERASED)]

    with acting(amqp_uri, person_id, "youth") as rpc:
        after = rpc.jobs.export_person(person_id=person_id)
    [application] = after["applications"]
    assert application["cover_letter"] == "" and application["age"] is None
    assert application["state"] == "hired" and len(application["history"]) == 4
    assert {step["note"] for step in application["history"]} == {None, ERASED}


def test_an_employer_account_exports_its_organisation_which_outlives_the_account(jobs):
    amqp_uri, url = jobs
    employer_id = str(uuid.uuid4())
    with acting(amqp_uri, employer_id, "employer") as rpc:
        rpc.jobs.register_employer(employer=employer_body(), name="XX文旅发展有限公司")
        export = rpc.jobs.export_person(person_id=employer_id)
    assert export["employer"]["name"] == "XX文旅发展有限公司"
    assert export["employer"]["state"] == "pending" and export["applications"] == []

    publish_erased(amqp_uri, erased_event(employer_id))
    wait_for(lambda: anonymised_answers(url, "jobs"), message="the person.anonymised answer")
    assert anonymised_answers(url, "jobs")[0]["records"] == 0
    assert scalar(url, "SELECT name FROM employer WHERE id = :id", id=employer_id) == (
        "XX文旅发展有限公司"
    )


def test_an_erased_persons_applications_in_progress_are_withdrawn_for_them(jobs):
    amqp_uri, url = jobs
    employer_id = str(uuid.uuid4())
    with acting(amqp_uri, employer_id, "employer") as rpc:
        rpc.jobs.register_employer(employer=employer_body(), name="XX文旅发展有限公司")
    with acting(amqp_uri, "officer-1", **HRSS) as rpc:
        rpc.jobs.verify_employer(employer_id=employer_id)
    with acting(amqp_uri, employer_id, "employer") as rpc:
        post = rpc.jobs.create_post(post=post_body(kind="job"))
        rpc.jobs.post_step(post_id=post["id"], action="submit")
    with acting(amqp_uri, "officer-1", **HRSS) as rpc:
        rpc.jobs.post_step(post_id=post["id"], action="approve")
    person = graduate_facts()
    with acting(amqp_uri, person["person_id"], "youth") as rpc:
        application = rpc.jobs.apply(post_id=post["id"], person=person, application={})
    with acting(amqp_uri, employer_id, "employer") as rpc:
        rpc.jobs.change_application_status(
            application_id=application["id"], change={"status": "interview"}
        )

    publish_erased(amqp_uri, erased_event(person["person_id"]))
    wait_for(lambda: anonymised_answers(url, "jobs"), message="the person.anonymised answer")

    with acting(amqp_uri, employer_id, "employer") as rpc:
        seen = rpc.jobs.get_application(application_id=application["id"])
    assert seen["state"] == "withdrawn"
    assert [step["to_state"] for step in seen["history"]] == ["submitted", "interview", "withdrawn"]
    assert (
        scalar(
            url,
            "SELECT count(*) FROM outbox WHERE subject = :id AND type LIKE '%status_changed'",
            id=application["id"],
        )
        == 2
    )
