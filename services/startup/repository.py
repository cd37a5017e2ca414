"""How the startup service's handlers reach their rows: the named queries they decide on.

One row by its primary key, locked, is `uow.repo.locked(Model, id, NOT_FOUND)` (the shared
`Repository`); what is not "one row by key" is named here, and the in-memory fake for the unit
tests (`tests/support/fake_startup.py`) answers the same names. Reads for lists, the dashboard
and the indicators are not here: they are in `queries/`, on a reading session.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from services.common.finance.queries import FinanceQueries
from services.common.repository import Repository

from .domain import (
    ALLOCATED,
    COMPLETED,
    DISBURSED,
    ENROLLED,
    GRANT_REJECTED,
    IN_PROGRESS,
    INCUBATOR_APPLIED,
    LOAN_OPEN_STATES,
    LOAN_TRANSITIONS,
)
from .models import (
    BusinessRegistration,
    DoerApplication,
    Enrolment,
    GrantApplication,
    IncubatorApplication,
    IncubatorSpace,
    Lender,
    Loan,
    LoanRepayment,
    PartnerApplication,
)
from .vocabulary import DOER_APPLIED, PARTNER_ACCEPTED, PARTNER_APPLIED

#: the promise's two marks: when each falls due, and when the sweep recorded it
SLA_MARKS = {
    "warned": (BusinessRegistration.warn_due_at, BusinessRegistration.sla_warned_at),
    "breached": (BusinessRegistration.breach_due_at, BusinessRegistration.sla_breached_at),
}


class StartupRepository(FinanceQueries, Repository):
    """The startup service's rows, for the handlers of one unit of work."""

    def _exists(self, query) -> bool:
        return self.session.execute(query.limit(1)).first() is not None

    def _locked_of(self, model, person_id: str, *conditions) -> list:
        """The person's rows of `model` that meet `conditions`, locked until the unit ends."""
        query = sa.select(model).where(model.person_id == person_id, *conditions)
        return self.session.execute(query.with_for_update()).scalars().all()

    # -- one-stop business registration ---------------------------------------------------------

    def credit_code_taken(self, credit_code: str, other_than: str) -> bool:
        """Whether another registration than `other_than` holds `credit_code` (a code names
        one business in the public register)."""
        return self._exists(
            sa.select(BusinessRegistration.id).where(
                BusinessRegistration.credit_code == credit_code,
                BusinessRegistration.id != other_than,
            )
        )

    def sla_due(self, mark: str, now: datetime, limit: int) -> list[BusinessRegistration]:
        """Up to `limit` applications in progress whose `mark` (`warned` or `breached`) fell due
        by `now` and is not recorded yet, oldest due first, with their steps; locked, and on
        PostgreSQL a row another sweeper holds is skipped rather than waited for."""
        due, marked = SLA_MARKS[mark]
        return (
            self.session.execute(
                sa.select(BusinessRegistration)
                .where(BusinessRegistration.state == IN_PROGRESS, due <= now, marked.is_(None))
                .order_by(due)
                .limit(limit)
                .with_for_update(skip_locked=True)
                .options(selectinload(BusinessRegistration.steps))
            )
            .scalars()
            .all()
        )

    def has_earlier_business(self, person_id: str, completed_before: datetime) -> bool:
        """Whether the person completed a registration before `completed_before`."""
        return self._exists(
            sa.select(BusinessRegistration.id).where(
                BusinessRegistration.person_id == person_id,
                BusinessRegistration.state == COMPLETED,
                BusinessRegistration.completed_at < completed_before,
            )
        )

    def first_business_of(self, person_id: str) -> BusinessRegistration | None:
        """The person's first completed registration: the business a startup grant is for."""
        return self.session.execute(
            sa.select(BusinessRegistration)
            .where(
                BusinessRegistration.person_id == person_id,
                BusinessRegistration.state == COMPLETED,
            )
            .order_by(BusinessRegistration.completed_at, BusinessRegistration.id)
            .limit(1)
        ).scalar_one_or_none()

    def registrations_in_progress_of(self, person_id: str) -> list[BusinessRegistration]:
        """The person's applications in progress, locked."""
        return self._locked_of(
            BusinessRegistration, person_id, BusinessRegistration.state == IN_PROGRESS
        )

    # -- guaranteed loans -------------------------------------------------------------------------

    def lender_account_taken(self, partner_account_id: str) -> bool:
        """Whether a lender signs in with this partner account already (one bank, one account)."""
        return self._exists(
            sa.select(Lender.id).where(Lender.partner_account_id == partner_account_id)
        )

    def has_open_loan(self, person_id: str, borrower_kind: str) -> bool:
        """Whether the person has a loan of this kind under way (applied or approved)."""
        return self._exists(
            sa.select(Loan.id).where(
                Loan.person_id == person_id,
                Loan.borrower_kind == borrower_kind,
                Loan.state.in_(LOAN_OPEN_STATES),
            )
        )

    def repaid_instalments(self, loan_id: str) -> set[int]:
        """The numbers of the loan's instalments reported repaid."""
        return set(
            self.session.execute(
                sa.select(LoanRepayment.instalment).where(LoanRepayment.loan_id == loan_id)
            ).scalars()
        )

    def loans_in_arrears_not_stopped(self) -> list[Loan]:
        """Disbursed loans reported in arrears whose subsidy still runs, locked (few: the
        arrears sweep's candidates)."""
        return (
            self.session.execute(
                sa.select(Loan)
                .where(
                    Loan.state == DISBURSED,
                    Loan.overdue_since.is_not(None),
                    Loan.subsidy_stopped_from.is_(None),
                )
                .with_for_update(skip_locked=True)
            )
            .scalars()
            .all()
        )

    def withdrawable_loans_of(self, person_id: str) -> list[Loan]:
        """The person's loans not yet decided by the officer, locked."""
        return self._locked_of(Loan, person_id, Loan.state.in_(LOAN_TRANSITIONS["withdraw"][0]))

    # -- the startup grant ----------------------------------------------------------------------

    def has_grant_claim(self, person_id: str) -> bool:
        """Whether the person claimed the grant already (a rejected claim does not count)."""
        return self._exists(
            sa.select(GrantApplication.id).where(
                GrantApplication.person_id == person_id,
                GrantApplication.state != GRANT_REJECTED,
            )
        )

    # -- incubator spaces -----------------------------------------------------------------------

    def space_code_taken(self, code: str) -> bool:
        """Whether a space has this code already (codes name spaces on site)."""
        return self._exists(sa.select(IncubatorSpace.id).where(IncubatorSpace.code == code))

    def has_open_incubator_application(self, person_id: str) -> bool:
        """Whether the person has an application waiting or a tenancy under way."""
        return self._exists(
            sa.select(IncubatorApplication.id).where(
                IncubatorApplication.person_id == person_id,
                IncubatorApplication.state.in_((INCUBATOR_APPLIED, ALLOCATED)),
            )
        )

    def pending_incubator_applications_of(self, person_id: str) -> list[IncubatorApplication]:
        """The person's applications not yet allocated, locked."""
        return self._locked_of(
            IncubatorApplication, person_id, IncubatorApplication.state == INCUBATOR_APPLIED
        )

    # -- training -------------------------------------------------------------------------------

    def enrolment_of(self, course_id: str, person_id: str) -> Enrolment | None:
        """The person's enrolment on the course, in whatever state (one row per pair)."""
        return self.session.execute(
            sa.select(Enrolment).where(
                Enrolment.course_id == course_id, Enrolment.person_id == person_id
            )
        ).scalar_one_or_none()

    def enrolments_held_by(self, person_id: str) -> list[Enrolment]:
        """The person's places on courses (enrolled, not cancelled or completed), locked."""
        return self._locked_of(Enrolment, person_id, Enrolment.state == ENROLLED)

    # -- rural revitalisation -------------------------------------------------------------------

    def has_open_partner_application(self, project_id: str, person_id: str) -> bool:
        """Whether the applicant has an application to the project waiting or accepted."""
        return self._exists(
            sa.select(PartnerApplication.id).where(
                PartnerApplication.project_id == project_id,
                PartnerApplication.person_id == person_id,
                PartnerApplication.state.in_((PARTNER_APPLIED, PARTNER_ACCEPTED)),
            )
        )

    def pending_partner_applications_of(self, person_id: str) -> list[PartnerApplication]:
        """The person's partnership applications not yet decided, locked."""
        return self._locked_of(
            PartnerApplication, person_id, PartnerApplication.state == PARTNER_APPLIED
        )

    def doer_application_of(self, call_id: str, person_id: str) -> DoerApplication | None:
        """The person's application to the call, in whatever state (one row per pair)."""
        return self.session.execute(
            sa.select(DoerApplication).where(
                DoerApplication.call_id == call_id, DoerApplication.person_id == person_id
            )
        ).scalar_one_or_none()

    def pending_doer_applications_of(self, person_id: str) -> list[DoerApplication]:
        """The person's young doers' applications not yet decided, locked."""
        return self._locked_of(DoerApplication, person_id, DoerApplication.state == DOER_APPLIED)
