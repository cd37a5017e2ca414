"""plan items track themselves: leader, section, person, indicators served, overdue flag,
progress notes

Revision ID: 5f1c0a9e2d31
Revises: 8c2e4f1a7b30
Create Date: 2026-11-29 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import services.common.types

revision: str = "5f1c0a9e2d31"
down_revision: str | tuple[str, ...] | None = "8c2e4f1a7b30"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
#: what it does to older code (services/common/schema_range.py): it only adds a table and
#: nullable (or defaulted) columns
compatibility: str = "expand"


def upgrade() -> None:
    with op.batch_alter_table("plan_item") as batch:
        batch.add_column(sa.Column("leader", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("section", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("person", sa.String(length=100), nullable=True))
        batch.add_column(
            sa.Column("indicator_codes", sa.Text(), nullable=False, server_default="[]")
        )
        batch.add_column(sa.Column("overdue_since", sa.Date(), nullable=True))
    op.create_index("ix_plan_item_due", "plan_item", ["due_date", "status"])
    op.create_table(
        "plan_item_note",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("item_id", sa.String(length=36), nullable=False),
        sa.Column("written_at", services.common.types.UtcDateTime(), nullable=False),
        sa.Column("written_by", sa.String(length=36), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["item_id"], ["plan_item.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_plan_item_note_item", "plan_item_note", ["item_id", "written_at"])


def downgrade() -> None:
    op.drop_index("ix_plan_item_note_item", table_name="plan_item_note")
    op.drop_table("plan_item_note")
    op.drop_index("ix_plan_item_due", table_name="plan_item")
    with op.batch_alter_table("plan_item") as batch:
        for column in ("overdue_since", "indicator_codes", "person", "section", "leader"):
            batch.drop_column(column)
