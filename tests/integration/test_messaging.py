"""The messaging kit in one process: events applied once, failures retried and dead-lettered,
RPC that answers unavailable or times out instead of hanging."""

import json
import logging
import os
import subprocess
import sys
import time

import eventlet
import pytest
from kombu import Connection

from services.common.amqp import ConfirmingPublisher, dead_letter_queue, inbox_queue
from services.common.deadletters import list_dead_letters, replay_dead_letters
from services.common.errors import DomainError, ServiceTimeout, ServiceUnavailable
from services.common.relay import OutboxRelay
from services.common.rpc import StandaloneRpc
from tests.support.infra import free_port
from tests.support.messaging import (
    Subscriber,
    applied_count,
    delete_consumer_queues,
    probe_and_sink_databases,
    scalar,
    signed,
    wait_for,
)
from tests.support.probe_service import ProbeService, SinkService

#: the database's own behaviour (locks, migrations, SQL): on both backends
pytestmark = pytest.mark.both_backends


@pytest.fixture(autouse=True)
def empty_sink_queues(amqp_uri):
    delete_consumer_queues(amqp_uri, "sink")


@pytest.fixture
def probe_sink(start_service, databases):
    probe_url, sink_url = probe_and_sink_databases(databases)

    def start(**settings):
        start_service(ProbeService, probe_url, **settings)
        start_service(SinkService, sink_url, **settings)
        return probe_url, sink_url

    return start


@pytest.fixture
def rpc(amqp_uri):
    with StandaloneRpc(amqp_uri, timeout=5) as cluster:
        yield cluster


@pytest.fixture(autouse=True)
def sink_fails_on_poison():
    SinkService.fails_on_poison = True
    yield
    SinkService.fails_on_poison = True


def publish_raw(amqp_uri, routing_key, body, content_type, exchange=""):
    with Connection(amqp_uri) as conn:
        conn.Producer().publish(
            body,
            headers=signed(body),
            exchange=exchange,
            routing_key=routing_key,
            content_type=content_type,
            content_encoding="utf-8",
            delivery_mode=2,
            retry=True,
        )


def test_each_event_reaches_the_consumer_and_is_applied_once(probe_sink, rpc):
    probe_url, sink_url = probe_sink()
    ids = [rpc.probe.write_note(text=f"note {n}") for n in range(50)]
    wait_for(lambda: applied_count(sink_url) == 50, message="50 notes applied")
    wait_for(
        lambda: scalar(probe_url, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0,
        message="every outbox row marked sent",
    )
    assert (
        scalar(sink_url, "SELECT count(DISTINCT note_id) FROM applied_note") == len(set(ids)) == 50
    )
    assert scalar(sink_url, "SELECT count(*) FROM inbox") == 50


def test_a_redelivered_event_changes_nothing(probe_sink, rpc, amqp_uri):
    _, sink_url = probe_sink()
    tap = Subscriber(amqp_uri, "probe.events", "tap-redelivery")
    rpc.probe.write_note(text="once")
    ((_, original),) = tap.drain(until_count=1)
    wait_for(lambda: applied_count(sink_url, "once") == 1)
    for _ in range(3):
        publish_raw(amqp_uri, inbox_queue("sink"), original.body, original.content_type)
    eventlet.sleep(0.5)
    assert applied_count(sink_url, "once") == 1
    tap.close()


def test_poison_waits_in_retries_while_good_events_pass_then_is_dead_lettered_and_replayed_once(
    probe_sink, rpc, amqp_uri
):
    _, sink_url = probe_sink(handler_retry_delays=(2, 2))
    written = time.monotonic()
    rpc.probe.write_note(text="poison")
    for n in range(10):
        rpc.probe.write_note(text=f"good {n}")
    wait_for(
        lambda: applied_count(sink_url) == 10,
        timeout=1.9,
        message="10 good events before the first retry",
    )
    print(f"10 good events applied {time.monotonic() - written:.3f}s after the poison")

    letters = wait_for(
        lambda: list_dead_letters(amqp_uri, "sink"), timeout=10, message="poison dead-lettered"
    )
    assert len(letters) == 1
    assert letters[0].reason == "handler_failed"
    assert "RuntimeError after 3 attempts" in letters[0].detail
    assert letters[0].event_type == "youthcity.probe.note.written"

    listed = youthcity_cli(amqp_uri, "deadletters", "list", "sink")
    assert [json.loads(line)["reason"] for line in listed.splitlines()] == ["handler_failed"]

    SinkService.fails_on_poison = False  # the handler is fixed
    replayed = youthcity_cli(
        amqp_uri, "deadletters", "replay", "sink", "--id", letters[0].message_id
    )
    assert json.loads(replayed)["message_id"] == letters[0].message_id
    wait_for(lambda: applied_count(sink_url, "poison") == 1, message="replayed poison applied")
    assert list_dead_letters(amqp_uri, "sink") == []
    assert replay_dead_letters(amqp_uri, "sink") == []
    eventlet.sleep(0.3)
    assert applied_count(sink_url, "poison") == 1


def youthcity_cli(amqp_uri, *args) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "youthcity", *args],
        env={**os.environ, "AMQP_URI": amqp_uri},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_messages_that_are_not_our_events_go_to_dead_letters_with_a_reason_and_are_never_logged(
    probe_sink, rpc, amqp_uri, caplog
):
    _, sink_url = probe_sink()
    secret = "11010519491231002X 13800138000"
    queue = inbox_queue("sink")
    event = {
        "specversion": "1.0",
        "id": "e-1",
        "source": "/youthcity/probe",
        "time": "2026-11-28T00:00:00Z",
        "datacontenttype": "application/json",
    }
    caplog.set_level(logging.DEBUG)
    publish_raw(amqp_uri, queue, f"not json {secret}", "application/cloudevents+json")
    publish_raw(
        amqp_uri,
        queue,
        json.dumps({**event, "type": "youthcity.probe.note.shredded", "data": {"t": secret}}),
        "application/cloudevents+json",
    )
    publish_raw(
        amqp_uri,
        queue,
        json.dumps(
            {
                **event,
                "id": "e-2",
                "type": "youthcity.probe.note.written",
                "data": {"id": "x", "note": secret},
            }
        ),
        "application/cloudevents+json",
    )
    publish_raw(amqp_uri, queue, json.dumps({"text": secret}), "application/json")
    rpc.probe.write_note(text="after the bad ones")
    wait_for(lambda: applied_count(sink_url, "after the bad ones") == 1)
    letters = wait_for(
        lambda: (found := list_dead_letters(amqp_uri, "sink")) and len(found) == 4 and found,
        interval=0.3,
        message="four dead letters",
    )
    assert sorted(letter.reason for letter in letters) == [
        "invalid_data",
        "undecodable",
        "undecodable",
        "unknown_type",
    ]
    assert all(letter.detail for letter in letters)
    assert secret.split()[0] not in caplog.text and secret.split()[1] not in caplog.text


