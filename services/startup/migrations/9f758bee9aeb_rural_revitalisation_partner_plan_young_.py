"""rural revitalisation: partner plan, young doers, course kinds

Revision ID: 9f758bee9aeb
Revises: 9f6016ced4d6
Create Date: 2026-12-07 04:45:52.886515
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import services.common.types

revision: str = "9f758bee9aeb"
down_revision: str | None = "9f6016ced4d6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
#: what it does to older code (services/common/schema_range.py): it only adds tables, indexes
#: and a column with a server default (course.kind, "startup" for every course so far) (issue 28)
compatibility: str = "expand"


def upgrade() -> None:
    op.create_table(
        "rural_doer_call",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("villages", sa.JSON(), nullable=False),
        sa.Column("places", sa.Integer(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("organiser_unit", sa.String(length=40), nullable=False),
        sa.Column("selected_count", sa.Integer(), nullable=False),
        sa.Column("published_at", services.common.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", services.common.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rural_doer_call")),
    )
    with op.batch_alter_table("rural_doer_call", schema=None) as batch_op:
        batch_op.create_index(
            "ix_rural_doer_call_browse", ["state", "published_at", "id"], unique=False
        )

    op.create_table(
        "rural_project",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("village", sa.String(length=100), nullable=False),
        sa.Column("sector", sa.String(length=100), nullable=False),
        sa.Column("seeks", sa.JSON(), nullable=False),
        sa.Column("needs", sa.Text(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("organiser_unit", sa.String(length=40), nullable=False),
        sa.Column("accepted_count", sa.Integer(), nullable=False),
        sa.Column("published_at", services.common.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", services.common.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rural_project")),
    )
    with op.batch_alter_table("rural_project", schema=None) as batch_op:
        batch_op.create_index(
            "ix_rural_project_browse", ["state", "published_at", "id"], unique=False
        )

    op.create_table(
        "rural_doer_application",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("call_id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("age", sa.Integer(), nullable=True),
        sa.Column("degree", sa.String(length=30), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("village", sa.String(length=100), nullable=True),
        sa.Column("posted_from", sa.Date(), nullable=True),
        sa.Column("posted_until", sa.Date(), nullable=True),
        sa.Column("applied_at", services.common.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", services.common.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("posted_at", services.common.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", services.common.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["rural_doer_call.id"],
            name=op.f("fk_rural_doer_application_call_id_rural_doer_call"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rural_doer_application")),
        sa.UniqueConstraint(
            "call_id", "person_id", name=op.f("uq_rural_doer_application_call_id_person_id")
        ),
    )
    with op.batch_alter_table("rural_doer_application", schema=None) as batch_op:
        batch_op.create_index("ix_rural_doer_application_applied", ["applied_at"], unique=False)
        batch_op.create_index(
            "ix_rural_doer_application_call", ["call_id", "applied_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_rural_doer_application_person", ["person_id", "applied_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_rural_doer_application_posting", ["posted_from", "posted_until"], unique=False
        )
        batch_op.create_index(
            "ix_rural_doer_application_state", ["state", "applied_at", "id"], unique=False
        )

    op.create_table(
        "rural_partner_application",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("applicant_kind", sa.String(length=10), nullable=False),
        sa.Column("contribution_form", sa.String(length=20), nullable=False),
        sa.Column("contribution", sa.Text(), nullable=False),
        sa.Column("capital_cny", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("applied_at", services.common.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", services.common.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", services.common.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["rural_project.id"],
            name=op.f("fk_rural_partner_application_project_id_rural_project"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rural_partner_application")),
    )
    with op.batch_alter_table("rural_partner_application", schema=None) as batch_op:
        batch_op.create_index("ix_rural_partner_application_applied", ["applied_at"], unique=False)
        batch_op.create_index("ix_rural_partner_application_decided", ["decided_at"], unique=False)
        batch_op.create_index(
            "ix_rural_partner_application_person", ["person_id", "applied_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_rural_partner_application_project", ["project_id", "applied_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_rural_partner_application_state", ["state", "applied_at", "id"], unique=False
        )

    op.create_table(
        "rural_partner_follow_up",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("application_id", sa.String(length=36), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("progress", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("invested_cny", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("jobs_created", sa.Integer(), nullable=True),
        sa.Column("recorded_at", services.common.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["rural_partner_application.id"],
            name=op.f("fk_rural_partner_follow_up_application_id_rural_partner_application"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rural_partner_follow_up")),
    )
    with op.batch_alter_table("rural_partner_follow_up", schema=None) as batch_op:
        batch_op.create_index(
            "ix_rural_partner_follow_up_application",
            ["application_id", "recorded_on"],
            unique=False,
        )
        batch_op.create_index("ix_rural_partner_follow_up_recorded", ["recorded_at"], unique=False)

    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=20), server_default="startup", nullable=False)
        )
        batch_op.create_index("ix_course_kind", ["kind", "starts_on", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.drop_index("ix_course_kind")
        batch_op.drop_column("kind")

    with op.batch_alter_table("rural_partner_follow_up", schema=None) as batch_op:
        batch_op.drop_index("ix_rural_partner_follow_up_recorded")
        batch_op.drop_index("ix_rural_partner_follow_up_application")

    op.drop_table("rural_partner_follow_up")
    with op.batch_alter_table("rural_partner_application", schema=None) as batch_op:
        batch_op.drop_index("ix_rural_partner_application_state")
        batch_op.drop_index("ix_rural_partner_application_project")
        batch_op.drop_index("ix_rural_partner_application_person")
        batch_op.drop_index("ix_rural_partner_application_decided")
        batch_op.drop_index("ix_rural_partner_application_applied")

    op.drop_table("rural_partner_application")
    with op.batch_alter_table("rural_doer_application", schema=None) as batch_op:
        batch_op.drop_index("ix_rural_doer_application_state")
        batch_op.drop_index("ix_rural_doer_application_posting")
        batch_op.drop_index("ix_rural_doer_application_person")
        batch_op.drop_index("ix_rural_doer_application_call")
        batch_op.drop_index("ix_rural_doer_application_applied")

    op.drop_table("rural_doer_application")
    with op.batch_alter_table("rural_project", schema=None) as batch_op:
        batch_op.drop_index("ix_rural_project_browse")

    op.drop_table("rural_project")
    with op.batch_alter_table("rural_doer_call", schema=None) as batch_op:
        batch_op.drop_index("ix_rural_doer_call_browse")

    op.drop_table("rural_doer_call")
