"""The real infrastructure the tests use, and what to do when a piece is missing.

Outside CI a missing broker or PostgreSQL skips the tests that need it, with a message saying
what is missing; under `CI=true` it fails them, so a CI run can never pass by skipping.
"""

from __future__ import annotations

import os
import random
import shutil
import socket
import subprocess
import uuid
from contextlib import contextmanager
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
import requests
import sqlalchemy as sa
from kombu import Connection

from services.common.config import DEFAULT_AMQP_URI
from services.common.db import normalise_url

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
RUN_ID = uuid.uuid4().hex[:8]


def missing(what: str) -> None:
    """Skip (or, under CI, fail) because `what` is not available."""
    if IN_CI:
        pytest.fail(f"CI=true and {what}", pytrace=False)
    pytest.skip(what)


def base_amqp_uri() -> str:
    return os.environ.get("AMQP_URI") or DEFAULT_AMQP_URI


def broker_reachable(uri: str) -> str | None:
    try:
        with Connection(uri, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


class VirtualHosts:
    """Creates and deletes RabbitMQ virtual hosts, so each test run has a broker of its own.

    `rabbitmqctl` when the broker is local; the management API when
    `RABBITMQ_MANAGEMENT_URL` (for example http://guest:guest@127.0.0.1:15672) is set.
    """

    def __init__(self, amqp_uri: str):
        parts = urlsplit(amqp_uri)
        self.base = parts
        self.user = parts.username or "guest"
        self.management = os.environ.get("RABBITMQ_MANAGEMENT_URL")

    def uri(self, vhost: str) -> str:
        return urlunsplit(self.base._replace(path="/" + quote(vhost, safe="")))

    def create(self, vhost: str) -> str:
        if self.management:
            api = self.management.rstrip("/")
            requests.put(f"{api}/api/vhosts/{quote(vhost, safe='')}", timeout=10).raise_for_status()
            requests.put(
                f"{api}/api/permissions/{quote(vhost, safe='')}/{self.user}",
                json={"configure": ".*", "write": ".*", "read": ".*"},
                timeout=10,
            ).raise_for_status()
        else:
            self._ctl("add_vhost", vhost)
            self._ctl("set_permissions", "-p", vhost, self.user, ".*", ".*", ".*")
        return self.uri(vhost)

    def delete(self, vhost: str) -> None:
        if self.management:
            requests.delete(
                f"{self.management.rstrip('/')}/api/vhosts/{quote(vhost, safe='')}", timeout=10
            )
        else:
            self._ctl("delete_vhost", vhost, check=False)

    @staticmethod
    def available() -> bool:
        return (
            bool(os.environ.get("RABBITMQ_MANAGEMENT_URL"))
            or shutil.which("rabbitmqctl") is not None
        )

    @staticmethod
    def _ctl(*args: str, check: bool = True) -> None:
        subprocess.run(["rabbitmqctl", "-q", *args], check=check, capture_output=True, timeout=60)


def postgres_base_url() -> str | None:
    """The PostgreSQL server named by DATABASE_URL, if DATABASE_URL names one."""
    url = os.environ.get("DATABASE_URL", "")
    if not url or normalise_url(url.replace("{service}", "x")).get_backend_name() != "postgresql":
        return None
    return url


class PostgresDatabases:
    """Creates the databases of one test run on a PostgreSQL server and drops them after."""

    def __init__(self, base_url: str):
        self.base = normalise_url(base_url.replace("{service}", "x"))
        self.created: list[str] = []

    def _admin(self) -> sa.Engine:
        return sa.create_engine(
            self.base.set(database="postgres"),
            isolation_level="AUTOCOMMIT",
            poolclass=sa.pool.NullPool,
        )

    def problem(self) -> str | None:
        try:
            with self._admin().connect() as conn:
                conn.exec_driver_sql("SELECT 1")
        except Exception as exc:
            return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
        return None

    def url(self, name: str) -> str:
        return self.base.set(database=name).render_as_string(hide_password=False)

    def create(self, name: str) -> str:
        engine = self._admin()
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        engine.dispose()
        self.created.append(name)
        return self.url(name)

    def drop_all(self) -> None:
        engine = self._admin()
        with engine.connect() as conn:
            for name in self.created:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        engine.dispose()
        self.created.clear()


#: listening ports for the tests' servers, below Linux's ephemeral range (32768-60999): a port
#: the kernel hands out is one an outgoing connection (to RabbitMQ, to PostgreSQL) may take
#: between the moment it is found free and the moment a server binds it
LISTENING_PORTS = range(20000, 32000)
_ports = random.Random()


def free_port() -> int:
    return free_port_range(1)


def free_port_range(count: int) -> int:
    """The first of `count` consecutive free ports, outside the ephemeral range."""
    for _ in range(200):
        base = _ports.randrange(LISTENING_PORTS.start, LISTENING_PORTS.stop - count)
        try:
            socks = []
            for port in range(base, base + count):
                sock = socket.socket()
                socks.append(sock)
                sock.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for sock in socks:
                sock.close()
    raise RuntimeError("no free port range")


@contextmanager
def virtual_host(label: str):
    """A RabbitMQ virtual host `yct-<run>-<label>` of the caller's own, deleted after.

    Queues outlive a test in a vhost, and the e2e platform keeps its services running for the
    whole session: a test starting its own container of a service needs a vhost where nothing
    else consumes `rpc-<service>` or `<service>.inbox`."""
    base = base_amqp_uri()
    problem = broker_reachable(base)
    if problem:
        missing(f"RabbitMQ is not reachable ({problem}); start it with `rabbitmq-server -detached`")
    if not VirtualHosts.available():
        missing("cannot create a virtual host: no rabbitmqctl and no RABBITMQ_MANAGEMENT_URL")
    hosts = VirtualHosts(base)
    name = f"yct-{RUN_ID}-{label}"
    uri = hosts.create(name)
    try:
        yield uri
    finally:
        hosts.delete(name)