def test_an_rpc_to_a_service_nobody_runs_is_unavailable_at_once(start_service, databases, rpc):
    probe_url, _ = probe_and_sink_databases(databases)
    container = start_service(ProbeService, probe_url)
    assert rpc.probe.ping() == "pong"
    container.stop()
    for service in ("probe", "never_existed"):
        started = time.monotonic()
        with pytest.raises(ServiceUnavailable) as refused:
            getattr(rpc, service).ping()
        assert time.monotonic() - started < 1.0
        assert refused.value.status == 503


def test_a_request_that_timed_out_never_runs_later(start_service, databases, rpc):
    probe_url, _ = probe_and_sink_databases(databases)
    start_service(ProbeService, probe_url, max_workers=1)
    busy = eventlet.spawn(rpc.with_timeout(10).probe.hang, seconds=2)
    eventlet.sleep(0.2)
    started = time.monotonic()
    with pytest.raises(ServiceTimeout) as timed_out:
        rpc.with_timeout(0.5).probe.write_note(text="too late")
    assert 0.45 < time.monotonic() - started < 1.0
    assert timed_out.value.status == 504
    assert busy.wait() == "woke"
    eventlet.sleep(0.5)
    assert scalar(probe_url, "SELECT count(*) FROM note WHERE text = 'too late'") == 0
    assert rpc.probe.ping() == "pong"


