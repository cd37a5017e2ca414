"""The startup service's nameko class: its entrypoints, and nothing else.

Each entrypoint validates its input with the contract, opens a unit of work (or a reading
session), calls one handler of a feature module (registration, sla, loans, grants, incubator,
training) or one query (`queries/`), and answers a view. The rules are in those modules and in
`domain/`; where each one lives is listed in services/startup/README.md ("Where things are").
"""

from __future__ import annotations

from nameko.timer import timer

from services.common.benefits import ProgrammeCatalogue
from services.common.context import CallContext
from services.common.db import Database
from services.common.finance.service import Payments
from services.common.policy import Policy
from services.common.privacy import PersonalData
from services.common.rpc import rpc
from services.common.schemas import PageQuery
from services.common.service import Audited, ServiceBase, parse_instant

from . import (
    grants,
    incubator,
    loans,
    privacy,
    programmes,
    queries,
    registration,
    servicing,
    sla,
    training,
)
from .contract import (
    AllocationInput,
    BusinessRegistrationFilter,
    BusinessRegistrationInput,
    CourseFilter,
    CourseInput,
    EnrolmentFilter,
    GrantFilter,
    GrantInput,
    IncubatorFilter,
    IncubatorInput,
    SpaceFilter,
    SpaceInput,
    StartupIndicatorQuery,
    StartupPersonFacts,
    StartupRefusalInput,
    StepCompletionInput,
    TenancyEndInput,
)
from .contract.loans import (
    ArrearsInput,
    DisbursementInput,
    LenderInput,
    LoanFilter,
    LoanInput,
    LoanQuoteInput,
    LoanReviewInput,
    RepaymentInput,
    RepaymentView,
    StartupDecisionInput,
    SubsidyClaimInput,
    SubsidyClaimView,
)
from .events import EVENTS
from .messages import MESSAGES
from .models import Base
from .payments import LEDGER
from .policy import StartupPolicy
from .queries import records
from .queries.records import COURSE, ENROLMENT, GRANT, INCUBATOR, LENDER, LOAN, SPACE
from .repository import StartupRepository
from .rural_entrypoints import RuralRevitalisation

REPAYMENT = RepaymentView()


