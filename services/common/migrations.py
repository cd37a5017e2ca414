"""Alembic, one migration history per service, driven from code rather than alembic.ini.

Every service keeps its revisions in `<package>/migrations/` and its tables in
`<package>/models.py` (`Base.metadata`). The environment script and the revision template are
shared (`services/common/alembic/`), so a service adds nothing but its revisions.
"""

from __future__ import annotations

import fcntl
import importlib
import os
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import sqlalchemy as sa
from alembic import command, context
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Engine

from .db import create_engine_for, is_sqlite, normalise_url
from .models import schema_compatibility_table
from .schema_range import BREAKING, Revision, Verdict, compatible_code, verdict

SHARED_SCRIPTS = Path(__file__).parent / "alembic"


def versions_location(package: str) -> Path:
    return Path(importlib.import_module(package).__file__).parent / "migrations"


def alembic_config(package: str, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SHARED_SCRIPTS))
    # the messaging kit's revisions are the root of every service's history
    config.set_main_option("path_separator", "os")
    config.set_main_option(
        "version_locations",
        os.pathsep.join([str(SHARED_SCRIPTS / "versions"), str(versions_location(package))]),
    )
    config.set_main_option("youthcity_models", f"{package}.models")
    # configparser interpolation: a literal % in a password must be doubled
    rendered = normalise_url(url).render_as_string(hide_password=False)
    config.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return config


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of `url` if it does not exist yet (SQLite creates itself)."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() != "postgresql":
        return
    admin = sa.create_engine(
        parsed.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=pool.NullPool
    )
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": parsed.database},
            ).scalar()
            if not exists:
                conn.exec_driver_sql(f'CREATE DATABASE "{parsed.database}"')
    finally:
        admin.dispose()


class MigrationLockTimeout(Exception):
    """Another migration of the same database held its lock for longer than we would wait."""


#: how often a migration waiting for the lock says so
LOCK_WAIT_REPORT_SECONDS = 5.0


@contextmanager
def migration_lock(
    package: str, url: str, timeout: float | None, progress: Callable[[str], None] | None = None
) -> Iterator[None]:
    """One migration of a database at a time. Replicas starting together (Kubernetes init
    containers) take turns: on PostgreSQL under a session advisory lock, on SQLite under an
    exclusive lock on a file beside the database. `timeout` (seconds, None: for ever) bounds the
    wait; `progress` hears every few seconds that it is waiting."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "postgresql":
        lock = _PostgresLock(parsed, zlib.crc32(f"youthcity.migrations.{package}".encode()))
    elif parsed.database and parsed.database != ":memory:":
        lock = _FileLock(Path(f"{parsed.database}.migrate.lock"))
    else:
        yield
        return
    try:
        _acquire(lock, package, timeout, progress)
        yield
    finally:
        lock.release()


def _acquire(lock, package: str, timeout: float | None, progress) -> None:
    started = time.monotonic()
    reported = started
    while not lock.try_acquire():
        now = time.monotonic()
        if timeout is not None and now - started >= timeout:
            raise MigrationLockTimeout(
                f"{package}: another migration held the lock for {timeout:g}s; gave up"
            )
        if progress is not None and now - reported >= LOCK_WAIT_REPORT_SECONDS:
            progress(f"waiting for the migration lock ({now - started:.0f}s)")
            reported = now
        time.sleep(0.2)


class _PostgresLock:
    """`pg_try_advisory_lock` on a connection of its own (the lock lives with the session)."""

    def __init__(self, url: sa.URL, key: int):
        self.key = key
        self.engine = sa.create_engine(url, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
        self.conn = self.engine.connect()
        self.held = False

    def try_acquire(self) -> bool:
        query = sa.text("SELECT pg_try_advisory_lock(:k)")
        self.held = bool(self.conn.execute(query, {"k": self.key}).scalar())
        return self.held

    def release(self) -> None:
        try:
            if self.held:
                self.conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
        finally:
            self.conn.close()
            self.engine.dispose()


class _FileLock:
    """An exclusive `flock` on a file beside the SQLite database (gone with the process)."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.file = path.open("a")

    def try_acquire(self) -> bool:
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def release(self) -> None:
        self.file.close()  # closing releases the lock


def upgrade(
    package: str,
    url: str,
    revision: str = "head",
    *,
    lock_timeout: float | None = None,
    progress: Callable[[str], None] | None = None,
) -> None:
    """Migrate one database up to `revision`, under the migration lock (`migration_lock`);
    `progress` hears each revision applied."""
    ensure_database(url)
    config = alembic_config(package, url)
    config.attributes["progress"] = progress
    with migration_lock(package, url, lock_timeout, progress):
        restamp_legacy_audit_revision(url)
        command.upgrade(config, revision)


def downgrade(
    package: str,
    url: str,
    revision: str,
    *,
    lock_timeout: float | None = None,
    progress: Callable[[str], None] | None = None,
) -> None:
    """Migrate one database down to `revision` (what an older release's code needs when it
    cannot run against the newer schema), under the same lock as `upgrade`."""
    config = alembic_config(package, url)
    config.attributes["progress"] = progress
    with migration_lock(package, url, lock_timeout, progress):
        command.downgrade(config, revision)


def current_revisions(url: str) -> set[str]:
    """The revisions the database is at (empty: never migrated)."""
    engine = create_engine_for(url, pool_size=1)
    try:
        with engine.connect() as conn:
            return set(MigrationContext.configure(conn).get_current_heads())
    finally:
        engine.dispose()


