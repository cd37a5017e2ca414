"""commands applied once: this history takes the shared command log (commands_0001)

Revision ID: c0e1a7d2b501
Revises: (37ea3fa4a209, commands_0001)
Create Date: 2026-12-07
"""

from collections.abc import Sequence

revision: str = "c0e1a7d2b501"
down_revision: str | tuple[str, ...] | None = ("37ea3fa4a209", "commands_0001")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
#: what it does to older code (services/common/schema_range.py): it only adds tables,
#: columns, indexes, or loosens NOT NULL
compatibility: str = "expand"


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
