"""Fault points: where the fault tests kill a process to prove nothing is lost.

`YOUTHCITY_FAULT_POINT=<name>` makes the process SIGKILL itself the first time it reaches that
point; unset (always, outside those tests) a fault point costs one dictionary lookup.

* `outbox.committed`: a change and its events are committed, nothing is published yet;
* `relay.confirmed`: the broker confirmed a batch, the outbox rows are not yet marked sent;
* `inbox.applied`: an event's effect is committed, the message is not yet acknowledged.
"""

import os
import signal

ENVIRONMENT_VARIABLE = "YOUTHCITY_FAULT_POINT"


def fault_point(name: str) -> None:
    if os.environ.get(ENVIRONMENT_VARIABLE) == name:
        os.kill(os.getpid(), signal.SIGKILL)
