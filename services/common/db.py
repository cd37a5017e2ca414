"""The database kit: engines that behave under eventlet, a unit of work, and the nameko provider.

Two backends, one behaviour:

* **PostgreSQL** through psycopg2 with psycogreen's wait callback, so a query yields to the other
  green threads instead of blocking the process (`tests/integration/test_db.py` shows two
  one-second queries overlap).
* **SQLite**, the embedded default. Its calls block the process but are short; what must not
  happen is a transaction that yields while another green thread writes, which ends in
  "database is locked". So every writing unit of work takes a green lock for its file and opens
  with `BEGIN IMMEDIATE`; readers use WAL snapshots and take no lock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import sqlalchemy as sa
from eventlet.semaphore import Semaphore
from nameko.extensions import DependencyProvider
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session

from .commands import record_in as record_command
from .config import settings_of
from .context import CallContext, current_context
from .faults import fault_point
from .health import Check, dependency
from .relay import OutboxRelay
from .repository import Repository

if TYPE_CHECKING:
    from .events import EventCatalog
    from .outbox import OutboxWriter

log = logging.getLogger(__name__)

_sqlite_gates: dict[str, Semaphore] = {}

#: what a database that is away looks like: answered 503 `database_unavailable`, by a service
#: over RPC and by the gateway over HTTP
DATABASE_OUTAGES = (sa.exc.OperationalError, sa.exc.TimeoutError, sa.exc.InterfaceError)


def normalise_url(url: str) -> sa.URL:
    """`postgresql://` means psycopg2 here (SQLAlchemy 2.1 would pick psycopg 3, which blocks)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg2")
    return parsed


def is_sqlite(engine_or_url) -> bool:
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(engine_or_url)
    return url.get_backend_name() == "sqlite"


def create_engine_for(url: str, pool_size: int = 10) -> Engine:
    """An engine for `url` that cooperates with eventlet (see the module docstring)."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, pool_size)
    import psycogreen.eventlet

    psycogreen.eventlet.patch_psycopg()
    engine = sa.create_engine(
        parsed,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=5,
        pool_pre_ping=True,
        # an error's message must not carry the values of its statement (emails, names,
        # password hashes) into a log line
        hide_parameters=True,
        connect_args={"connect_timeout": 3, "application_name": "youthcity"},
    )
    event.listen(engine, "handle_error", _without_values)
    return engine


def _without_values(context):
    """PostgreSQL explains a refused row with its values (`DETAIL: Key (email)=(…) already
    exists`): the error raised, and logged, keeps the message and the constraint's name only."""
    original = context.original_exception
    message = str(original)
    if "\nDETAIL:" not in message or context.sqlalchemy_exception is None:
        return None
    original.args = (message.split("\nDETAIL:", 1)[0],)
    raised = context.sqlalchemy_exception
    return type(raised)(
        context.statement,
        None,
        original,
        hide_parameters=True,
        connection_invalidated=raised.connection_invalidated,
    )


