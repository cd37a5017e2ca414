"""Each process's broker account (youthcity/broker.py) on the real broker: it publishes its own
event types to its own exchange, only RPC callers call, and it cannot publish to another
service's exchange or read its queue; only the gateway publishes to `gateway.events`; an
outside subscriber binds its own queue to its own deliveries on `partners.events` and can
publish nothing."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import uuid
from urllib.parse import urlsplit

import amqp
import pytest
from kombu import Connection

from services.common.amqp import RPC_EXCHANGE, events_exchange, inbox_queue
from services.common.config import Settings
from services.notify.contract import PARTNER_EXCHANGE
from tests.support.infra import virtual_host
from youthcity.broker import (
    RPC_CALLS,
    BrokerAdmin,
    platform_permissions,
    remove_platform,
    subscriber_permissions,
    subscriber_topic_keys,
    topic_keys,
)

#: the id of the bank's webhook subscription asking for delivery on the broker
BANK_SUBSCRIPTION = "5f1c2d9e-0000-4000-8000-000000000001"


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
            channel.exchange_declare(PARTNER_EXCHANGE, "topic", durable=True)
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
            admin.account_name("bank"),
            subscriber_permissions("bank"),
            subscriber_topic_keys([BANK_SUBSCRIPTION]),
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


def test_a_subscriber_binds_its_own_queue_to_its_deliveries_only_and_publishes_nothing(broker):
    queue = f"bank.{uuid.uuid4().hex[:8]}"

    def bind(exchange: str, routing_key: str):
        def action(channel):
            channel.queue_declare(queue, durable=False, auto_delete=True)
            channel.queue_bind(queue, exchange, routing_key=routing_key)

        return action

    # what notify delivers to its subscription, within its grants, and nothing else
    assert not refused(broker["subscriber"], bind(PARTNER_EXCHANGE, BANK_SUBSCRIPTION))
    assert refused(broker["subscriber"], bind(PARTNER_EXCHANGE, "#"))
    assert refused(broker["subscriber"], bind(PARTNER_EXCHANGE, "another-subscription"))
    # never a service's exchange, where events carry the acting officer's id
    assert refused(broker["subscriber"], bind(events_exchange("startup"), "#"))
    assert refused(broker["subscriber"], consume(inbox_queue("startup")))
    for exchange in (PARTNER_EXCHANGE, events_exchange("startup"), RPC_EXCHANGE, ""):
        assert refused(broker["subscriber"], publish(exchange, queue)), exchange
    # notify publishes partners' deliveries; no other service may
    assert not refused(broker["notify"], publish(PARTNER_EXCHANGE, BANK_SUBSCRIPTION))
    assert refused(broker["jobs"], publish(PARTNER_EXCHANGE, BANK_SUBSCRIPTION))


def test_the_compose_job_writes_each_process_its_own_account_and_keeps_it(tmp_path):
    """`youthcity broker accounts` (the compose stack's one-shot job) on the real broker: a URI
    per process in a file only its owner reads, which `AMQP_URI_FILE` hands to the process's
    settings; run again, it keeps the passwords, so running processes still reconnect."""
    with virtual_host("compose") as admin_uri:
        with Connection(admin_uri) as conn:
            conn.channel().exchange_declare(events_exchange("gateway"), "topic", durable=True)

        def run_job():
            subprocess.run(
                [sys.executable, "-m", "youthcity", "broker", "accounts", "--write-dir", tmp_path],
                env={**os.environ, "AMQP_URI": admin_uri},
                check=True,
                capture_output=True,
            )
            return {p: (tmp_path / p / "amqp_uri").read_text() for p in platform_permissions()}

        try:
            first = run_job()
            assert len({urlsplit(uri).username for uri in first.values()}) == len(first)
            assert {stat.S_IMODE((tmp_path / p / "amqp_uri").stat().st_mode) for p in first} == {
                0o400
            }
            jobs = Settings.from_env(
                "jobs", env={"AMQP_URI_FILE": str(tmp_path / "jobs" / "amqp_uri")}
            ).amqp_uri
            assert jobs == first["jobs"].strip()
            assert refused(jobs, publish(events_exchange("gateway"), "youthcity.gateway.a.b"))
            assert run_job() == first
            assert not refused(
                first["gateway"].strip(),
                publish(events_exchange("gateway"), "youthcity.gateway.a.b"),
            )
        finally:
            remove_platform(admin_uri)
