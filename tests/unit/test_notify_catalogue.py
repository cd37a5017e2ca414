"""The event catalogue's consistency: every type a service publishes is in its catalogue, the
AsyncAPI document lists every catalogued type with its exchange, routing key and data schema,
and every template decision uses fields its event has."""

import ast
import re
from pathlib import Path

import jsonschema
import pytest

from services.common.registry import PROCESSES
from services.notify.asyncapi import build_asyncapi
from services.notify.catalogue import catalogues, data_fields
from services.notify.templates import load_templates

ROOT = Path(__file__).resolve().parents[2]


def recorded_types(package: str):
    """(file:line, pattern) of every `….record(<type>, …)` call in a package, the type as a
    regular expression: a literal as itself, an f-string with `\\w+` for each value in it."""
    folder = ROOT / package.replace(".", "/")
    for path in sorted(folder.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "record"
                and node.args
            ):
                continue
            first, where = node.args[0], f"{path.relative_to(ROOT)}:{node.lineno}"
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                yield where, re.escape(first.value)
            elif isinstance(first, ast.JoinedStr):
                yield (
                    where,
                    "".join(
                        re.escape(part.value) if isinstance(part, ast.Constant) else r"\w+"
                        for part in first.values
                    ),
                )


@pytest.mark.parametrize("process", sorted(PROCESSES))
def test_every_type_a_service_records_is_in_its_catalogue(process):
    catalogue = catalogues().get(process)
    declared = set(catalogue.specs) if catalogue else set()
    undeclared = [
        f"{where}: {pattern}"
        for where, pattern in recorded_types(PROCESSES[process].package)
        if not any(re.fullmatch(pattern, event_type) for event_type in declared)
    ]
    assert undeclared == [], f"declare these in {PROCESSES[process].package}.events.EVENTS"


def test_the_asyncapi_document_lists_every_catalogued_type_with_its_exchange_and_schema():
    document = build_asyncapi()
    assert document["asyncapi"] == "3.0.0"
    addresses = {channel["address"]: channel for channel in document["channels"].values()}
    expected = {
        f"youthcity.{service}.{event_type}": service
        for service, catalogue in catalogues().items()
        for event_type in catalogue.specs
    }
    assert set(addresses) == set(expected)
    for address, service in expected.items():
        binding = addresses[address]["bindings"]["amqp"]
        assert binding["is"] == "routingKey"
        assert binding["exchange"] == {
            "name": f"{service}.events",
            "type": "topic",
            "durable": True,
            "autoDelete": False,
        }
    for key, message in document["components"]["messages"].items():
        assert re.fullmatch(r"[A-Za-z0-9_\-]+", key)
        assert message["contentType"] == "application/cloudevents+json"
        jsonschema.Draft202012Validator.check_schema(message["payload"])
        assert message["payload"]["properties"]["type"]["const"] == message["name"]
    for operation in document["operations"].values():
        channel_key = operation["channel"]["$ref"].rsplit("/", 1)[-1]
        assert channel_key in document["channels"]


def test_a_published_event_validates_against_its_catalogue_entry():
    message = build_asyncapi()["components"]["messages"]["events-registration-confirmed"]
    event = {
        "specversion": "1.0",
        "id": "e1",
        "source": "/youthcity/events",
        "type": "youthcity.events.registration.confirmed",
        "time": "2026-11-28T02:00:00Z",
        "datacontenttype": "application/json",
        "subject": "reg-1",
        "data": {
            "registration_id": "reg-1",
            "activity_id": "act-1",
            "person_id": "p-1",
            "state": "confirmed",
            "activity_title": "青年音乐节",
            "starts_at": "2026-12-20T06:00:00Z",
            "venue": "文化广场",
        },
    }
    jsonschema.validate(event, message["payload"])
    del event["data"]["person_id"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(event, message["payload"])


def test_every_template_uses_only_fields_its_event_has():
    wrong = []
    for source, decisions in load_templates().items():
        for event_type, template in decisions.items():
            known = data_fields(source, event_type)
            if template is None or known is None:
                continue
            unknown = template.fields_used() - set(known)
            if unknown:
                wrong.append(f"{source}/{event_type}: {sorted(unknown)}")
    assert wrong == []
