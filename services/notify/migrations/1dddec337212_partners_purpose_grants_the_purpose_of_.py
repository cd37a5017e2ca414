"""partners' purpose grants, the purpose of each webhook delivery

Revision ID: 1dddec337212
Revises: c0e1a7d2b504
Create Date: 2026-12-06 23:37:32.935806
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import services.common.types

revision: str = "1dddec337212"
down_revision: str | None = "c0e1a7d2b504"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
#: what it does to older code (services/common/schema_range.py): it only adds tables,
#: columns, indexes, or loosens NOT NULL
compatibility: str = "expand"


def upgrade() -> None:
    op.create_table(
        "partner_grant",
        sa.Column("partner_id", sa.String(length=36), nullable=False),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("partner_name", sa.String(length=200), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("legal_basis_zh", sa.Text(), nullable=False),
        sa.Column("legal_basis_en", sa.Text(), nullable=False),
        sa.Column("granted_by", sa.String(length=36), nullable=False),
        sa.Column("granted_at", services.common.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("revoked_by", sa.String(length=36), nullable=True),
        sa.Column("revoked_at", services.common.types.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("partner_id", "purpose", name=op.f("pk_partner_grant")),
    )
    with op.batch_alter_table("webhook_delivery", schema=None) as batch_op:
        batch_op.add_column(sa.Column("purpose", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("webhook_delivery", schema=None) as batch_op:
        batch_op.drop_column("purpose")

    op.drop_table("partner_grant")
