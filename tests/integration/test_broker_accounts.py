"""Each process's broker account (youthcity/broker.py) on the real broker: it publishes its own
event types to its own exchange, only RPC callers call, and it cannot publish to another
service's exchange or read its queue; only the gateway publishes to `gateway.events`; an outside
subscriber binds its own queue to the exchanges it was granted and can publish nothing."""

from __future__ import annotations

import uuid

import amqp
import pytest
from kombu import Connection

from services.common.amqp import RPC_EXCHANGE, events_exchange, inbox_queue
from tests.support.infra import virtual_host
from youthcity.broker import (
    RPC_CALLS,
    BrokerAdmin,
    platform_permissions,
    subscriber_permissions,
    topic_keys,
)


@pytest.fixture(scope="module")
def broker():
    """A vhost with every exchange and inbox declared (as the platform leaves them), the
    platform's accounts and one subscriber's, all removed afterwards."""
    with virtual_host("accounts") as admin_uri:
        with Connection(admin_uri) as conn:
            channel = conn.channel()
            for process in ("gateway", "jobs", "housing", "startup", "events", "notify"):
                channel.exchange_declare(events_exchange(process), "topic", durable=True)
                channel.queue_declare(inbox_queue(process), durable=True, auto_delete=False)
            channel.exchange_declare(RPC_EXCHANGE, "topic", durable=True)
        admin = BrokerAdmin(admin_uri)
        users = {
            process: admin.ensure(
                admin.account_name(process),
                permissions,
                topic_keys(process, RPC_CALLS.get(process, ())),
            )
            for process, permissions in platform_permissions().items()
        }
        users["subscriber"] = admin.ensure(
            admin.account_name("bank"), subscriber_permissions("bank", ["startup"])
        )
        try:
            yield users
        finally:
            for role in (*platform_permissions(), "bank"):
                admin.remove(admin.account_name(role))


def refused(uri: str, action) -> bool:
    """Whether the broker refuses `action(channel)` with 403 ACCESS_REFUSED."""
    with Connection(uri) as conn:
        channel = conn.channel()
        try:
            action(channel)
            channel.basic_qos(0, 1, False)  # a round trip: an asynchronous refusal arrives by now
        except amqp.exceptions.AccessRefused:
            return True
    return False


def publish(exchange: str, routing_key: str = "x"):
    return lambda channel: channel.basic_publish(
        amqp.Message(b"{}"), exchange=exchange, routing_key=routing_key
    )


def consume(queue: str):
    return lambda channel: channel.basic_consume(queue, callback=lambda message: None)


def test_a_service_publishes_its_own_events_and_only_callers_call_rpc(broker):
    assert not refused(broker["jobs"], publish(events_exchange("jobs"), "youthcity.jobs.x.y"))
    assert not refused(broker["jobs"], consume(inbox_queue("jobs")))
    # RPC replies and retries go through the default exchange
    assert not refused(broker["jobs"], publish("", inbox_queue("jobs")))
    assert not refused(broker["gateway"], publish(RPC_EXCHANGE, "housing.check_eligibility"))
    assert not refused(broker["notify"], publish(RPC_EXCHANGE, "gateway.contact_details"))
    assert refused(broker["notify"], publish(RPC_EXCHANGE, "housing.check_eligibility"))
    assert refused(broker["jobs"], publish(RPC_EXCHANGE, "housing.check_eligibility"))
    # its own exchange, but another service's event type: refused by the topic permission
    assert refused(broker["jobs"], publish(events_exchange("jobs"), "youthcity.gateway.x.y"))


def test_a_service_cannot_publish_in_another_services_name_or_read_its_queue(broker):
    assert refused(broker["jobs"], publish(events_exchange("housing")))
    assert refused(broker["jobs"], consume(inbox_queue("notify")))
    assert refused(broker["notify"], consume(inbox_queue("jobs")))


def test_only_the_gateway_publishes_to_gateway_events(broker):
    assert not refused(
        broker["gateway"], publish(events_exchange("gateway"), "youthcity.gateway.a.b")
    )
    for process in ("jobs", "housing", "startup", "events", "notify"):
        assert refused(
            broker[process], publish(events_exchange("gateway"), "youthcity.gateway.a.b")
        )


def test_a_subscriber_binds_its_own_queue_to_what_it_was_granted_and_publishes_nothing(broker):
    queue = f"bank.{uuid.uuid4().hex[:8]}"

    def bind(exchange: str):
        def action(channel):
            channel.queue_declare(queue, durable=False, auto_delete=True)
            channel.queue_bind(queue, exchange, routing_key="#")

        return action

    assert not refused(broker["subscriber"], bind(events_exchange("startup")))
    assert refused(broker["subscriber"], bind(events_exchange("jobs")))
    assert refused(broker["subscriber"], consume(inbox_queue("startup")))
    for exchange in (events_exchange("startup"), RPC_EXCHANGE, ""):
        assert refused(broker["subscriber"], publish(exchange, queue)), exchange
