"""Processes killed where it hurts most, and relays competing: nothing lost, nothing applied twice.

Services run as real processes here (`tests.support.probe_service`), on PostgreSQL, and are
killed with SIGKILL at the fault point named by `YOUTHCITY_FAULT_POINT`.
"""

import contextlib
import json
import os
import signal
import time

import pytest
import sqlalchemy as sa

from services.common.config import Settings
from services.common.context import CallContext
from services.common.db import UnitOfWork, create_engine_for
from services.common.errors import ServiceTimeout, ServiceUnavailable
from services.common.outbox import OutboxWriter
from services.common.rpc import StandaloneRpc
from tests.support.infra import free_port
from tests.support.messaging import (
    Subscriber,
    applied_count,
    delete_consumer_queues,
    probe_and_sink_databases,
    scalar,
    start_process,
    stop_process,
    wait_for,
)
from tests.support.probe_service import PROBE_EVENTS, Note, ProbeBase

pytestmark = pytest.mark.parametrize("backend", ["postgres"], indirect=True)


@pytest.fixture(autouse=True)
def empty_sink_queues(amqp_uri):
    delete_consumer_queues(amqp_uri, "sink")


@pytest.fixture
def env(amqp_uri, databases):
    probe_url, sink_url = probe_and_sink_databases(databases)
    return {
        "AMQP_URI": amqp_uri,
        "PROBE_DATABASE_URL": probe_url,
        "SINK_DATABASE_URL": sink_url,
        "OUTBOX_POLL_INTERVAL": "1",
        "HANDLER_RETRY_DELAYS": "1",
    }


@pytest.fixture
def processes():
    started = []

    def start(kind, env, **extra):
        process = start_process(kind, {**env, "METRICS_PORT": str(free_port()), **extra})
        started.append(process)
        return process

    yield start
    for process in started:
        stop_process(process)


def wait_ready(rpc, service: str, timeout: float = 20) -> None:
    def answers():
        try:
            return getattr(rpc.with_timeout(1), service).ping() == "pong"
        except (ServiceUnavailable, ServiceTimeout):
            return False

    wait_for(answers, timeout=timeout, interval=0.2, message=f"{service} answering")


def wait_consumer_ready(amqp_uri: str, timeout: float = 20) -> None:
    from kombu import Connection

    def consuming():
        with Connection(amqp_uri) as conn:
            try:
                return conn.channel().queue_declare("sink.inbox", passive=True).consumer_count > 0
            except Exception:
                return False

    wait_for(consuming, timeout=timeout, interval=0.2, message="sink consuming")


def test_two_relays_publish_a_thousand_rows_each_exactly_once(env, processes, amqp_uri):
    engine = create_engine_for(env["PROBE_DATABASE_URL"])
    writer = OutboxWriter(ProbeBase.metadata, Settings(service="probe"), PROBE_EVENTS)
    with UnitOfWork(engine, CallContext.system(), writer) as uow:
        for n in range(1000):
            uow.session.add(Note(id=n + 1, text=f"bulk {n}"))
            uow.record("note.written", subject=n + 1, data={"id": n + 1, "text": f"bulk {n}"})
        uow.commit()
    engine.dispose()

    subscriber = Subscriber(amqp_uri, "probe.events", "plain-subscriber")
    first, second = processes("probe", env), processes("probe", env)
    received = subscriber.drain(until_count=1000, timeout=60)
    time.sleep(1.5)  # room for a duplicate to show up
    subscriber.drain(until_count=10_000, timeout=0.5)
    ids = subscriber.event_ids()
    assert len(set(ids)) == 1000
    assert len(ids) == 1000, f"{len(ids) - len(set(ids))} duplicates"
    assert len(received) >= 1000
    assert first.poll() is None and second.poll() is None
    assert (
        scalar(env["PROBE_DATABASE_URL"], "SELECT count(*) FROM outbox WHERE published_at IS NULL")
        == 0
    )
    subscriber.close()


def test_killed_between_commit_and_publish_the_event_is_published_after_restart(
    env, processes, amqp_uri
):
    processes("sink", env)
    wait_consumer_ready(amqp_uri)
    doomed = processes("probe", env, YOUTHCITY_FAULT_POINT="outbox.committed")
    with StandaloneRpc(amqp_uri, timeout=3) as rpc:
        wait_ready(rpc, "probe")
        with pytest.raises((ServiceUnavailable, ServiceTimeout)):
            rpc.probe.write_note(text="committed, then killed")
        assert doomed.wait(timeout=10) == -signal.SIGKILL
        assert (
            scalar(
                env["PROBE_DATABASE_URL"], "SELECT count(*) FROM outbox WHERE published_at IS NULL"
            )
            == 1
        )
        assert applied_count(env["SINK_DATABASE_URL"]) == 0

        processes("probe", env)
        wait_for(
            lambda: applied_count(env["SINK_DATABASE_URL"], "committed, then killed") == 1,
            timeout=20,
        )
    time.sleep(1)
    assert applied_count(env["SINK_DATABASE_URL"]) == 1


