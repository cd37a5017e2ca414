"""The platform's one clock: what "now" and "today" are, in the district's time zone.

Every business date on the platform is the district's: a person's age, an eligibility window's
last day, a deadline, a night at the youth station, "this month" of the indicators, business
hours. A server's own date is UTC in most clusters, eight hours behind the district's, so from
16:00 to 24:00 UTC the two disagree about what day it is. Production code therefore reads the
date and time only here (`tests/unit/test_clock.py` refuses any other read in `services/` and
`gateway/`):

* `clock.now()`: the current instant, aware, in the district's time zone;
* `clock.today()`: the district's date;
* `utcnow()`: the same instant in UTC, for timestamps that are stored and shown;
* `clock.local_date(instant)` and `clock.start_of(day)`: between instants and district days;
* `system_utcnow()`: the machine's own time, which tests never move, for protocols whose other
  side checks the time against its own clock (a signed webhook, a signed SMS request).

The zone comes from `DISTRICT_TIMEZONE` (default Asia/Shanghai), set once when the process's
first service container starts (`ClockControl` in `services/common/service.py`). This
module imports neither nameko nor SQLAlchemy, so domain rules may read it too.

Tests move time instead of waiting for it. In a test process, `clock.travel_to(instant)`,
`clock.advance(delta)` and `clock.reset()`; the clock runs on from where it was put. In a
running platform started with `CLOCK=adjustable`, the `travel_clock` RPC of every process does
the same (`services/common/service.py`); without that setting (the default, `system`) it is
refused. Each process keeps its own offset: move every process of a platform, and use it with
one replica each, as the tests do.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

#: the district's time zone unless `DISTRICT_TIMEZONE` says otherwise (China Standard Time)
DEFAULT_TIMEZONE = "Asia/Shanghai"
SYSTEM, ADJUSTABLE = "system", "adjustable"


def system_utcnow() -> datetime:
    """The machine's own time (aware, UTC), never moved: for signatures another party checks."""
    return datetime.now(UTC)


class DistrictClock:
    """Now and today in the district's time zone, movable by tests.

    Example::

        from services.common.clock import clock

        if clock.today() > application.deadline:
            raise Conflict("deadline_passed")
        row.created_at = clock.now()
    """

    def __init__(self, zone: str = DEFAULT_TIMEZONE, source=system_utcnow):
        self.zone = ZoneInfo(zone)
        self._source = source
        self._offset = timedelta(0)

    def configure(self, zone: str) -> None:
        """Use the district time zone named `zone` (an IANA name) from now on."""
        self.zone = ZoneInfo(zone)

    def now(self) -> datetime:
        """The current instant, aware, in the district's time zone."""
        return (self._source() + self._offset).astimezone(self.zone)

    def utcnow(self) -> datetime:
        """The current instant, aware, in UTC: how timestamps are stored and shown."""
        return self._source() + self._offset

    def today(self) -> date:
        """The district's date."""
        return self.now().date()

    def local_date(self, instant: datetime) -> date:
        """The district's date at `instant` (an aware datetime)."""
        return instant.astimezone(self.zone).date()

    def start_of(self, day: date) -> datetime:
        """Midnight at the start of a district day, aware."""
        return datetime.combine(day, time(0), self.zone)

    def travel_to(self, instant: datetime | None) -> datetime:
        """Run on from `instant` (aware); None goes back to the system's time."""
        if instant is not None and instant.tzinfo is None:
            raise ValueError("the clock travels to aware instants only")
        self._offset = timedelta(0) if instant is None else instant - self._source()
        return self.now()

    def advance(self, delta: timedelta) -> datetime:
        """Move the clock on by `delta` (back, when negative)."""
        self._offset += delta
        return self.now()

    def reset(self) -> None:
        """Back to the system's time."""
        self._offset = timedelta(0)

    @property
    def travelled(self) -> bool:
        return self._offset != timedelta(0)


#: the process's clock: every service container and the gateway in a process share it
clock = DistrictClock()


def utcnow() -> datetime:
    """The current instant on the platform's clock, aware, in UTC."""
    return clock.utcnow()
