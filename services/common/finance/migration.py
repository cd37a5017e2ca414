"""The ledger's tables in a paying service's migration history: each paying service (jobs,
startup) creates the same tables in its own database, from this one definition.

Example (a service's revision)::

    def upgrade() -> None:
        create_ledger_tables()
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import services.common.types


def create_ledger_tables() -> None:
    """The budget, payout, payment batch and payment line tables (tables.py), as the
    revision of each paying service creates them."""
    op.create_table(
        "budget",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("programme", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("envelope_cny", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("committed_cny", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("paid_cny", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("set_by", sa.String(length=36), nullable=True),
        sa.Column("updated_at", services.common.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget")),
        sa.UniqueConstraint("programme", "year", name=op.f("uq_budget_programme_year")),
    )
    op.create_table(
        "payment_batch",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("programme", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("line_count", sa.Integer(), nullable=False),
        sa.Column("total_cny", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("created_at", services.common.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=True),
        sa.Column("exported_at", services.common.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("settled_at", services.common.types.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_batch")),
        sa.UniqueConstraint("reference", name=op.f("uq_payment_batch_reference")),
    )
    with op.batch_alter_table("payment_batch", schema=None) as batch_op:
        batch_op.create_index("ix_payment_batch_list", ["created_at", "id"], unique=False)

    op.create_table(
        "payment_line",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("batch_id", sa.String(length=36), nullable=False),
        sa.Column("payout_id", sa.String(length=36), nullable=False),
        sa.Column("programme", sa.String(length=32), nullable=False),
        sa.Column("payee_id", sa.String(length=36), nullable=False),
        sa.Column("amount_cny", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("bank_reference", sa.String(length=60), nullable=True),
        sa.Column("failure_reason", sa.String(length=32), nullable=True),
        sa.Column("confirmed_on", sa.Date(), nullable=True),
        sa.Column("confirmed_at", services.common.types.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_line")),
    )
    with op.batch_alter_table("payment_line", schema=None) as batch_op:
        batch_op.create_index("ix_payment_line_batch", ["batch_id", "id"], unique=False)
        batch_op.create_index("ix_payment_line_confirmed", ["confirmed_on"], unique=False)

    op.create_table(
        "payout",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("programme", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.String(length=80), nullable=False),
        sa.Column("payee_id", sa.String(length=36), nullable=False),
        sa.Column("amount_cny", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("batch_id", sa.String(length=36), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("queued_at", services.common.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("updated_at", services.common.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payout")),
        sa.UniqueConstraint("programme", "source_id", name=op.f("uq_payout_programme_source_id")),
    )
    with op.batch_alter_table("payout", schema=None) as batch_op:
        batch_op.create_index("ix_payout_paid_on", ["paid_on"], unique=False)
        batch_op.create_index("ix_payout_payee", ["payee_id", "queued_at", "id"], unique=False)
        batch_op.create_index(
            "ix_payout_queue", ["state", "programme", "queued_at", "id"], unique=False
        )


def drop_ledger_tables() -> None:
    with op.batch_alter_table("payout", schema=None) as batch_op:
        batch_op.drop_index("ix_payout_queue")
        batch_op.drop_index("ix_payout_payee")
        batch_op.drop_index("ix_payout_paid_on")

    op.drop_table("payout")
    with op.batch_alter_table("payment_line", schema=None) as batch_op:
        batch_op.drop_index("ix_payment_line_confirmed")
        batch_op.drop_index("ix_payment_line_batch")

    op.drop_table("payment_line")
    with op.batch_alter_table("payment_batch", schema=None) as batch_op:
        batch_op.drop_index("ix_payment_batch_list")

    op.drop_table("payment_batch")
    op.drop_table("budget")
