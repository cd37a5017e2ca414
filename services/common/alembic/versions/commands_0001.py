"""The command log, shared by every service (services/common/commands.py): command

Revision ID: commands_0001
Revises: audit_0001 (each service's history merges it after its own head of 2026-12-06)
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import services.common.types

revision: str = "commands_0001"
down_revision: str | None = "audit_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
#: what it does to older code (services/common/schema_range.py): it only adds tables,
#: columns, indexes, or loosens NOT NULL
compatibility: str = "expand"


def upgrade() -> None:
    op.create_table(
        "command",
        sa.Column("command_id", sa.String(length=64), nullable=False),
        sa.Column("applied_at", services.common.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("command_id", name=op.f("pk_command")),
    )
    with op.batch_alter_table("command", schema=None) as batch_op:
        batch_op.create_index("ix_command_applied_at", ["applied_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("command", schema=None) as batch_op:
        batch_op.drop_index("ix_command_applied_at")
    op.drop_table("command")