class StartupService(
    ServiceBase, Audited, PersonalData, Payments, ProgrammeCatalogue, RuralRevitalisation
):
    """One-stop business registration and its 2-hour promise, guaranteed loans, the startup
    grant, incubator spaces and training (plan 一.4), and rural revitalisation's partner plan
    and young doers' plan (三.3, `rural_entrypoints.py`), over RPC to the gateway."""

    name = "startup"
    messages = MESSAGES
    db = Database(
        Base.metadata, package="services.startup", events=EVENTS, repository=StartupRepository
    )
    policy = Policy(StartupPolicy)
    personal_data = privacy
    programmes_module = programmes
    person_facts = StartupPersonFacts
    ledger = LEDGER

    def _sweep_units(self):
        """Opens the SLA sweep's units of work, one per batch, each acting for nobody (the
        platform's own work, under a request id of its own)."""
        return lambda: self.db.unit_of_work(CallContext.system())

    def _registration(self, row) -> dict:
        """An application as the change just made left it."""
        return registration.view(row, self.policy, as_of=row.updated_at)

    # == one-stop business registration (企业开办) ============================================

    @rpc
    def submit_registration(self, application: dict, founder: dict) -> dict:
        """One application for a new business; the 2-hour promise starts now."""
        founder = {**founder, "person_id": self.caller.actor.person(founder.get("person_id"))}
        fields = BusinessRegistrationInput().load(application)
        facts = StartupPersonFacts().load(founder)
        with self.db.unit_of_work() as uow:
            row = registration.submit(uow, self.caller.actor, facts, fields, self.policy)
        return self._registration(row)

    @rpc
    def get_registration(self, registration_id: str) -> dict:
        """An application with its steps and business time."""
        with self.db.reading() as session:
            return records.get_registration(
                session, self.caller.actor, registration_id, self.policy
            )

    @rpc
    def list_registrations(self, filters: dict) -> dict:
        """The caller's applications, or an officer's unit's queue, a page at a time."""
        args = BusinessRegistrationFilter().load(filters)
        with self.db.reading() as session:
            return records.list_registrations(session, self.caller.actor, args, self.policy)

    @rpc
    def complete_step(
        self, registration_id: str, step: str, completion: dict | None = None
    ) -> dict:
        """An officer of the step's unit completes it; the last step completes the business."""
        fields = StepCompletionInput().load(completion or {})
        with self.db.unit_of_work() as uow:
            row = registration.complete_step(
                uow, self.caller.actor, registration_id, step, fields, self.policy
            )
        return self._registration(row)

    @rpc
    def reject_registration(self, registration_id: str, refusal: dict) -> dict:
        """An officer whose unit has a step pending refuses it, with the reason."""
        reason = StartupRefusalInput().load(refusal)["reason"]
        with self.db.unit_of_work() as uow:
            row = registration.reject(uow, self.caller.actor, registration_id, reason, self.policy)
        return self._registration(row)

    @rpc
    def withdraw_registration(self, registration_id: str) -> dict:
        """The founder withdraws their application."""
        with self.db.unit_of_work() as uow:
            row = registration.withdraw(uow, self.caller.actor, registration_id, self.policy)
            # a withdrawal touches no step, so they are read while the session is open
            return self._registration(row)

    # -- the 2-hour promise's sweep (sla.py) -------------------------------------------------

    @timer(interval=sla.SWEEP_SECONDS)
    def sla_timer(self) -> None:
        """Publishes warnings and breaches that fell due since the last sweep."""
        sla.scheduled_sweep(self._sweep_units(), self.policy)

    @rpc
    def sweep_sla(self) -> dict:
        """Run the SLA sweep now (operators, and tests after moving the clock)."""
        return sla.sweep(self._sweep_units(), self.policy)

    @rpc
    def travel_clock(self, to: str | None = None) -> dict:
        """Move this process's clock to `to` (ISO date-time with a zone; None: back to the
        system's time) and sweep the 2-hour promise at once; refused unless `CLOCK=adjustable`."""
        now = self.clock_control.travel_to(parse_instant(to) if to else None)
        servicing.sweep_arrears(self._sweep_units(), self.policy)
        return {"now": now, "swept": sla.sweep(self._sweep_units(), self.policy)}

    @timer(interval=servicing.ARREARS_SWEEP_SECONDS)
    def arrears_timer(self) -> None:
        """Stops the subsidy of loans whose reported arrears passed the threshold since."""
        servicing.sweep_arrears(self._sweep_units(), self.policy)

    # == startup guaranteed loans (创业担保贷款) ================================================

    @rpc
    def create_lender(self, lender: dict) -> dict:
        """An admin registers a bank (经办银行) with its partner account."""
        fields = LenderInput().load(lender)
        with self.db.unit_of_work() as uow:
            lender = loans.create_lender(uow, self.caller.actor, fields)
        return LENDER.dump(lender)

    @rpc
    def list_lenders(self, filters: dict) -> dict:
        """The lending banks an applicant chooses from."""
        args = PageQuery().load(filters)
        with self.db.reading() as session:
            return records.list_lenders(session, args)

    @rpc
    def quote_loan(self, quote: dict) -> dict:
        """The schedule a loan would have (default: at the capped rate, starting today)."""
        return loans.quote(LoanQuoteInput().load(quote), self.policy)

    @rpc
    def apply_for_loan(self, application: dict, applicant: dict) -> dict:
        """A young person applies for a guaranteed loan from a lender they choose."""
        applicant = {**applicant, "person_id": self.caller.actor.person(applicant.get("person_id"))}
        fields = LoanInput().load(application)
        facts = StartupPersonFacts().load(applicant)
        with self.db.unit_of_work() as uow:
            loan = loans.apply(uow, self.caller.actor, facts, fields, self.policy)
        return LOAN.dump(loan)

    @rpc
    def get_loan(self, loan_id: str) -> dict:
        """A loan, for those who may see it."""
        with self.db.reading() as session:
            return records.get_loan(session, self.caller.actor, loan_id, self.policy)

    @rpc
    def loan_schedule(self, loan_id: str) -> dict:
        """Month by month: principal, interest, what the borrower pays and the subsidy."""
        with self.db.reading() as session:
            return records.loan_schedule(session, self.caller.actor, loan_id, self.policy)

    @rpc
    def list_loans(self, filters: dict) -> dict:
        """The caller's loans (a bank's, an officer's or admin's: all they handle)."""
        args = LoanFilter().load(filters)
        with self.db.reading() as session:
            return records.list_loans(session, self.caller.actor, args, self.policy)

    @rpc
    def review_loan(self, loan_id: str, review: dict) -> dict:
        """The lending bank approves (with its contract rate) or declines with a reason."""
        fields = LoanReviewInput().load(review)
        with self.db.unit_of_work() as uow:
            loan = loans.bank_review(uow, self.caller.actor, loan_id, fields, self.policy)
        return LOAN.dump(loan)

    @rpc
    def decide_loan(self, loan_id: str, decision: dict) -> dict:
        """An officer of the loan unit approves or rejects a bank-approved loan."""
        fields = StartupDecisionInput().load(decision)
        with self.db.unit_of_work() as uow:
            loan = loans.decide(uow, self.caller.actor, loan_id, fields, self.policy)
        return LOAN.dump(loan)

    @rpc
    def disburse_loan(self, loan_id: str, disbursement: dict) -> dict:
        """The bank pays out: the schedule (and the subsidy) runs from that day."""
        fields = DisbursementInput().load(disbursement)
        with self.db.unit_of_work() as uow:
            loan = loans.disburse(uow, self.caller.actor, loan_id, fields, self.policy)
        return LOAN.dump(loan)

    @rpc
    def withdraw_loan(self, loan_id: str) -> dict:
        """The applicant withdraws a loan not yet decided."""
        with self.db.unit_of_work() as uow:
            loan = loans.withdraw(uow, self.caller.actor, loan_id, self.policy)
        return LOAN.dump(loan)

    # -- after disbursement (servicing.py) ---------------------------------------------------

    @rpc
    def report_loan_repayment(self, loan_id: str, report: dict) -> dict:
        """The loan's bank reports an instalment repaid in full."""
        fields = RepaymentInput().load(report)
        with self.db.unit_of_work() as uow:
            row = servicing.report_repayment(uow, self.caller.actor, loan_id, fields, self.policy)
        return REPAYMENT.dump(row)

    @rpc
    def report_loan_arrears(self, loan_id: str, report: dict) -> dict:
        """The loan's bank reports it overdue since a day, or caught up."""
        fields = ArrearsInput().load(report)
        with self.db.unit_of_work() as uow:
            servicing.report_arrears(uow, self.caller.actor, loan_id, fields, self.policy)
        with self.db.reading() as session:
            return queries.servicing.loan_servicing(
                session, self.caller.actor, loan_id, self.policy
            )

    @rpc
    def claim_loan_subsidy(self, loan_id: str, claim: dict) -> dict:
        """The loan's bank claims a past quarter's interest subsidy (a payout to the bank)."""
        fields = SubsidyClaimInput().load(claim)
        with self.db.unit_of_work() as uow:
            answer = servicing.claim_subsidy(uow, self.caller.actor, loan_id, fields, self.policy)
        return SubsidyClaimView().dump(answer)

    @rpc
    def loan_servicing(self, loan_id: str) -> dict:
        """The schedule against what was paid, the arrears and the quarters claimed."""
        with self.db.reading() as session:
            return queries.servicing.loan_servicing(
                session, self.caller.actor, loan_id, self.policy
            )

    @rpc
    def guarantee_exposure(self) -> dict:
        """The guarantee fund's exposure: outstanding principal by bank, and in arrears."""
        with self.db.reading() as session:
            return queries.servicing.guarantee_exposure(session, self.caller.actor, self.policy)

    # == the one-off startup grant (一次性创业补贴) ================================================

    @rpc
    def apply_for_grant(self, application: dict, applicant: dict) -> dict:
        """Claim the grant for one's first business, once it has run six months."""
        applicant = {**applicant, "person_id": self.caller.actor.person(applicant.get("person_id"))}
        fields = GrantInput().load(application)
        facts = StartupPersonFacts().load(applicant)
        with self.db.unit_of_work() as uow:
            grant = grants.apply(uow, self.caller.actor, facts, fields, self.policy)
        return GRANT.dump(grant)

    @rpc
    def decide_grant(self, grant_id: str, decision: dict) -> dict:
        """An officer of the grant unit approves or rejects a claim."""
        fields = StartupDecisionInput().load(decision)
        with self.db.unit_of_work() as uow:
            grant = grants.decide(uow, self.caller.actor, grant_id, fields, self.policy)
        return GRANT.dump(grant)

    @rpc
    def get_grant(self, grant_id: str) -> dict:
        """A grant claim, for those who may see it."""
        with self.db.reading() as session:
            return records.get_grant(session, self.caller.actor, grant_id, self.policy)

    @rpc
    def list_grants(self, filters: dict) -> dict:
        """The caller's grant claims (an officer's or admin's: all)."""
        args = GrantFilter().load(filters)
        with self.db.reading() as session:
            return records.list_grants(session, self.caller.actor, args, self.policy)

    # == incubator spaces (双创智慧港) ==========================================================

    @rpc
    def create_space(self, space: dict) -> dict:
        """An officer of the park unit (or an admin) adds a desk or an office."""
        fields = SpaceInput().load(space)
        with self.db.unit_of_work() as uow:
            row = incubator.create_space(uow, self.caller.actor, fields, self.policy)
        return SPACE.dump(row)

    @rpc
    def list_spaces(self, filters: dict) -> dict:
        """The park's spaces, of a kind and in a state if asked."""
        args = SpaceFilter().load(filters)
        with self.db.reading() as session:
            return records.list_spaces(session, args)

    @rpc
    def apply_for_space(self, application: dict, applicant: dict) -> dict:
        """A young person applies for a kind of space (one open application each)."""
        applicant = {**applicant, "person_id": self.caller.actor.person(applicant.get("person_id"))}
        fields = IncubatorInput().load(application)
        facts = StartupPersonFacts().load(applicant)
        with self.db.unit_of_work() as uow:
            row = incubator.apply(uow, self.caller.actor, facts, fields)
        return INCUBATOR.dump(row)

    @rpc
    def allocate_space(self, application_id: str, allocation: dict) -> dict:
        """A space of the kind applied for, free now, for at most the maximum tenancy."""
        fields = AllocationInput().load(allocation)
        with self.db.unit_of_work() as uow:
            row = incubator.allocate(uow, self.caller.actor, application_id, fields, self.policy)
        return INCUBATOR.dump(row)

    @rpc
    def reject_incubator_application(self, application_id: str, refusal: dict) -> dict:
        """An officer of the park unit refuses an application, with the reason."""
        reason = StartupRefusalInput().load(refusal)["reason"]
        with self.db.unit_of_work() as uow:
            row = incubator.reject(uow, self.caller.actor, application_id, reason, self.policy)
        return INCUBATOR.dump(row)

    @rpc
    def end_tenancy(self, application_id: str, ending: dict) -> dict:
        """The tenancy ends (early or on its date): the space is free again."""
        fields = TenancyEndInput().load(ending)
        with self.db.unit_of_work() as uow:
            row = incubator.end_tenancy(uow, self.caller.actor, application_id, fields, self.policy)
        return INCUBATOR.dump(row)

    @rpc
    def withdraw_incubator_application(self, application_id: str) -> dict:
        """The applicant withdraws an application not yet allocated."""
        with self.db.unit_of_work() as uow:
            row = incubator.withdraw(uow, self.caller.actor, application_id)
        return INCUBATOR.dump(row)

    @rpc
    def get_incubator_application(self, application_id: str) -> dict:
        """An application, for those who may see it."""
        with self.db.reading() as session:
            return records.get_incubator_application(
                session, self.caller.actor, application_id, self.policy
            )

    @rpc
    def list_incubator_applications(self, filters: dict) -> dict:
        """The caller's applications (an officer's or admin's: all)."""
        args = IncubatorFilter().load(filters)
        with self.db.reading() as session:
            return records.list_incubator_applications(
                session, self.caller.actor, args, self.policy
            )

    # == training (创业培训) ==================================================================

    @rpc
    def create_course(self, course: dict) -> dict:
        """An officer of the training unit (or an admin) publishes a course."""
        fields = CourseInput().load(course)
        with self.db.unit_of_work() as uow:
            row = training.create_course(uow, self.caller.actor, fields, self.policy)
        return COURSE.dump(row)

    @rpc
    def list_courses(self, filters: dict) -> dict:
        """Courses by start date."""
        args = CourseFilter().load(filters)
        with self.db.reading() as session:
            return records.list_courses(session, args)

    @rpc
    def get_course(self, course_id: str) -> dict:
        """A course with its places left."""
        with self.db.reading() as session:
            return records.get_course(session, course_id)

    @rpc
    def enrol(self, course_id: str, person: dict) -> dict:
        """A place on a course while places last and until it starts; one per person."""
        person = {**person, "person_id": self.caller.actor.person(person.get("person_id"))}
        facts = StartupPersonFacts().load(person)
        with self.db.unit_of_work() as uow:
            row = training.enrol(uow, self.caller.actor, facts, course_id)
        return ENROLMENT.dump(row)

    @rpc
    def cancel_enrolment(self, enrolment_id: str) -> dict:
        """The trainee gives their place back."""
        with self.db.unit_of_work() as uow:
            row = training.cancel(uow, self.caller.actor, enrolment_id)
        return ENROLMENT.dump(row)

    @rpc
    def complete_enrolment(self, enrolment_id: str) -> dict:
        """An officer of the organising unit records that the person completed the course."""
        with self.db.unit_of_work() as uow:
            row = training.complete(uow, self.caller.actor, enrolment_id)
        return ENROLMENT.dump(row)

    @rpc
    def get_enrolment(self, enrolment_id: str) -> dict:
        """An enrolment, for those who may see it."""
        with self.db.reading() as session:
            return records.get_enrolment(session, self.caller.actor, enrolment_id)

    @rpc
    def list_enrolments(self, filters: dict) -> dict:
        """The caller's enrolments (an officer's or admin's: all, by course and state)."""
        args = EnrolmentFilter().load(filters)
        with self.db.reading() as session:
            return records.list_enrolments(session, self.caller.actor, args, self.policy)

    # == personal data (privacy.py) ==========================================================

    def release_person(self, uow, person_id: str) -> None:
        """Close what waits on an erased person before the anonymisation (privacy.release)."""
        privacy.release(uow, person_id, self.policy)

    # == what the gateway aggregates ========================================================

    @rpc
    def dashboard(self, person_id: str | None = None) -> dict:
        """A person's registrations, loans, grants, incubator applications and enrolments."""
        person_id = self.caller.actor.person(person_id)
        with self.db.reading() as session:
            return queries.dashboard.of_person(session, person_id, self.policy)

    @rpc
    def graduates_registered_businesses(self, since: str, until: str) -> list[str]:
        """Person ids of recent graduates whose business registration completed in
        [since, until), each once (the plan's headline goal counts people, not businesses)."""
        period = StartupIndicatorQuery().load({"since": since, "until": until})
        with self.db.reading() as session:
            return queries.indicators.graduates_registered(session, period)

    @rpc
    def indicators(self, since: str, until: str) -> dict:
        """The service's indicators for [since, until) (district dates), each `startup.<code>`
        (documented in services/startup/README.md)."""
        period = StartupIndicatorQuery().load({"since": since, "until": until})
        with self.db.reading() as session:
            return queries.indicators.for_period(session, period, self.policy)
