"""The gateway's read model: answers kept in memory and dropped the moment an event says they
changed.

Three kinds of entry are kept:

* **published posts**: a post once published reads the same for everyone, and changes only when
  jobs reports it (`posting.closed`, `application.hired`); `person.anonymised` from jobs (an
  erased employer's name) drops them all. A post read in the last third of its life is loaded
  again in the background while the kept one answers, so a post being read does not age out;
* **active accounts** (id, role, unit, live sessions): what every request's authentication
  needs; an account changes only when it is disabled (`account.disabled`), erased
  (`person.erased`), sessions of it end (`account.sessions_ended`), or an identity appeal moves
  an ID number (`identity.released`, `identity_appeal.approved`). A session begun since
  is not in the kept entry: authentication then reads the account afresh;
* **each young person's dashboard**, as the services answered it (both languages; the reader's
  is picked on every read), kept only when every service answered. Any event of a domain
  service whose data names the person (`person_id`, or `author_id` for a story) drops it:
  their applications, registrations, loans and the rest report every change that way, and
  notify publishes `message.received` and `message.read` when their inbox changes; so does
  `person.erased`, and any write the person makes through this replica (what they did is in
  their next read here even before its event arrives).

Each gateway replica listens on its own exclusive, server-named queue, so every replica hears
every event (a broadcast, unlike the services' competing inbox consumers). Events carry ids,
never a name or a number; the read model reads nothing else of them.

**How stale a read may be.** An entry is dropped when the event reporting its change reaches
the gateway: the commit's relay publishes at once, so that is milliseconds (the benchmark's
commit-to-inbox figure bounds it). A change no event names (a post's title edited in its
database; a dashboard item whose next step depends on the day) is read within
GATEWAY_READ_MODEL_MAX_AGE seconds: whatever happens to events, no entry is older than that
(a refreshed post counts from its refresh). While the broker link is down the model neither
answers nor keeps anything (an event could be missed), and it starts empty on every connection.
A load that overlaps a drop of its key is answered but not kept, so a change cannot be
overwritten by the old value it raced with.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Hashable
from typing import Any

from cachetools import TTLCache
from nameko.extensions import DependencyProvider

from services.common import cloudevents
from services.common.amqp import Link, events_exchange
from services.common.config import settings_of
from services.common.metrics import READ_MODEL_DROPS, READ_MODEL_READS
from services.common.registry import DOMAIN_SERVICES

log = logging.getLogger(__name__)


class Entries:
    """Values by key, each kept at most `max_age` seconds, dropped by `forget`/`clear`.

    With `spawn` (how to start a green thread), a value read in the last third of its life is
    loaded again by a thread of its own while the kept one answers: an entry being read is
    refreshed rather than left to age out, and `max_age` still bounds how old an answer is.

    Green threads switch only on I/O, and nothing here does any: no lock is needed."""

    #: the part of an entry's life after which a read of it starts a refresh (with `spawn`)
    REFRESH_AFTER = 2 / 3

    def __init__(
        self,
        kind: str,
        max_age: float,
        max_entries: int,
        spawn: Callable[[Callable[[], None]], Any] | None = None,
        timer: Callable[[], float] = time.monotonic,
    ):
        self._values = TTLCache(max_entries, max_age, timer=timer)  # key -> (value, kept at)
        self._timer = timer
        self._spawn = spawn
        self._refresh_age = max_age * self.REFRESH_AFTER
        self._refreshing: set[Hashable] = set()
        self._loading: dict[Hashable, int] = {}  # key -> its loads under way
        self._spoilt: set[Hashable] = set()  # keys dropped while a load of them was under way
        self._clears = 0
        self.enabled = False
        self._hits = READ_MODEL_READS.labels(kind, "hit")
        self._misses = READ_MODEL_READS.labels(kind, "miss")
        self._dropped = READ_MODEL_DROPS.labels(kind)

    def fetch(self, key: Hashable, load: Callable[[], Any], keep: Callable[[Any], bool]) -> Any:
        """The kept value of `key`, or `load()`'s, kept when `keep` says it may be."""
        if self.enabled:
            kept = self._values.get(key)
            if kept is not None:
                self._hits.inc()
                value, kept_at = kept
                if self._refresh_due(key, kept_at):
                    self._refreshing.add(key)
                    self._spawn(functools.partial(self._refresh, key, load, keep))
                return value
        self._misses.inc()
        value, unspoilt = self._load(key, load)
        if unspoilt and keep(value):
            self._values[key] = (value, self._timer())
        return value

    def _refresh_due(self, key: Hashable, kept_at: float) -> bool:
        return (
            self._spawn is not None
            and key not in self._refreshing
            and self._timer() - kept_at >= self._refresh_age
        )

    def _refresh(self, key: Hashable, load: Callable[[], Any], keep: Callable[[Any], bool]):
        """Load `key` again for the reads to come. When that fails, the kept value stays until
        its age ends it (an exception here would stop the container's managed thread)."""
        try:
            value, unspoilt = self._load(key, load)
        except Exception as exc:
            log.info("read model: refresh failed (%s); the entry ages out", type(exc).__name__)
            return
        finally:
            self._refreshing.discard(key)
        if unspoilt and keep(value):
            self._values[key] = (value, self._timer())
        elif unspoilt:  # no longer the same for everyone
            self._values.pop(key, None)

    def _load(self, key: Hashable, load: Callable[[], Any]) -> tuple[Any, bool]:
        """`load()`'s value, and whether it may be kept: no drop of `key` (nor a clear)
        overlapped it, and the model is enabled."""
        clears = self._clears
        self._loading[key] = self._loading.get(key, 0) + 1
        try:
            value = load()
        finally:
            spoilt = key in self._spoilt
            left = self._loading.pop(key) - 1
            if left:
                self._loading[key] = left
            else:
                self._spoilt.discard(key)
        return value, self.enabled and not spoilt and clears == self._clears

    def forget(self, key: Hashable) -> None:
        if key in self._loading:
            self._spoilt.add(key)
        self._values.pop(key, None)
        self._dropped.inc()

    def clear(self) -> None:
        self._clears += 1
        self._values.clear()

    def __len__(self) -> int:
        return len(self._values)


