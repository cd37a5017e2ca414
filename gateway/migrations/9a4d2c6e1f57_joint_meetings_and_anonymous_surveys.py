"""joint meetings with their action items, and anonymous surveys

Revision ID: 9a4d2c6e1f57
Revises: gateway_identity_0003
Create Date: 2026-12-07 02:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import services.common.types

revision: str = "9a4d2c6e1f57"
down_revision: str | tuple[str, ...] | None = "gateway_identity_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
#: what it does to older code (services/common/schema_range.py): it only adds tables and a
#: nullable column
compatibility: str = "expand"


def upgrade() -> None:
    op.create_table(
        "meeting",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("convened_by", sa.String(length=40), nullable=False),
        sa.Column("units", sa.Text(), nullable=False),
        sa.Column("minutes", sa.Text(), nullable=False),
        sa.Column("decisions", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", services.common.types.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=True),
        sa.Column("updated_at", services.common.types.UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
    )
    op.create_index("ix_meeting_held_on", "meeting", ["held_on", "id"])
    with op.batch_alter_table("plan_item") as batch:
        batch.add_column(sa.Column("meeting_id", sa.String(length=36), nullable=True))
        batch.create_foreign_key(
            op.f("fk_plan_item_meeting_id_meeting"), "meeting", ["meeting_id"], ["id"]
        )
        batch.create_index(op.f("ix_plan_item_meeting_id"), ["meeting_id"])
    op.create_table(
        "survey",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("programmes", sa.Text(), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column("created_at", services.common.types.UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey")),
        sa.UniqueConstraint("period", name=op.f("uq_survey_period")),
    )
    op.create_table(
        "survey_respondent",
        sa.Column("survey_id", sa.String(length=36), nullable=False),
        sa.Column("respondent_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"], ["survey.id"], name=op.f("fk_survey_respondent_survey_id_survey")
        ),
        sa.PrimaryKeyConstraint("survey_id", "respondent_hash", name=op.f("pk_survey_respondent")),
    )
    op.create_table(
        "survey_answer",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("survey_id", sa.String(length=36), nullable=False),
        sa.Column("area", sa.String(length=40), nullable=False),
        sa.Column("age_band", sa.String(length=8), nullable=False),
        sa.Column("gain", sa.Integer(), nullable=False),
        sa.Column("happiness", sa.Integer(), nullable=False),
        sa.Column("security", sa.Integer(), nullable=False),
        sa.Column("satisfaction", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"], ["survey.id"], name=op.f("fk_survey_answer_survey_id_survey")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_answer")),
    )
    op.create_index("ix_survey_answer_survey", "survey_answer", ["survey_id", "area"])


def downgrade() -> None:
    op.drop_index("ix_survey_answer_survey", table_name="survey_answer")
    op.drop_table("survey_answer")
    op.drop_table("survey_respondent")
    op.drop_table("survey")
    with op.batch_alter_table("plan_item") as batch:
        batch.drop_index(op.f("ix_plan_item_meeting_id"))
        batch.drop_constraint(op.f("fk_plan_item_meeting_id_meeting"), type_="foreignkey")
        batch.drop_column("meeting_id")
    op.drop_index("ix_meeting_held_on", table_name="meeting")
    op.drop_table("meeting")
