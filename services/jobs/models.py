"""Tables of the jobs service.

Every list the API serves has an index that matches its filter and its sort, so a page costs the
same however many rows there are (the search's indexes are explained in the README).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.finance.tables import (
    BudgetColumns,
    PaymentBatchColumns,
    PaymentLineColumns,
    PayoutColumns,
)
from services.common.models import service_metadata
from services.common.types import UtcDateTime

MONEY = sa.Numeric(12, 2)


class Base(DeclarativeBase):
    metadata = service_metadata()


# an erasure finds the events recorded about a person's subsidy claims by their subject, to
# erase the officer's reason they carry (privacy.py); the outbox keeps every event it published
sa.Index("ix_outbox_subject", Base.metadata.tables["outbox"].c.subject)


class Employer(Base):
    """A verified organisation that posts (用人单位); its id is the employer's account id."""

    __tablename__ = "employer"
    __table_args__ = (
        sa.Index("ix_employer_queue", "state", "registered_at", "id"),
        sa.Index("ix_employer_practice_units", "practice_unit", "name", "id"),
        sa.Index("ix_employer_practice_verified_at", "practice_verified_at"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    credit_code: Mapped[str] = mapped_column(sa.String(18), unique=True)
    industry: Mapped[str] = mapped_column(sa.String(40))
    area: Mapped[str] = mapped_column(sa.String(100))
    address: Mapped[str] = mapped_column(sa.String(200), default="")
    in_district: Mapped[bool] = mapped_column(doc="its own seat is in the district")
    description: Mapped[str] = mapped_column(sa.Text(), default="")
    state: Mapped[str] = mapped_column(sa.String(16))
    rejection_reason: Mapped[str | None] = mapped_column(sa.Text())
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    decided_by: Mapped[str | None] = mapped_column(sa.String(36))
    #: 产教融合实践单位, designated by an officer, with the schools it works with
    practice_unit: Mapped[bool] = mapped_column(default=False)
    practice_partners: Mapped[list] = mapped_column(sa.JSON(), default=list)
    #: the practice unit's verified term, the universities it serves (ids) and the students it
    #: placed (a count: placements hold no personal data, `PracticePlacement`)
    practice_from: Mapped[date | None]
    practice_until: Mapped[date | None]
    practice_university_ids: Mapped[list | None] = mapped_column(sa.JSON())
    practice_verified_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    students_placed: Mapped[int] = mapped_column(default=0, server_default="0")
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Post(Base):
    """A job, internship (实习) or traineeship (见习) post of one employer."""

    __tablename__ = "post"
    __table_args__ = (
        # search: newest first, alone or behind one equality filter (see README "Search")
        sa.Index("ix_post_newest", "state", "published_at", "id"),
        sa.Index("ix_post_kind", "state", "kind", "published_at", "id"),
        sa.Index("ix_post_area", "state", "area", "published_at", "id"),
        sa.Index("ix_post_industry", "state", "industry", "published_at", "id"),
        sa.Index("ix_post_education", "state", "education_rank", "published_at", "id"),
        # best paid first, and the salary range filters
        sa.Index("ix_post_salary", "state", "salary_max", "id"),
        sa.Index("ix_post_salary_floor", "state", "salary_min", "id"),
        # an employer's own posts; the review queue; indicators by publication time
        sa.Index("ix_post_employer", "employer_id", "created_at", "id"),
        sa.Index("ix_post_review", "state", "submitted_at", "id"),
        sa.Index("ix_post_published_at", "published_at", "kind"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    employer_id: Mapped[str] = mapped_column(sa.ForeignKey("employer.id"))
    employer_name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(16))
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text(), default="")
    tags: Mapped[list] = mapped_column(sa.JSON(), default=list)
    area: Mapped[str] = mapped_column(sa.String(100))
    industry: Mapped[str] = mapped_column(sa.String(40))
    education: Mapped[str] = mapped_column(sa.String(16), doc="the least education it requires")
    education_rank: Mapped[int] = mapped_column(sa.SmallInteger())
    salary_min: Mapped[int | None] = mapped_column(doc="CNY a month")
    salary_max: Mapped[int | None] = mapped_column(doc="CNY a month")
    positions: Mapped[int]
    hired_count: Mapped[int] = mapped_column(default=0)
    address: Mapped[str] = mapped_column(sa.String(200), default="")
    in_district: Mapped[bool] = mapped_column(doc="the workplace is in the district")
    traineeship_months: Mapped[int | None]
    #: normalised title, employer name and tags, one a line: what a keyword must contain
    search_text: Mapped[str] = mapped_column(sa.Text())
    state: Mapped[str] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class PostTerm(Base):
    """A post's keyword index: one row per term (character pair or word) of its search text.

    The primary key (term, post_id) finds the posts of a term and answers "does this post have
    this term" for a candidate row; it is the same on PostgreSQL and SQLite (there without a
    rowid, so the key is the table).
    """

    __tablename__ = "post_term"
    __table_args__ = (
        sa.Index("ix_post_term_post", "post_id"),
        {"sqlite_with_rowid": False},
    )

    term: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    post_id: Mapped[str] = mapped_column(sa.ForeignKey("post.id"), primary_key=True)


class PostTransition(Base):
    """A post's history: every step, by whom, and why."""

    __tablename__ = "post_transition"
    __table_args__ = (sa.Index("ix_post_transition_post", "post_id", "at", "id"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    post_id: Mapped[str] = mapped_column(sa.ForeignKey("post.id"))
    action: Mapped[str] = mapped_column(sa.String(20))
    from_state: Mapped[str | None] = mapped_column(sa.String(20))
    to_state: Mapped[str] = mapped_column(sa.String(20))
    actor_id: Mapped[str | None] = mapped_column(sa.String(36))
    actor_role: Mapped[str | None] = mapped_column(sa.String(16))
    reason: Mapped[str | None] = mapped_column(sa.Text())
    at: Mapped[datetime] = mapped_column(UtcDateTime())


class Application(Base):
    """A young person's application to a post, with the profile facts it was judged on."""

    __tablename__ = "application"
    __table_args__ = (
        sa.UniqueConstraint("post_id", "person_id"),
        sa.Index("ix_application_person", "person_id", "submitted_at", "id"),
        sa.Index("ix_application_post", "post_id", "submitted_at", "id"),
        sa.Index("ix_application_employer", "employer_id", "submitted_at", "id"),
        sa.Index("ix_application_submitted_at", "submitted_at"),
        sa.Index("ix_application_hired_at", "hired_at"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    post_id: Mapped[str] = mapped_column(sa.ForeignKey("post.id"))
    employer_id: Mapped[str] = mapped_column(sa.String(36))
    person_id: Mapped[str] = mapped_column(sa.String(36))
    post_kind: Mapped[str] = mapped_column(sa.String(16))
    post_title: Mapped[str] = mapped_column(sa.String(200))
    state: Mapped[str] = mapped_column(sa.String(16))
    cover_letter: Mapped[str] = mapped_column(sa.Text(), default="")
    # the facts the gateway gave when the person applied: the basis of every decision
    age: Mapped[int | None]
    degree: Mapped[str | None] = mapped_column(sa.String(16))
    graduation_date: Mapped[date | None]
    employment_status: Mapped[str | None] = mapped_column(sa.String(16))
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # the hire, as recorded when it happened
    hired_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    contract_with_social_insurance: Mapped[bool | None]
    graduate: Mapped[bool | None] = mapped_column(doc="a recent graduate on the day of the hire")
    in_district: Mapped[bool | None]


class ApplicationTransition(Base):
    """An application's history: every status it reached, by whom, with the note sent."""

    __tablename__ = "application_transition"
    __table_args__ = (sa.Index("ix_application_transition_app", "application_id", "at", "id"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    application_id: Mapped[str] = mapped_column(sa.ForeignKey("application.id"))
    from_state: Mapped[str | None] = mapped_column(sa.String(16))
    to_state: Mapped[str] = mapped_column(sa.String(16))
    actor_id: Mapped[str | None] = mapped_column(sa.String(36))
    actor_role: Mapped[str | None] = mapped_column(sa.String(16))
    note: Mapped[str | None] = mapped_column(sa.Text())
    at: Mapped[datetime] = mapped_column(UtcDateTime())


class Traineeship(Base):
    """A trainee placed with a host under 百名大学生助龙计划, and what the host is paid."""

    __tablename__ = "traineeship"
    __table_args__ = (
        sa.Index("ix_traineeship_person", "person_id", "started_at", "id"),
        sa.Index("ix_traineeship_host", "employer_id", "started_at", "id"),
        sa.Index("ix_traineeship_host_state", "employer_id", "state"),
        sa.Index("ix_traineeship_started_at", "started_at"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    application_id: Mapped[str] = mapped_column(sa.ForeignKey("application.id"), unique=True)
    post_id: Mapped[str] = mapped_column(sa.ForeignKey("post.id"))
    post_title: Mapped[str] = mapped_column(sa.String(200))
    employer_id: Mapped[str] = mapped_column(sa.String(36))
    person_id: Mapped[str] = mapped_column(sa.String(36))
    months: Mapped[int]
    starts_on: Mapped[date]
    planned_end_on: Mapped[date]
    ended_on: Mapped[date | None]
    state: Mapped[str] = mapped_column(sa.String(16))
    subsidy_rate: Mapped[Decimal] = mapped_column(sa.Numeric(4, 2))
    monthly_subsidy_cny: Mapped[Decimal] = mapped_column(MONEY)
    subsidy_months: Mapped[int]
    subsidy_total_cny: Mapped[Decimal] = mapped_column(MONEY, doc="planned, then as ended")
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class SubsidyClaim(Base):
    """A subsidy an employer claims and an officer decides: the one-off hiring subsidy for a
    hire, or the traineeship subsidy for a traineeship that ended.

    `person_key` is the person's id while a hiring-subsidy claim stands (claimed or granted) and
    NULL otherwise, so its unique constraint is "once per person ever"; `traineeship_key` does
    the same for a traineeship.
    """

    __tablename__ = "subsidy_claim"
    __table_args__ = (
        sa.Index("ix_subsidy_claim_queue", "state", "claimed_at", "id"),
        sa.Index("ix_subsidy_claim_employer", "employer_id", "claimed_at", "id"),
        sa.Index("ix_subsidy_claim_claimed_at", "claimed_at"),
        sa.Index("ix_subsidy_claim_decided_at", "decided_at"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    employer_id: Mapped[str] = mapped_column(sa.String(36))
    person_id: Mapped[str] = mapped_column(sa.String(36))
    application_id: Mapped[str | None] = mapped_column(sa.ForeignKey("application.id"))
    traineeship_id: Mapped[str | None] = mapped_column(sa.ForeignKey("traineeship.id"))
    amount_cny: Mapped[Decimal] = mapped_column(MONEY)
    state: Mapped[str] = mapped_column(sa.String(16))
    person_key: Mapped[str | None] = mapped_column(sa.String(36), unique=True)
    traineeship_key: Mapped[str | None] = mapped_column(sa.String(36), unique=True)
    reason: Mapped[str | None] = mapped_column(sa.Text())
    claimed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    decided_by: Mapped[str | None] = mapped_column(sa.String(36))


class Fair(Base):
    """A recruitment fair (春风行动招聘会), online or on site."""

    __tablename__ = "fair"
    __table_args__ = (
        sa.Index("ix_fair_browse", "state", "starts_at", "id"),
        sa.Index("ix_fair_level", "state", "level", "starts_at", "id"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text(), default="")
    mode: Mapped[str] = mapped_column(sa.String(16))
    venue: Mapped[str | None] = mapped_column(sa.String(200))
    url: Mapped[str | None] = mapped_column(sa.String(500))
    area: Mapped[str | None] = mapped_column(sa.String(100))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime())
    booth_capacity: Mapped[int]
    booth_count: Mapped[int] = mapped_column(default=0)
    registration_count: Mapped[int] = mapped_column(default=0)
    state: Mapped[str] = mapped_column(sa.String(16))
    organiser_unit: Mapped[str] = mapped_column(sa.String(40))
    #: `district` (the district's own, 春风行动) or `city` (a city-level fair the district lists,
    #: organised by `organiser`, e.g. 市人社局; its booths are the city's, not taken here)
    level: Mapped[str] = mapped_column(sa.String(16), default="district", server_default="district")
    organiser: Mapped[str | None] = mapped_column(sa.String(200))
    created_by: Mapped[str | None] = mapped_column(sa.String(36))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class FairBooth(Base):
    """An employer's booth at a fair: free of charge, showing some of its published posts."""

    __tablename__ = "fair_booth"
    __table_args__ = (
        sa.UniqueConstraint("fair_id", "employer_id"),
        sa.Index("ix_fair_booth_fair", "fair_id", "booked_at", "id"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    fair_id: Mapped[str] = mapped_column(sa.ForeignKey("fair.id"))
    employer_id: Mapped[str] = mapped_column(sa.ForeignKey("employer.id"))
    employer_name: Mapped[str] = mapped_column(sa.String(200))
    post_ids: Mapped[list] = mapped_column(sa.JSON(), default=list)
    booked_at: Mapped[datetime] = mapped_column(UtcDateTime())


class FairRegistration(Base):
    """A young person's registration to attend a fair."""

    __tablename__ = "fair_registration"
    __table_args__ = (
        sa.UniqueConstraint("fair_id", "person_id"),
        sa.Index("ix_fair_registration_person", "person_id", "registered_at", "id"),
        sa.Index("ix_fair_registration_at", "registered_at"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    fair_id: Mapped[str] = mapped_column(sa.ForeignKey("fair.id"))
    person_id: Mapped[str] = mapped_column(sa.String(36))
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime())


# -- district–university cooperation (区校合作, plan 一.3 and 一.5) -----------------------------


class University(Base):
    """A university or college (高校) the district works with, as an organisation."""

    __tablename__ = "university"
    __table_args__ = (sa.Index("ix_university_name", "name", "id"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    city: Mapped[str] = mapped_column(sa.String(100))
    website: Mapped[str | None] = mapped_column(sa.String(500))
    registered_by: Mapped[str | None] = mapped_column(sa.String(36))
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime())


class CooperationProject(Base):
    """A district–university cooperation project (区校合作项目) of one kind: technology transfer,
    platform building, talent exchange or industry–education integration."""

    __tablename__ = "cooperation_project"
    __table_args__ = (
        sa.Index("ix_cooperation_project_browse", "state", "published_at", "id"),
        sa.Index("ix_cooperation_project_university", "university_id", "published_at", "id"),
        sa.Index("ix_cooperation_project_published_at", "published_at"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    university_id: Mapped[str] = mapped_column(sa.ForeignKey("university.id"))
    university_name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(24))
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text(), default="")
    partner_employer_ids: Mapped[list] = mapped_column(sa.JSON(), default=list)
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    state: Mapped[str] = mapped_column(sa.String(16))
    milestone_count: Mapped[int] = mapped_column(default=0)
    milestones_done: Mapped[int] = mapped_column(default=0)
    outcome_count: Mapped[int] = mapped_column(default=0)
    lead_unit: Mapped[str] = mapped_column(sa.String(40))
    published_by: Mapped[str | None] = mapped_column(sa.String(36))
    published_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class ProjectMilestone(Base):
    """A milestone of a cooperation project: what is due when, and whether it is done."""

    __tablename__ = "cooperation_milestone"
    __table_args__ = (
        sa.Index("ix_cooperation_milestone_project", "project_id", "due_on", "id"),
        sa.Index("ix_cooperation_milestone_done_at", "done_at"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    project_id: Mapped[str] = mapped_column(sa.ForeignKey("cooperation_project.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    due_on: Mapped[date]
    done: Mapped[bool] = mapped_column(default=False)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    done_by: Mapped[str | None] = mapped_column(sa.String(36))


class ProjectOutcome(Base):
    """An outcome a cooperation project achieved (a transferred patent, a platform opened, …)."""

    __tablename__ = "cooperation_outcome"
    __table_args__ = (
        sa.Index("ix_cooperation_outcome_project", "project_id", "achieved_on", "id"),
        sa.Index("ix_cooperation_outcome_recorded_at", "recorded_at"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    project_id: Mapped[str] = mapped_column(sa.ForeignKey("cooperation_project.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text(), default="")
    achieved_on: Mapped[date]
    recorded_by: Mapped[str | None] = mapped_column(sa.String(36))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class PracticePlacement(Base):
    """Students of one university a practice unit took in for a period: a count, no names."""

    __tablename__ = "practice_placement"
    __table_args__ = (
        sa.Index("ix_practice_placement_employer", "employer_id", "recorded_at", "id"),
        sa.Index("ix_practice_placement_recorded_at", "recorded_at"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    employer_id: Mapped[str] = mapped_column(sa.ForeignKey("employer.id"))
    university_id: Mapped[str] = mapped_column(sa.ForeignKey("university.id"))
    students: Mapped[int]
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Roadshow(Base):
    """A roadshow at a university (赴高校开展特色产业专题推介): the district takes employers of
    one of its featured industries to present themselves and their posts to students."""

    __tablename__ = "roadshow"
    __table_args__ = (
        sa.Index("ix_roadshow_browse", "state", "starts_at", "id"),
        sa.Index("ix_roadshow_starts_at", "starts_at"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    university_id: Mapped[str] = mapped_column(sa.ForeignKey("university.id"))
    university_name: Mapped[str] = mapped_column(sa.String(200))
    title: Mapped[str] = mapped_column(sa.String(200))
    industry: Mapped[str] = mapped_column(sa.String(40), doc="the featured industry presented")
    description: Mapped[str] = mapped_column(sa.Text(), default="")
    venue: Mapped[str] = mapped_column(sa.String(200))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime())
    employer_capacity: Mapped[int]
    employer_count: Mapped[int] = mapped_column(default=0)
    state: Mapped[str] = mapped_column(sa.String(16))
    organiser_unit: Mapped[str] = mapped_column(sa.String(40))
    created_by: Mapped[str | None] = mapped_column(sa.String(36))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class RoadshowEmployer(Base):
    """An employer that joined a roadshow, with the published posts it presents."""

    __tablename__ = "roadshow_employer"
    __table_args__ = (
        sa.UniqueConstraint("roadshow_id", "employer_id"),
        sa.Index("ix_roadshow_employer_roadshow", "roadshow_id", "joined_at", "id"),
        sa.Index("ix_roadshow_employer_joined_at", "joined_at"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    roadshow_id: Mapped[str] = mapped_column(sa.ForeignKey("roadshow.id"))
    employer_id: Mapped[str] = mapped_column(sa.ForeignKey("employer.id"))
    employer_name: Mapped[str] = mapped_column(sa.String(200))
    post_ids: Mapped[list] = mapped_column(sa.JSON(), default=list)
    joined_at: Mapped[datetime] = mapped_column(UtcDateTime())


# -- money after the decision (services/common/finance) ---------------------------------------


class Budget(BudgetColumns, Base):
    """A subsidy programme's envelope for one year (hiring, traineeship)."""


class Payout(PayoutColumns, Base):
    """A granted subsidy owed to its employer."""


class PaymentBatch(PaymentBatchColumns, Base):
    """Subsidy payouts sent together to the finance bureau."""


class PaymentLine(PaymentLineColumns, Base):
    """One payout in a batch, and the bureau's answer."""
