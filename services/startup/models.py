"""Tables of the startup service.

Every list the API offers and every sweep and indicator query has an index that serves its
filter and its sort (the comments name the query).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from services.common.finance.tables import (
    BudgetColumns,
    PaymentBatchColumns,
    PaymentLineColumns,
    PayoutColumns,
)
from services.common.models import service_metadata
from services.common.types import UtcDateTime

Money = sa.Numeric(14, 2)
Rate = sa.Numeric(7, 4)  # percent per year, e.g. 3.5000


class Base(DeclarativeBase):
    metadata = service_metadata()


class BusinessRegistration(Base):
    """One application to start a business (企业开办): one form, six steps, one promise."""

    __tablename__ = "business_registration"
    __table_args__ = (
        # a person's own applications; the dashboard
        sa.Index("ix_business_registration_person", "person_id", "submitted_at", "id"),
        # officers' lists by state
        sa.Index("ix_business_registration_state", "state", "submitted_at", "id"),
        # the SLA sweep: in-progress applications whose warning / breach is due
        sa.Index("ix_business_registration_warn_due", "state", "warn_due_at"),
        sa.Index("ix_business_registration_breach_due", "state", "breach_due_at"),
        # indicators: completions (with their business time) and breaches of a period
        sa.Index("ix_business_registration_completed", "completed_at"),
        sa.Index("ix_business_registration_breached", "sla_breached_at"),
        sa.Index("ix_business_registration_submitted", "submitted_at"),
        sa.UniqueConstraint("credit_code"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(sa.String(36))
    company_name: Mapped[str] = mapped_column(sa.String(100))
    company_type: Mapped[str] = mapped_column(sa.String(30))
    registered_capital_cny: Mapped[Decimal] = mapped_column(Money)
    address: Mapped[str] = mapped_column(sa.String(200))
    business_scope: Mapped[str] = mapped_column(sa.Text())
    founders: Mapped[str] = mapped_column(sa.Text(), doc="JSON: [{name, share_percent}]")
    graduation_date: Mapped[date | None] = mapped_column(
        doc="the founder's graduation date as the gateway gave it at submission"
    )
    degree: Mapped[str | None] = mapped_column(sa.String(20))
    state: Mapped[str] = mapped_column(sa.String(16))
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime())
    warn_due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    breach_due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    sla_warned_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    sla_breached_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime(), doc="when it completed, was rejected or withdrawn: the promise's clock stops"
    )
    elapsed_business_seconds: Mapped[int | None] = mapped_column(
        doc="business time from submission to closing, fixed when it closes"
    )
    graduate: Mapped[bool | None] = mapped_column(
        doc="completed by a recent graduate: counts toward the plan's headline goal"
    )
    credit_code: Mapped[str | None] = mapped_column(sa.String(18))
    rejected_step: Mapped[str | None] = mapped_column(sa.String(30))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())

    steps: Mapped[list[RegistrationStep]] = relationship(
        back_populates="registration",
        order_by="RegistrationStep.position",
        cascade="all, delete-orphan",
    )


class RegistrationStep(Base):
    """One step of a registration (name check, licence, seal, tax, bank account, social
    insurance), completed by an officer of its unit."""

    __tablename__ = "registration_step"
    __table_args__ = (
        sa.UniqueConstraint("registration_id", "step"),
        # an officer's queue: the pending steps of their unit
        sa.Index("ix_registration_step_queue", "unit", "state", "registration_id"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    registration_id: Mapped[str] = mapped_column(sa.ForeignKey("business_registration.id"))
    step: Mapped[str] = mapped_column(sa.String(30))
    position: Mapped[int]
    unit: Mapped[str] = mapped_column(sa.String(40))
    state: Mapped[str] = mapped_column(sa.String(16))
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    completed_by: Mapped[str | None] = mapped_column(sa.String(36))
    reference: Mapped[str | None] = mapped_column(
        sa.String(100), doc="the unit's own record number (seal record, account opening…)"
    )

    registration: Mapped[BusinessRegistration] = relationship(back_populates="steps")


class Lender(Base):
    """A bank that lends startup guaranteed loans (经办银行), signing in as a partner account."""

    __tablename__ = "lender"
    __table_args__ = (
        sa.UniqueConstraint("partner_account_id"),
        sa.Index("ix_lender_name", "name", "id"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    partner_account_id: Mapped[str] = mapped_column(sa.String(36))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Loan(Base):
    """A startup guaranteed loan (创业担保贷款): applied, reviewed by the bank, decided by an
    officer, disbursed."""

    __tablename__ = "loan"
    __table_args__ = (
        sa.Index("ix_loan_person", "person_id", "applied_at", "id"),
        sa.Index("ix_loan_lender", "lender_id", "applied_at", "id"),
        sa.Index("ix_loan_state", "state", "applied_at", "id"),
        # indicators
        sa.Index("ix_loan_applied", "applied_at"),
        sa.Index("ix_loan_decided", "decided_at"),
        sa.Index("ix_loan_disbursed", "disbursed_at"),
        # the guarantee fund's exposure: disbursed loans by bank
        sa.Index("ix_loan_exposure", "state", "lender_id"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(sa.String(36))
    borrower_kind: Mapped[str] = mapped_column(sa.String(20))
    credit_code: Mapped[str | None] = mapped_column(sa.String(18))
    amount_cny: Mapped[Decimal] = mapped_column(Money, doc="asked for; the bank may lower it")
    term_months: Mapped[int]
    repayment_method: Mapped[str] = mapped_column(sa.String(20))
    purpose: Mapped[str] = mapped_column(sa.Text())
    lender_id: Mapped[str] = mapped_column(sa.ForeignKey("lender.id"))
    age: Mapped[int | None] = mapped_column(doc="the age the decision was based on")
    state: Mapped[str] = mapped_column(sa.String(16))
    applied_at: Mapped[datetime] = mapped_column(UtcDateTime())
    contract_rate_percent: Mapped[Decimal | None] = mapped_column(Rate)
    lpr_percent: Mapped[Decimal | None] = mapped_column(Rate)
    borrower_rate_percent: Mapped[Decimal | None] = mapped_column(Rate)
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    disbursed_on: Mapped[date | None]
    disbursed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # -- after disbursement (servicing.py): what the bank reported --
    principal_repaid_cny: Mapped[Decimal] = mapped_column(
        Money, default=Decimal("0.00"), server_default="0", doc="the guarantee fund's exposure"
    )
    overdue_since: Mapped[date | None] = mapped_column(doc="first unpaid day, as the bank reports")
    arrears_reported_on: Mapped[date | None]
    subsidy_stopped_from: Mapped[date | None] = mapped_column(
        doc="arrears went beyond the threshold: instalments due from this day are not subsidised"
    )


class LoanRepayment(Base):
    """One instalment of a disbursed loan repaid in full, as the lending bank reported it."""

    __tablename__ = "loan_repayment"
    __table_args__ = (sa.UniqueConstraint("loan_id", "instalment"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    loan_id: Mapped[str] = mapped_column(sa.ForeignKey("loan.id"))
    instalment: Mapped[int]
    due_on: Mapped[date]
    paid_on: Mapped[date]
    amount_cny: Mapped[Decimal] = mapped_column(Money)
    principal_cny: Mapped[Decimal] = mapped_column(Money)
    reported_at: Mapped[datetime] = mapped_column(UtcDateTime())


class GrantApplication(Base):
    """A claim for the one-off startup grant (一次性创业补贴) for a completed registration."""

    __tablename__ = "grant_application"
    __table_args__ = (
        sa.Index("ix_grant_application_person", "person_id", "applied_at", "id"),
        sa.Index("ix_grant_application_state", "state", "applied_at", "id"),
        sa.Index("ix_grant_application_decided", "decided_at"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(sa.String(36))
    registration_id: Mapped[str] = mapped_column(sa.ForeignKey("business_registration.id"))
    amount_cny: Mapped[Decimal] = mapped_column(Money)
    graduation_date: Mapped[date | None]
    degree: Mapped[str | None] = mapped_column(sa.String(20))
    registered_on: Mapped[date]
    state: Mapped[str] = mapped_column(sa.String(16))
    applied_at: Mapped[datetime] = mapped_column(UtcDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class IncubatorSpace(Base):
    """A desk or an office in the innovation park (双创智慧港)."""

    __tablename__ = "incubator_space"
    __table_args__ = (
        sa.UniqueConstraint("code"),
        sa.Index("ix_incubator_space_browse", "kind", "state", "code"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(30))
    kind: Mapped[str] = mapped_column(sa.String(10))
    building: Mapped[str] = mapped_column(sa.String(100))
    area_m2: Mapped[Decimal] = mapped_column(sa.Numeric(8, 2))
    monthly_rent_cny: Mapped[Decimal] = mapped_column(Money)
    state: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class IncubatorApplication(Base):
    """A startup's application for a space, and once allocated, its tenancy."""

    __tablename__ = "incubator_application"
    __table_args__ = (
        sa.Index("ix_incubator_application_person", "person_id", "applied_at", "id"),
        sa.Index("ix_incubator_application_state", "state", "applied_at", "id"),
        # occupancy: tenancies by their dates
        sa.Index("ix_incubator_application_tenancy", "starts_on", "ends_on"),
        sa.Index("ix_incubator_application_allocated", "allocated_at"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(sa.String(36))
    space_kind: Mapped[str] = mapped_column(sa.String(10))
    project: Mapped[str] = mapped_column(sa.Text())
    team_size: Mapped[int]
    state: Mapped[str] = mapped_column(sa.String(16))
    applied_at: Mapped[datetime] = mapped_column(UtcDateTime())
    space_id: Mapped[str | None] = mapped_column(sa.ForeignKey("incubator_space.id"))
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    ended_on: Mapped[date | None]
    allocated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Course(Base):
    """A startup training course (创业培训, e.g. SYB)."""

    __tablename__ = "course"
    __table_args__ = (
        sa.Index("ix_course_browse", "starts_on", "id"),
        sa.Index("ix_course_kind", "kind", "starts_on", "id"),  # ?kind=
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(
        sa.String(20), default="startup", server_default="startup", doc="vocabulary.COURSE_KINDS"
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text(), default="")
    mode: Mapped[str] = mapped_column(sa.String(10))
    venue: Mapped[str | None] = mapped_column(sa.String(200))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    hours: Mapped[int]
    capacity: Mapped[int]
    enrolled_count: Mapped[int] = mapped_column(default=0)
    organiser_unit: Mapped[str] = mapped_column(sa.String(40))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Enrolment(Base):
    """A person's place on a course, and whether they completed it."""

    __tablename__ = "enrolment"
    __table_args__ = (
        sa.UniqueConstraint("course_id", "person_id"),
        sa.Index("ix_enrolment_person", "person_id", "enrolled_at", "id"),
        sa.Index("ix_enrolment_course", "course_id", "enrolled_at", "id"),
        sa.Index("ix_enrolment_enrolled", "enrolled_at"),
        sa.Index("ix_enrolment_completed", "completed_at"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    course_id: Mapped[str] = mapped_column(sa.ForeignKey("course.id"))
    person_id: Mapped[str] = mapped_column(sa.String(36))
    state: Mapped[str] = mapped_column(sa.String(16))
    enrolled_at: Mapped[datetime] = mapped_column(UtcDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())

    course: Mapped[Course] = relationship()


# -- rural revitalisation (三.3 乡村振兴) -------------------------------------------------------


class RuralProject(Base):
    """An industry partnership project of the rural partner plan (乡村合伙人计划), published by
    the agriculture unit with the forms of contribution it seeks."""

    __tablename__ = "rural_project"
    __table_args__ = (sa.Index("ix_rural_project_browse", "state", "published_at", "id"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text(), default="")
    village: Mapped[str] = mapped_column(sa.String(100))
    sector: Mapped[str] = mapped_column(sa.String(100), doc="e.g. 特色种植, 乡村旅游")
    seeks: Mapped[list] = mapped_column(sa.JSON(), doc="the contribution forms it seeks")
    needs: Mapped[str] = mapped_column(sa.Text(), default="", doc="what it seeks, in words")
    closes_on: Mapped[date | None]
    state: Mapped[str] = mapped_column(sa.String(16))
    organiser_unit: Mapped[str] = mapped_column(sa.String(40))
    accepted_count: Mapped[int] = mapped_column(default=0)
    published_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class PartnerApplication(Base):
    """A person's or a company's application to join a partnership project, with the form of
    its contribution, the unit's selection and its reason."""

    __tablename__ = "rural_partner_application"
    __table_args__ = (
        sa.Index("ix_rural_partner_application_person", "person_id", "applied_at", "id"),
        sa.Index("ix_rural_partner_application_project", "project_id", "applied_at", "id"),
        sa.Index("ix_rural_partner_application_state", "state", "applied_at", "id"),
        sa.Index("ix_rural_partner_application_applied", "applied_at"),
        sa.Index("ix_rural_partner_application_decided", "decided_at"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    project_id: Mapped[str] = mapped_column(sa.ForeignKey("rural_project.id"))
    person_id: Mapped[str] = mapped_column(
        sa.String(36), doc="the applicant's account: a young person's or a company's"
    )
    applicant_kind: Mapped[str] = mapped_column(sa.String(10))
    contribution_form: Mapped[str] = mapped_column(sa.String(20))
    contribution: Mapped[str] = mapped_column(sa.Text(), doc="what the applicant offers")
    capital_cny: Mapped[Decimal | None] = mapped_column(Money)
    state: Mapped[str] = mapped_column(sa.String(16))
    decision_reason: Mapped[str | None] = mapped_column(sa.Text())
    applied_at: Mapped[datetime] = mapped_column(UtcDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())

    project: Mapped[RuralProject] = relationship()


class PartnerFollowUp(Base):
    """The agriculture unit's follow-up of an accepted partnership (跟踪服务): progress, the
    capital actually invested and the jobs created."""

    __tablename__ = "rural_partner_follow_up"
    __table_args__ = (
        sa.Index("ix_rural_partner_follow_up_application", "application_id", "recorded_on"),
        sa.Index("ix_rural_partner_follow_up_recorded", "recorded_at"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    application_id: Mapped[str] = mapped_column(sa.ForeignKey("rural_partner_application.id"))
    recorded_on: Mapped[date]
    progress: Mapped[str] = mapped_column(sa.String(16))
    note: Mapped[str] = mapped_column(sa.Text(), default="")
    invested_cny: Mapped[Decimal | None] = mapped_column(Money)
    jobs_created: Mapped[int | None]
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class DoerCall(Base):
    """A call of the young doers' plan (青年实干家计划) for village support-team members
    (驻村帮扶工作队选派), opened by the organisation department."""

    __tablename__ = "rural_doer_call"
    __table_args__ = (sa.Index("ix_rural_doer_call_browse", "state", "published_at", "id"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text(), default="")
    villages: Mapped[list] = mapped_column(sa.JSON(), doc="the villages the teams go to")
    places: Mapped[int]
    closes_on: Mapped[date | None]
    state: Mapped[str] = mapped_column(sa.String(16))
    organiser_unit: Mapped[str] = mapped_column(sa.String(40))
    selected_count: Mapped[int] = mapped_column(default=0)
    published_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class DoerApplication(Base):
    """A young person's application to a call, the department's selection, and the posting to
    a village with its term."""

    __tablename__ = "rural_doer_application"
    __table_args__ = (
        sa.UniqueConstraint("call_id", "person_id"),
        sa.Index("ix_rural_doer_application_person", "person_id", "applied_at", "id"),
        sa.Index("ix_rural_doer_application_call", "call_id", "applied_at", "id"),
        sa.Index("ix_rural_doer_application_state", "state", "applied_at", "id"),
        sa.Index("ix_rural_doer_application_applied", "applied_at"),
        sa.Index("ix_rural_doer_application_posting", "posted_from", "posted_until"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    call_id: Mapped[str] = mapped_column(sa.ForeignKey("rural_doer_call.id"))
    person_id: Mapped[str] = mapped_column(sa.String(36))
    statement: Mapped[str] = mapped_column(sa.Text(), doc="why and what the applicant brings")
    age: Mapped[int | None] = mapped_column(doc="as the gateway gave it: the basis of the rule")
    degree: Mapped[str | None] = mapped_column(sa.String(30))
    state: Mapped[str] = mapped_column(sa.String(16))
    decision_reason: Mapped[str | None] = mapped_column(sa.Text())
    village: Mapped[str | None] = mapped_column(sa.String(100))
    posted_from: Mapped[date | None]
    posted_until: Mapped[date | None]
    applied_at: Mapped[datetime] = mapped_column(UtcDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    posted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())

    call: Mapped[DoerCall] = relationship()


# -- money after the decision (services/common/finance) ---------------------------------------


class Budget(BudgetColumns, Base):
    """A programme's envelope for one year (the startup grant, the loans' interest subsidy)."""


class Payout(PayoutColumns, Base):
    """An approved grant owed to its founder, or a quarter's interest subsidy owed to a bank."""


class PaymentBatch(PaymentBatchColumns, Base):
    """Payouts sent together to the finance bureau."""


class PaymentLine(PaymentLineColumns, Base):
    """One payout in a batch, and the bureau's answer."""
