"""The broker accounts the Kubernetes manifests declare, applied to the real broker: each process
started with its own account declares, binds and consumes everything its code needs, and that
account is refused what belongs to other processes; KEDA's account sees queue depths and nothing
else; an outside subscriber's account reads its own queue and cannot publish."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from amqp import Connection, Message
from amqp.exceptions import AccessRefused

from services.common.registry import PROCESSES
from tests.support.infra import free_port, missing, virtual_host
from tests.support.manifests import every_component, of_kind

PASSWORD = "manifest-account"


def _ctl(*args: str) -> str:
    return subprocess.run(
        ["rabbitmqctl", "-q", *args], check=True, capture_output=True, text=True, timeout=60
    ).stdout


@pytest.fixture(scope="module")
def grants() -> dict[str, dict]:
    """User object name → its permissions and topic permissions, as rendered."""
    objects = every_component()
    accounts = {name: {"topics": []} for name in of_kind(objects, "User")}
    for permission in of_kind(objects, "Permission").values():
        accounts[permission["spec"]["userReference"]["name"]]["vhost"] = permission["spec"]
    for topic in of_kind(objects, "TopicPermission").values():
        accounts[topic["spec"]["userReference"]["name"]]["topics"].append(
            topic["spec"]["permissions"]
        )
    return accounts


@pytest.fixture(scope="module")
def broker(grants):
    """A virtual host with every account of the manifests, each under its own user."""
    if shutil.which("rabbitmqctl") is None:
        missing("rabbitmqctl is not installed (the accounts are created with it)")
    with virtual_host("accounts") as uri:
        vhost = urlsplit(uri).path.lstrip("/")
        users = {}
        for account, grant in grants.items():
            user = f"{vhost}-{account}"
            _ctl("add_user", user, PASSWORD)
            rights = grant["vhost"]["permissions"]
            _ctl(
                "set_permissions",
                "-p",
                vhost,
                user,
                rights["configure"],
                rights["write"],
                rights["read"],
            )
            for topic in grant["topics"]:
                _ctl(
                    "set_topic_permissions",
                    "-p",
                    vhost,
                    user,
                    topic["exchange"],
                    topic["write"],
                    topic["read"],
                )
            users[account] = user
        parts = urlsplit(uri)
        try:
            yield {
                "uri": uri,
                "vhost": vhost,
                "users": users,
                "host": parts.hostname,
                "port": parts.port or 5672,
            }
        finally:
            for user in users.values():
                subprocess.run(["rabbitmqctl", "-q", "delete_user", user], capture_output=True)


def _connect(broker, account: str) -> Connection:
    connection = Connection(
        f"{broker['host']}:{broker['port']}",
        userid=broker["users"][account],
        password=PASSWORD,
        virtual_host=broker["vhost"],
        connect_timeout=5,
    )
    connection.connect()
    return connection


def _consumers(vhost: str) -> dict[str, int]:
    lines = _ctl("list_queues", "-p", vhost, "--no-table-headers", "name", "consumers")
    return {name: int(count) for name, count in (line.split() for line in lines.splitlines())}


def test_each_process_runs_with_only_its_own_account(broker, tmp_path):
    entry = str(Path(sys.executable).parent / "youthcity")
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "DATA_DIR": str(tmp_path),
        "METRICS_HOST": "127.0.0.1",
        "GATEWAY_HOST": "127.0.0.1",
        "CALL_CONTEXT_KEYS": os.environ["CALL_CONTEXT_KEYS"],
        "JWT_SECRET": os.environ["JWT_SECRET"],
        "AMQP_QUEUE_TYPE": "quorum",
    }
    subprocess.run([entry, "migrate"], env=env, check=True, capture_output=True, timeout=180)
    processes = {}
    try:
        for name in PROCESSES:
            uri = (
                f"amqp://{broker['users'][f'youthcity-{name}']}:{PASSWORD}@"
                f"{broker['host']}:{broker['port']}/{broker['vhost']}"
            )
            processes[name] = subprocess.Popen(
                [entry, "run", name],
                env={
                    **env,
                    "AMQP_URI": uri,
                    "METRICS_PORT": str(free_port()),
                    "GATEWAY_PORT": str(free_port()),
                },
                stdout=subprocess.DEVNULL,
                stderr=(tmp_path / f"{name}.log").open("w"),
            )
        wanted = {q for name in PROCESSES for q in (f"{name}.inbox", f"rpc-{name}")}
        deadline = time.monotonic() + 90
        while not all(_consumers(broker["vhost"]).get(queue) for queue in wanted):
            for name, process in processes.items():
                log = (tmp_path / f"{name}.log").read_text()
                assert process.poll() is None, f"{name}: {log[-3000:]}"
            assert time.monotonic() < deadline, {
                q: _consumers(broker["vhost"]).get(q) for q in sorted(wanted)
            }
            time.sleep(0.5)
        queues = set(_consumers(broker["vhost"]))
        assert {f"{name}.inbox.dead" for name in PROCESSES} <= queues
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
    logs = {name: (tmp_path / f"{name}.log").read_text() for name in processes}
    assert {name: "ACCESS_REFUSED" in log for name, log in logs.items()} == {
        name: False for name in PROCESSES
    }


def _refused(broker, account: str, action) -> bool:
    connection = _connect(broker, account)
    try:
        action(connection.channel())
    except AccessRefused:
        return True
    finally:
        # the broker may have closed the channel and the connection already
        with contextlib.suppress(Exception):
            connection.close()
    return False


def _publish(exchange: str, key: str):
    def act(channel):
        channel.confirm_select()
        channel.basic_publish_confirm(Message(b"{}"), exchange=exchange, routing_key=key)

    return act


def test_an_account_is_refused_what_belongs_to_other_processes(broker):
    _declare(broker, ["jobs", "gateway", "notify"])
    jobs = "youthcity-jobs"
    assert not _refused(broker, jobs, _publish("jobs.events", "youthcity.jobs.posting.published"))
    assert _refused(broker, jobs, _publish("gateway.events", "youthcity.gateway.person.erased"))
    # its own exchange, but another service's event type
    assert _refused(broker, jobs, _publish("jobs.events", "youthcity.gateway.person.erased"))
    assert _refused(broker, jobs, lambda ch: ch.basic_get("notify.inbox"))
    assert _refused(broker, jobs, lambda ch: ch.queue_delete("notify.inbox"))
    assert _refused(broker, jobs, lambda ch: ch.queue_bind("jobs.inbox", "notify.events", "#"))
    # the RPC exchange: jobs serves calls, it does not make them
    assert _refused(broker, jobs, _publish("nameko-rpc", "gateway.contact_details"))
    assert not _refused(
        broker, "youthcity-notify", _publish("nameko-rpc", "gateway.contact_details")
    )
    assert _refused(broker, "youthcity-notify", _publish("nameko-rpc", "jobs.search_posts"))


def test_keda_sees_queue_depths_and_nothing_else(broker):
    def depth(channel):
        assert channel.queue_declare("jobs.inbox", passive=True).queue == "jobs.inbox"

    _declare(broker, ["jobs"])
    assert not _refused(broker, "youthcity-keda", depth)
    assert _refused(broker, "youthcity-keda", lambda ch: ch.basic_get("jobs.inbox"))
    assert _refused(broker, "youthcity-keda", _publish("jobs.events", "youthcity.jobs.x.y"))


def test_an_outside_subscriber_reads_its_queue_and_cannot_publish(broker):
    _declare(broker, ["jobs", "gateway"], queues=["partner-example.events"])
    partner = "youthcity-partner-example"
    assert not _refused(broker, partner, lambda ch: ch.basic_get("partner-example.events"))
    assert _refused(broker, partner, lambda ch: ch.basic_get("jobs.inbox"))
    assert _refused(broker, partner, _publish("jobs.events", "youthcity.jobs.posting.published"))
    assert _refused(broker, partner, _publish("", "partner-example.events"))
    assert _refused(
        broker, partner, lambda ch: ch.queue_bind("partner-example.events", "gateway.events", "#")
    )


def _declare(broker, services: list[str], queues: list[str] = ()) -> None:
    """What the services declare at start (the same arguments, so either may come first)."""
    connection = _connect_admin(broker)
    channel = connection.channel()
    quorum = {"x-queue-type": "quorum"}
    for name in services:
        channel.exchange_declare(f"{name}.events", "topic", durable=True, auto_delete=False)
        channel.queue_declare(f"{name}.inbox", durable=True, auto_delete=False, arguments=quorum)
    for queue in queues:
        channel.queue_declare(queue, durable=True, auto_delete=False, arguments=quorum)
    connection.close()


def _connect_admin(broker) -> Connection:
    parts = urlsplit(broker["uri"])
    connection = Connection(
        f"{broker['host']}:{broker['port']}",
        userid=parts.username or "guest",
        password=parts.password or "guest",
        virtual_host=broker["vhost"],
    )
    connection.connect()
    return connection
