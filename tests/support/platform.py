"""The whole platform started as `make run` starts it (`youthcity up`), on free ports, for the
e2e tests and the benchmarks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests

from services.common.registry import PROCESSES

from .infra import RUN_ID, PostgresDatabases, free_port, free_port_range, postgres_base_url

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Platform:
    """The platform of the e2e tests, started by `youthcity up` in a child process."""

    url: str
    metrics: dict[str, str]
    env: dict[str, str]
    process: subprocess.Popen
    log_path: Path
    database_urls: dict[str, str] = field(default_factory=dict)

    def api(self, path: str) -> str:
        return f"{self.url}{path}"


def wait_until_ready(platform: Platform, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    pending = dict(platform.metrics)
    while pending and time.monotonic() < deadline:
        if platform.process.poll() is not None:
            raise RuntimeError(
                f"the platform exited with {platform.process.returncode}; see {platform.log_path}"
            )
        for name, url in list(pending.items()):
            try:
                if requests.get(f"{url}/readyz", timeout=1).status_code == 200:
                    pending.pop(name)
            except requests.RequestException:
                pass
        time.sleep(0.2)
    if pending:
        raise RuntimeError(
            f"not ready after {timeout}s: {sorted(pending)}; see {platform.log_path}"
        )


@contextmanager
def running_platform(
    amqp_uri: str, data_dir: Path, label: str = "e2e", extra_env: dict | None = None
):
    """Start `youthcity up` on `amqp_uri`, on PostgreSQL when DATABASE_URL names one (databases
    created here and dropped after), else SQLite files under `data_dir`."""
    gateway_port = free_port()
    metrics_base = free_port_range(len(PROCESSES))
    env = {
        **os.environ,
        "AMQP_URI": amqp_uri,
        "DATA_DIR": str(data_dir),
        "GATEWAY_PORT": str(gateway_port),
        "GATEWAY_HOST": "127.0.0.1",
        "METRICS_PORT_BASE": str(metrics_base),
        "METRICS_HOST": "127.0.0.1",
        "ADMIN_USERNAME": "admin",
        "ADMIN_PASSWORD": "admin-password-for-tests",
        # every request comes from 127.0.0.1: per-address limits would throttle the callers
        "RATE_LIMIT_ADDRESS": "100000/minute",
        # the fuzz and access-matrix tests call as one account far faster than a person does
        "RATE_LIMIT_ACCOUNT": "100000/minute",
        "LOGIN_RATE_LIMIT_ADDRESS": "100000/minute",
        "LOGIN_RATE_LIMIT_ACCOUNT": "100000/minute",
        "REGISTRATION_RATE_LIMIT_ADDRESS": "100000/minute",
        "REGISTRATION_BACKOFF_AFTER": "100000",
        "SIGN_IN_BACKOFF_ADDRESS_AFTER": "100000",
        # the tests sign in as the bootstrap administrator and act at once
        "ADMIN_PASSWORD_CHANGE_REQUIRED": "false",
        # the tests register dozens of young people with no SMS provider to prove phones
        # (tests of that proof set it true)
        "REGISTRATION_PHONE_PROOF_REQUIRED": "false",
        "STAFF_SECOND_FACTOR_REQUIRED": "false",
        # six processes, and test runs side by side on one PostgreSQL (max_connections 100)
        "DB_POOL_SIZE": "4",
        # tests move the platform's clock to the dates they prove (`travel_platform`)
        "CLOCK": "adjustable",
        # the settings the tests of views and erasure need, given to the one platform they share:
        # indicators recomputed on every visit, a stalled erasure asked again within seconds, a
        # hung service given up on after two seconds
        "INDICATORS_MAX_AGE": "0",
        "ERASURE_RETRY_SECONDS": "2",
        "VIEW_TIMEOUT": "2",
        # a request waits for a gateway worker as long as a loaded test machine needs (twenty
        # sign-ins at once queue behind argon2); turning a crowd away with 429 is proved by
        # tests/integration/test_gateway.py and `python -m bench flash`, which keep the default
        "GATEWAY_QUEUE_SECONDS": "30",
        # evidence past a quarter of a MiB is refused: a test proves the 413 without sending
        # megabytes through a loopback socket
        "EVIDENCE_MAX_BYTES": "262144",
        # the tests' webhook receivers listen on 127.0.0.1 over http: development's allowance
        "WEBHOOK_ALLOW_LOOPBACK": "true",
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    manager = None
    if postgres_base_url():
        manager = PostgresDatabases(postgres_base_url())
        # the placeholder must reach the platform as written, not URL-encoded
        env["DATABASE_URL"] = manager.url(f"yct_{RUN_ID}_{label}_SERVICE").replace(
            "_SERVICE", "_{service}"
        )
        manager.created.extend(f"yct_{RUN_ID}_{label}_{name}" for name in PROCESSES)
    else:
        env.pop("DATABASE_URL", None)
    log_path = data_dir / "platform.log"
    with open(log_path, "w") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "youthcity", "up"],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=log_file,
        )
        metrics = {name: f"http://127.0.0.1:{metrics_base + i}" for i, name in enumerate(PROCESSES)}
        running = Platform(f"http://127.0.0.1:{gateway_port}", metrics, env, process, log_path)
        try:
            wait_until_ready(running)
            yield running
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
            if manager is not None:
                manager.drop_all()


def travel_platform(amqp_uri: str, to: str | None) -> dict:
    """Move the clock of every process of a running platform to `to` (ISO, with a zone; None:
    back to real time); the answer is startup's, which sweeps its 2-hour promise at once."""
    from services.common.rpc import StandaloneRpc

    with StandaloneRpc(amqp_uri, timeout=10) as cluster:
        for name in PROCESSES:
            if name != "startup":
                getattr(cluster, name).travel_clock(to=to)
        return cluster.startup.travel_clock(to=to)


def outboxes_published(platform, timeout: float = 20) -> None:
    """Wait until no process of `platform` has an event left to publish in its outbox."""
    import sqlalchemy as sa

    from services.common.config import database_url_for
    from services.common.db import create_engine_for

    from .messaging import wait_for

    engines = [create_engine_for(database_url_for(name, platform.env)) for name in PROCESSES]

    def pending() -> int:
        total = 0
        for engine in engines:
            with engine.connect() as conn:
                total += conn.execute(
                    sa.text("SELECT count(*) FROM outbox WHERE published_at IS NULL")
                ).scalar()
        return total

    try:
        wait_for(lambda: pending() == 0, timeout=timeout, message="every outbox published")
    finally:
        for engine in engines:
            engine.dispose()


def processes_of(platform) -> dict[str, int]:
    """The pid of each of the platform's processes (children of `youthcity up`), by name."""
    pid = platform.process.pid
    found = {}
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        arguments = [a for a in Path(f"/proc/{child}/cmdline").read_text().split("\0") if a]
        if arguments[-2:-1] == ["run"]:
            found[arguments[-1]] = int(child)
    return found


def process_of(platform, name: str) -> int:
    """The pid of one of the platform's processes."""
    found = processes_of(platform)
    assert name in found, f"no {name} process"
    return found[name]
