"""erased people: unlinked messages and deliveries, the erased list

Revision ID: 619c5b8d4c2c
Revises: 42b65cf9feec
Create Date: 2026-11-28 04:09:11.969462
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import services.common.types

revision: str = "619c5b8d4c2c"
down_revision: str | None = "42b65cf9feec"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
#: what it does to older code (services/common/schema_range.py): it only adds tables,
#: columns, indexes, or loosens NOT NULL
compatibility: str = "expand"


def upgrade() -> None:
    op.create_table(
        "erased_person",
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("erasure_id", sa.String(length=36), nullable=False),
        sa.Column("erased_at", services.common.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_erased_person")),
    )
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.alter_column("person_id", existing_type=sa.VARCHAR(length=36), nullable=True)

    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.alter_column("person_id", existing_type=sa.VARCHAR(length=36), nullable=True)


def downgrade() -> None:
    # refused while erased rows exist: there is no person to put back
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.alter_column("person_id", existing_type=sa.VARCHAR(length=36), nullable=False)

    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.alter_column("person_id", existing_type=sa.VARCHAR(length=36), nullable=False)

    op.drop_table("erased_person")
