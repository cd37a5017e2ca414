"""Helpers for the erasure tests: a person's identifying strings, the gateway's `person.erased`
event as its contract defines it, the answers a service recorded, and a scan of every column of
every table of a service's database for what must be gone::

    leftovers = found_in_database(url, {"name": "林晓雨", "phone": "13912345678"})
    assert leftovers == {}
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from services.common.db import create_engine_for

from .api import born_aged, citizen_id
from .messaging import publish_structured


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
    def details(self) -> dict[str, str]:
        return {"name": self.name, "ID number": self.id_number, "phone": self.phone}

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


def publish_erased(amqp_uri: str, event: dict) -> None:
    publish_structured(amqp_uri, "gateway.events", event)


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


def _as_text(value) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def found_in_database(url: str, details: dict[str, str], skip: tuple[str, ...] = ()) -> dict:
    """{(table, column): [names of the details found there]} for every table but `skip`."""
    engine = create_engine_for(url)
    metadata = sa.MetaData()
    found: dict[tuple[str, str], set[str]] = {}
    try:
        metadata.reflect(engine)
        with engine.connect() as conn:
            for table in metadata.sorted_tables:
                if table.name in skip:
                    continue
                for row in conn.execute(sa.select(table)).mappings():
                    for column, value in row.items():
                        if value is None:
                            continue
                        text = _as_text(value)
                        for name, detail in details.items():
                            if detail in text:
                                found.setdefault((table.name, column), set()).add(name)
    finally:
        engine.dispose()
    return {where: sorted(names) for where, names in found.items()}


def row_counts(url: str, tables: tuple[str, ...]) -> dict[str, int]:
    engine = create_engine_for(url)
    try:
        with engine.connect() as conn:
            return {
                table: conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar()
                for table in tables
            }
    finally:
        engine.dispose()
