"""What every Youth City service class carries, whatever its domain."""

from __future__ import annotations

from .context import Caller
from .ops import Operations


class ServiceBase:
    """The caller's context for each worker, and probes and metrics on `METRICS_PORT`.

    Example::

        class EventsService(ServiceBase):
            name = "events"
            db = Database(Base.metadata, package="services.events")
    """

    caller = Caller()
    ops = Operations()
