"""Erasure as the gateway carries it out: the account can no longer sign in, the profile is gone,
the same ID number registers as a new person, services are told with ids only and asked again
until they answer."""

import eventlet
import pytest

from services.common.registry import DOMAIN_SERVICES
from tests.support.api import PASSWORD, born_aged, citizen_id, unique
from tests.support.messaging import Subscriber, wait_for
from tests.support.notify import publish_event


@pytest.fixture
def api(start_gateway):
    return start_gateway(ERASURE_RETRY_SECONDS="1", VIEW_TIMEOUT="1")


def test_an_erased_person_cannot_sign_in_and_their_id_number_can_register_anew(api, amqp_uri):
    tap = Subscriber(amqp_uri, "gateway.events", unique("erasure-tap"))
    number = citizen_id(born_aged(24))
    body = {
        "username": unique("youth"),
        "password": PASSWORD,
        "role": "youth",
        "phone": "13700137000",
        "profile": {"name": "赵青", "citizen_id": number},
    }
    assert api.anonymous.post("/api/v1/accounts", json=body).status_code == 201
    youth = api.sign_in(body["username"], PASSWORD)

    asked = youth.post("/api/v1/me/erasure")
    assert asked.status_code == 202 and asked.json()["status"] == "requested"
    assert youth.post("/api/v1/me/erasure").json()["code"] == "erasure_already_requested"
    admin = api.admin()
    confirmed = admin.post(f"/api/v1/admin/erasures/{asked.json()['id']}/confirm")
    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == "confirmed"
    assert {s["service"] for s in confirmed.json()["services"]} == {
        "jobs",
        "housing",
        "startup",
        "events",
        "notify",
    }
    assert admin.post(f"/api/v1/admin/erasures/{asked.json()['id']}/confirm").status_code == 409

    assert youth.get("/api/v1/accounts/me").status_code == 401
    signing_in = api.anonymous.post(
        "/api/v1/auth/token", json={"username": body["username"], "password": PASSWORD}
    )
    assert signing_in.status_code == 401
    again = api.anonymous.post("/api/v1/accounts", json=body)
    assert again.status_code == 201 and again.json()["id"] != youth.id

    events = [message for _, message in tap.drain(until_count=10, timeout=5)]
    erased = [m for m in events if m.properties.get("type") == "youthcity.gateway.person.erased"]
    assert erased
    text = erased[0].body if isinstance(erased[0].body, str) else erased[0].body.decode()
    assert (
        youth.id in text and number not in text and "13700137000" not in text and "赵青" not in text
    )

    def asked_again():
        states = admin.get("/api/v1/admin/erasures").json()["items"][0]["services"]
        return all(state["times_asked"] >= 2 for state in states)

    wait_for(
        asked_again, timeout=20, interval=0.5, message="services that did not answer asked again"
    )
    trail = admin.get(
        "/api/v1/admin/audit", params={"service": "gateway", "action": "person.erased"}
    ).json()
    assert trail["items"][0]["subject_id"] == youth.id
    tap.close()


def test_an_export_that_would_leave_a_service_out_is_refused_and_names_it(api):
    youth = api.youth()
    answer = youth.in_english().get("/api/v1/me/data")
    assert answer.status_code == 503
    assert answer.json()["code"] == "export_incomplete" and "housing" in answer.json()["title"]


def test_answers_from_every_service_at_once_complete_the_erasure(api, amqp_uri):
    youth = api.youth()
    asked = youth.post("/api/v1/me/erasure").json()
    admin = api.admin()
    assert admin.post(f"/api/v1/admin/erasures/{asked['id']}/confirm").status_code == 200
    answer = {"person_id": youth.id, "erasure_id": asked["id"], "records": 1}
    # all at once, as they come when every service is up: the gateway handles them side by side
    pool = eventlet.GreenPool()
    for service in DOMAIN_SERVICES:
        pool.spawn_n(publish_event, amqp_uri, service, "person.anonymised", answer)
    pool.waitall()

    def erasure():
        items = admin.get("/api/v1/admin/erasures").json()["items"]
        return next(item for item in items if item["id"] == asked["id"])

    wait_for(lambda: erasure()["status"] == "completed", timeout=10, message="the erasure done")
    assert {state["status"] for state in erasure()["services"]} == {"applied"}
