"""Test harness root. eventlet patches the standard library here, before anything imports a
lock or a socket (nameko's pytest plugin no longer does it, and unpatched tests hang)."""

import warnings

warnings.filterwarnings("ignore", message="\nEventlet is deprecated")
import eventlet  # noqa: E402

eventlet.monkey_patch()

pytest_plugins = [
    "tests.support.fixtures",
    "tests.support.gateway",
    "tests.support.notify",
    "tests.support.jobs",
    "tests.support.startup",
]
