"""purchase subsidies by household size, once per person

Revision ID: 3f9a2d6c1e48
Revises: 115abbbc43af
Create Date: 2026-12-08 00:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3f9a2d6c1e48"
down_revision: str | None = "115abbbc43af"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
#: what it does to older code (services/common/schema_range.py): it adds nullable columns and a
#: unique constraint on one of them that older code never writes (NULLs never collide)
compatibility: str = "expand"


def upgrade() -> None:
    with op.batch_alter_table("subsidy_application", schema=None) as batch_op:
        batch_op.add_column(sa.Column("household_size", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("person_key", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_subsidy_application_person_key"), ["person_key"]
        )


def downgrade() -> None:
    with op.batch_alter_table("subsidy_application", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_subsidy_application_person_key"), type_="unique")
        batch_op.drop_column("person_key")
        batch_op.drop_column("household_size")
