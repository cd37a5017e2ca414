"""Liveness, readiness and metrics on a port of each process's own (`METRICS_PORT`).

* `/healthz`: the process runs, its container is not dying, and no broker link of it is stuck
  apart from a broker that answers (liveness: a restart would help);
* `/readyz`: this pod can serve (its schema within the range its code supports, its start-up
  done); 503 with the reasons otherwise. A shared dependency that is away (broker, database
  server) is listed with `status: degraded` and does not fail it (`services/common/health.py`);
* `/metrics`: Prometheus exposition of the process's registry, `youthcity_dependency_up` among it.

Any extension with a `readiness()` method (a `Check`, or an `(ok, detail)` pair that gates) is
asked, so the database provider, the consumers and the relay each speak for themselves; any with
`amqp_links()` has its links watched by `/healthz`.
"""

from __future__ import annotations

import json
import logging
import time

import eventlet
from eventlet import wsgi
from kombu import Connection
from nameko.extensions import DependencyProvider, SharedExtension
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from .config import settings_of
from .health import Check, dependency
from .metrics import DEPENDENCY_UP, ENTRYPOINT_ERRORS, ENTRYPOINT_SECONDS

log = logging.getLogger(__name__)


def _json(start_response, status: str, body: dict):
    payload = json.dumps(body).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
    )
    return [payload]


class _QuietLog:
    """eventlet's WSGI server wants a file-like log; probes every few seconds are not news."""

    def write(self, _line: str) -> None:
        pass


class BrokerProbe:
    """Opens a connection to the broker at most every `ttl` seconds and remembers the answer."""

    def __init__(self, amqp_uri: str, ttl: float = 2.0):
        self.amqp_uri = amqp_uri
        self.ttl = ttl
        self._checked_at = 0.0
        self._answer: tuple[bool, str] = (False, "not checked yet")

    def check(self) -> Check:
        now = time.monotonic()
        if now - self._checked_at >= self.ttl:
            self._answer = self._probe()
            self._checked_at = now
        return dependency(*self._answer)

    def _probe(self) -> tuple[bool, str]:
        try:
            with Connection(self.amqp_uri, connect_timeout=2) as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
        except Exception as exc:  # any failure means "not reachable"; the type says which
            return False, f"broker unreachable: {type(exc).__name__}"
        return True, "broker reachable"


class OpsServer(SharedExtension):
    """The HTTP listener for probes and metrics, one per container."""

    def __init__(self):
        super().__init__()
        self._sock = None
        self._gt = None
        self.port: int | None = None
        self._broker: BrokerProbe | None = None

    def setup(self) -> None:
        self._broker = BrokerProbe(settings_of(self.container).amqp_uri)

    def start(self) -> None:
        settings = settings_of(self.container)
        self._sock = eventlet.listen((settings.metrics_host, settings.metrics_port))
        self.port = self._sock.getsockname()[1]
        self._gt = self.container.spawn_managed_thread(self._serve, identifier="ops-server")
        log.info("probes and metrics listening", extra={"port": self.port})

    def _serve(self) -> None:
        wsgi.server(self._sock, self._app, log=_QuietLog(), log_output=False, debug=False)

    def stop(self) -> None:
        self._close()

    def kill(self) -> None:
        self._close()

    def _close(self) -> None:
        if self._gt is not None:
            self._gt.kill()
            self._gt = None
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def _extensions(self) -> set:
        extensions = set(self.container.dependencies) | set(self.container.subextensions)
        return (extensions | set(self.container.entrypoints)) - {self}

    def readiness(self) -> dict[str, Check]:
        checks = {"broker": self._broker.check()}
        for extension in self._extensions():
            check = getattr(extension, "readiness", None)
            if check is not None:
                name = getattr(extension, "attr_name", None) or type(extension).__name__
                checks[name] = Check.of(check())
        return checks

    def report(self) -> tuple[bool, dict]:
        """Readiness as (ready, JSON body), for `/readyz` here and on the gateway's own port:
        ready unless a gating check fails; `degraded` when only shared dependencies do."""
        checks = self.readiness()
        service = self.container.service_name
        for name, check in checks.items():
            DEPENDENCY_UP.labels(service, name).set(1 if check.ok else 0)
        ready = all(check.ok for check in checks.values() if check.gates)
        status = "not ready" if not ready else "ready"
        if ready and not all(check.ok for check in checks.values()):
            status = "degraded"
        return ready, {
            "status": status,
            "service": service,
            "checks": {
                name: {"ok": check.ok, "detail": check.detail, "gates": check.gates}
                for name, check in checks.items()
            },
        }

    def liveness(self) -> tuple[bool, dict]:
        """Alive unless dying, or a broker link is stuck while the broker answers."""
        service = self.container.service_name
        if getattr(self.container, "_being_killed", False):
            return False, {"status": "dying", "service": service}
        stuck_after = settings_of(self.container).amqp_link_stuck_seconds
        links = [
            link
            for extension in self._extensions()
            for link in getattr(extension, "amqp_links", list)()
        ]
        if links:
            reachable = self._broker.check().ok
            for link in links:
                alive, detail = link.liveness(reachable, stuck_after)
                if not alive:
                    return False, {"status": "stuck", "service": service, "detail": detail}
        return True, {"status": "alive", "service": service}

    def _app(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/healthz":
            alive, body = self.liveness()
            return _json(start_response, "200 OK" if alive else "503 Service Unavailable", body)
        if path == "/readyz":
            ready, body = self.report()
            return _json(start_response, "200 OK" if ready else "503 Service Unavailable", body)
        if path == "/metrics":
            self.report()  # the dependency gauges as of this scrape
            payload = generate_latest()
            start_response("200 OK", [("Content-Type", CONTENT_TYPE_LATEST)])
            return [payload]
        return _json(start_response, "404 Not Found", {"status": "not found"})


class Operations(DependencyProvider):
    """Times every worker of the service and serves the probes (through `OpsServer`).

    `worker_setup` notes the start, `worker_result` the outcome, `worker_teardown` observes the
    latency histogram; errors are counted by their type's name.
    """

    server = OpsServer()

    def worker_setup(self, worker_ctx) -> None:
        worker_ctx.youthcity_started = time.perf_counter()

    def worker_result(self, worker_ctx, result=None, exc_info=None) -> None:
        if exc_info is not None:
            entrypoint = worker_ctx.entrypoint
            ENTRYPOINT_ERRORS.labels(
                self.container.service_name,
                type(entrypoint).__name__,
                entrypoint.method_name,
                exc_info[0].__name__,
            ).inc()

    def worker_teardown(self, worker_ctx) -> None:
        started = getattr(worker_ctx, "youthcity_started", None)
        if started is not None:
            entrypoint = worker_ctx.entrypoint
            ENTRYPOINT_SECONDS.labels(
                self.container.service_name, type(entrypoint).__name__, entrypoint.method_name
            ).observe(time.perf_counter() - started)

    def get_dependency(self, worker_ctx) -> OpsServer:
        return self.server
