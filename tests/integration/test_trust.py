"""Who acts is believed only when the platform signed it (services/common/trust.py), on the real
broker: a call with forged context headers is refused and not run, and an event the platform did
not sign is not applied, whoever could reach the broker."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid

import pytest
from kombu import Connection, Exchange, Queue

from services.common.amqp import RPC_EXCHANGE
from services.common.context import CallContext
from services.common.deadletters import list_dead_letters
from services.common.rpc import (
    CONTEXT_HEADER,
    SIGNATURE_HEADER,
    StandaloneRpc,
    signed_context_headers,
)
from services.common.trust import EVENT_SIGNATURE_HEADER
from tests.support import housing as housing_support
from tests.support.messaging import (
    applied_count,
    delete_consumer_queues,
    probe_and_sink_databases,
    scalar,
    signed,
    wait_for,
)
from tests.support.privacy import erased_event
from tests.support.probe_service import ProbeService, SinkService

# a housing service on a virtual host of its own (tests/support/housing.py)
housing_amqp_uri = housing_support.housing_amqp_uri
housing = housing_support.housing


def officer() -> dict:
    """An officer's call context, due ten minutes from now (not from when the module was
    imported: a long suite reaches these tests later than that)."""
    return {
        "request_id": "r-1",
        "actor_id": "o-1",
        "actor_role": "officer",
        "actor_unit": "hrss",
        "deadline": time.time() + 600,
    }


#: a key of the right length that no platform process holds
ATTACKERS_KEY = b"k" * 32


@pytest.fixture
def probe_and_sink(start_service, databases, amqp_uri):
    delete_consumer_queues(amqp_uri, "sink")
    probe_url, sink_url = probe_and_sink_databases(databases)
    start_service(ProbeService, probe_url)
    start_service(SinkService, sink_url)
    return probe_url, sink_url


def request_body(kwargs: dict) -> bytes:
    return json.dumps({"args": [], "kwargs": kwargs}).encode()


def raw_call(amqp_uri: str, method: str, kwargs: dict, headers) -> dict:
    """An RPC request published with plain kombu, as anyone holding an AMQP URI could;
    `headers` are given, or made from the request's body."""
    body = request_body(kwargs)
    if callable(headers):
        headers = headers(body)
    with Connection(amqp_uri) as conn:
        channel = conn.channel()
        replies = Queue(f"attacker-{uuid.uuid4().hex[:8]}", exclusive=True, auto_delete=True)
        replies(channel).declare()
        conn.Producer(channel).publish(
            body,
            exchange=Exchange(RPC_EXCHANGE, type="topic", durable=True),
            routing_key=f"probe.{method}",
            content_type="application/json",
            content_encoding="utf-8",
            reply_to=replies.name,
            correlation_id=uuid.uuid4().hex,
            headers=headers,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            message = replies(channel).get(no_ack=True)
            if message is not None:
                return json.loads(message.body)
            time.sleep(0.05)
    raise AssertionError("no reply")


def forged(context: dict, key: bytes = ATTACKERS_KEY):
    """Headers signed as the platform signs them, with a key the platform does not hold."""

    def headers(body: bytes) -> dict:
        encoded = json.dumps(context, sort_keys=True, separators=(",", ":"))
        payload = encoded.encode() + b"\n" + body
        mac = base64.b64encode(hmac.new(key, payload, hashlib.sha256).digest()).decode()
        return {CONTEXT_HEADER: encoded, SIGNATURE_HEADER: f"v1,{mac}"}

    return headers


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_call_the_platform_signed_runs_as_its_actor(probe_and_sink, amqp_uri):
    context = CallContext(**{k: v for k, v in officer().items() if k != "deadline"})
    with StandaloneRpc(amqp_uri, context=context) as cluster:
        assert cluster.probe.whoami() == {"account_id": "o-1", "role": "officer", "unit": "hrss"}


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    "headers",
    [
        {f"nameko.{key}": value for key, value in officer().items()},  # the old, unsigned headers
        {CONTEXT_HEADER: json.dumps(officer())},  # no signature
        forged(officer()),  # signed, with a key the platform does not hold
    ],
    ids=["unsigned headers", "no signature", "another key"],
)
def test_a_call_with_forged_context_headers_is_refused_and_not_run(
    probe_and_sink, amqp_uri, headers
):
    probe_url, _ = probe_and_sink
    answer = raw_call(amqp_uri, "write_note", {"text": "forged"}, headers)
    assert answer["result"] is None
    assert (answer["error"]["code"], answer["error"]["status"]) == ("untrusted_call", 403)
    assert scalar(probe_url, "SELECT count(*) FROM note") == 0


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_signed_context_moved_onto_other_arguments_is_refused(probe_and_sink, amqp_uri):
    """A captured request's signature covers its arguments: replayed with others, it fails."""
    probe_url, _ = probe_and_sink
    captured = signed_context_headers(officer(), request_body({"text": "what the officer sent"}))
    answer = raw_call(amqp_uri, "write_note", {"text": "what an attacker sends"}, captured)
    assert answer["error"]["code"] == "untrusted_call"
    assert scalar(probe_url, "SELECT count(*) FROM note") == 0
    honest = raw_call(amqp_uri, "write_note", {"text": "what the officer sent"}, captured)
    assert honest["error"] is None and scalar(probe_url, "SELECT count(*) FROM note") == 1


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_an_event_the_platform_did_not_sign_is_dead_lettered_and_not_applied(
    probe_and_sink, amqp_uri
):
    _, sink_url = probe_and_sink
    exchange = Exchange("probe.events", type="topic", durable=True)

    def publish(text: str, headers: dict) -> None:
        body = json.dumps(
            {
                "specversion": "1.0",
                "id": str(uuid.uuid4()),
                "source": "/youthcity/probe",
                "type": "youthcity.probe.note.written",
                "time": "2026-12-06T00:00:00Z",
                "datacontenttype": "application/json",
                "data": {"id": 1, "text": text},
            }
        ).encode()
        with Connection(amqp_uri) as conn:
            conn.Producer().publish(
                body,
                exchange=exchange,
                declare=[exchange],
                routing_key="youthcity.probe.note.written",
                content_type="application/cloudevents+json",
                headers=headers(body) if callable(headers) else headers,
            )

    publish("unsigned", {})
    publish(
        "forged",
        lambda body: {
            EVENT_SIGNATURE_HEADER: "v1,"
            + base64.b64encode(hmac.new(ATTACKERS_KEY, body, hashlib.sha256).digest()).decode()
        },
    )
    publish("signed", signed)
    wait_for(lambda: applied_count(sink_url, "signed") == 1, message="the signed event applied")
    letters = wait_for(
        lambda: len(found := list_dead_letters(amqp_uri, "sink")) == 2 and found,
        message="the two others dead-lettered",
    )
    assert {letter.reason for letter in letters} == {"untrusted"}
    assert applied_count(sink_url) == 1


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_forged_erasure_anonymises_nobody(housing, backend):
    someone = housing_support.person()
    event = erased_event(someone["person_id"])
    body = json.dumps(event).encode()
    with Connection(housing.amqp_uri) as conn:
        exchange = Exchange("gateway.events", type="topic", durable=True)
        conn.Producer().publish(
            body,
            exchange=exchange,
            declare=[exchange],
            routing_key=event["type"],
            content_type="application/cloudevents+json",
        )
    letters = wait_for(
        lambda: list_dead_letters(housing.amqp_uri, "housing"), message="the forgery refused"
    )
    assert [letter.reason for letter in letters] == ["untrusted"]
    assert scalar(housing.database_url, "SELECT count(*) FROM outbox") == 0
