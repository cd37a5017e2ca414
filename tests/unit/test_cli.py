"""What `youthcity` sets up before a process imports anything else."""

import subprocess
import sys

import pytest

PROBE = """
import os, sys
sys.argv = ["youthcity", *sys.argv[1:]]
import youthcity.cli
print("eventlet.support.greendns" in sys.modules, "EVENTLET_NO_GREENDNS" in os.environ)
"""


def started_as(*argv: str) -> str:
    probe = [sys.executable, "-c", PROBE, *argv]
    return subprocess.run(probe, capture_output=True, text=True, check=True).stdout.strip()


@pytest.mark.parametrize(
    "argv, loaded",
    [
        (("run", "notify"), True),
        (("run", "gateway"), False),
        (("run", "jobs"), False),
        (("up",), False),
    ],
)
def test_only_notify_loads_the_green_resolver_and_nothing_is_handed_down(argv, loaded):
    # notify looks up webhook, SMTP and SMS hosts while serving; `up`'s children decide alone
    assert started_as(*argv) == f"{loaded} False"
