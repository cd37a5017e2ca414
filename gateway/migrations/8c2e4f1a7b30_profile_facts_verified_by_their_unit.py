"""profile facts verified by their unit

Revision ID: 8c2e4f1a7b30
Revises: 5b1d0c7e9a21
Create Date: 2026-12-08 00:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import services.common.types

revision: str = "8c2e4f1a7b30"
down_revision: str | None = "5b1d0c7e9a21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
#: what it does to older code (services/common/schema_range.py): it only adds a table
compatibility: str = "expand"


def upgrade() -> None:
    op.create_table(
        "profile_fact_verification",
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("fact", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("verified_by", sa.String(length=36), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("verified_at", services.common.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["youth_profile.account_id"],
            name=op.f("fk_profile_fact_verification_account_id_youth_profile"),
        ),
        sa.PrimaryKeyConstraint("account_id", "fact", name=op.f("pk_profile_fact_verification")),
    )


def downgrade() -> None:
    op.drop_table("profile_fact_verification")
