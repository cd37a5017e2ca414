"""A subscriber with no Youth City code decodes our events with the official CloudEvents SDK.

This module imports no project code: the events are produced by a separate process
(`python -m tests.support.probe_service emit 3`, which writes notes and runs the outbox relay),
and read here with plain kombu and `cloudevents`, the way another government system would.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from cloudevents.core.bindings.rabbitmq import RabbitMQMessage, from_rabbitmq_event
from kombu import Connection, Exchange, Queue

ROOT = Path(__file__).resolve().parents[2]


def test_relay_messages_decode_with_the_official_sdk(amqp_uri, tmp_path):
    queue = Queue(
        "sdk-subscriber",
        Exchange("probe.events", type="topic", durable=True),
        routing_key="youthcity.probe.#",
        exclusive=True,
    )
    with Connection(amqp_uri) as conn:
        channel = conn.channel()
        queue(channel).declare()
        env = {
            **os.environ,
            "AMQP_URI": amqp_uri,
            "PROBE_DATABASE_URL": f"sqlite:///{tmp_path / 'probe.sqlite3'}",
            "METRICS_PORT": "0",
            "LOG_LEVEL": "WARNING",
        }
        subprocess.run(
            [sys.executable, "-m", "tests.support.probe_service", "emit", "3"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=60,
        )
        messages = [channel.basic_get(queue.name, no_ack=True) for _ in range(3)]

    events = []
    for message in messages:
        assert message is not None
        events.append(
            from_rabbitmq_event(
                RabbitMQMessage(
                    headers=message.properties.get("application_headers") or {},
                    content_type=message.properties["content_type"],
                    body=message.body,
                )
            )
        )
    for n, event in enumerate(events):
        attributes = event.get_attributes()
        assert attributes["specversion"] == "1.0"
        assert attributes["type"] == "youthcity.probe.note.written"
        assert attributes["source"] == "/youthcity/probe"
        assert attributes["datacontenttype"] == "application/json"
        assert attributes["subject"] == str(event.get_data()["id"])
        assert attributes["time"].tzinfo is not None
        assert attributes["requestid"]
        assert event.get_data()["text"] == f"note {n}"
    assert len({event.get_attributes()["id"] for event in events}) == 3
    assert json.loads(messages[0].body)["data"] == events[0].get_data()
