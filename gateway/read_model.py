"""The gateway's read model: answers that read the same for every caller, kept in memory and
dropped the moment an event says they changed.

Two kinds of entry are kept:

* **published posts**: a post once published reads the same for everyone, and changes only when
  jobs reports it (`posting.closed`, `application.hired`); `person.anonymised` from jobs (an
  erased employer's name) drops them all;
* **active accounts** (id, role, unit, live sessions): what every request's authentication
  needs; an account changes only when it is disabled (`account.disabled`), erased
  (`person.erased`), sessions of it end (`account.sessions_ended`), or an identity appeal moves
  an ID number (`identity.released`, `identity_appeal.approved`). A session begun since
  is not in the kept entry: authentication then reads the account afresh.

Each gateway replica listens on its own exclusive, server-named queue, so every replica hears
every event (a broadcast, unlike the services' competing inbox consumers).

**How stale a read may be.** An entry is dropped when the event reporting its change reaches
the gateway: the commit's relay publishes at once, so that is milliseconds (the benchmark's
commit-to-inbox figure bounds it). Whatever happens to events, no entry is kept longer than
GATEWAY_READ_MODEL_MAX_AGE seconds. While the broker link is down the model neither answers nor
keeps anything (an event could be missed), and it starts empty on every connection. A fetch
that overlaps any drop is answered but not kept, so a change cannot be overwritten by the old
value it raced with.
"""

from __future__ import annotations

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

log = logging.getLogger(__name__)


class Entries:
    """Values by key, each kept at most `max_age` seconds, dropped by `forget`/`clear`.

    Green threads switch only on I/O, and nothing here does any: no lock is needed."""

    def __init__(self, kind: str, max_age: float, max_entries: int):
        self._values = TTLCache(max_entries, max_age, timer=time.monotonic)
        self._drops = 0
        self.enabled = False
        self._hits = READ_MODEL_READS.labels(kind, "hit")
        self._misses = READ_MODEL_READS.labels(kind, "miss")
        self._dropped = READ_MODEL_DROPS.labels(kind)

    def fetch(self, key: Hashable, load: Callable[[], Any], keep: Callable[[Any], bool]) -> Any:
        """The kept value of `key`, or `load()`'s, kept when `keep` says it may be."""
        if self.enabled:
            value = self._values.get(key)
            if value is not None:
                self._hits.inc()
                return value
        self._misses.inc()
        drops = self._drops
        value = load()
        if self.enabled and drops == self._drops and keep(value):
            self._values[key] = value
        return value

    def forget(self, key: Hashable) -> None:
        self._drops += 1
        self._values.pop(key, None)
        self._dropped.inc()

    def clear(self) -> None:
        self._drops += 1
        self._values.clear()

    def __len__(self) -> int:
        return len(self._values)


class ReadModel(DependencyProvider):
    """The gateway's in-memory read model (see the module's docstring)."""

    #: event type (without prefix) -> what it drops: "post", "account" or "all posts"
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
            "person.erased": "account",
        },
    }
    #: each replica follows those events on an exclusive queue the broker names (its account may
    #: declare such queues: youthcity/broker.py)
    server_named_queue = True

    @property
    def follows_sources(self) -> tuple[str, ...]:
        """The services whose events it follows: its account reads their exchanges."""
        return tuple(self.DROPS)

    def setup(self) -> None:
        settings = settings_of(self.container)
        max_age, size = settings.read_model_max_age, settings.read_model_size
        self.prefix = settings.event_type_prefix
        self.posts = Entries("posts", max_age, size)
        self.accounts = Entries("accounts", max_age, size)
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

    def _on_connect(self, connection) -> None:
        channel = connection.channel()
        queue = channel.queue_declare("", exclusive=True, auto_delete=True).queue
        for source, drops in self.DROPS.items():
            exchange = events_exchange(source)
            channel.exchange_declare(exchange, "topic", durable=True, auto_delete=False)
            for event_type in drops:
                key = f"{self.prefix}.{source}.{event_type}"
                channel.queue_bind(queue, exchange, routing_key=key)
        channel.basic_consume(queue, callback=self._on_event, no_ack=True)
        # events published while no queue was bound are lost to us: start from nothing
        self._set_enabled(True)

    def _on_disconnect(self, error: Exception) -> None:
        self._set_enabled(False)

    def _set_enabled(self, enabled: bool) -> None:
        self._clear()
        self.posts.enabled = self.accounts.enabled = enabled

    def _clear(self) -> None:
        self.posts.clear()
        self.accounts.clear()

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
