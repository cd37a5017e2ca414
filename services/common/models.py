"""What every service's tables share: constraint names that migrate cleanly, the outbox and
inbox tables of the messaging kit, the audit trail and the commands applied once."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from .audit import audit_table
from .commands import command_table
from .outbox import messaging_tables

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def schema_compatibility_table(metadata: sa.MetaData) -> sa.Table:
    """`schema_compatibility`: the code revisions that can run against the schema as migrated
    (services/common/schema_range.py). Like Alembic's own version table it belongs to the
    migration tool, which creates and rewrites it in each migration's transaction."""
    return sa.Table(
        "schema_compatibility",
        metadata,
        sa.Column("revision", sa.String(64), primary_key=True),
    )


def service_metadata() -> sa.MetaData:
    """A fresh MetaData for one service, with its outbox, inbox, audit trail, command log and
    schema compatibility tables already in it.

    Example::

        class Base(DeclarativeBase):
            metadata = service_metadata()
    """
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    messaging_tables(metadata)
    audit_table(metadata)
    command_table(metadata)
    schema_compatibility_table(metadata)
    return metadata


def new_id() -> str:
    """A new row's id: a random UUID, known before the row is written, so the event that
    reports the row can name it in the same transaction."""
    return str(uuid.uuid4())
