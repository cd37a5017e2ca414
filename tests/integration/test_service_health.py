"""Each process starts against the real broker and database and says how it is."""

import pytest
import requests
import sqlalchemy as sa

from services.common.db import create_engine_for
from services.common.migrations import head_revisions
from services.common.registry import PROCESSES


def ops_port(container) -> int:
    for extension in container.subextensions:
        if type(extension).__name__ == "OpsServer":
            return extension.port
    raise AssertionError("no OpsServer in the container")


@pytest.mark.parametrize("process", list(PROCESSES))
def test_a_migrated_service_is_alive_and_ready(start_service, databases, process):
    spec = PROCESSES[process]
    container = start_service(spec.load(), databases.migrated(spec.package))
    port = ops_port(container)
    assert requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).json()["status"] == "alive"
    ready = requests.get(f"http://127.0.0.1:{port}/readyz", timeout=5)
    assert ready.status_code == 200, ready.text
    checks = ready.json()["checks"]
    assert checks["db"]["ok"] and checks["broker"]["ok"]
    metrics = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5)
    assert "youthcity_entrypoint_seconds" in metrics.text


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_service_whose_schema_is_behind_is_not_ready(start_service, databases):
    spec = PROCESSES["jobs"]
    container = start_service(spec.load(), databases.create("empty"))
    ready = requests.get(f"http://127.0.0.1:{ops_port(container)}/readyz", timeout=5)
    assert ready.status_code == 503
    assert "schema at nothing" in ready.json()["checks"]["db"]["detail"]


def stamp_next_release(url: str, compatible: list[str]) -> None:
    """The database as the next release's migration leaves it: at a revision this code has no
    file for, with the code it still serves written beside it."""
    engine = create_engine_for(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE alembic_version SET version_num = 'next_release_0001'"))
            conn.execute(sa.text("DELETE FROM schema_compatibility"))
            for revision in compatible:
                conn.execute(
                    sa.text("INSERT INTO schema_compatibility (revision) VALUES (:r)"),
                    {"r": revision},
                )
    finally:
        engine.dispose()


@pytest.mark.both_backends
def test_the_release_before_stays_ready_on_the_next_ones_expand_migration(start_service, databases):
    spec = PROCESSES["jobs"]
    url = databases.migrated(spec.package)
    (head,) = head_revisions(spec.package)
    stamp_next_release(url, ["next_release_0001", head])
    container = start_service(spec.load(), url)
    ready = requests.get(f"http://127.0.0.1:{ops_port(container)}/readyz", timeout=5)
    assert ready.status_code == 200, ready.text
    assert "ahead of this code" in ready.json()["checks"]["db"]["detail"]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_schema_ahead_that_dropped_what_this_code_uses_is_not_ready(start_service, databases):
    spec = PROCESSES["jobs"]
    url = databases.migrated(spec.package)
    stamp_next_release(url, ["next_release_0001"])
    container = start_service(spec.load(), url)
    ready = requests.get(f"http://127.0.0.1:{ops_port(container)}/readyz", timeout=5)
    assert ready.status_code == 503
    assert "not compatible" in ready.json()["checks"]["db"]["detail"]
    # the broker is shared and reported, but never what takes a pod out
    checks = ready.json()["checks"]
    assert checks["broker"]["ok"] and checks["broker"]["gates"] is False
    assert checks["db"]["gates"] is True
