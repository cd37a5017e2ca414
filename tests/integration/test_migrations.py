"""Every process's migrations reach a schema identical to its models, on both backends."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from services.common.db import create_engine_for
from services.common.migrations import head_revisions, schema_is_current
from services.common.registry import PROCESSES


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
