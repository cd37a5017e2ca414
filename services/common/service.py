"""What every Youth City service class carries, whatever its domain."""

from __future__ import annotations

from datetime import datetime

from nameko.extensions import DependencyProvider
from nameko.timer import timer

from . import trust
from .clock import ADJUSTABLE, clock
from .context import Caller
from .errors import Forbidden, InvalidInput
from .ops import Operations
from .retention import SWEEP_SECONDS
from .rpc import rpc


def parse_instant(text: str):
    """An aware instant from ISO text, or a 422 naming `to`."""
    try:
        instant = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        instant = None
    if instant is None or instant.tzinfo is None:
        raise InvalidInput.for_field("to", "not_datetime")
    return instant


class ClockControl(DependencyProvider):
    """Puts the process's clock in the district time zone of the container's settings, and lets
    `travel_clock` move it only when the settings say `CLOCK=adjustable` (tests)."""

    adjustable = False

    def setup(self) -> None:
        """Before the container starts: the zone and the mode come from its settings."""
        settings = self.container.config["YOUTHCITY"]
        clock.configure(settings.district_timezone)
        self.adjustable = settings.clock == ADJUSTABLE

    def travel_to(self, instant: datetime | None) -> datetime:
        """Move the process's clock (None: back to the system's time); refused unless adjustable."""
        if not self.adjustable:
            raise Forbidden("clock_not_adjustable")
        return clock.travel_to(instant)

    def get_dependency(self, worker_ctx) -> ClockControl:
        return self


class CallTrust(DependencyProvider):
    """Gives the process the keys it signs and verifies call contexts and events with
    (`services/common/trust.py`); a process without one does not start."""

    def setup(self) -> None:
        """Before the container starts: the keys come from its settings."""
        trust.configure(self.container.config["YOUTHCITY"].call_context_keys)


class ServiceBase:
    """The caller's context for each worker, probes and metrics on `METRICS_PORT`, the
    process's clock (`services/common/clock.py`), which tests may move with `travel_clock`, and
    the retention sweep of a service with a `db` (`services/common/retention.py`; a service
    with more to purge names its policies in `retention_policies`).

    Example::

        class EventsService(ServiceBase):
            name = "events"
            db = Database(Base.metadata, package="services.events")
    """

    caller = Caller()
    ops = Operations()
    clock_control = ClockControl()
    call_trust = CallTrust()

    retention_policies = ()

    @timer(interval=SWEEP_SECONDS)
    def sweep_retention(self) -> None:
        """Delete what the retention policies keep no longer (hourly)."""
        from .retention import sweep

        database = getattr(self, "db", None)
        if database is not None:
            sweep(database, self.retention_policies)

    @rpc
    def travel_clock(self, to: str | None = None) -> dict:
        """Move this process's clock to `to` (ISO date-time with a zone; None: back to the
        system's time), for tests of dates and deadlines; refused unless `CLOCK=adjustable`."""
        return {"now": self.clock_control.travel_to(parse_instant(to) if to else None)}


class Audited:
    """Gives a service with a `db` the `audit_trail` RPC admins read its decisions through."""

    @rpc
    def audit_trail(
        self, filters: dict | None = None, after: str | None = None, limit: int = 20
    ) -> dict:
        from .audit import audit_page

        self.caller.actor.require_role("admin")
        with self.db.reading() as session:
            table = self.db.metadata.tables["audit_entry"]
            return audit_page(session, table, filters or {}, after, limit)
