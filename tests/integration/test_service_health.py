"""Each process starts against the real broker and database and says how it is."""

import pytest
import requests

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
