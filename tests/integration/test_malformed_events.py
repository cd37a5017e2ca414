"""Malformed events on the real services' own queues, on a running platform: a body that is not
JSON, a type nobody here handles, and data that fails the handler's schema each go to
`<service>.inbox.dead` with the reason in its headers, and the good event published after them
is still applied: nothing crashes, nothing blocks the queue.

The kit's behaviour is proven on a probe service in test_messaging.py; this proves that every
service that consumes events is wired to it. The consumers are found by inspecting the service
classes, and each applies a good event of a type it handles whose ids name nothing.
"""

from __future__ import annotations

import json
import uuid

import pytest
import requests
from kombu import Connection
from marshmallow import ValidationError
from prometheus_client.parser import text_string_to_metric_families

from services.common.amqp import inbox_queue
from services.common.cloudevents import CONTENT_TYPE
from services.common.consumer import EventHandler
from services.common.deadletters import list_dead_letters
from services.common.registry import PROCESSES
from tests.support.messaging import signed, wait_for


def _id() -> str:
    return str(uuid.uuid4())


def _anonymised() -> dict:
    return {"person_id": _id(), "erasure_id": _id(), "records": 0}


# Events a consumer applies without effect on anyone: every id names nothing. A service that
# starts consuming only types not here fails `test_every_consumer_has_a_good_event_here`.
GOOD_EVENTS = {
    "gateway.person.erased": lambda: {
        "person_id": _id(),
        "erasure_id": _id(),
        "erased_at": "2026-11-28T00:00:00Z",
    },
    "jobs.application.hired": lambda: {
        "application_id": _id(),
        "post_id": _id(),
        "post_kind": "job",
        "employer_id": _id(),
        "person_id": _id(),
        "hired_at": "2026-11-28T08:00:00+08:00",
        "graduate": True,
        "in_district": False,
        "contract_with_social_insurance": True,
    },
    **{f"{source}.person.anonymised": _anonymised for source in PROCESSES},
}


def handlers(service: str) -> list[EventHandler]:
    service_cls = PROCESSES[service].load()
    return [
        entrypoint
        for attr in dir(service_cls)
        for entrypoint in getattr(getattr(service_cls, attr, None), "nameko_entrypoints", ())
        if isinstance(entrypoint, EventHandler)
    ]


def consumers() -> list[str]:
    return [name for name in PROCESSES if handlers(name)]


def chosen(service: str) -> tuple[str, EventHandler]:
    """The first type of GOOD_EVENTS the service handles, and its handler (`#` matches any)."""
    for event_type in GOOD_EVENTS:
        for handler in handlers(service):
            source, _, entity_verb = event_type.partition(".")
            if source == handler.source and handler.event_type in (entity_verb, "#"):
                return event_type, handler
    raise LookupError(f"{service} handles no event type of GOOD_EVENTS")


def wrong_data(handler: EventHandler) -> tuple[object, str]:
    """Data the consumer refuses, and the reason it gives: an empty object where the schema
    requires fields; else (a reader of any object, as notify is) data that is not an object."""
    try:
        handler.schema.load({})
    except ValidationError:
        return {}, "invalid_data"
    return "data that is not an object", "undecodable"


def test_every_consumer_has_a_good_event_here():
    assert consumers(), "no service consumes events: the discovery is broken"
    for service in consumers():
        assert chosen(service)


def envelope(event_id: str, event_type: str, data) -> bytes:
    return json.dumps(
        {
            "specversion": "1.0",
            "id": event_id,
            "source": "/youthcity/" + event_type.split(".")[1],
            "type": event_type,
            "time": "2026-11-28T00:00:00Z",
            "datacontenttype": "application/json",
            "data": data,
        }
    ).encode()


def publish(amqp_uri: str, queue: str, messages: list[tuple[str, bytes]]) -> None:
    """Straight onto the service's inbox queue, in order, as a broken publisher would."""
    with Connection(amqp_uri) as connection:
        producer = connection.Producer()
        for message_id, body in messages:
            producer.publish(
                body,
                headers=signed(body),
                exchange="",
                routing_key=queue,
                content_type=CONTENT_TYPE,
                content_encoding="utf-8",
                delivery_mode=2,
                message_id=message_id,
                retry=True,
            )


def applied(metrics_url: str, service: str, event_type: str) -> float:
    text = requests.get(f"{metrics_url}/metrics", timeout=5).text
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "youthcity_events_applied_total"
        and sample.labels.get("service") == service
        and sample.labels.get("event_type") == event_type
        and sample.labels.get("outcome") == "applied"
    )


@pytest.mark.parametrize("service", consumers())
def test_malformed_events_are_dead_lettered_with_a_reason_and_the_next_good_one_is_applied(
    platform, platform_amqp_uri, service
):
    short_type, handler = chosen(service)
    event_type = f"youthcity.{short_type}"
    wrong, wrong_reason = wrong_data(handler)
    metrics = platform.metrics[service]
    before = applied(metrics, service, event_type)
    bad = {
        "undecodable": (_id(), b"not json {"),
        "unknown_type": (_id(), envelope(_id(), "youthcity.nobody.thing.happened", {})),
        wrong_reason: (_id(), envelope(_id(), event_type, wrong)),
    }
    good_id = _id()
    publish(
        platform_amqp_uri,
        inbox_queue(service),
        [*bad.values(), (good_id, envelope(good_id, event_type, GOOD_EVENTS[short_type]()))],
    )

    # at least: an event of the same type from another test may land meanwhile
    wait_for(
        lambda: applied(metrics, service, event_type) >= before + 1,
        timeout=20,
        interval=0.2,
        message=f"the good event applied by {service}",
    )
    ours = {message_id: reason for reason, (message_id, _) in bad.items()}
    letters = wait_for(
        lambda: (
            (
                found := {
                    letter.message_id: letter
                    for letter in list_dead_letters(platform_amqp_uri, service)
                    if letter.message_id in ours
                }
            )
            and len(found) == len(ours)
            and found
        ),
        timeout=20,
        interval=0.3,
        message=f"three dead letters of {service}",
    )
    assert {message_id: letter.reason for message_id, letter in letters.items()} == ours
    assert all(letter.detail for letter in letters.values())
    dead = {letter.message_id for letter in list_dead_letters(platform_amqp_uri, service)}
    assert good_id not in dead
    assert requests.get(f"{metrics}/readyz", timeout=5).status_code == 200
