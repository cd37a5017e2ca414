"""Fault points: where the fault tests kill a process to prove nothing is lost.

`YOUTHCITY_FAULT_POINT=<name>` (the setting `fault_point`) makes the process SIGKILL itself the
first time it reaches that point; unset (always, outside those tests) a fault point costs one
comparison. `run_service` arms the point of the process's settings.

* `outbox.committed`: a change and its events are committed, nothing is published yet;
* `relay.confirmed`: the broker confirmed a batch, the outbox rows are not yet marked sent;
* `inbox.applied`: an event's effect is committed, the message is not yet acknowledged.
"""

import os
import signal

_armed: str | None = None


def arm(name: str | None) -> None:
    """Kill this process at the fault point `name` (None: at none)."""
    global _armed
    _armed = name


def fault_point(name: str) -> None:
    if _armed == name:
        os.kill(os.getpid(), signal.SIGKILL)
