"""The transactional outbox: events are rows written with the change they report.

`OutboxWriter` turns a recorded fact into a CloudEvent row in the unit of work's transaction;
the relay (`services.common.relay`) publishes committed rows and marks them sent. A crash
between commit and publish therefore delays an event, never loses it.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .clock import utcnow
from .config import Settings
from .context import CallContext
from .events import EventCatalog
from .types import BigIntPK, UtcDateTime


def outbox_table(metadata: sa.MetaData) -> sa.Table:
    """The `outbox` table in a service's own metadata (each service migrates its own copy)."""
    return sa.Table(
        "outbox",
        metadata,
        sa.Column("seq", BigIntPK, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(64), nullable=False, unique=True),
        sa.Column("type", sa.String(200), nullable=False),
        sa.Column("subject", sa.String(200)),
        sa.Column("time", UtcDateTime(), nullable=False),
        sa.Column("request_id", sa.String(64)),
        sa.Column("actor_id", sa.String(64)),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("published_at", UtcDateTime()),
        sa.Index(
            "ix_outbox_pending",
            "seq",
            postgresql_where=sa.text("published_at IS NULL"),
            sqlite_where=sa.text("published_at IS NULL"),
        ),
    )


def inbox_table(metadata: sa.MetaData) -> sa.Table:
    """The `inbox` table: ids of events this service has applied, written with their effect."""
    return sa.Table(
        "inbox",
        metadata,
        sa.Column("event_id", sa.String(64), primary_key=True),
        sa.Column("type", sa.String(200), nullable=False),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("applied_at", UtcDateTime(), nullable=False),
    )


def messaging_tables(metadata: sa.MetaData) -> tuple[sa.Table, sa.Table]:
    return outbox_table(metadata), inbox_table(metadata)


@dataclass(frozen=True)
class PendingEvent:
    event_id: str
    type: str
    subject: str | None
    time: datetime
    request_id: str | None
    actor_id: str | None
    data: str


class OutboxWriter:
    """Builds CloudEvent rows for one service and inserts them in the caller's transaction."""

    def __init__(self, metadata: sa.MetaData, settings: Settings, catalog: EventCatalog | None):
        self.table = metadata.tables.get("outbox")
        self.service = settings.service
        self.type_prefix = settings.event_type_prefix
        self.catalog = catalog

    def full_type(self, event_type: str) -> str:
        """`application.hired` → `youthcity.jobs.application.hired`."""
        return f"{self.type_prefix}.{self.service}.{event_type}"

    def build(self, event_type: str, subject, data, context: CallContext) -> PendingEvent:
        """A row for `event_type` (`<entity>.<verb>`, declared in the catalogue), `data` dumped
        through the type's schema."""
        if self.catalog is None:
            raise RuntimeError(f"{self.service} has no event catalogue; pass events= to Database")
        data = self.catalog.dump(event_type, data)
        return PendingEvent(
            event_id=str(uuid.uuid4()),
            type=self.full_type(event_type),
            subject=None if subject is None else str(subject),
            time=utcnow(),
            request_id=context.request_id,
            actor_id=context.actor_id,
            data=json.dumps(data, ensure_ascii=False, separators=(",", ":")),
        )

    def add(self, session: Session, events: list[PendingEvent]) -> None:
        if self.table is None:
            raise RuntimeError(f"{self.service} has no outbox table in its metadata")
        session.execute(
            self.table.insert(),
            [
                {
                    "event_id": e.event_id,
                    "type": e.type,
                    "subject": e.subject,
                    "time": e.time,
                    "request_id": e.request_id,
                    "actor_id": e.actor_id,
                    "data": e.data,
                }
                for e in events
            ],
        )