class ReadModel(DependencyProvider):
    """The gateway's in-memory read model (see the module's docstring)."""

    #: event type (without prefix) -> what it drops: "post", "all posts", "account", or
    #: "person" (their account and dashboard)
    DROPS = {
        "jobs": {
            "posting.closed": "post",
            "application.hired": "post",
            "person.anonymised": "all posts",
        },
        "gateway": {
            "account.disabled": "account",
            "account.sessions_ended": "account",
            "identity.released": "account",
            "identity_appeal.approved": "account",
            "person.erased": "person",
        },
    }
    #: the services every event of which is followed: one naming a person drops their dashboard
    DASHBOARD_SOURCES = tuple(DOMAIN_SERVICES)
    #: the data fields that name the person an event is about (a story's is its author)
    PERSON_FIELDS = ("person_id", "author_id")
    #: each replica follows those events on an exclusive queue the broker names (its account may
    #: declare such queues: youthcity/broker.py)
    server_named_queue = True

    @property
    def follows_sources(self) -> tuple[str, ...]:
        """The services whose events it follows: its account reads their exchanges."""
        return tuple(dict.fromkeys([*self.DROPS, *self.DASHBOARD_SOURCES]))

    def setup(self) -> None:
        settings = settings_of(self.container)
        max_age, size = settings.read_model_max_age, settings.read_model_size
        self.prefix = settings.event_type_prefix
        spawn = self.container.spawn_managed_thread
        self.posts = Entries("posts", max_age, size, spawn=spawn)
        self.accounts = Entries("accounts", max_age, size)
        self.dashboards = Entries("dashboards", max_age, size)
        self.enabled = max_age > 0 and size > 0
        self.link = Link(
            settings.amqp_uri, "gateway-read-model", self._on_connect, self._on_disconnect
        )

    def start(self) -> None:
        if self.enabled:
            self.link.start(spawn=self.container.spawn_managed_thread)
            self.link.wait_connected(timeout=10)

    def stop(self) -> None:
        self._set_enabled(False)
        self.link.stop()

    kill = stop

    def get_dependency(self, worker_ctx) -> ReadModel:
        return self

    def forget_person(self, person_id: str) -> None:
        """Drop what is kept of a person: their account and their dashboard."""
        self.accounts.forget(person_id)
        self.dashboards.forget(person_id)

    def _on_connect(self, connection) -> None:
        channel = connection.channel()
        queue = channel.queue_declare("", exclusive=True, auto_delete=True).queue
        for source in self.follows_sources:
            exchange = events_exchange(source)
            channel.exchange_declare(exchange, "topic", durable=True, auto_delete=False)
            followed = ["#"] if source in self.DASHBOARD_SOURCES else self.DROPS[source]
            for event_type in followed:
                key = f"{self.prefix}.{source}.{event_type}"
                channel.queue_bind(queue, exchange, routing_key=key)
        channel.basic_consume(queue, callback=self._on_event, no_ack=True)
        # events published while no queue was bound are lost to us: start from nothing
        self._set_enabled(True)

    def _on_disconnect(self, error: Exception) -> None:
        self._set_enabled(False)

    def _set_enabled(self, enabled: bool) -> None:
        self._clear()
        self.posts.enabled = self.accounts.enabled = self.dashboards.enabled = enabled

    def _clear(self) -> None:
        self.posts.clear()
        self.accounts.clear()
        self.dashboards.clear()

    def _on_event(self, message) -> None:
        try:
            event, data = cloudevents.decode(message.body, message.properties.get("content_type"))
        except cloudevents.UndecodableEvent as exc:
            # not ours to dead-letter (the services' own queues do); forget all to be safe
            log.warning("read model: undecodable event (%s); dropping everything", exc.reason)
            self._clear()
            return
        source, _, event_type = event.type.removeprefix(f"{self.prefix}.").partition(".")
        drop = self.DROPS.get(source, {}).get(event_type)
        if drop == "post":
            self.posts.forget(data.get("post_id") or event.subject)
        elif drop == "all posts":
            self.posts.clear()
        elif drop == "account":
            self.accounts.forget(data.get("account_id") or data.get("person_id") or event.subject)
        elif drop == "person":
            self.forget_person(data.get("person_id") or event.subject)
        if source in self.DASHBOARD_SOURCES:
            for field in self.PERSON_FIELDS:
                if isinstance(data.get(field), str):
                    self.dashboards.forget(data[field])
