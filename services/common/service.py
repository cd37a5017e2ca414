"""What every Youth City service class carries, whatever its domain."""

from __future__ import annotations

from .context import Caller
from .ops import Operations
from .rpc import rpc


class ServiceBase:
    """The caller's context for each worker, and probes and metrics on `METRICS_PORT`.

    Example::

        class EventsService(ServiceBase):
            name = "events"
            db = Database(Base.metadata, package="services.events")
    """

    caller = Caller()
    ops = Operations()


class Audited:
    """Gives a service with a `db` the `audit_trail` RPC admins read its decisions through."""

    @rpc
    def audit_trail(
        self, filters: dict | None = None, after: str | None = None, limit: int = 20
    ) -> dict:
        from .audit import audit_page

        with self.db.reading() as session:
            table = self.db.metadata.tables["audit_entry"]
            return audit_page(session, table, filters or {}, after, limit)
