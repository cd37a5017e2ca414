"""budgets, payouts and payment batches

Revision ID: b8ce5c44b362
Revises: c0e1a7d2b503
Create Date: 2026-12-06 23:58:10.268219
"""

from collections.abc import Sequence

from services.common.finance.migration import create_ledger_tables, drop_ledger_tables

revision: str = "b8ce5c44b362"
down_revision: str | None = "c0e1a7d2b503"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
#: what it does to older code (services/common/schema_range.py): it only adds tables,
#: columns, indexes, or loosens NOT NULL
compatibility: str = "expand"


def upgrade() -> None:
    create_ledger_tables()


def downgrade() -> None:
    drop_ledger_tables()
