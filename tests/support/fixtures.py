"""Fixtures every level of the suite shares.

* `amqp_uri`: a RabbitMQ virtual host of this test run's own, created and deleted here, so the
  tests never take messages from `make run` (or from another test run) on the same broker.
* `backend` / `databases`: SQLite files under the test's tmp dir, or PostgreSQL databases of
  this run (created, migrated, dropped at the end), for tests that run on both.
* `start_service`: a real nameko container of a service, against the run's vhost and a real
  database; stopped after the test.
* `platform`: the whole platform started as `make run` starts it (`youthcity up`), once per
  session, for the e2e tests; `platform_clock` moves the clock of all its processes.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import eventlet
import pytest
from nameko.containers import ServiceContainer

from services.common.clock import clock
from services.common.config import Settings
from services.common.migrations import upgrade
from services.common.registry import settings_class_of

from .infra import (
    RUN_ID,
    PostgresDatabases,
    missing,
    postgres_base_url,
    virtual_host,  # noqa: F401 - tests import them from here
)
from .platform import running_platform, travel_platform

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def amqp_uri():
    """The vhost of the containers tests start themselves (`start_service`)."""
    with virtual_host("run") as uri:
        yield uri


@pytest.fixture(scope="session")
def platform_amqp_uri():
    """The session platform's own vhost: its services must not share queues with the
    containers integration tests start (they would take each other's calls)."""
    with virtual_host("platform") as uri:
        yield uri


@pytest.fixture(scope="session")
def postgres():
    base = postgres_base_url()
    if base is None:
        missing(
            "DATABASE_URL names no PostgreSQL server "
            "(e.g. DATABASE_URL=postgresql://postgres@127.0.0.1:5432/youthcity make test)"
        )
    manager = PostgresDatabases(base)
    problem = manager.problem()
    if problem:
        missing(f"PostgreSQL at DATABASE_URL is not reachable ({problem})")
    yield manager
    manager.drop_all()


def pytest_generate_tests(metafunc):
    """The database a test runs on. A test of what depends on the database itself (the kit's
    transactions and locks, migrations, the messaging tables, the services' locking sweeps),
    marked `both_backends`, runs on SQLite and on PostgreSQL; any other runs once, on SQLite,
    the embedded default `make run` uses, while the end-to-end tests run the whole platform on
    PostgreSQL whenever DATABASE_URL names one, so every service's SQL meets both. A test that
    names its backend (`parametrize("backend", [...], indirect=True)`) keeps it."""
    if "backend" not in metafunc.fixturenames:
        return
    named = any(
        marker.args and marker.args[0] == "backend"
        for marker in metafunc.definition.iter_markers("parametrize")
    )
    if not named:
        both = metafunc.definition.get_closest_marker("both_backends") is not None
        metafunc.parametrize(
            "backend", ["sqlite", "postgres"] if both else ["sqlite"], indirect=True
        )


@pytest.fixture
def backend(request) -> str:
    """The database the test runs on: `sqlite` or `postgres` (`pytest_generate_tests`)."""
    return request.param


class Databases:
    """Empty or migrated databases on one backend, named per test."""

    def __init__(self, backend: str, tmp_dir: Path, postgres: PostgresDatabases | None):
        self.backend = backend
        self.tmp_dir = tmp_dir
        self.postgres = postgres
        self._count = 0

    def create(self, label: str = "db") -> str:
        self._count += 1
        name = f"yct_{RUN_ID}_{label}_{self._count}"
        if self.backend == "sqlite":
            return f"sqlite:///{self.tmp_dir / (name + '.sqlite3')}"
        return self.postgres.create(name)

    def migrated(self, package: str) -> str:
        url = self.create(package.rsplit(".", 1)[-1])
        upgrade(package, url)
        return url


@pytest.fixture
def databases(backend, request, tmp_path) -> Databases:
    postgres = request.getfixturevalue("postgres") if backend == "postgres" else None
    return Databases(backend, tmp_path, postgres)


def settings_for(
    service: str, amqp_uri: str, database_url: str = "", env: dict | None = None, **overrides
) -> Settings:
    """The settings a process of `service` would read from this process's environment and
    `env`, on the test's broker and database, probes on a free port; then `overrides`."""
    settings = settings_class_of(service).from_env(service, 0, {**os.environ, **(env or {})})
    return settings.with_overrides(
        **{
            "amqp_uri": amqp_uri,
            "database_url": database_url,
            "metrics_host": "127.0.0.1",
            "max_workers": 8,
            "db_pool_size": 10,
            **overrides,
        }
    )


@pytest.fixture
def start_service(amqp_uri):
    """Start a service container: `start_service(JobsService, database_url, **settings)`."""
    started: list[ServiceContainer] = []

    def start(
        service_cls: type, database_url: str = "", extra_config: dict | None = None, **overrides
    ):
        settings = settings_for(service_cls.name, amqp_uri, database_url, **overrides)
        container = ServiceContainer(service_cls, settings.nameko_config() | (extra_config or {}))
        container.start()
        started.append(container)
        return container

    yield start
    for container in reversed(started):
        stop_container(container)


def stop_container(container: ServiceContainer, grace: float = 10) -> None:
    with eventlet.Timeout(grace, False):
        container.stop()
        return
    container.kill()


@pytest.fixture(scope="session")
def platform(platform_amqp_uri, tmp_path_factory):
    """The whole platform on its own vhost: on PostgreSQL when DATABASE_URL names one."""
    with running_platform(platform_amqp_uri, tmp_path_factory.mktemp("platform")) as running:
        yield running


@pytest.fixture
def platform_clock(platform_amqp_uri, platform):
    """`platform_clock(instant)` moves the clock of every process of the session's platform
    and of this test process (ISO text with a zone), so test data dated from the clock
    (`tests/support/dates.py`) agree with the platform; both go back to real time after the
    test. A test that counts indicators moves to a period no other test uses."""

    def travel(to: str) -> dict:
        clock.travel_to(datetime.fromisoformat(to))
        return travel_platform(platform_amqp_uri, to)

    yield travel
    travel_platform(platform_amqp_uri, None)


@pytest.fixture(autouse=True)
def _real_time_again():
    """A test that moves this process's clock (`clock.travel_to`, or a service in this process
    over `travel_clock`) leaves real time to the next."""
    yield
    clock.reset()


@pytest.fixture(scope="session")
def api(platform):
    """The public API of the session's platform, as a front end uses it (`tests.support.api`)."""
    from .api import Api

    return Api(platform.url)
