"""employers attach documents: what an employer's document is about

Revision ID: 4e2a8d6c1b93
Revises: 1c6e9b2f4d70
Create Date: 2026-12-07 05:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4e2a8d6c1b93"
down_revision: str | None = "1c6e9b2f4d70"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
#: what it does to older code (services/common/schema_range.py): two nullable columns
compatibility: str = "expand"


def upgrade() -> None:
    with op.batch_alter_table("evidence_document", schema=None) as batch_op:
        batch_op.add_column(sa.Column("person_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("reference", sa.String(length=36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("evidence_document", schema=None) as batch_op:
        batch_op.drop_column("reference")
        batch_op.drop_column("person_id")
