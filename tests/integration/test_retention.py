"""Retention against the real broker and database: the inbox forgets an event's id only after its
window (a copy inside it is still skipped), sent outbox rows go and pending ones stay, a command's
answer outlives the gateway's key for it, dead
letters expire, and a person's erasure takes their dead letters with it."""

import json
import uuid
from datetime import timedelta

import pytest
from kombu import Connection, Queue

from gateway.settings import GatewaySettings
from services.common.amqp import dead_letter_queue, inbox_queue
from services.common.clock import utcnow
from services.common.commands import answered_once, command_scope
from services.common.db import Database
from services.common.deadletters import (
    expire_dead_letters,
    list_dead_letters,
    purge_dead_letters_naming,
)
from services.common.metrics import RETENTION_PURGED
from services.common.registry import PROCESSES
from services.common.retention import sweep
from services.common.rpc import StandaloneRpc
from tests.support.messaging import (
    Subscriber,
    applied_count,
    delete_consumer_queues,
    probe_and_sink_databases,
    scalar,
    signed,
    wait_for,
)
from tests.support.notify import publish_event
from tests.support.probe_service import ProbeService, SinkService

#: the database's own behaviour (what a DELETE finds): on both backends
pytestmark = pytest.mark.both_backends


def database_of(container) -> Database:
    return next(d for d in container.dependencies if isinstance(d, Database))


def purged(service: str, kind: str) -> float:
    return RETENTION_PURGED.labels(service, kind)._value.get()


def republish(amqp_uri: str, service: str, message) -> None:
    with Connection(amqp_uri) as conn:
        conn.Producer().publish(
            message.body,
            headers=signed(message.body),
            routing_key=inbox_queue(service),
            content_type=message.content_type,
            content_encoding="utf-8",
            delivery_mode=2,
        )