#: each service's own audit-trail revision, replaced by the shared `audit_0001`: a database a
#: release left exactly there is at the revision before it plus `audit_0001` in today's graph
LEGACY_AUDIT_REVISIONS = {
    "d27b04d09cce": ("07a55bbd498e", "audit_0001"),  # gateway
    "c91ca1808136": ("7720dc40bf0e", "audit_0001"),  # events
    "4389bab644e8": ("audit_0001",),  # housing
    "0cdf96408127": ("audit_0001",),  # jobs
    "1f277c9c6449": ("89f07a13af27", "audit_0001"),  # notify
    "6e1b86d2258c": ("audit_0001",),  # startup
}


def restamp_legacy_audit_revision(url: str) -> None:
    """Rewrite a version table that names a service's former audit-trail revision to the same
    schema's revisions in the shared history, so the upgrade goes on from there."""
    engine = create_engine_for(url, pool_size=1)
    try:
        with engine.begin() as conn:
            if not sa.inspect(conn).has_table("alembic_version"):
                return
            versions = sa.table("alembic_version", sa.column("version_num", sa.String))
            current = set(conn.execute(sa.select(versions.c.version_num)).scalars())
            for legacy in current & set(LEGACY_AUDIT_REVISIONS):
                conn.execute(sa.delete(versions).where(versions.c.version_num == legacy))
                conn.execute(
                    sa.insert(versions),
                    [{"version_num": rev} for rev in LEGACY_AUDIT_REVISIONS[legacy]],
                )
    finally:
        engine.dispose()


@cache
def head_revisions(package: str) -> frozenset[str]:
    return frozenset(_script(package).get_heads())


def schema_is_current(engine: Engine, package: str) -> tuple[bool, str]:
    with engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    heads = head_revisions(package)
    if current == heads:
        return True, f"schema at {','.join(sorted(heads))}"
    return (
        False,
        f"schema at {','.join(sorted(current)) or 'nothing'}, "
        f"code expects {','.join(sorted(heads))}",
    )


def revision_graph(script: ScriptDirectory) -> dict[str, Revision]:
    """Every revision of a history with its parents and its declared `compatibility`."""
    return {
        rev.revision: Revision(
            parents=_tuple(rev.down_revision),
            compatibility=getattr(rev.module, "compatibility", BREAKING),
        )
        for rev in script.walk_revisions()
    }


def _tuple(value) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


@cache
def _script(package: str) -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config(package, "sqlite://"))


def schema_is_supported(engine: Engine, package: str) -> Verdict:
    """Whether this code can run against the database's schema (the rule of
    `services/common/schema_range.py`): at its own heads, or ahead with its heads among the
    code the migrated schema says it still serves."""
    with engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
        compatible = None
        if sa.inspect(conn).has_table("schema_compatibility"):
            table = sa.table("schema_compatibility", sa.column("revision", sa.String))
            compatible = set(conn.execute(sa.select(table.c.revision)).scalars())
    script = _script(package)
    known = (rev.revision for rev in script.walk_revisions())
    return verdict(head_revisions(package), known, current, compatible)


def _record_compatible_code(connection, script: ScriptDirectory, heads: set[str]) -> None:
    """Write, in the migration's transaction, which code can run against the schema now."""
    table = schema_compatibility_table(sa.MetaData())
    table.create(connection, checkfirst=True)
    connection.execute(table.delete())
    revisions = compatible_code(revision_graph(script), heads) if heads else ()
    if revisions:
        connection.execute(table.insert(), [{"revision": rev} for rev in sorted(revisions)])


def _reporter(progress: Callable[[str], None] | None):
    """Alembic's `on_version_apply` as a progress line per revision, with its duration."""
    last = [time.monotonic()]

    def report(ctx, step, heads, run_args) -> None:
        now = time.monotonic()
        if progress is not None:
            verb = "upgraded" if step.is_upgrade else "downgraded"
            source = ",".join(step.source_revision_ids) or "nothing"
            target = ",".join(step.destination_revision_ids) or "nothing"
            doc = (step.up_revision.doc or "").splitlines()[0] if step.up_revision.doc else ""
            progress(f"{verb} {source} -> {target}: {doc} ({now - last[0]:.2f}s)")
        last[0] = now

    return report


def run_migrations() -> None:
    """The shared `env.py`: migrate the service named in the config (online mode only), and
    record in the same transaction which code can run against the result."""
    models = importlib.import_module(context.config.get_main_option("youthcity_models"))
    target_metadata: MetaData = models.Base.metadata
    url = context.config.get_main_option("sqlalchemy.url")
    engine = create_engine_for(url, pool_size=1)
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=is_sqlite(engine),
                compare_type=True,
                on_version_apply=_reporter(context.config.attributes.get("progress")),
            )
            with context.begin_transaction():
                context.run_migrations()
                heads = set(context.get_context().get_current_heads())
                _record_compatible_code(connection, context.script, heads)
            if connection.in_transaction():
                # without transactional DDL (SQLite) Alembic commits each revision itself, and
                # what was recorded after the last one is left in a transaction of its own
                connection.commit()
    finally:
        engine.dispose()


def autogenerate(package: str, url: str, message: str) -> None:
    """Write a new revision from the difference between the models and a database at head."""
    config = alembic_config(package, url)
    command.upgrade(config, "head")
    command.revision(
        config, message=message, autogenerate=True, version_path=str(versions_location(package))
    )
