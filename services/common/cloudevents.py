"""CloudEvents 1.0 on the wire, in structured mode (`application/cloudevents+json`).

One JSON document per message holds every attribute and the data, so the official SDK's AMQP
and RabbitMQ bindings both decode it, and so does any AMQP client with a JSON parser. We write
the JSON ourselves: kombu's serialiser would wrap datetimes and decimals in its own markers.

Attributes: `specversion`, `id`, `source` (`/youthcity/<service>`), `type`
(`<prefix>.<service>.<entity>.<verb>`), `time` (RFC 3339, UTC), `subject`, `datacontenttype`,
`data`, and two extensions: `requestid` (the HTTP request that caused it) and `actorid` (the
account that acted). No attribute ever carries a name, an ID number or a phone number.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from .context import CallContext

CONTENT_TYPE = "application/cloudevents+json"
SPECVERSION = "1.0"


def source_of(service: str) -> str:
    return f"/youthcity/{service}"


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def encode(
    *,
    event_id: str,
    service: str,
    event_type: str,
    time: datetime,
    subject: str | None,
    data_json: str,
    request_id: str | None,
    actor_id: str | None,
) -> bytes:
    """The structured-mode body; `data_json` is spliced in as it was stored, not re-parsed."""
    envelope = {
        "specversion": SPECVERSION,
        "id": event_id,
        "source": source_of(service),
        "type": event_type,
        "time": rfc3339(time),
        "datacontenttype": "application/json",
    }
    if subject is not None:
        envelope["subject"] = subject
    if request_id:
        envelope["requestid"] = request_id
    if actor_id:
        envelope["actorid"] = actor_id
    head = json.dumps(envelope, ensure_ascii=False, separators=(",", ":"))
    return (head[:-1] + ',"data":' + data_json + "}").encode()


def message_properties(event_id: str, event_type: str, service: str, time: datetime) -> dict:
    return {
        "content_type": CONTENT_TYPE,
        "content_encoding": "utf-8",
        "delivery_mode": 2,
        "message_id": event_id,
        "type": event_type,
        "app_id": service,
        "timestamp": int(time.timestamp()),
    }


class UndecodableEvent(ValueError):
    """A message that is not a CloudEvent we can read; `reason` is safe to log (no body)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ReceivedEvent:
    """An event as a consumer sees it: attributes, and `data` as loaded by its schema."""

    id: str
    source: str
    type: str
    time: datetime
    subject: str | None
    data: dict
    request_id: str | None = None
    actor_id: str | None = None

    @property
    def source_service(self) -> str:
        return self.source.rsplit("/", 1)[-1]

    def context(self) -> CallContext:
        """The context a handler runs in: the same request, acting as the platform."""
        return CallContext(
            request_id=self.request_id or self.id, actor_id=self.actor_id, actor_role="system"
        )


def decode(body: bytes, content_type: str | None) -> tuple[ReceivedEvent, dict]:
    """Parse a structured-mode message; the raw data dict is returned for its schema to load."""
    if not (content_type or "").startswith(CONTENT_TYPE):
        raise UndecodableEvent("content type is not application/cloudevents+json")
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise UndecodableEvent("body is not JSON") from exc
    if not isinstance(document, dict) or document.get("specversion") != SPECVERSION:
        raise UndecodableEvent("not a CloudEvents 1.0 document")
    missing = [key for key in ("id", "source", "type", "time") if not document.get(key)]
    if missing:
        raise UndecodableEvent(f"missing attributes: {', '.join(missing)}")
    try:
        time = datetime.fromisoformat(str(document["time"]).replace("Z", "+00:00"))
    except ValueError as exc:
        raise UndecodableEvent("time is not RFC 3339") from exc
    data = document.get("data")
    if not isinstance(data, dict):
        raise UndecodableEvent("data is not a JSON object")
    event = ReceivedEvent(
        id=str(document["id"]),
        source=str(document["source"]),
        type=str(document["type"]),
        time=time,
        subject=document.get("subject"),
        data=data,
        request_id=document.get("requestid"),
        actor_id=document.get("actorid"),
    )
    return event, data
