"""The event catalogue as an AsyncAPI 3.0 document, generated from every process's
`EventCatalog` (services/common/registry.py) and the marshmallow schemas of their data: for
each event type its exchange, routing key, CloudEvents type and attributes, and data schema.
Nothing in it is written by hand, so it cannot drift from what the services publish.
"""

from __future__ import annotations

from apispec.ext.marshmallow.openapi import OpenAPIConverter

from services.common.amqp import events_exchange
from services.common.cloudevents import CONTENT_TYPE, SPECVERSION, source_of

from .catalogue import catalogues

AMQP_BINDING_VERSION = "0.3.0"


def data_schema(schema_cls) -> dict:
    """JSON Schema of an event's data. Subscribers must ignore fields they do not know: a
    service may add fields to its events (never remove or change one) without a new type."""
    converter = OpenAPIConverter(
        openapi_version="3.1.0", schema_name_resolver=lambda _schema: None, spec=None
    )
    schema = converter.schema2jsonschema(schema_cls)
    schema.pop("additionalProperties", None)
    return schema


def envelope(service: str, full_type: str, subject: str, data: dict) -> dict:
    """The structured-mode CloudEvent that carries the data."""
    return {
        "type": "object",
        "required": ["specversion", "id", "source", "type", "time", "datacontenttype", "data"],
        "properties": {
            "specversion": {"type": "string", "const": SPECVERSION},
            "id": {"type": "string", "description": "unique per event; the message_id too"},
            "source": {"type": "string", "const": source_of(service)},
            "type": {"type": "string", "const": full_type},
            "time": {"type": "string", "format": "date-time"},
            "subject": {"type": "string", "description": subject},
            "datacontenttype": {"type": "string", "const": "application/json"},
            "requestid": {"type": "string", "description": "the HTTP request that caused it"},
            "actorid": {"type": "string", "description": "the account that acted"},
            "data": data,
        },
    }


def _message(service: str, full_type: str, spec) -> dict:
    """The message of one event type: the CloudEvent that carries its data."""
    return {
        "name": full_type,
        "title": full_type,
        "summary": spec.description,
        "contentType": CONTENT_TYPE,
        "payload": envelope(service, full_type, spec.subject, data_schema(spec.schema)),
        "bindings": {
            "amqp": {
                "contentEncoding": "utf-8",
                "messageType": full_type,
                "bindingVersion": AMQP_BINDING_VERSION,
            }
        },
    }


def _channel(exchange: str, full_type: str, key: str) -> dict:
    """Where one event type is published: its routing key on the service's topic exchange."""
    return {
        "address": full_type,
        "title": f"{exchange} / {full_type}",
        "description": f"Routing key {full_type} on the topic exchange {exchange}.",
        "messages": {"event": {"$ref": f"#/components/messages/{key}"}},
        "bindings": {
            "amqp": {
                "is": "routingKey",
                "exchange": {
                    "name": exchange,
                    "type": "topic",
                    "durable": True,
                    "autoDelete": False,
                },
                "bindingVersion": AMQP_BINDING_VERSION,
            }
        },
    }


def build_asyncapi(prefix: str = "youthcity", version: str = "1.0.0") -> dict:
    """The AsyncAPI 3.0 document: per event type of every catalogue a channel, a message and
    the `send` operation of the service that publishes it."""
    channels, operations, messages = {}, {}, {}
    for service, catalogue in sorted(catalogues().items()):
        exchange = events_exchange(service)
        for event_type, spec in sorted(catalogue.specs.items()):
            full_type = f"{prefix}.{service}.{event_type}"
            key = f"{service}-{event_type.replace('.', '-')}"
            messages[key] = _message(service, full_type, spec)
            channels[key] = _channel(exchange, full_type, key)
            operations[f"{key}-publish"] = {
                "action": "send",
                "title": f"{service} publishes {event_type}",
                "channel": {"$ref": f"#/channels/{key}"},
                "messages": [{"$ref": f"#/channels/{key}/messages/event"}],
            }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Youth City events",
            "version": version,
            "description": "Every event the platform's services publish, as CloudEvents 1.0 in "
            "structured mode on RabbitMQ: each service publishes to its durable topic exchange "
            "`<service>.events` with the CloudEvents type as routing key, so a subscriber binds "
            "a queue of its own with a pattern such as `youthcity.jobs.#`. The same events "
            "reach webhook subscribers (Standard Webhooks) through the notify service.",
        },
        "defaultContentType": CONTENT_TYPE,
        "servers": {
            "rabbitmq": {
                "host": "{host}",
                "protocol": "amqp",
                "protocolVersion": "0.9.1",
                "description": "The platform's broker; its virtual host is the platform's own.",
                "variables": {"host": {"default": "127.0.0.1:5672"}},
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages},
    }