def _sqlite_engine(url: sa.URL, pool_size: int) -> Engine:
    if url.database and url.database != ":memory:":
        from pathlib import Path

        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(
        url,
        pool_size=pool_size,
        max_overflow=0,
        hide_parameters=True,
        connect_args={"check_same_thread": False, "timeout": 30},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # let SQLAlchemy's "begin" event, not pysqlite, decide how a transaction starts
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # Only a unit of work, which holds the file's green lock, takes the write lock up front;
        # any other connection (readers, the relay's queries, migrations) begins deferred, so it
        # never waits in SQLite's busy handler, which would block the whole process.
        writer = connection.get_execution_options().get("youthcity_writer")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN DEFERRED")

    return engine


def sqlite_gate(engine: Engine) -> Semaphore | None:
    """The green lock that serialises writers of one SQLite file in this process."""
    if not is_sqlite(engine):
        return None
    key = str(engine.url)
    gate = _sqlite_gates.get(key)
    if gate is None:
        gate = _sqlite_gates[key] = Semaphore(1)
    return gate


class UnitOfWork:
    """One transaction: rolls back unless `commit()` is called.

    Events recorded with `record()` are written to the outbox in the same transaction as the
    change they report, and the relay is woken once the transaction commits. Handlers reach rows
    through `repo`, the service's repository (`services/common/repository.py`).

    Example::

        with db.unit_of_work() as uow:
            post = uow.repo.locked(Post, post_id, POST_NOT_FOUND)
            post.publish()
            uow.record("posting.published", subject=post.id, data=post)
            uow.commit()
    """

    def __init__(
        self,
        engine: Engine,
        context: CallContext | None = None,
        outbox: OutboxWriter | None = None,
        after_commit: Callable[[], None] | None = None,
        repository: type[Repository] = Repository,
    ):
        self.engine = engine
        self._repository = repository
        self.context = context or current_context() or CallContext.system()
        self._outbox = outbox
        self._after_commit = after_commit
        self._gate = sqlite_gate(engine)
        self._pending_events: list = []
        self.session: Session | None = None
        self.repo: Repository | None = None
        self.committed = False

    def __enter__(self) -> UnitOfWork:
        if self._gate is not None:
            self._gate.acquire()
        try:
            writer = self.engine.execution_options(youthcity_writer=True)
            self.session = Session(bind=writer, expire_on_commit=False, autoflush=True)
            self.repo = self._repository(self.session)
        except BaseException:
            self._release()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        try:
            if not self.committed:
                self.session.rollback()
            self.session.close()
        finally:
            self._release()

    def _release(self) -> None:
        if self._gate is not None:
            self._gate.release()
            self._gate = None

    def record(self, event_type: str, subject, data) -> None:
        """Report a fact: `event_type` is `<entity>.<verb>` from the service's catalogue, `data`
        an object or dict its schema dumps. Written to the outbox when the unit commits."""
        if self._outbox is None:
            raise RuntimeError("this unit of work has no outbox")
        self._pending_events.append(self._outbox.build(event_type, subject, data, self.context))

    @property
    def outbox_table(self) -> sa.Table:
        """The service's `outbox` table (services.common.outbox)."""
        return self._outbox.table

    @property
    def audit_table(self) -> sa.Table:
        """The service's `audit_entry` table (services.common.audit)."""
        return self._outbox.table.metadata.tables["audit_entry"]

    def audit(self, action: str, subject: tuple[str, str], reason: str | None = None, details=None):
        """Record a decision (who, when, what, why) in this transaction (services.common.audit)."""
        from .audit import audit_row

        row = audit_row(self.context, action, subject, reason, details or {})
        self.session.execute(self.audit_table.insert().values(**row))

    def commit(self) -> None:
        if self._outbox is not None:
            record_command(self.session, self._outbox.table.metadata)
        if self._pending_events:
            self._outbox.add(self.session, self._pending_events)
        self.session.commit()
        self.committed = True
        self._release()
        if self._pending_events:
            fault_point("outbox.committed")
            if self._after_commit is not None:
                self._after_commit()

    def rollback(self) -> None:
        self.session.rollback()
        self._pending_events.clear()


class Database(DependencyProvider):
    """Gives each worker `unit_of_work()` and `reading()` on the service's own database.

    The engine is created in `setup` from `Settings.database_url` and disposed of in `stop`.
    Its `relay` publishes what the units of work wrote to the outbox; each unit of work gets a
    `repository` of the service's own class.
    `readiness()` is what `/readyz` asks: the schema is within the range this code supports
    (`services/common/schema_range.py`), and the server answers. A process that answers HTTP
    itself (`answers_outages=True`: the gateway) stays ready while the server is away, once the
    schema has been seen supported, so that callers get its problem+json 503 rather than an
    ingress's page (`services/common/health.py`); a service behind the broker is not ready.

    Example::

        class HousingService:
            db = Database(Base.metadata, package="services.housing")
    """

    relay = OutboxRelay()

    def __init__(
        self,
        metadata: sa.MetaData,
        package: str,
        events: EventCatalog | None = None,
        repository: type[Repository] = Repository,
        answers_outages: bool = False,
    ):
        self.metadata = metadata
        self.package = package
        self.answers_outages = answers_outages
        self.events = events
        self.repository = repository
        self.engine: Engine | None = None
        self.outbox: OutboxWriter | None = None
        #: the last answer of the schema check, kept for when the server cannot be asked
        self._schema_supported = False

    def setup(self) -> None:
        settings = settings_of(self.container)
        self.engine = create_engine_for(settings.database_url, pool_size=settings.db_pool_size)
        from .outbox import OutboxWriter

        self.outbox = OutboxWriter(self.metadata, settings, self.events)
        self._reader = self.engine
        if not is_sqlite(self.engine):
            self._reader = self.engine.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        self.relay.attach(self)

    def stop(self) -> None:
        if self.engine is not None:
            self.engine.dispose()

    def kill(self) -> None:
        self.stop()

    def unit_of_work(self, context: CallContext | None = None) -> UnitOfWork:
        return UnitOfWork(self.engine, context, self.outbox, self.relay.wake, self.repository)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads only, all its queries seeing one snapshot (a list and its count
        agree): WAL on SQLite, REPEATABLE READ READ ONLY on PostgreSQL. Closing it ends the
        transaction without expiring what was loaded, so results stay usable afterwards."""
        with Session(bind=self._reader, expire_on_commit=False) as session:
            yield session

    def readiness(self) -> Check:
        from .migrations import schema_is_supported

        try:
            schema = schema_is_supported(self.engine, self.package)
        except Exception as exc:  # any failure to reach the database: it is away
            reason = f"database unreachable: {type(exc).__name__}"
            if self._schema_supported and self.answers_outages:
                # every replica shares the server: answer 503s ourselves rather than leave
                return dependency(False, f"{reason} (schema was supported)")
            return Check(False, reason)
        self._schema_supported = schema.supported
        return Check(schema.supported, schema.detail)

    def get_dependency(self, worker_ctx) -> Database:
        return self
