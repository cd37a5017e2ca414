"""A crowd signing in at once does not take the gateway past its memory limit: password hashes
use explicit Argon2id parameters and at most two are computed at a time (gateway/auth.py)."""

from __future__ import annotations

import time
from pathlib import Path

import eventlet

from tests.support.api import PASSWORD
from tests.support.platform import process_of

#: the gateway container's memory limit in Kubernetes (deploy/k8s/base/gateway.yaml)
GATEWAY_MEMORY_LIMIT_MB = 256


def resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_twenty_sign_ins_at_once_keep_the_gateway_under_its_memory_limit(api, platform):
    people = [api.youth() for _ in range(20)]
    gateway = process_of(platform, "gateway")
    peak, running = [resident_mb(gateway)], [True]

    def watch() -> None:
        while running[0]:
            peak.append(resident_mb(gateway))
            eventlet.sleep(0.01)

    def sign_in(person) -> int:
        credentials = {"username": person.account["username"], "password": PASSWORD}
        return api.anonymous.post("/api/v1/auth/token", json=credentials).status_code

    watcher = eventlet.spawn(watch)
    started = time.monotonic()
    statuses = list(eventlet.GreenPool(20).imap(sign_in, people))
    running[0] = False
    watcher.wait()
    assert statuses == [200] * 20
    print(f"gateway resident memory during 20 sign-ins: peak {max(peak):.1f} MB")
    assert max(peak) < GATEWAY_MEMORY_LIMIT_MB, (max(peak), time.monotonic() - started)
