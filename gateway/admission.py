"""How many requests the gateway carries at once, and what a crowd beyond that is told.

A gateway process serves at most `MAX_WORKERS` requests at a time (its nameko workers); left
alone, every request beyond them would wait for a worker as long as it takes, and in a flash
crowd (a registration opening) the callers would time out or get 5xx answers from behind the
queue. Instead a request waits for a slot at most `GATEWAY_QUEUE_SECONDS`, with at most
`GATEWAY_QUEUE_LIMIT` waiting; past either it is answered at once, before anything is read or
asked of a service, 429 `gateway_busy` with `Retry-After`: the seconds the requests held then
need to drain (their number times the recent mean time of one, over the slots), spread by a
random factor between 1 and 2 so that the crowd does not come back all in the same second.
"""

from __future__ import annotations

import math
import random
import time
from contextlib import contextmanager

from eventlet.semaphore import Semaphore

from services.common.errors import DomainError

#: the weight of the newest request's time in the mean (an exponentially weighted average)
_WEIGHT = 0.05
#: at most this long to wait is ever suggested
MAX_RETRY_AFTER = 60


class GatewayBusy(DomainError):
    status = 429
    code = "gateway_busy"


class Admission:
    """Slots for requests being served; a bounded, time-limited wait for one."""

    def __init__(
        self,
        slots: int,
        queue_seconds: float,
        queue_limit: int,
        chooser: random.Random | None = None,
    ):
        self.slots = slots
        self.queue_seconds = queue_seconds
        self.queue_limit = queue_limit
        self._free = Semaphore(slots)
        self._random = chooser or random.Random()
        self.waiting = 0
        #: the recent mean seconds a request is served for
        self.mean_seconds = 0.05

    @contextmanager
    def admitted(self):
        """Serve the request inside; `GatewayBusy` (with `retry_after`) when no slot frees in
        time or too many wait already."""
        if not self._wait_for_slot():
            raise GatewayBusy(params={"retry_after": self.retry_after()})
        started = time.monotonic()
        try:
            yield
        finally:
            self._free.release()
            elapsed = time.monotonic() - started
            self.mean_seconds += _WEIGHT * (elapsed - self.mean_seconds)

    def _wait_for_slot(self) -> bool:
        if self._free.acquire(blocking=False):
            return True
        if self.waiting >= self.queue_limit:
            return False
        self.waiting += 1
        try:
            return self._free.acquire(timeout=self.queue_seconds)
        finally:
            self.waiting -= 1

    def retry_after(self) -> int:
        """Seconds to come back in: what is held now drains in about (waiting + slots) × the
        mean time of one / slots; spread by a random factor in [1, 2)."""
        drain = (self.waiting + self.slots) * self.mean_seconds / self.slots
        spread = drain * (1 + self._random.random())
        return max(1, min(MAX_RETRY_AFTER, math.ceil(spread)))
