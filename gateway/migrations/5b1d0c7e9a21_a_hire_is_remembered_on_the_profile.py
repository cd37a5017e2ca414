"""a hire is remembered on the profile

Revision ID: 5b1d0c7e9a21
Revises: ab656c2f6110
Create Date: 2026-12-08 00:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5b1d0c7e9a21"
down_revision: str | None = "ab656c2f6110"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
#: what it does to older code (services/common/schema_range.py): it only adds nullable columns
compatibility: str = "expand"


def upgrade() -> None:
    with op.batch_alter_table("youth_profile", schema=None) as batch_op:
        batch_op.add_column(sa.Column("employer_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("employed_since", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("youth_profile", schema=None) as batch_op:
        batch_op.drop_column("employed_since")
        batch_op.drop_column("employer_id")
