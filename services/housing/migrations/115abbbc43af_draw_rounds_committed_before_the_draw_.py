"""draw rounds committed before the draw: a lottery becomes a round (open, closed, drawn) with
the public value it names, the commitment to its seed and the hash of its frozen entrant list
(services/housing/README.md "The draw")

Revision ID: 115abbbc43af
Revises: c0e1a7d2b502
Create Date: 2026-12-06 23:56:04.691725
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from services.common.types import UtcDateTime

revision: str = "115abbbc43af"
down_revision: str | None = "c0e1a7d2b502"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
#: what it does to older code (services/common/schema_range.py): older code's draw inserts no
#: `state` or `created_at`, which are now required, so only code that knows rounds runs on it
compatibility: str = "breaking"

#: filled in close and draw, so empty while a round is open or closed
FILLED_LATER = {
    "seed": sa.String(length=200),
    "groups": sa.Text(),
    "entrants": sa.Text(),
    "result": sa.Text(),
}
PENDING = "state IN ('open', 'closed')"


def upgrade() -> None:
    with op.batch_alter_table("housing_lottery", schema=None) as batch_op:
        # the draws made before rounds existed are drawn rounds of the first algorithm
        batch_op.add_column(
            sa.Column("state", sa.String(length=16), nullable=False, server_default="drawn")
        )
        batch_op.add_column(sa.Column("title", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("public_value_source", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("public_value_at", UtcDateTime(), nullable=True))
        batch_op.add_column(sa.Column("public_value", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("commitment", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("entrants_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("created_at", UtcDateTime(), nullable=True))
        batch_op.add_column(sa.Column("created_by", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("closed_at", UtcDateTime(), nullable=True))
        batch_op.add_column(sa.Column("closed_by", sa.String(length=36), nullable=True))
        for column, kind in FILLED_LATER.items():
            batch_op.alter_column(column, existing_type=kind, nullable=True)
        batch_op.alter_column("drawn_at", existing_type=UtcDateTime(), nullable=True)
    # an old draw was created, closed and drawn in one moment
    op.execute("UPDATE housing_lottery SET created_at = drawn_at, closed_at = drawn_at")
    with op.batch_alter_table("housing_lottery", schema=None) as batch_op:
        batch_op.alter_column("created_at", existing_type=UtcDateTime(), nullable=False)
        batch_op.alter_column("state", existing_type=sa.String(length=16), server_default=None)
        batch_op.create_index("ix_housing_lottery_kind_listed", ["kind", "created_at", "id"])
        batch_op.create_index("ix_housing_lottery_listed", ["created_at", "id"])
        batch_op.create_index(
            "uq_housing_lottery_pending",
            ["kind"],
            unique=True,
            sqlite_where=sa.text(PENDING),
            postgresql_where=sa.text(PENDING),
        )


def downgrade() -> None:
    # rounds not drawn yet cannot be kept by the old table: their entrants wait again
    op.execute(
        "UPDATE housing_application SET lottery_id = NULL WHERE lottery_id IN "
        f"(SELECT id FROM housing_lottery WHERE {PENDING})"
    )
    op.execute("DELETE FROM housing_lottery WHERE state <> 'drawn'")
    with op.batch_alter_table("housing_lottery", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_housing_lottery_pending",
            sqlite_where=sa.text(PENDING),
            postgresql_where=sa.text(PENDING),
        )
        batch_op.drop_index("ix_housing_lottery_listed")
        batch_op.drop_index("ix_housing_lottery_kind_listed")
        batch_op.alter_column("drawn_at", existing_type=UtcDateTime(), nullable=False)
        for column, kind in FILLED_LATER.items():
            batch_op.alter_column(column, existing_type=kind, nullable=False)
        for column in (
            "closed_by",
            "closed_at",
            "created_by",
            "created_at",
            "entrants_hash",
            "commitment",
            "public_value",
            "public_value_at",
            "public_value_source",
            "title",
            "state",
        ):
            batch_op.drop_column(column)
