"""Alembic, one migration history per service, driven from code rather than alembic.ini.

Every service keeps its revisions in `<package>/migrations/` and its tables in
`<package>/models.py` (`Base.metadata`). The environment script and the revision template are
shared (`services/common/alembic/`), so a service adds nothing but its revisions.
"""

from __future__ import annotations

import importlib
import os
from functools import cache
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Engine

from .db import create_engine_for, is_sqlite, normalise_url

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
    import sqlalchemy as sa

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


def upgrade(package: str, url: str, revision: str = "head") -> None:
    """Migrate one database. Replicas starting together (Kubernetes init containers) take turns:
    on PostgreSQL the upgrade runs under an advisory lock, so only one applies each revision."""
    ensure_database(url)
    config = alembic_config(package, url)
    if normalise_url(url).get_backend_name() != "postgresql":
        restamp_legacy_audit_revision(url)
        command.upgrade(config, revision)
        return
    import zlib

    import sqlalchemy as sa

    lock_key = zlib.crc32(f"youthcity.migrations.{package}".encode())
    engine = sa.create_engine(
        normalise_url(url), poolclass=pool.NullPool, isolation_level="AUTOCOMMIT"
    )
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": lock_key})
            try:
                restamp_legacy_audit_revision(url)
                command.upgrade(config, revision)
            finally:
                conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": lock_key})
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
    import sqlalchemy as sa

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
    script = ScriptDirectory.from_config(alembic_config(package, "sqlite://"))
    return frozenset(script.get_heads())


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


def run_migrations() -> None:
    """The shared `env.py`: migrate the service named in the config (online mode only)."""
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
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


def autogenerate(package: str, url: str, message: str) -> None:
    """Write a new revision from the difference between the models and a database at head."""
    config = alembic_config(package, url)
    command.upgrade(config, "head")
    command.revision(
        config, message=message, autogenerate=True, version_path=str(versions_location(package))
    )
