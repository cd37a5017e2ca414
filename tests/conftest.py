"""Test harness root. eventlet patches the standard library here, before anything imports a
lock or a socket (nameko's pytest plugin no longer does it, and unpatched tests hang)."""

import warnings

warnings.filterwarnings("ignore", message="\nEventlet is deprecated")
import eventlet  # noqa: E402

eventlet.monkey_patch()

import os  # noqa: E402
import secrets  # noqa: E402
import ssl  # noqa: E402
import sys  # noqa: E402

# a pytest plugin (schemathesis) imports urllib3 before this file runs, and urllib3 keeps the
# unpatched `ssl.SSLContext`: a context it makes then recurses in eventlet's patched `ssl` when
# its options are set (botocore's S3 client makes one). Give it the patched class, as a process
# that patches first (`youthcity`) has it.
if "urllib3.util.ssl_" in sys.modules:
    sys.modules["urllib3.util.ssl_"].SSLContext = ssl.SSLContext

from services.common import trust  # noqa: E402

# the run's own key: the platforms and processes it starts inherit it, and the test process signs
# with it where it acts as a platform process would (tests/support/messaging.py `signed`)
os.environ.setdefault("CALL_CONTEXT_KEYS", secrets.token_urlsafe(32))
# the gateways the run starts sign access tokens with the run's own key
os.environ.setdefault("JWT_SECRET", secrets.token_urlsafe(48))
trust.configure(os.environ["CALL_CONTEXT_KEYS"].split(","))


def pytest_collection_modifyitems(items):
    """The fuzz runs last in its session: what it creates must not change what other tests
    find on the platform they share."""
    items.sort(key=lambda item: item.get_closest_marker("fuzz") is not None)


pytest_plugins = [
    "tests.support.fixtures",
    "tests.support.gateway",
    "tests.support.notify",
    "tests.support.jobs",
    "tests.support.startup",
]
