"""Every process's migrations reach a schema identical to its models, on both backends."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from services.common.db import create_engine_for
from services.common.migrations import (
    LEGACY_AUDIT_REVISIONS,
    head_revisions,
    schema_is_current,
    upgrade,
)
from services.common.registry import PROCESSES

#: the database's own behaviour (locks, migrations, SQL): on both backends
pytestmark = pytest.mark.both_backends


@pytest.mark.parametrize("process", list(PROCESSES))
def test_migrations_reach_the_models_and_the_head(databases, process):
    spec = PROCESSES[process]
    url = databases.migrated(spec.package)
    engine = create_engine_for(url)
    try:
        metadata = __import__(f"{spec.package}.models", fromlist=["Base"]).Base.metadata
        with engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn), metadata)
        assert differences == []
        current, detail = schema_is_current(engine, spec.package)
        assert current, detail
        assert head_revisions(spec.package)
    finally:
        engine.dispose()


#: every process's head at the last release: a database there has nothing left to apply
RELEASED_HEADS = {
    "gateway": "514268c294cb",
    "jobs": "a88cfced6a8f",
    "housing": "677e07dbc08f",
    "startup": "415e3e0ac91f",
    "events": "37ea3fa4a209",
    "notify": "1dddec337212",
}


def test_a_database_at_the_released_heads_is_current_with_the_shared_audit_revision():
    assert {name: head_revisions(spec.package) for name, spec in PROCESSES.items()} == {
        name: frozenset({head}) for name, head in RELEASED_HEADS.items()
    }


@pytest.mark.parametrize(
    ("process", "legacy"),
    # events' audit revision came after one of its own, jobs' right after the messaging kit's
    [("events", "c91ca1808136"), ("jobs", "0cdf96408127")],
)
def test_a_database_left_at_a_former_audit_revision_upgrades_cleanly(databases, process, legacy):
    spec = PROCESSES[process]
    url = databases.create(process)
    for revision in LEGACY_AUDIT_REVISIONS[legacy]:
        upgrade(spec.package, url, revision)
    engine = create_engine_for(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM alembic_version"))
            conn.execute(sa.text("INSERT INTO alembic_version VALUES (:v)"), {"v": legacy})
        upgrade(spec.package, url)
        current, detail = schema_is_current(engine, spec.package)
        assert current, detail
        metadata = __import__(f"{spec.package}.models", fromlist=["Base"]).Base.metadata
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    finally:
        engine.dispose()
