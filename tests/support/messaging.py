"""Helpers for the messaging tests: the probe and sink databases, their processes, a plain
kombu subscriber, and waiting for something to become true."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa
from kombu import Connection, Exchange, Queue

from services.common import trust
from services.common.db import create_engine_for

from .probe_service import ProbeBase, SinkBase

ROOT = Path(__file__).resolve().parents[2]


def wait_for(predicate, timeout: float = 10, interval: float = 0.05, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"{message} not reached within {timeout}s")


def probe_and_sink_databases(databases) -> tuple[str, str]:
    probe, sink = databases.create("probe"), databases.create("sink")
    for url, base in ((probe, ProbeBase), (sink, SinkBase)):
        engine = create_engine_for(url)
        base.metadata.create_all(engine)
        engine.dispose()
    return probe, sink


def scalar(url: str, sql: str, **params):
    engine = create_engine_for(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql), params).scalar()
    finally:
        engine.dispose()


def applied_count(sink_url: str, text: str | None = None) -> int:
    if text is None:
        return scalar(sink_url, "SELECT count(*) FROM applied_note")
    return scalar(sink_url, "SELECT count(*) FROM applied_note WHERE text = :text", text=text)


class Subscriber:
    """A plain kombu consumer of an events exchange: what any outside subscriber would write."""

    def __init__(self, amqp_uri: str, exchange: str, name: str):
        self.connection = Connection(amqp_uri)
        self.queue = Queue(
            name, Exchange(exchange, type="topic", durable=True), routing_key="#", exclusive=True
        )
        self.channel = self.connection.channel()
        self.queue(self.channel).declare()
        self.received: list[tuple[float, object]] = []
        # one consumer for the subscriber's life: an exclusive queue is deleted with its last
        # consumer, so a consumer per drain would lose what arrives between two drains
        self.consumer = self.connection.Consumer([self.queue], on_message=self._on_message)
        self.consumer.consume()

    def _on_message(self, message):
        self.received.append((time.time(), message))
        message.ack()

    def drain(self, until_count: int, timeout: float = 30) -> list:
        deadline = time.monotonic() + timeout
        while len(self.received) < until_count and time.monotonic() < deadline:
            with contextlib.suppress(TimeoutError):
                self.connection.drain_events(timeout=0.2)
        return self.received

    def drain_until_quiet(self, quiet: float = 0.5, timeout: float = 30) -> list:
        """Everything that arrives until nothing more has for `quiet` seconds: once the
        publishers have nothing pending (`outboxes_published`), what is still to come is in
        flight, not waiting in an outbox."""
        deadline = time.monotonic() + timeout
        seen, last_arrival = len(self.received), time.monotonic()
        while time.monotonic() < deadline and time.monotonic() - last_arrival < quiet:
            with contextlib.suppress(TimeoutError):
                self.connection.drain_events(timeout=0.1)
            if len(self.received) != seen:
                seen, last_arrival = len(self.received), time.monotonic()
        return self.received

    def event_ids(self) -> list[str]:
        return [json.loads(message.body)["id"] for _, message in self.received]

    def close(self) -> None:
        self.connection.close()


def delete_consumer_queues(amqp_uri: str, service: str, delays=(1, 2, 5, 30, 120)) -> None:
    """Queues outlive a test in the run's vhost; a test that counts messages starts without them."""
    from services.common.amqp import dead_letter_queue, inbox_queue, retry_queue

    with Connection(amqp_uri) as conn:
        channel = conn.channel()
        for queue in (
            inbox_queue(service),
            dead_letter_queue(service),
            *(retry_queue(service, d) for d in delays),
        ):
            channel.queue_delete(queue)


def start_process(kind: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.probe_service", kind],
        cwd=ROOT,
        env={**os.environ, "LOG_LEVEL": "WARNING", **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def stop_process(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def signed(body: bytes) -> dict:
    """The headers a platform process's relay gives an event: its signature under the keys the
    test run shares with the platforms it starts (`tests/conftest.py`)."""
    return {trust.EVENT_SIGNATURE_HEADER: trust.sign(body)}


def publish_structured(amqp_uri: str, exchange_name: str, event: dict) -> None:
    """Publish a structured CloudEvent as its source service would."""
    exchange = Exchange(exchange_name, type="topic", durable=True)
    body = json.dumps(event).encode()
    with Connection(amqp_uri) as conn:
        conn.Producer().publish(
            body,
            headers=signed(body),
            exchange=exchange,
            declare=[exchange],
            routing_key=event["type"],
            content_type="application/cloudevents+json",
            content_encoding="utf-8",
            delivery_mode=2,
            message_id=event["id"],
            retry=True,
        )
