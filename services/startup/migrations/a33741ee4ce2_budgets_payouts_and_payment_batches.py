"""budgets, payouts and payment batches

Revision ID: a33741ee4ce2
Revises: c0e1a7d2b505
Create Date: 2026-12-07 00:00:09.143829
"""

from collections.abc import Sequence

from services.common.finance.migration import create_ledger_tables, drop_ledger_tables

revision: str = "a33741ee4ce2"
down_revision: str | None = "c0e1a7d2b505"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
#: what it does to older code (services/common/schema_range.py): it only adds tables,
#: columns, indexes, or loosens NOT NULL
compatibility: str = "expand"


def upgrade() -> None:
    create_ledger_tables()


def downgrade() -> None:
    drop_ledger_tables()
