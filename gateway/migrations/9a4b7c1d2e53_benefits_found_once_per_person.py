"""benefits found once per person and programme

Revision ID: 9a4b7c1d2e53
Revises: gateway_identity_0002
Create Date: 2026-12-07 02:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9a4b7c1d2e53"
down_revision: str | None = "gateway_identity_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
#: what it does to older code (services/common/schema_range.py): it only adds a table
compatibility: str = "expand"


def upgrade() -> None:
    op.create_table(
        "benefit_notice",
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("programme", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("applied_automatically", sa.Boolean(), nullable=False),
        sa.Column("noticed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("person_id", "programme", name=op.f("pk_benefit_notice")),
    )


def downgrade() -> None:
    op.drop_table("benefit_notice")
