"""Asking several services at once: the answer comes near the slowest call, not their sum, and a
service that fails or is slow leaves its part empty and named, instead of failing the whole.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable
from dataclasses import dataclass

import eventlet

from services.common.errors import DomainError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Degraded:
    """A part of an answer that is missing, and why (`unavailable`, `timeout`, `error`)."""

    part: str
    reason: str

    def as_dict(self) -> dict:
        return {"service": self.part, "reason": self.reason}


def _reason(error: BaseException) -> str:
    if isinstance(error, DomainError):
        return {503: "unavailable", 504: "timeout"}.get(error.status, "error")
    return "error"


def call_all(calls: dict[str, Callable[[], object]], timeout: float) -> tuple[dict, list[Degraded]]:
    """Run every call concurrently; give up on the ones still running after `timeout` seconds.
    Each runs in a copy of the caller's context, so it calls as the authenticated person (a new
    green thread would otherwise start with none)."""
    threads = {
        name: eventlet.spawn(contextvars.copy_context().run, call) for name, call in calls.items()
    }
    results: dict[str, object] = {}
    degraded: list[Degraded] = []
    deadline = eventlet.hubs.get_hub().clock() + timeout
    for name, thread in threads.items():
        remaining = max(0.0, deadline - eventlet.hubs.get_hub().clock())
        try:
            with eventlet.Timeout(remaining):
                results[name] = thread.wait()
        except eventlet.Timeout:
            thread.kill()
            degraded.append(Degraded(name, "timeout"))
        except Exception as exc:  # each part fails on its own; the reason is kept, not the details
            if not isinstance(exc, DomainError):
                log.warning(
                    "fan-out call failed", extra={"part": name, "error": type(exc).__name__}
                )
            degraded.append(Degraded(name, _reason(exc)))
    return results, degraded
