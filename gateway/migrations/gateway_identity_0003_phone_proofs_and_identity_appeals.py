"""identity: phones proven by a one-time code at registration, identity appeals

Revision ID: gateway_identity_0003
Revises: 9a4b7c1d2e53
Create Date: 2026-12-07 02:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import services.common.types

revision: str = "gateway_identity_0003"
down_revision: str | None = "9a4b7c1d2e53"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
#: what it does to older code (services/common/schema_range.py): it only adds tables and a
#: nullable column
compatibility: str = "expand"


def upgrade() -> None:
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "phone_proven_at", services.common.types.UtcDateTime(timezone=True), nullable=True
            )
        )
    op.create_table(
        "phone_code",
        sa.Column("phone_hash", sa.String(length=64), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", services.common.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", services.common.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("attempts_left", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("phone_hash", name=op.f("pk_phone_code")),
    )
    op.create_table(
        "identity_appeal",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("claimant_id", sa.String(length=36), nullable=False),
        sa.Column("citizen_id", sa.String(length=18), nullable=True),
        sa.Column("statement", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("filed_at", services.common.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", services.common.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=36), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("released_from", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["claimant_id"], ["account.id"], name=op.f("fk_identity_appeal_claimant_id_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_appeal")),
    )
    with op.batch_alter_table("identity_appeal", schema=None) as batch_op:
        batch_op.create_index(
            "ix_identity_appeal_status_filed", ["status", "filed_at", "id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_identity_appeal_claimant_id"), ["claimant_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("identity_appeal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identity_appeal_claimant_id"))
        batch_op.drop_index("ix_identity_appeal_status_filed")
    op.drop_table("identity_appeal")
    op.drop_table("phone_code")
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_column("phone_proven_at")
