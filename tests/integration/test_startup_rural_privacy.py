"""Rural revitalisation's part in the PIPL rights (plan 三.3), against real RabbitMQ and a real
database: a person's export holds their partnership applications with the follow-ups and their
young doers' application with its posting; after `person.erased` no cell names them, what they
wrote and the reasons given them are gone, the indicators give the same figures, and an
application still waiting is withdrawn."""

from __future__ import annotations

import uuid

import pytest

from services.common.privacy import ERASED
from tests.support.infra import virtual_host
from tests.support.messaging import wait_for
from tests.support.privacy import (
    Identity,
    anonymised_answers,
    erased_event,
    found_in_database,
    publish_erased,
)
from tests.support.startup import at, rpc_as, travel


@pytest.fixture(scope="module")
def amqp_uri():
    """This module's own virtual host (tests.support.infra.virtual_host says why)."""
    with virtual_host("startup-rural-privacy") as uri:
        yield uri


def test_a_partner_and_young_doer_is_exported_whole_and_erased_without_a_trace(startup, amqp_uri):
    url, who = startup, Identity.new()
    travel(amqp_uri, at(2026, 12, 1, 10))
    person = str(uuid.uuid4())
    with rpc_as(amqp_uri, "officer", "agriculture") as agriculture:
        project = agriculture.startup.publish_rural_project(
            project={
                "title": "茶叶合伙项目",
                "village": "XX村",
                "sector": "特色种植",
                "seeks": ["technical_service", "capital"],
            }
        )
        other = agriculture.startup.publish_rural_project(
            project={
                "title": "民宿项目",
                "village": "YY村",
                "sector": "乡村旅游",
                "seeks": ["capital"],
            }
        )
    with rpc_as(amqp_uri, "officer", "organisation") as organisation:
        call = organisation.startup.open_doer_call(
            call={"title": "驻村选派", "villages": ["XX村"], "places": 2}
        )
    with rpc_as(amqp_uri, "youth", actor_id=person) as youth:
        partner = youth.startup.apply_as_partner(
            project_id=project["id"],
            application={"contribution_form": "technical_service", "contribution": who.in_words()},
        )
        waiting = youth.startup.apply_as_partner(
            project_id=other["id"],
            application={
                "contribution_form": "capital",
                "contribution": who.in_words(),
                "capital_cny": "1000.00",
            },
        )
        doer = youth.startup.apply_as_doer(
            call_id=call["id"],
            application={"statement": who.in_words()},
            person={"person_id": person, "age": 24, "degree": "bachelor"},
        )
    with rpc_as(amqp_uri, "officer", "agriculture") as agriculture:
        agriculture.startup.decide_partner_application(
            application_id=partner["id"], decision={"decision": "accept", "reason": who.name}
        )
        agriculture.startup.follow_up_partner(
            application_id=partner["id"],
            follow_up={"recorded_on": "2026-12-01", "progress": "on_track", "note": who.phone},
        )
    with rpc_as(amqp_uri, "officer", "organisation") as organisation:
        organisation.startup.decide_doer_application(
            application_id=doer["id"], decision={"decision": "select"}
        )
        organisation.startup.post_doer(
            application_id=doer["id"],
            posting={"village": "XX村", "posted_from": "2027-01-04", "posted_until": "2028-12-31"},
        )

    with rpc_as(amqp_uri, "youth", actor_id=person) as youth:
        export = youth.startup.export_person(person_id=person)
    partners = {a["id"]: a for a in export["partner_applications"]}
    assert partners[partner["id"]]["contribution"] == who.in_words()
    assert [f["note"] for f in partners[partner["id"]]["follow_ups"]] == [who.phone]
    [posted] = export["doer_applications"]
    assert (posted["state"], posted["village"], posted["age"]) == ("posted", "XX村", 24)
    assert found_in_database(url, who.details)
    with rpc_as(amqp_uri, "admin") as admin:
        figures = admin.startup.indicators(since="2026-12-01", until="2027-01-01")

    publish_erased(amqp_uri, erased_event(person))
    wait_for(lambda: anonymised_answers(url, "startup"), message="the person.anonymised answer")

    assert found_in_database(url, who.details) == {}
    with rpc_as(amqp_uri, "admin") as admin:
        assert admin.startup.indicators(since="2026-12-01", until="2027-01-01") == figures
    with rpc_as(amqp_uri, "youth", actor_id=person) as youth:
        after = youth.startup.export_person(person_id=person)
    partners = {a["id"]: a for a in after["partner_applications"]}
    kept = partners[partner["id"]]
    assert (kept["state"], kept["contribution"], kept["decision_reason"]) == (
        "accepted",
        ERASED,
        None,
    )
    assert [f["note"] for f in kept["follow_ups"]] == [ERASED]
    assert partners[waiting["id"]]["state"] == "withdrawn"
    [posted] = after["doer_applications"]
    assert (posted["state"], posted["statement"], posted["age"]) == ("posted", ERASED, None)
    assert (posted["posted_from"], posted["posted_until"]) == ("2027-01-04", "2028-12-31")
