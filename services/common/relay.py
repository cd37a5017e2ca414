"""The outbox relay: publishes committed outbox rows with publisher confirms, then marks them sent.

* **Woken by commits**: a unit of work that committed events wakes the relay of its process at
  once; the poll every `OUTBOX_POLL_INTERVAL` seconds only catches rows another process wrote.
* **One publisher at a time**: several replicas may run; a relay publishes only while it holds
  the outbox lock (a PostgreSQL advisory lock, or a file lock beside a SQLite database), so in
  normal operation each row is published once and in commit order. A relay that finds the lock
  taken retries shortly: the holder may be about to finish, and the rows must not wait for the
  next poll.
* **Never lost**: rows are marked sent only after the broker confirmed the whole batch. A relay
  that dies in between leaves them pending, and the next relay publishes them again; consumers
  apply an event once however many copies arrive.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import zlib
from pathlib import Path

import eventlet
import sqlalchemy as sa
from eventlet.queue import Empty, Full, LightQueue
from eventlet.semaphore import Semaphore
from nameko.extensions import SharedExtension

from . import cloudevents, trust
from .amqp import CONNECTION_ERRORS, ConfirmingPublisher, events_exchange
from .clock import utcnow
from .config import settings_of
from .faults import fault_point
from .health import Check, dependency
from .metrics import (
    EVENTS_PUBLISHED,
    OUTBOX_BACKLOG,
    OUTBOX_COMMIT_TO_CONFIRM,
    OUTBOX_OLDEST_AGE,
    OUTBOX_PUBLISH_FAILURES,
    OUTBOX_PUBLISHED,
)
from .types import UtcDateTime

log = logging.getLogger(__name__)

LOCK_RETRY_SECONDS = 0.02
FAILURE_BACKOFF_SECONDS = 1.0


class PostgresOutboxLock:
    """A session-level advisory lock on a connection of its own: released if the relay dies.

    While it is held, the relay reads and marks the outbox on that same connection: each
    statement commits on its own (autocommit), and no pool checkout (with its pre-ping round
    trip) nor transaction is opened per batch. A connection the server dropped fails the next
    statement, and the relay opens a new one (`OutboxRelay._run`)."""

    def __init__(self, engine: sa.Engine, service: str):
        self.engine = engine
        self.key = zlib.crc32(f"youthcity.outbox.{service}".encode())
        self._connection = None

    def acquire(self) -> bool:
        if self._connection is None:
            self._connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        got = self._connection.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key})
        return bool(got.scalar())

    def release(self) -> None:
        if self._connection is not None:
            self._connection.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})

    def read(self, query) -> list:
        """The rows of `query`, read while the lock is held."""
        return self._connection.execute(query).all()

    def write(self, statement) -> None:
        """Run `statement` while the lock is held; it commits at once."""
        self._connection.execute(statement)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class FileOutboxLock:
    """flock on a file beside the SQLite database: released by the kernel if the process dies.
    While it is held, the relay reads the outbox on a pooled connection and marks it in a unit
    of work (which takes the file's green write lock: services/common/db.py)."""

    def __init__(self, database):
        self.database = database
        self.path = Path(f"{database.engine.url.database}.relay-lock")
        self._file = None

    def acquire(self) -> bool:
        if self._file is None:
            self._file = open(self.path, "a+")  # noqa: SIM115 - held for the relay's lifetime
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)

    def read(self, query) -> list:
        with self.database.engine.connect() as conn:
            return conn.execute(query).all()

    def write(self, statement) -> None:
        with self.database.unit_of_work() as uow:
            uow.session.execute(statement)
            uow.commit()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


