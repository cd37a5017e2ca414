"""The startup service's repository in memory: `StartupRepository`'s named queries answered from
the rows a test gives it, for the service-layer unit tests (tests/unit/test_startup_handlers_*),
and the actors and inputs those tests act with.

Example::

    repo = FakeStartupRepository(a_lender())
    uow = unit_of_work(repo)
    loans.apply(uow, youth("p1"), adult("p1"), loan_application(), POLICY)
    assert uow.event_types() == ["loan.applied"]
"""

from __future__ import annotations

from datetime import date, datetime

from services.common.actor import Actor
from services.startup.domain import (
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
from services.startup.events import EVENTS
from services.startup.models import (
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
from services.startup.policy import StartupPolicy
from tests.support.fake_finance import FakeFinanceQueries
from tests.support.fakes import FakeRepository, FakeUnitOfWork

POLICY = StartupPolicy()
ADMIN = Actor("admin-1", "admin")
#: a graduate of last summer, as the gateway passes the facts of a young person
GRADUATE = {"age": 23, "degree": "bachelor", "graduation_date": date(2025, 6, 30)}


class FakeStartupRepository(FakeFinanceQueries, FakeRepository):
    """`StartupRepository` over rows in memory (locks are the fake's no-op)."""

    def _of(self, model, person_id: str, where=lambda row: True) -> list:
        return self.rows(model, lambda row: row.person_id == person_id and where(row))

    # -- one-stop business registration ---------------------------------------------------------

    def credit_code_taken(self, credit_code: str, other_than: str) -> bool:
        return bool(
            self.rows(
                BusinessRegistration,
                lambda r: r.credit_code == credit_code and r.id != other_than,
            )
        )

    def sla_due(self, mark: str, now: datetime, limit: int) -> list[BusinessRegistration]:
        due_column = {"warned": "warn_due_at", "breached": "breach_due_at"}[mark]
        due = self.rows(
            BusinessRegistration,
            lambda r: (
                r.state == IN_PROGRESS
                and getattr(r, due_column) <= now
                and getattr(r, f"sla_{mark}_at") is None
            ),
        )
        return sorted(due, key=lambda r: getattr(r, due_column))[:limit]

    def has_earlier_business(self, person_id: str, completed_before: datetime) -> bool:
        return bool(
            self._of(
                BusinessRegistration,
                person_id,
                lambda r: r.state == COMPLETED and r.completed_at < completed_before,
            )
        )

    def first_business_of(self, person_id: str) -> BusinessRegistration | None:
        done = self._of(BusinessRegistration, person_id, lambda r: r.state == COMPLETED)
        return min(done, key=lambda r: (r.completed_at, r.id), default=None)

    def registrations_in_progress_of(self, person_id: str) -> list[BusinessRegistration]:
        return self._of(BusinessRegistration, person_id, lambda r: r.state == IN_PROGRESS)

    # -- guaranteed loans -------------------------------------------------------------------------

    def lender_account_taken(self, partner_account_id: str) -> bool:
        return bool(self.rows(Lender, lambda r: r.partner_account_id == partner_account_id))

    def has_open_loan(self, person_id: str, borrower_kind: str) -> bool:
        return bool(
            self._of(
                Loan,
                person_id,
                lambda r: r.borrower_kind == borrower_kind and r.state in LOAN_OPEN_STATES,
            )
        )

    def repaid_instalments(self, loan_id: str) -> set[int]:
        return {row.instalment for row in self.rows(LoanRepayment, lambda r: r.loan_id == loan_id)}

    def loans_in_arrears_not_stopped(self) -> list[Loan]:
        return self.rows(
            Loan,
            lambda r: (
                r.state == DISBURSED
                and r.overdue_since is not None
                and r.subsidy_stopped_from is None
            ),
        )

    def withdrawable_loans_of(self, person_id: str) -> list[Loan]:
        withdrawable = LOAN_TRANSITIONS["withdraw"][0]
        return self._of(Loan, person_id, lambda r: r.state in withdrawable)

    # -- the startup grant ----------------------------------------------------------------------

    def has_grant_claim(self, person_id: str) -> bool:
        return bool(self._of(GrantApplication, person_id, lambda r: r.state != GRANT_REJECTED))

    # -- incubator spaces -----------------------------------------------------------------------

    def space_code_taken(self, code: str) -> bool:
        return bool(self.rows(IncubatorSpace, lambda r: r.code == code))

    def has_open_incubator_application(self, person_id: str) -> bool:
        return bool(
            self._of(
                IncubatorApplication,
                person_id,
                lambda r: r.state in (INCUBATOR_APPLIED, ALLOCATED),
            )
        )

    def pending_incubator_applications_of(self, person_id: str) -> list[IncubatorApplication]:
        return self._of(IncubatorApplication, person_id, lambda r: r.state == INCUBATOR_APPLIED)

    # -- training -------------------------------------------------------------------------------

    def enrolment_of(self, course_id: str, person_id: str) -> Enrolment | None:
        found = self._of(Enrolment, person_id, lambda r: r.course_id == course_id)
        return found[0] if found else None

    def enrolments_held_by(self, person_id: str) -> list[Enrolment]:
        return self._of(Enrolment, person_id, lambda r: r.state == ENROLLED)

    # -- rural revitalisation -------------------------------------------------------------------

    def has_open_partner_application(self, project_id: str, person_id: str) -> bool:
        return bool(
            self._of(
                PartnerApplication,
                person_id,
                lambda r: r.project_id == project_id and r.state in ("applied", "accepted"),
            )
        )

    def pending_partner_applications_of(self, person_id: str) -> list[PartnerApplication]:
        return self._of(PartnerApplication, person_id, lambda r: r.state == "applied")

    def doer_application_of(self, call_id: str, person_id: str) -> DoerApplication | None:
        found = self._of(DoerApplication, person_id, lambda r: r.call_id == call_id)
        return found[0] if found else None

    def pending_doer_applications_of(self, person_id: str) -> list[DoerApplication]:
        return self._of(DoerApplication, person_id, lambda r: r.state == "applied")


def unit_of_work(repo: FakeStartupRepository) -> FakeUnitOfWork:
    """One unit of work over `repo`, checking events against the startup catalogue."""
    return FakeUnitOfWork(repo, EVENTS)


def youth(person_id: str) -> Actor:
    return Actor(person_id, "youth")


def officer(unit: str) -> Actor:
    return Actor(f"officer-of-{unit}", "officer", unit)


def partner(account_id: str) -> Actor:
    return Actor(account_id, "partner")


def person(person_id: str, **facts) -> dict:
    """The facts the gateway passes about a young person (a recent graduate unless told)."""
    return {"person_id": person_id, **GRADUATE, **facts}


def a_lender(account_id: str = "bank-1", active: bool = True) -> Lender:
    return Lender(
        id=f"lender-{account_id}",
        name="XX农村商业银行",
        partner_account_id=account_id,
        active=active,
        created_at=datetime(2026, 1, 5, 1, 0, tzinfo=POLICY.calendar.timezone),
    )