def test_killed_between_confirm_and_mark_the_republished_event_is_applied_once(
    env, processes, amqp_uri
):
    processes("sink", env)
    wait_consumer_ready(amqp_uri)
    doomed = processes("probe", env, YOUTHCITY_FAULT_POINT="relay.confirmed")
    with StandaloneRpc(amqp_uri, timeout=5) as rpc:
        wait_ready(rpc, "probe")
        # the relay may kill the process before the reply leaves
        with contextlib.suppress(ServiceUnavailable, ServiceTimeout):
            rpc.probe.write_note(text="published twice")
        assert doomed.wait(timeout=10) == -signal.SIGKILL
        wait_for(
            lambda: applied_count(env["SINK_DATABASE_URL"], "published twice") == 1, timeout=20
        )
        assert (
            scalar(
                env["PROBE_DATABASE_URL"], "SELECT count(*) FROM outbox WHERE published_at IS NULL"
            )
            == 1
        )

        processes("probe", env)  # republishes the row it finds unmarked
        wait_for(
            lambda: (
                scalar(
                    env["PROBE_DATABASE_URL"],
                    "SELECT count(*) FROM outbox WHERE published_at IS NULL",
                )
                == 0
            ),
            timeout=20,
        )
    time.sleep(1.5)
    assert applied_count(env["SINK_DATABASE_URL"], "published twice") == 1
    assert scalar(env["SINK_DATABASE_URL"], "SELECT count(*) FROM inbox") == 1


def test_killed_between_effect_and_ack_the_redelivered_event_is_applied_once(
    env, processes, amqp_uri
):
    doomed = processes("sink", env, YOUTHCITY_FAULT_POINT="inbox.applied")
    wait_consumer_ready(amqp_uri)
    processes("probe", env)
    with StandaloneRpc(amqp_uri, timeout=5) as rpc:
        wait_ready(rpc, "probe")
        rpc.probe.write_note(text="applied, then killed")
    assert doomed.wait(timeout=10) == -signal.SIGKILL
    assert applied_count(env["SINK_DATABASE_URL"], "applied, then killed") == 1

    processes("sink", env)
    wait_for(lambda: scalar(env["SINK_DATABASE_URL"], "SELECT count(*) FROM inbox") == 1, timeout=5)
    time.sleep(2)  # the broker redelivers the unacknowledged message to the new process
    assert applied_count(env["SINK_DATABASE_URL"], "applied, then killed") == 1
    with create_engine_for(env["SINK_DATABASE_URL"]).connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM applied_note")).scalar() == 1


def test_a_hung_service_times_out_and_does_not_run_the_request_when_it_wakes(
    env, processes, amqp_uri
):
    probe = processes("probe", env)
    with StandaloneRpc(amqp_uri, timeout=5) as rpc:
        wait_ready(rpc, "probe")
        os.kill(probe.pid, signal.SIGSTOP)
        try:
            started = time.monotonic()
            with pytest.raises(ServiceTimeout):
                rpc.with_timeout(1).probe.write_note(text="asked while hung")
            assert time.monotonic() - started < 1.5
        finally:
            os.kill(probe.pid, signal.SIGCONT)
        wait_ready(rpc, "probe")
        time.sleep(0.5)
    assert (
        scalar(
            env["PROBE_DATABASE_URL"], "SELECT count(*) FROM note WHERE text = 'asked while hung'"
        )
        == 0
    )


def test_event_bodies_carry_ids_not_people(env, processes, amqp_uri):
    subscriber = Subscriber(amqp_uri, "probe.events", "body-check")
    processes("probe", env)
    with StandaloneRpc(amqp_uri, timeout=5) as rpc:
        wait_ready(rpc, "probe")
        rpc.probe.write_note(text="hello")
    ((_, message),) = subscriber.drain(until_count=1)
    body = json.loads(message.body)
    assert set(body) == {
        "specversion",
        "id",
        "source",
        "type",
        "time",
        "datacontenttype",
        "data",
        "subject",
        "requestid",
    }
    subscriber.close()
