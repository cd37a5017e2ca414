"""showcase entries: farm-product showcases and live-commerce contests

Revision ID: ec8ddcf3174e
Revises: 464e28039776
Create Date: 2026-12-07 04:48:21.586924
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import services.common.types

revision: str = "ec8ddcf3174e"
down_revision: str | None = "464e28039776"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
#: what it does to older code (services/common/schema_range.py): it only adds a table and its
#: indexes (issue 28)
compatibility: str = "expand"


def upgrade() -> None:
    op.create_table(
        "showcase_entry",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("activity_id", sa.String(length=36), nullable=False),
        sa.Column("entrant_id", sa.String(length=36), nullable=True),
        sa.Column("entrant_kind", sa.String(length=10), nullable=False),
        sa.Column("products", sa.Text(), nullable=False),
        sa.Column("entered_at", services.common.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("sales_cny", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("orders", sa.Integer(), nullable=True),
        sa.Column(
            "sales_reported_at", services.common.types.UtcDateTime(timezone=True), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["activity_id"], ["activity.id"], name=op.f("fk_showcase_entry_activity_id_activity")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_showcase_entry")),
        sa.UniqueConstraint(
            "activity_id", "entrant_id", name=op.f("uq_showcase_entry_activity_id_entrant_id")
        ),
    )
    with op.batch_alter_table("showcase_entry", schema=None) as batch_op:
        batch_op.create_index(
            "ix_showcase_entry_activity", ["activity_id", "entered_at", "id"], unique=False
        )
        batch_op.create_index("ix_showcase_entry_entered_at", ["entered_at"], unique=False)
        batch_op.create_index(
            "ix_showcase_entry_entrant", ["entrant_id", "entered_at", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("showcase_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_showcase_entry_entrant")
        batch_op.drop_index("ix_showcase_entry_entered_at")
        batch_op.drop_index("ix_showcase_entry_activity")

    op.drop_table("showcase_entry")
