"""The housing service's clock: what "now" and "today" are, injectable so tests never sleep."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from nameko.extensions import DependencyProvider

from services.common.types import utcnow

#: nights and lease dates are the district's calendar days
DISTRICT_TIME = ZoneInfo("Asia/Shanghai")


class Clock(DependencyProvider):
    """Injects itself: `self.clock.now()` (aware UTC) and `self.clock.today()` (the district's
    date). A test moves time with `set(moment)` or `advance(delta)` on the container's
    extension and `reset()`s it; production never touches it.

    Example::

        clock = next(d for d in container.extensions if isinstance(d, Clock))
        clock.advance(timedelta(days=8))   # every offer made now is past its deadline
    """

    def __init__(self):
        self._fixed: datetime | None = None
        self._offset = timedelta(0)

    def now(self) -> datetime:
        return self._fixed if self._fixed is not None else utcnow() + self._offset

    def today(self) -> date:
        return self.now().astimezone(DISTRICT_TIME).date()

    def set(self, moment: datetime) -> None:
        self._fixed = moment

    def advance(self, delta: timedelta) -> None:
        if self._fixed is not None:
            self._fixed += delta
        else:
            self._offset += delta

    def reset(self) -> None:
        self._fixed, self._offset = None, timedelta(0)

    def get_dependency(self, worker_ctx) -> Clock:
        return self


def start_of(day: date) -> datetime:
    """Midnight at the start of a district day, as an aware datetime."""
    return datetime.combine(day, datetime.min.time(), DISTRICT_TIME)