def test_an_event_id_is_forgotten_only_after_its_window_so_copies_inside_it_are_skipped(
    start_service, databases, amqp_uri
):
    delete_consumer_queues(amqp_uri, "sink")
    probe_url, sink_url = probe_and_sink_databases(databases)
    probe = start_service(ProbeService, probe_url)
    sink = start_service(SinkService, sink_url)
    tap = Subscriber(amqp_uri, "probe.events", "tap-retention")
    with StandaloneRpc(amqp_uri, timeout=5) as rpc:
        rpc.probe.write_note(text="kept")
    ((_, original),) = tap.drain(until_count=1)
    tap.close()
    wait_for(lambda: applied_count(sink_url, "kept") == 1, message="applied")
    wait_for(
        lambda: scalar(probe_url, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0,
        message="the outbox row marked sent",
    )
    settings = sink.config["YOUTHCITY"]

    # a day short of the window: the id stays, and a copy (a replayed dead letter) is skipped
    inside = utcnow() + timedelta(days=settings.inbox_retention_days - 1)
    assert sweep(database_of(sink), now=inside)["inbox"] == 0
    republish(amqp_uri, "sink", original)
    wait_for(lambda: scalar(sink_url, "SELECT count(*) FROM inbox") == 1)
    with pytest.raises(AssertionError):
        wait_for(lambda: applied_count(sink_url, "kept") > 1, timeout=1)

    # past the window the id is gone (and counted): which is why the window must outlast every
    # way a copy can arrive, dead letters' retention included
    before = purged("sink", "inbox")
    past = utcnow() + timedelta(days=settings.inbox_retention_days + 1)
    assert sweep(database_of(sink), now=past)["inbox"] == 1
    assert scalar(sink_url, "SELECT count(*) FROM inbox") == 0
    assert purged("sink", "inbox") == before + 1

    # the probe's sent row goes after its own window; a pending one is never old enough
    with database_of(probe).unit_of_work() as uow:
        uow.session.execute(
            uow.outbox_table.insert().values(
                event_id=str(uuid.uuid4()), type="t", time=utcnow(), data="{}", published_at=None
            )
        )
        uow.commit()
    later = utcnow() + timedelta(days=settings.outbox_retention_days + 1)
    assert sweep(database_of(probe), now=later)["outbox"] == 1
    assert scalar(probe_url, "SELECT count(*) FROM outbox") == 1
    assert scalar(probe_url, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 1


def dead_letter(amqp_uri: str, service: str, person_id: str, dead_at) -> str:
    """A letter as the consumer dead-letters it: the event's body, a reason, a time of death."""
    message_id = str(uuid.uuid4())
    body = json.dumps({"id": message_id, "data": {"person_id": person_id}}).encode()
    queue = Queue(dead_letter_queue(service), durable=True)
    with Connection(amqp_uri) as conn:
        conn.Producer().publish(
            body,
            routing_key=queue.name,
            declare=[queue],
            message_id=message_id,
            headers={"x-death-reason": "handler_failed", "x-dead-at": dead_at.isoformat()},
            delivery_mode=2,
        )
    return message_id


def test_dead_letters_expire_after_their_window_and_with_the_person_they_name(amqp_uri):
    delete_consumer_queues(amqp_uri, "retained")
    now = utcnow()
    old = dead_letter(amqp_uri, "retained", "person-a", now - timedelta(days=20))
    young_a = dead_letter(amqp_uri, "retained", "person-a", now - timedelta(days=1))
    young_b = dead_letter(amqp_uri, "retained", "person-b", now - timedelta(days=1))

    assert expire_dead_letters(amqp_uri, "retained", now - timedelta(days=14)) == 1
    assert [d.message_id for d in list_dead_letters(amqp_uri, "retained")] == [young_a, young_b]
    assert old not in {d.message_id for d in list_dead_letters(amqp_uri, "retained")}

    assert purge_dead_letters_naming(amqp_uri, "retained", "person-a") == 1
    assert [d.message_id for d in list_dead_letters(amqp_uri, "retained")] == [young_b]


def test_an_erasure_takes_the_persons_dead_letters_with_it(start_service, databases, amqp_uri):
    spec = PROCESSES["jobs"]
    delete_consumer_queues(amqp_uri, "jobs")
    url = databases.migrated(spec.package)
    start_service(spec.load(), url)
    erased, other = str(uuid.uuid4()), str(uuid.uuid4())
    dead_letter(amqp_uri, "jobs", erased, utcnow())
    kept = dead_letter(amqp_uri, "jobs", other, utcnow())

    data = {"person_id": erased, "erasure_id": str(uuid.uuid4()), "erased_at": utcnow()}
    event_id = publish_event(amqp_uri, "gateway", "person.erased", data, subject=erased)

    # listing holds the letters for a moment, hiding them from the purge: look once it is done
    wait_for(
        lambda: scalar(url, "SELECT count(*) FROM inbox WHERE event_id = :id", id=event_id),
        message="the erasure applied",
    )
    assert [d.message_id for d in list_dead_letters(amqp_uri, "jobs")] == [kept]


def test_a_commands_answer_is_kept_through_the_keys_lifetime_then_forgotten(
    start_service, databases
):
    probe_url, _ = probe_and_sink_databases(databases)
    database = database_of(start_service(ProbeService, probe_url))
    settings = database.container.config["YOUTHCITY"]
    runs = []

    def command():
        with database.unit_of_work() as uow:
            runs.append(1)
            uow.commit()
        return {"runs": len(runs)}

    with command_scope("c-1"):
        assert answered_once(database, None, command) == {"runs": 1}
    # a repeat as late as the gateway keeps its key still gets the first answer
    assert settings.command_retention_days * 24 > GatewaySettings.idempotency_key_hours
    inside = utcnow() + timedelta(days=settings.command_retention_days) - timedelta(hours=1)
    assert sweep(database, now=inside)["command"] == 0
    with command_scope("c-1"):
        assert answered_once(database, None, command) == {"runs": 1}

    past = utcnow() + timedelta(days=settings.command_retention_days, hours=1)
    assert sweep(database, now=past)["command"] == 1
    assert scalar(probe_url, "SELECT count(*) FROM command") == 0