class OutboxRelay(SharedExtension):
    """One relay per container, started with it; `Database` wakes it after each commit."""

    def __init__(self):
        super().__init__()
        self._database = None
        self._wakeups = LightQueue(maxsize=1)
        self._thread = None
        self._running = False
        self._publisher: ConfirmingPublisher | None = None
        self._lock = None
        self._draining = Semaphore(1)
        self.last_error: str | None = None

    def attach(self, database) -> None:
        """Called by the `Database` provider in its setup: the relay publishes its outbox."""
        self._database = database

    def start(self) -> None:
        if self._database is None or self._running:
            return
        settings = settings_of(self.container)
        self.service = settings.service
        self.poll_interval = settings.outbox_poll_interval
        self.batch_size = settings.outbox_batch_size
        self.table = self._database.metadata.tables["outbox"]
        self._publisher = ConfirmingPublisher(settings.amqp_uri)
        engine = self._database.engine
        if engine.url.get_backend_name() == "sqlite":
            self._lock = FileOutboxLock(self._database)
        else:
            self._lock = PostgresOutboxLock(engine, self.service)
        self._running = True
        self._thread = self.container.spawn_managed_thread(self._run, identifier="outbox-relay")

    def wake(self) -> None:
        # a wake-up already pending will see these rows too
        with contextlib.suppress(Full):
            self._wakeups.put_nowait(True)

    def stop(self) -> None:
        if not self._running:
            return
        self._running = False
        self.wake()
        if self._thread is not None:
            with eventlet.Timeout(10, False):
                self._thread.wait()
        self._close()

    def kill(self) -> None:
        self._running = False
        if self._thread is not None:
            self._thread.kill()
        self._close()

    def _close(self) -> None:
        if self._publisher is not None:
            self._publisher.close()
        if self._lock is not None:
            try:
                self._lock.close()
            except Exception:  # the database may be gone; the lock goes with the connection
                log.debug("closing the outbox lock failed", exc_info=True)

    def readiness(self) -> Check:
        """Publishing fails when the broker or the database is away, for every replica alike:
        reported (the backlog grows in `youthcity_outbox_pending`), never gating."""
        if self.last_error:
            return dependency(False, f"outbox relay failing: {self.last_error}")
        return dependency(True, "outbox relay running")

    def _run(self) -> None:
        while self._running:
            try:
                self.drain()
                self.last_error = None
                self._wait_for_wakeup(self.poll_interval)
            except CONNECTION_ERRORS + (sa.exc.SQLAlchemyError, TimeoutError) as exc:
                self.last_error = type(exc).__name__
                OUTBOX_PUBLISH_FAILURES.labels(self.service).inc()
                log.warning("outbox relay failed: %s: %s; retrying", type(exc).__name__, exc)
                if not isinstance(exc, sa.exc.SQLAlchemyError):
                    # the broker is away and the rows wait: the backlog says how many
                    with contextlib.suppress(sa.exc.SQLAlchemyError):
                        self._count_backlog()
                self._publisher.close()
                # a lock whose connection broke (the server restarted, say) would fail every
                # later attempt: the next one opens a new connection
                with contextlib.suppress(Exception):
                    self._lock.close()
                self._wait_for_wakeup(FAILURE_BACKOFF_SECONDS)

    def _wait_for_wakeup(self, timeout: float) -> None:
        with contextlib.suppress(Empty):
            self._wakeups.get(timeout=timeout)

    def drain(self) -> int:
        """Publish every pending row, batch by batch, while holding the outbox lock."""
        with self._draining:  # the relay's thread, or a tool calling in
            return self._drain()

    def _drain(self) -> int:
        published = 0
        while True:
            if self._lock.acquire():
                try:
                    published += self._drain_locked()
                finally:
                    self._lock.release()
                # its last look found nothing pending: no need to count
                self._set_backlog(0, None)
                return published
            # another replica is publishing; it may stop just before our rows committed
            if not self._pending_exists():
                return published
            eventlet.sleep(LOCK_RETRY_SECONDS)

    def _drain_locked(self) -> int:
        published = 0
        while True:
            rows = self._pending_rows()
            if not rows:
                return published
            self._publisher.publish_batch([self._message(row) for row in rows])
            fault_point("relay.confirmed")
            confirmed_at = utcnow()
            self._mark_sent([row.seq for row in rows], confirmed_at)
            for row in rows:
                OUTBOX_COMMIT_TO_CONFIRM.labels(self.service).observe(
                    (confirmed_at - row.time).total_seconds()
                )
                EVENTS_PUBLISHED.labels(self.service, row.type).inc()
            OUTBOX_PUBLISHED.labels(self.service).inc(len(rows))
            published += len(rows)
            if len(rows) < self.batch_size:
                # that was all: a row committed since wakes the relay again (or its own relay
                # waits for the lock), so looking once more would cost a query per event
                return published

    def _pending_rows(self):
        query = (
            sa.select(self.table)
            .where(self.table.c.published_at.is_(None))
            .order_by(self.table.c.seq)
            .limit(self.batch_size)
        )
        return self._lock.read(query)

    def _pending_exists(self) -> bool:
        query = sa.select(self.table.c.seq).where(self.table.c.published_at.is_(None)).limit(1)
        with self._database.engine.connect() as conn:
            return conn.execute(query).first() is not None

    def _mark_sent(self, seqs: list[int], when) -> None:
        self._lock.write(
            sa.update(self.table).where(self.table.c.seq.in_(seqs)).values(published_at=when)
        )

    def _message(self, row):
        body = cloudevents.encode(
            event_id=row.event_id,
            service=self.service,
            event_type=row.type,
            time=row.time,
            subject=row.subject,
            data_json=row.data,
            request_id=row.request_id,
            actor_id=row.actor_id,
        )
        properties = cloudevents.message_properties(row.event_id, row.type, self.service, row.time)
        # consumers apply only what the platform signed (services/common/trust.py)
        properties["application_headers"] = {trust.EVENT_SIGNATURE_HEADER: trust.sign(body)}
        return events_exchange(self.service), row.type, body, properties

    def _count_backlog(self) -> None:
        oldest_time = sa.type_coerce(sa.func.min(self.table.c.time), UtcDateTime())
        query = sa.select(sa.func.count(), oldest_time).where(self.table.c.published_at.is_(None))
        with self._database.engine.connect() as conn:
            self._set_backlog(*conn.execute(query).one())

    def _set_backlog(self, count: int, oldest) -> None:
        OUTBOX_BACKLOG.labels(self.service).set(count)
        age = max(0.0, (utcnow() - oldest).total_seconds()) if oldest is not None else 0.0
        OUTBOX_OLDEST_AGE.labels(self.service).set(age)
