"""benefits checked as days pass: each person's last daily answer

Revision ID: 1c6e9b2f4d70
Revises: 0aa86e24c150
Create Date: 2026-12-07 05:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "1c6e9b2f4d70"
down_revision: str | None = "0aa86e24c150"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
#: what it does to older code (services/common/schema_range.py): it only adds a table
compatibility: str = "expand"


def upgrade() -> None:
    op.create_table(
        "benefit_check",
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("facts_digest", sa.String(length=64), nullable=False),
        sa.Column("eligible", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_benefit_check")),
    )
    op.create_index(
        "ix_benefit_check_due", "benefit_check", ["checked_on", "person_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_benefit_check_due", table_name="benefit_check")
    op.drop_table("benefit_check")
