"""Helpers for the erasure tests: a person's identifying strings, the gateway's `person.erased`
event as its contract defines it, the answers a service recorded, and a scan of every text cell
of a service's database for what must be gone."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from kombu import Connection, Exchange

from services.common.db import create_engine_for

from .api import born_aged, citizen_id


@dataclass(frozen=True)
class Identity:
    """What identifies a person and must not survive an erasure anywhere in a service."""

    name: str
    id_number: str
    phone: str

    @classmethod
    def new(cls) -> Identity:
        return cls("赵青禾", citizen_id(born_aged(24)), f"139{uuid.uuid4().int % 10**8:08d}")

    @property
    def strings(self) -> tuple[str, str, str]:
        return (self.name, self.id_number, self.phone)

    def in_words(self) -> str:
        """A free text that carries all three, as a person or an officer might write it."""
        return f"{self.name}，身份证{self.id_number}，电话{self.phone}"


def erased_event(person_id: str, erasure_id: str | None = None) -> dict:
    """`youthcity.gateway.person.erased` as the gateway publishes it (ids only)."""
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "/youthcity/gateway",
        "type": "youthcity.gateway.person.erased",
        "time": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "subject": person_id,
        "datacontenttype": "application/json",
        "data": {
            "person_id": person_id,
            "erasure_id": erasure_id or str(uuid.uuid4()),
            "erased_at": datetime.now(UTC).isoformat(),
        },
    }


def publish_event(amqp_uri: str, exchange_name: str, event: dict) -> None:
    """Publish a structured CloudEvent as its source service would."""
    exchange = Exchange(exchange_name, type="topic", durable=True)
    with Connection(amqp_uri) as conn:
        conn.Producer().publish(
            json.dumps(event).encode(),
            exchange=exchange,
            declare=[exchange],
            routing_key=event["type"],
            content_type="application/cloudevents+json",
            content_encoding="utf-8",
            delivery_mode=2,
            message_id=event["id"],
            retry=True,
        )


def publish_erased(amqp_uri: str, event: dict) -> None:
    publish_event(amqp_uri, "gateway.events", event)


def anonymised_answers(url: str, service: str) -> list[dict]:
    """The `person.anonymised` events the service recorded (its outbox), oldest first."""
    engine = create_engine_for(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT data FROM outbox WHERE type = :type ORDER BY seq"),
                {"type": f"youthcity.{service}.person.anonymised"},
            ).scalars()
            return [json.loads(row) for row in rows]
    finally:
        engine.dispose()


def cells_containing(url: str, needles) -> list[tuple[str, str, str]]:
    """(table, column, value) of every text or JSON cell in the database holding a needle."""
    engine = create_engine_for(url)
    found = []
    try:
        metadata = sa.MetaData()
        metadata.reflect(engine)
        with engine.connect() as conn:
            for table in metadata.sorted_tables:
                for column in table.columns:
                    if not isinstance(column.type, sa.String | sa.Text | sa.JSON):
                        continue
                    for value in conn.execute(sa.select(column)).scalars():
                        if value is None:
                            continue
                        text = (
                            value
                            if isinstance(value, str)
                            else json.dumps(value, ensure_ascii=False)
                        )
                        found += [(table.name, column.name, text) for n in needles if n in text]
    finally:
        engine.dispose()
    return found


def count(url: str, sql: str, **params):
    engine = create_engine_for(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql), params).scalar()
    finally:
        engine.dispose()
