"""The startup service's clock: the system clock, or one that tests may move.

The 2-hour promise is measured in business time, and the tests of a running platform cannot
wait two business hours (nor for Monday morning). With `STARTUP_CLOCK=adjustable` in the
service's environment, the `travel_clock` RPC sets the clock to any instant, after which it runs
on from there; every timestamp, business-time figure and SLA sweep of the service reads this
clock. Without that setting (the default, `system`) the clock cannot be moved and the RPC is
refused. Each process keeps its own offset, so use it with one replica (as the tests do).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from nameko.extensions import DependencyProvider

from services.common.config import settings_of
from services.common.errors import Forbidden
from services.common.types import utcnow

SYSTEM, ADJUSTABLE = "system", "adjustable"


class Clock(DependencyProvider):
    """Injects the service's clock: `clock.now()` (aware, UTC).

    Example::

        class StartupService(ServiceBase):
            clock = Clock()

            @rpc
            def submit(self, ...):
                submitted_at = self.clock.now()
    """

    def __init__(self, source: Callable[[], datetime] = utcnow):
        self.source = source
        self.offset = timedelta(0)
        self.adjustable = False

    def setup(self) -> None:
        mode = settings_of(self.container).env.get("STARTUP_CLOCK", SYSTEM)
        if mode not in (SYSTEM, ADJUSTABLE):
            raise ValueError(f"STARTUP_CLOCK must be {SYSTEM} or {ADJUSTABLE}, not {mode!r}")
        self.adjustable = mode == ADJUSTABLE

    def now(self) -> datetime:
        return self.source() + self.offset

    def travel_to(self, instant: datetime | None) -> datetime:
        """Set the clock to `instant` (None: back to the system clock); only when adjustable."""
        if not self.adjustable:
            raise Forbidden("clock_not_adjustable")
        self.offset = timedelta(0) if instant is None else instant - self.source()
        return self.now()

    def get_dependency(self, worker_ctx) -> Clock:
        return self
