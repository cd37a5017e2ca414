"""erased people: registrations and stories without a person

Revision ID: 37ea3fa4a209
Revises: 0bc037712d1f
Create Date: 2026-11-28 04:08:08.946728
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "37ea3fa4a209"
down_revision: str | None = "0bc037712d1f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
#: what it does to older code (services/common/schema_range.py): it only adds tables,
#: columns, indexes, or loosens NOT NULL
compatibility: str = "expand"


def upgrade() -> None:
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.alter_column("person_id", existing_type=sa.VARCHAR(length=36), nullable=True)

    with op.batch_alter_table("story", schema=None) as batch_op:
        batch_op.alter_column("author_id", existing_type=sa.VARCHAR(length=36), nullable=True)


def downgrade() -> None:
    # refused while erased rows exist: there is no person to put back
    with op.batch_alter_table("story", schema=None) as batch_op:
        batch_op.alter_column("author_id", existing_type=sa.VARCHAR(length=36), nullable=False)

    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.alter_column("person_id", existing_type=sa.VARCHAR(length=36), nullable=False)
