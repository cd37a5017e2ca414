"""The outbox relay against raw kombu publishing with a confirm per message, in the same run.

Rows are written to a probe service's outbox first; the relay then starts with its container and
the clock runs until every row is confirmed by the broker and marked sent. A durable queue is
bound to the exchange so the broker persists each message, as it does for the floor.
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid

from kombu import Connection, Exchange, Queue
from nameko.containers import ServiceContainer

from services.common.config import Settings
from services.common.context import CallContext
from services.common.db import UnitOfWork, create_engine_for
from services.common.outbox import OutboxWriter
from tests.support.infra import PostgresDatabases, postgres_base_url
from tests.support.probe_service import PROBE_EVENTS, Note, ProbeBase, ProbeService

from .harness import Measurement, bench_settings


def _fill_outbox(url: str, rows: int) -> None:
    engine = create_engine_for(url)
    ProbeBase.metadata.create_all(engine)
    writer = OutboxWriter(ProbeBase.metadata, Settings(service="probe"), PROBE_EVENTS)
    with UnitOfWork(engine, CallContext.system(), writer) as uow:
        for n in range(rows):
            uow.session.add(Note(id=n + 1, text=f"bench {n}"))
            uow.record("note.written", subject=n + 1, data={"id": n + 1, "text": f"bench {n}"})
        uow.commit()
    engine.dispose()


def _pending(url: str) -> int:
    import sqlalchemy as sa

    engine = create_engine_for(url)
    try:
        with engine.connect() as conn:
            return conn.execute(
                sa.text("SELECT count(*) FROM outbox WHERE published_at IS NULL")
            ).scalar()
    finally:
        engine.dispose()


def relay_throughput(amqp_uri: str, database_url: str, label: str, rows: int = 5000) -> Measurement:
    _fill_outbox(database_url, rows)
    queue = Queue(
        f"bench-relay-{uuid.uuid4().hex[:6]}",
        Exchange("probe.events", "topic", durable=True),
        routing_key="#",
        durable=True,
    )
    with Connection(amqp_uri) as conn:
        queue(conn.default_channel).declare()
        settings = bench_settings("probe", amqp_uri, database_url)
        container = ServiceContainer(ProbeService, settings.nameko_config())
        started = time.perf_counter()
        container.start()
        while _pending(database_url):
            time.sleep(0.01)
        elapsed = time.perf_counter() - started
        container.stop()
        queue(conn.default_channel).delete()
    return Measurement(
        f"relay-{label}", "msg/s", rows / elapsed, count=rows, extra={"seconds": round(elapsed, 3)}
    )


def measure(amqp_uri: str) -> list[Measurement]:
    results = []
    with tempfile.TemporaryDirectory() as folder:
        results.append(
            relay_throughput(
                amqp_uri, f"sqlite:///{os.path.join(folder, 'probe.sqlite3')}", "sqlite"
            )
        )
    base = postgres_base_url()
    if base:
        databases = PostgresDatabases(base)
        if databases.problem() is None:
            try:
                url = databases.create(f"ycb_relay_{uuid.uuid4().hex[:6]}")
                results.append(relay_throughput(amqp_uri, url, "postgres"))
            finally:
                databases.drop_all()
    return results
