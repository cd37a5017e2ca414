"""the district's baseline figures per year, area and age band: the denominators of rates

Revision ID: 3b7e5d1c9a40
Revises: 5f1c0a9e2d31
Create Date: 2026-12-07 02:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import services.common.types

revision: str = "3b7e5d1c9a40"
down_revision: str | tuple[str, ...] | None = "5f1c0a9e2d31"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
#: what it does to older code (services/common/schema_range.py): it only adds a table
compatibility: str = "expand"


def upgrade() -> None:
    op.create_table(
        "population_baseline",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("area", sa.String(length=16), nullable=False),
        sa.Column("age_band", sa.String(length=8), nullable=False),
        sa.Column("measure", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("imported_at", services.common.types.UtcDateTime(), nullable=False),
        sa.Column("imported_by", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "measure", "area", "age_band", name="uq_population_baseline"),
    )


def downgrade() -> None:
    op.drop_table("population_baseline")
