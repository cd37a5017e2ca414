"""Commands a front end may repeat (`Idempotency-Key`, gateway/idempotency.py), through the
gateway over HTTP on the session's platform: a repeat gets the first answer and does nothing
again, a key reused for another request is refused, another caller's key is its own, two
gateway replicas honour one key, and a service applies a command it receives twice once."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest
import requests

from services.common.commands import command_id_of
from services.common.context import CallContext
from services.common.rpc import StandaloneRpc
from tests.support.api import Session
from tests.support.events import activity_body
from tests.support.infra import free_port
from tests.support.messaging import wait_for
from tests.support.platform import ROOT


def key() -> str:
    return str(uuid.uuid4())


def published_activity(officer: Session, **overrides) -> str:
    created = officer.post("/api/v1/activities", json=activity_body(**overrides))
    assert created.status_code == 201, created.text
    officer.post(f"/api/v1/activities/{created.json()['id']}/publish")
    return created.json()["id"]


def my_registrations(youth: Session, activity_id: str) -> list[dict]:
    items = youth.get("/api/v1/me/registrations", params={"limit": 100}).json()["items"]
    return [item for item in items if item["activity_id"] == activity_id]


def test_a_repeated_key_gets_the_first_answer_and_registers_once(api):
    officer, youth = api.staff("officer", unit="youth_league"), api.youth()
    activity_id = published_activity(officer)
    path, same = f"/api/v1/activities/{activity_id}/registrations", {"Idempotency-Key": key()}

    first = youth.post(path, headers=same)
    again = youth.in_english().post(path, headers=same)

    assert first.status_code == again.status_code == 201, (first.text, again.text)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == first.headers["Location"]
    assert "Idempotent-Replayed" not in first.headers
    assert len(my_registrations(youth, activity_id)) == 1
    # without a key, the same command is a new one: the service refuses it as a duplicate
    assert youth.post(path).status_code == 409


def test_a_refusal_is_kept_too_and_replayed_as_it_was(api):
    officer, youth = api.staff("officer", unit="youth_league"), api.youth()
    activity_id = published_activity(officer)
    path = f"/api/v1/activities/{activity_id}/registrations"
    assert youth.post(path).status_code == 201
    same = {"Idempotency-Key": key()}

    refused = youth.post(path, headers=same)
    again = youth.post(path, headers=same)

    assert refused.status_code == again.status_code == 409
    assert again.headers["Content-Type"] == "application/problem+json"
    assert again.json()["code"] == refused.json()["code"]
    assert again.headers["Idempotent-Replayed"] == "true"


def test_a_key_reused_with_another_body_is_refused_and_creates_nothing(api):
    officer = api.staff("officer", unit="youth_league")
    same = {"Idempotency-Key": key()}
    first_title, second_title = f"读书会 {key()[:8]}", f"观影会 {key()[:8]}"
    created = officer.post(
        "/api/v1/activities", json=activity_body(title=first_title), headers=same
    )
    reused = officer.in_english().post(
        "/api/v1/activities", json=activity_body(title=second_title), headers=same
    )

    assert created.status_code == 201, created.text
    assert reused.status_code == 422
    problem = reused.json()
    assert reused.headers["Content-Type"] == "application/problem+json"
    assert problem["errors"][0]["field"] == "Idempotency-Key"
    assert problem["errors"][0]["code"] == "idempotency_key_reused"
    assert "another request" in problem["errors"][0]["message"]
    titles = [
        item["title"]
        for item in officer.get("/api/v1/activities", params={"limit": 100}).json()["items"]
    ]
    assert first_title in titles or created.json()["title"] == first_title
    assert second_title not in titles


def test_another_caller_with_the_same_key_is_another_command(api):
    officer = api.staff("officer", unit="youth_league")
    activity_id = published_activity(officer)
    path, same = f"/api/v1/activities/{activity_id}/registrations", {"Idempotency-Key": key()}
    one, other = api.youth(), api.youth()

    mine, theirs = one.post(path, headers=same), other.post(path, headers=same)

    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]
    assert "Idempotent-Replayed" not in theirs.headers


def test_a_key_that_no_store_could_hold_is_refused_before_anything_is_done(api):
    officer, youth = api.staff("officer", unit="youth_league"), api.youth()
    activity_id = published_activity(officer)
    path = f"/api/v1/activities/{activity_id}/registrations"

    refused = youth.post(path, headers={"Idempotency-Key": "x" * 256})

    assert refused.status_code == 422
    assert refused.json()["errors"][0]["code"] == "idempotency_key_invalid"
    assert my_registrations(youth, activity_id) == []


@pytest.fixture
def second_gateway(platform):
    """Another replica of the platform's gateway: its own port, the same database and broker."""
    port, metrics = free_port(), free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "youthcity", "run", "gateway"],
        cwd=ROOT,
        env={**platform.env, "GATEWAY_PORT": str(port), "METRICS_PORT": str(metrics)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def ready() -> bool:
        try:
            return requests.get(f"http://127.0.0.1:{metrics}/readyz", timeout=1).ok
        except requests.RequestException:
            return False

    try:
        wait_for(ready, timeout=60, interval=0.2, message="a second gateway ready")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_two_gateway_replicas_honour_the_same_key(api, second_gateway):
    officer, youth = api.staff("officer", unit="youth_league"), api.youth()
    activity_id = published_activity(officer)
    path, same = f"/api/v1/activities/{activity_id}/registrations", {"Idempotency-Key": key()}
    on_the_other = Session(second_gateway, youth.token, youth.account)

    first = youth.post(path, headers=same)
    again = on_the_other.post(path, headers=same)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(my_registrations(youth, activity_id)) == 1


def test_a_service_applies_a_command_it_receives_twice_once(api, platform_amqp_uri):
    """What a retry after "outcome unknown" relies on: the gateway's repeat reaches the service
    with the same command id, and the service answers what it answered the first time."""
    officer, youth = api.staff("officer", unit="youth_league"), api.youth()
    activity_id = published_activity(officer)
    person = {"person_id": youth.id, "age": 22}
    context = CallContext(
        request_id=uuid.uuid4().hex,
        actor_id=youth.id,
        actor_role="youth",
        command_id=command_id_of("test", key()),
    )
    with StandaloneRpc(platform_amqp_uri, timeout=10, context=context) as cluster:
        first = cluster.events.register(activity_id=activity_id, person=person)
        again = cluster.events.register(activity_id=activity_id, person=person)

    assert again == first
    assert len(my_registrations(youth, activity_id)) == 1


def test_a_keyed_command_with_a_body_past_the_limit_is_refused_unread(api):
    officer, youth = api.staff("officer", unit="youth_league"), api.youth()
    activity_id = published_activity(officer)
    path = f"/api/v1/activities/{activity_id}/registrations"  # a command without a body

    refused = youth.post(path, data=b"x" * (2 * 1024 * 1024), headers={"Idempotency-Key": key()})

    assert refused.status_code == 413
    assert refused.json()["code"] == "body_too_large"
    assert my_registrations(youth, activity_id) == []
