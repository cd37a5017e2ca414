"""Runs one service container in this process until SIGTERM or Ctrl-C.

We start containers ourselves rather than through `nameko run`: nameko 2.14's CLI imports
`pkg_resources`, and we want our own logging and signal handling. The first signal stops the
container gracefully (in-flight workers finish, consumers hand back unacknowledged messages);
a second one kills it.
"""

from __future__ import annotations

import logging
import signal

import eventlet
from nameko.containers import ServiceContainer

from . import faults
from .config import Settings
from .logs import configure_logging

log = logging.getLogger(__name__)


def run_service(service_cls: type, settings: Settings, extra_config: dict | None = None) -> None:
    configure_logging(settings.service, settings.log_level, settings.log_format)
    faults.arm(settings.fault_point)
    config = settings.nameko_config() | (extra_config or {})
    container = ServiceContainer(service_cls, config)
    stopping = []

    def on_signal(signum, _frame):
        if stopping:
            log.warning("second signal: killing %s", settings.service)
            eventlet.spawn_n(container.kill)
            return
        stopping.append(signum)
        log.info("stopping %s gracefully", settings.service, extra={"signal": signum})
        eventlet.spawn_n(container.stop)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    # Python retries the hub's poll after a signal (PEP 475) with the timeout it had, so a stop
    # spawned by the handler would wait for the next timer; a short heartbeat bounds that wait.
    heartbeat = eventlet.spawn(_tick)
    container.start()
    log.info("%s started", settings.service)
    try:
        container.wait()
    finally:
        heartbeat.kill()
    log.info("%s stopped", settings.service)


def _tick() -> None:
    while True:
        eventlet.sleep(0.2)
