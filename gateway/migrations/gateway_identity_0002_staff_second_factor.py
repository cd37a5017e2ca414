"""identity: a second factor (TOTP) for staff, with its recovery codes

Revision ID: gateway_identity_0002
Revises: 3b7e5d1c9a40
Create Date: 2026-12-07 02:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import services.common.types

revision: str = "gateway_identity_0002"
down_revision: str | None = "3b7e5d1c9a40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
#: what it does to older code (services/common/schema_range.py): it only adds tables
compatibility: str = "expand"


def upgrade() -> None:
    op.create_table(
        "second_factor",
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("sealed_secret", sa.String(length=200), nullable=False),
        sa.Column("started_at", services.common.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("enrolled_at", services.common.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("last_step", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_second_factor_account_id_account")
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_second_factor")),
    )
    op.create_table(
        "second_factor_recovery_code",
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_second_factor_recovery_code_account_id_account"),
        ),
        sa.PrimaryKeyConstraint(
            "account_id", "code_hash", name=op.f("pk_second_factor_recovery_code")
        ),
    )


def downgrade() -> None:
    op.drop_table("second_factor_recovery_code")
    op.drop_table("second_factor")
