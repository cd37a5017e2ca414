"""identity: sessions with rotating refresh tokens, one-time codes, passwords that must change

Revision ID: gateway_identity_0001
Revises: 7d348aee78ef
Create Date: 2026-12-01 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import services.common.types

revision: str = "gateway_identity_0001"
down_revision: str | None = "7d348aee78ef"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
#: what it does to older code (services/common/schema_range.py): it only adds tables,
#: columns, indexes, or loosens NOT NULL
compatibility: str = "expand"


def upgrade() -> None:
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch_op.add_column(
            sa.Column(
                "password_changed_at",
                services.common.types.UtcDateTime(timezone=True),
                nullable=True,
            )
        )
    op.create_table(
        "auth_session",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("refresh_hash", sa.String(length=64), nullable=False),
        sa.Column("started_at", services.common.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("refreshed_at", services.common.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", services.common.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", services.common.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_auth_session_account_id_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_session")),
    )
    with op.batch_alter_table("auth_session", schema=None) as batch_op:
        batch_op.create_index(
            "ix_auth_session_account_live", ["account_id", "ended_at"], unique=False
        )
    op.create_table(
        "one_time_code",
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("purpose", sa.String(length=24), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", services.common.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", services.common.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("attempts_left", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_one_time_code_account_id_account")
        ),
        sa.PrimaryKeyConstraint("account_id", "purpose", name=op.f("pk_one_time_code")),
    )
    # earlier versions generated the token signing key and kept it here in plain text; the
    # gateway now requires JWT_SECRET, and a key left in the database is a key to steal
    op.execute(sa.text("DELETE FROM gateway_setting WHERE key = 'jwt_secret'"))


def downgrade() -> None:
    op.drop_table("one_time_code")
    with op.batch_alter_table("auth_session", schema=None) as batch_op:
        batch_op.drop_index("ix_auth_session_account_live")
    op.drop_table("auth_session")
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_column("password_changed_at")
        batch_op.drop_column("must_change_password")