def test_domain_errors_cross_the_wire_in_both_languages(start_service, databases, rpc):
    probe_url, _ = probe_and_sink_databases(databases)
    start_service(ProbeService, probe_url)
    with pytest.raises(DomainError) as refused:
        rpc.probe.refuse(field="name")
    assert (refused.value.status, refused.value.code, refused.value.field) == (
        422,
        "validation_failed",
        "name",
    )
    assert refused.value.errors == [
        {
            "field": "name",
            "code": "required",
            "messages": {"zh-CN": "此项必填", "en": "This field is required"},
        }
    ]
    assert refused.value.messages == {
        "zh-CN": "提交的数据有误",
        "en": "The submitted data is invalid",
    }
    with pytest.raises(DomainError) as bug:
        rpc.probe.explode()
    assert (bug.value.status, bug.value.code) == (500, "internal_error")
    assert "11010519491231002X" not in str(bug.value.to_wire())
    with pytest.raises(DomainError) as missing:
        rpc.probe.no_such_method()
    assert missing.value.code == "method_not_found"


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_commit_to_publish_latency_does_not_wait_for_the_poll(probe_sink, rpc, amqp_uri):
    probe_sink(outbox_poll_interval=10)
    tap = Subscriber(amqp_uri, "probe.events", "tap-latency")
    listening = eventlet.spawn(tap.drain, until_count=100)
    for n in range(100):
        rpc.probe.write_note(text=f"timed {n}")
        eventlet.sleep(0.01)
    received = listening.wait()
    assert len(received) == 100
    latencies = sorted(at - _event_time(message) for at, message in received)
    p99 = latencies[98]
    # waiting for the poll would take up to its 10 s; the bound leaves room for a busy machine
    # (0.28 s was seen under a load average of 12), the benchmark measures the real figure
    assert p99 < 2.0, f"commit-to-publish p99 {p99:.3f}s"
    tap.close()


def _event_time(message) -> float:
    from datetime import datetime

    return datetime.fromisoformat(
        json.loads(message.body)["time"].replace("Z", "+00:00")
    ).timestamp()


def ops_metrics(container) -> str:
    import requests

    port = next(ext.port for ext in container.subextensions if type(ext).__name__ == "OpsServer")
    return requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text


def metric(text: str, name: str, **labels) -> float:
    from prometheus_client.parser import text_string_to_metric_families

    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    return 0.0


def test_the_kit_reports_what_it_does_as_metrics(start_service, databases, rpc):
    probe_url, sink_url = probe_and_sink_databases(databases)
    probe = start_service(ProbeService, probe_url)
    sink = start_service(SinkService, sink_url, handler_retry_delays=(0.2,))
    event_type = "youthcity.probe.note.written"
    before = ops_metrics(sink) + ops_metrics(probe)
    dead = ("youthcity_dead_letters_total", {"service": "sink", "reason": "handler_failed"})
    rpc.probe.write_note(text="poison")
    rpc.probe.write_note(text="fine")
    with pytest.raises(ServiceUnavailable):
        rpc.nobody_home.ping()
    wait_for(
        lambda: (
            metric(ops_metrics(sink), dead[0], **dead[1]) == metric(before, dead[0], **dead[1]) + 1
        ),
        message="dead letter counted",
    )
    after = ops_metrics(probe)

    def grew(name, by=1.0, **labels):
        return metric(after, name, **labels) - metric(before, name, **labels) == by

    assert grew("youthcity_handler_retries_total", service="sink", event_type=event_type)
    assert grew(
        "youthcity_events_applied_total", service="sink", event_type=event_type, outcome="applied"
    )
    assert grew("youthcity_outbox_published_total", by=2.0, service="probe")
    assert grew("youthcity_rpc_unavailable_total", caller="standalone", target="nobody_home")
    assert grew(
        "youthcity_entrypoint_seconds_count",
        by=2.0,
        service="probe",
        kind="RpcEntrypoint",
        method="write_note",
    )
    assert metric(after, "youthcity_outbox_backlog", service="probe") == 0
    assert "youthcity_outbox_oldest_pending_seconds" in after
    assert "youthcity_rpc_client_seconds_bucket" in after


def test_while_the_relay_cannot_reach_the_broker_the_backlog_counts_what_waits(
    start_service, databases, rpc
):
    probe_url, _ = probe_and_sink_databases(databases)
    probe = start_service(ProbeService, probe_url)
    relay = next(ext for ext in probe.subextensions if isinstance(ext, OutboxRelay))
    working = relay._publisher
    # a broker address nobody listens on: the relay's publishing fails as in an outage
    relay._publisher = ConfirmingPublisher(f"amqp://guest:guest@127.0.0.1:{free_port()}//")

    def backlog():
        return metric(ops_metrics(probe), "youthcity_outbox_backlog", service="probe")

    rpc.probe.write_note(text="held 1")
    rpc.probe.write_note(text="held 2")
    wait_for(lambda: backlog() == 2, timeout=10, message="the backlog counting two rows")
    relay._publisher = working
    wait_for(lambda: backlog() == 0, timeout=10, message="the backlog published")


def test_dead_letter_and_retry_queues_exist_for_each_consumer(probe_sink, amqp_uri):
    probe_sink(handler_retry_delays=(1, 5))
    with Connection(amqp_uri) as conn:
        channel = conn.channel()
        for queue in (
            inbox_queue("sink"),
            dead_letter_queue("sink"),
            "sink.inbox.retry.1s",
            "sink.inbox.retry.5s",
        ):
            channel.queue_declare(queue, passive=True)
