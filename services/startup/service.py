"""The startup service's nameko class: validates, applies the domain rules, persists, reports.

Sections follow the plan's item 一.4: one-stop business registration and its 2-hour promise,
guaranteed loans, the startup grant, incubator spaces, training; then what the gateway's
dashboard and indicators ask, and the test-only clock.
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from nameko.timer import timer
from sqlalchemy.orm import aliased, selectinload

from services.common.clock import clock, utcnow
from services.common.context import CallContext
from services.common.db import Database
from services.common.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from services.common.pagination import ASC, DESC, keyset_page
from services.common.policy import Policy
from services.common.privacy import PersonalData
from services.common.rpc import rpc
from services.common.schemas import PageQuery
from services.common.service import Audited, ServiceBase, parse_instant

from . import domain, privacy
from .events import EVENTS
from .messages import MESSAGES
from .models import (
    Base,
    BusinessRegistration,
    Course,
    Enrolment,
    GrantApplication,
    IncubatorApplication,
    IncubatorSpace,
    Lender,
    Loan,
    RegistrationStep,
)
from .policy import StartupPolicy
from .schemas import (
    AllocationInput,
    BusinessRegistrationFilter,
    BusinessRegistrationInput,
    BusinessRegistrationView,
    CourseFilter,
    CourseInput,
    CourseView,
    DisbursementInput,
    EnrolmentFilter,
    EnrolmentView,
    GrantFilter,
    GrantInput,
    GrantView,
    IncubatorApplicationView,
    IncubatorFilter,
    IncubatorInput,
    LenderInput,
    LenderView,
    LoanFilter,
    LoanInput,
    LoanQuoteInput,
    LoanReviewInput,
    LoanView,
    ScheduleView,
    SpaceFilter,
    SpaceInput,
    SpaceView,
    StartupDecisionInput,
    StartupIndicatorQuery,
    StartupPersonFacts,
    StartupRefusalInput,
    StepCompletionInput,
    TenancyEndInput,
)

log = logging.getLogger(__name__)

#: seconds between SLA sweeps: a warning or breach is published at most this late
SLA_SWEEP_SECONDS = 30
#: registrations marked per transaction by a sweep
SLA_SWEEP_BATCH = 200
#: years this process has already said it has no holiday schedule for
_CALENDAR_WARNED: set[int] = set()

REGISTRATION_NOT_FOUND = NotFound("business registration", code="business_registration_not_found")
LOAN_NOT_FOUND = NotFound("loan", code="loan_not_found")
GRANT_NOT_FOUND = NotFound("grant", code="grant_not_found")
SPACE_NOT_FOUND = NotFound("space", code="space_not_found")
INCUBATOR_NOT_FOUND = NotFound("incubator application", code="incubator_application_not_found")
COURSE_NOT_FOUND = NotFound("course", code="course_not_found")
ENROLMENT_NOT_FOUND = NotFound("enrolment", code="enrolment_not_found")

LENDER = LenderView()
LOAN = LoanView()
GRANT = GrantView()
SPACE = SpaceView()
INCUBATOR = IncubatorApplicationView()
COURSE = CourseView()
ENROLMENT = EnrolmentView()


def _new_id() -> str:
    return str(uuid.uuid4())


def _locked(session, model, row_id: str, not_found: DomainError):
    """The row, locked until commit on PostgreSQL (SQLite writers are serialised anyway)."""
    row = session.execute(
        sa.select(model).where(model.id == row_id).with_for_update()
    ).scalar_one_or_none()
    if row is None:
        raise not_found
    return row


def _page(items: list, page) -> dict:
    return {"items": items, "next_cursor": page.next_cursor}


def _number(value):
    """Indicator values as JSON numbers: counts stay integers, decimals become floats."""
    if value is None or isinstance(value, int):
        return value
    return float(value)


class StartupService(ServiceBase, Audited, PersonalData):
    name = "startup"
    messages = MESSAGES
    db = Database(Base.metadata, package="services.startup", events=EVENTS)
    policy = Policy(StartupPolicy)
    personal_data = privacy

    # -- helpers -----------------------------------------------------------------------------

    def _actor(self) -> domain.Actor:
        return domain.Actor(self.caller.actor_id, self.caller.actor_role, self.caller.actor_unit)

    def _period(self, since: str, until: str) -> tuple[datetime, datetime, date, date]:
        period = StartupIndicatorQuery().load({"since": since, "until": until})
        return (
            clock.start_of(period["since"]),
            clock.start_of(period["until"]),
            period["since"],
            period["until"],
        )

    # == one-stop business registration (企业开办) ============================================

    def _elapsed(self, registration: BusinessRegistration, now: datetime) -> timedelta:
        if registration.elapsed_business_seconds is not None:
            return timedelta(seconds=registration.elapsed_business_seconds)
        return self.policy.calendar.business_time(registration.submitted_at, now)

    def _registration_view(self, registration: BusinessRegistration, now: datetime) -> dict:
        done = {s.step for s in registration.steps if s.state == domain.STEP_DONE}
        ready = set(domain.ready_steps(done))
        elapsed = self._elapsed(registration, now)
        return BusinessRegistrationView().dump(
            {
                **{
                    column: getattr(registration, column)
                    for column in (
                        "id",
                        "person_id",
                        "company_name",
                        "company_type",
                        "registered_capital_cny",
                        "address",
                        "business_scope",
                        "state",
                        "submitted_at",
                        "completed_at",
                        "sla_warned_at",
                        "sla_breached_at",
                        "credit_code",
                        "graduate",
                        "rejected_step",
                    )
                },
                "founders": json.loads(registration.founders),
                "steps": [
                    {
                        "step": s.step,
                        "unit": s.unit,
                        "state": s.state,
                        "ready": s.step in ready and registration.state == domain.IN_PROGRESS,
                        "completed_at": s.completed_at,
                        "reference": s.reference,
                    }
                    for s in registration.steps
                ],
                "business_time": self.policy.sla.view(
                    registration.state, elapsed, registration.sla_warned_at is not None
                ),
            }
        )

    def _sla_data(self, registration: BusinessRegistration, now: datetime) -> dict:
        pending = [s for s in registration.steps if s.state == domain.STEP_PENDING]
        return {
            "registration_id": registration.id,
            "person_id": registration.person_id,
            "elapsed_business_seconds": int(self._elapsed(registration, now).total_seconds()),
            "target_business_seconds": int(self.policy.sla.target.total_seconds()),
            "pending_steps": [s.step for s in pending],
            "pending_units": sorted({s.unit for s in pending}),
        }

    @staticmethod
    def _registration_for_update(session, registration_id: str) -> BusinessRegistration:
        return _locked(session, BusinessRegistration, registration_id, REGISTRATION_NOT_FOUND)

    def _close(self, registration: BusinessRegistration, action: str, now: datetime) -> None:
        registration.state = domain.next_state(
            domain.REGISTRATION_TRANSITIONS, registration.state, action
        )
        registration.elapsed_business_seconds = int(
            self.policy.calendar.business_time(registration.submitted_at, now).total_seconds()
        )
        registration.closed_at = registration.updated_at = now

    @rpc
    def submit_registration(self, application: dict, founder: dict) -> dict:
        """One application for a new business; its steps go to their units and the 2-hour
        promise starts now, in business time."""
        fields = BusinessRegistrationInput().load(application)
        facts = StartupPersonFacts().load(founder)
        now = utcnow()
        warn_due, breach_due = self.policy.sla.due_instants(self.policy.calendar, now)
        units = self.policy.step_unit_map
        registration = BusinessRegistration(
            id=_new_id(),
            person_id=facts["person_id"],
            company_name=fields["company_name"],
            company_type=fields["company_type"],
            registered_capital_cny=fields["registered_capital_cny"],
            address=fields["address"],
            business_scope=fields["business_scope"],
            founders=json.dumps(
                [
                    {"name": f["name"], "share_percent": str(f["share_percent"])}
                    for f in fields["founders"]
                ],
                ensure_ascii=False,
            ),
            graduation_date=facts.get("graduation_date"),
            degree=facts.get("degree"),
            state=domain.IN_PROGRESS,
            submitted_at=now,
            warn_due_at=warn_due,
            breach_due_at=breach_due,
            updated_at=now,
            steps=[
                RegistrationStep(
                    id=_new_id(),
                    step=step,
                    position=position,
                    unit=units[step],
                    state=domain.STEP_PENDING,
                )
                for position, step in enumerate(domain.STEPS)
            ],
        )
        with self.db.unit_of_work() as uow:
            uow.session.add(registration)
            uow.record(
                "registration.submitted",
                subject=registration.id,
                data={
                    "registration_id": registration.id,
                    "person_id": registration.person_id,
                    "company_type": registration.company_type,
                    "submitted_at": now,
                    "warn_due_at": warn_due,
                    "breach_due_at": breach_due,
                },
            )
            uow.commit()
        return self._registration_view(registration, now)

    @rpc
    def get_registration(self, registration_id: str) -> dict:
        with self.db.reading() as session:
            registration = session.execute(
                sa.select(BusinessRegistration)
                .where(BusinessRegistration.id == registration_id)
                .options(selectinload(BusinessRegistration.steps))
            ).scalar_one_or_none()
            if registration is None:
                raise REGISTRATION_NOT_FOUND
            domain.check_may_see(
                self._actor(),
                registration.person_id,
                {s.unit for s in registration.steps},
                REGISTRATION_NOT_FOUND,
            )
            return self._registration_view(registration, utcnow())

    def _awaiting(self, unit: str):
        """Applications in progress with a step of `unit` whose prerequisites are done."""
        alternatives = []
        for step in domain.STEPS:
            mine = aliased(RegistrationStep)
            condition = sa.exists().where(
                mine.registration_id == BusinessRegistration.id,
                mine.step == step,
                mine.unit == unit,
                mine.state == domain.STEP_PENDING,
            )
            prerequisites = domain.PREREQUISITES[step]
            if prerequisites:
                before = aliased(RegistrationStep)
                condition = sa.and_(
                    condition,
                    ~sa.exists().where(
                        before.registration_id == BusinessRegistration.id,
                        before.step.in_(prerequisites),
                        before.state == domain.STEP_PENDING,
                    ),
                )
            alternatives.append(condition)
        return sa.and_(BusinessRegistration.state == domain.IN_PROGRESS, sa.or_(*alternatives))

    @rpc
    def list_registrations(self, filters: dict) -> dict:
        """A young person's own applications (newest first); an officer's unit's queue (oldest
        first); everything for an admin."""
        args = BusinessRegistrationFilter().load(filters)
        actor = self._actor()
        query = sa.select(BusinessRegistration).options(selectinload(BusinessRegistration.steps))
        direction = DESC
        if actor.role == domain.OFFICER:
            if actor.unit not in self.policy.step_unit_map.values():
                raise Forbidden(
                    "not_responsible_unit",
                    params={"unit": ", ".join(sorted(set(self.policy.step_unit_map.values())))},
                )
            step = aliased(RegistrationStep)
            query = query.where(
                sa.exists().where(
                    step.registration_id == BusinessRegistration.id, step.unit == actor.unit
                )
            )
            if args["awaiting_my_unit"]:
                query = query.where(self._awaiting(actor.unit))
            direction = ASC
        elif not actor.is_admin:
            query = query.where(BusinessRegistration.person_id == actor.account_id)
        if "state" in args:
            query = query.where(BusinessRegistration.state == args["state"])
        now = utcnow()
        with self.db.reading() as session:
            page = keyset_page(
                session,
                query,
                [
                    (BusinessRegistration.submitted_at, direction),
                    (BusinessRegistration.id, direction),
                ],
                args.get("after"),
                args["limit"],
            )
            return _page([self._registration_view(r, now) for r in page.items], page)

    @rpc
    def complete_step(
        self, registration_id: str, step: str, completion: dict | None = None
    ) -> dict:
        """An officer of the step's unit completes it; the last step completes the business."""
        fields = StepCompletionInput().load(completion or {})
        if step not in domain.STEPS:
            raise NotFound("step", code="registration_step_not_found", params={"step": step})
        actor = self._actor()
        now = utcnow()
        with self.db.unit_of_work() as uow:
            registration = self._registration_for_update(uow.session, registration_id)
            row = next(s for s in registration.steps if s.step == step)
            actor.require_officer_of(row.unit)
            done = {s.step for s in registration.steps if s.state == domain.STEP_DONE}
            domain.check_step_may_complete(step, row.state, done, registration.state)
            if step == domain.LICENCE:
                self._issue_licence(uow.session, registration, fields.get("credit_code"))
            row.state, row.completed_at, row.completed_by = domain.STEP_DONE, now, actor.account_id
            row.reference = fields.get("reference")
            registration.updated_at = now
            done.add(step)
            remaining = [s for s in domain.STEPS if s not in done]
            uow.audit(
                "registration.step_completed",
                ("business_registration", registration.id),
                details={"step": step, "reference": row.reference},
            )
            uow.record(
                "registration.step_completed",
                subject=registration.id,
                data={
                    "registration_id": registration.id,
                    "person_id": registration.person_id,
                    "step": step,
                    "unit": row.unit,
                    "completed_at": now,
                    "elapsed_business_seconds": int(
                        self._elapsed(registration, now).total_seconds()
                    ),
                    "remaining_steps": remaining,
                },
            )
            if not remaining:
                self._complete_registration(uow, registration, now)
            uow.commit()
        return self._registration_view(registration, now)

    @staticmethod
    def _issue_licence(session, registration: BusinessRegistration, credit_code: str | None):
        if not credit_code:
            raise InvalidInput.for_field("credit_code", "licence_needs_credit_code", MESSAGES)
        taken = session.execute(
            sa.select(BusinessRegistration.id).where(
                BusinessRegistration.credit_code == credit_code,
                BusinessRegistration.id != registration.id,
            )
        ).first()
        if taken:
            raise Conflict("credit_code_taken", field="credit_code")
        registration.credit_code = credit_code

    def _complete_registration(self, uow, registration: BusinessRegistration, now: datetime):
        self._close(registration, "complete", now)
        registration.completed_at = now
        elapsed = timedelta(seconds=registration.elapsed_business_seconds)
        target = self.policy.sla.target
        registration.graduate = self.policy.is_graduate(
            registration.graduation_date, registration.degree, clock.today()
        )
        if elapsed > target and registration.sla_breached_at is None:
            # finished late before a sweep noticed: the breach is a fact all the same
            registration.sla_breached_at = now
            uow.record(
                "registration.sla_breached",
                subject=registration.id,
                data=self._sla_data(registration, now),
            )
        uow.record(
            "registration.completed",
            subject=registration.id,
            data={
                "registration_id": registration.id,
                "person_id": registration.person_id,
                "company_type": registration.company_type,
                "completed_at": now,
                "elapsed_business_seconds": registration.elapsed_business_seconds,
                "target_business_seconds": int(target.total_seconds()),
                "within_target": elapsed <= target,
                "graduate": registration.graduate,
            },
        )

    @rpc
    def reject_registration(self, registration_id: str, refusal: dict) -> dict:
        """An officer whose unit has a step pending refuses it, with the reason: the application
        closes (the reason stays in the audit trail, not in the event)."""
        reason = StartupRefusalInput().load(refusal)["reason"]
        actor = self._actor()
        now = utcnow()
        with self.db.unit_of_work() as uow:
            registration = self._registration_for_update(uow.session, registration_id)
            mine = [
                s
                for s in registration.steps
                if s.state == domain.STEP_PENDING and actor.is_officer_of(s.unit)
            ]
            if not mine:
                pending_units = {
                    s.unit for s in registration.steps if s.state == domain.STEP_PENDING
                }
                raise Forbidden(
                    "not_responsible_unit", params={"unit": ", ".join(sorted(pending_units))}
                )
            self._close(registration, "reject", now)
            registration.rejected_step = mine[0].step
            uow.audit(
                "registration.rejected",
                ("business_registration", registration.id),
                reason,
                {"step": mine[0].step},
            )
            uow.record(
                "registration.rejected",
                subject=registration.id,
                data={
                    "registration_id": registration.id,
                    "person_id": registration.person_id,
                    "state": registration.state,
                    "step": mine[0].step,
                    "unit": mine[0].unit,
                },
            )
            uow.commit()
        return self._registration_view(registration, now)

    @rpc
    def withdraw_registration(self, registration_id: str) -> dict:
        now = utcnow()
        with self.db.unit_of_work() as uow:
            registration = self._registration_for_update(uow.session, registration_id)
            domain.check_is_owner(self._actor(), registration.person_id, REGISTRATION_NOT_FOUND)
            self._withdraw_registration(uow, registration, now)
            uow.commit()
        return self._registration_view(registration, now)

    def _withdraw_registration(self, uow, registration: BusinessRegistration, now) -> None:
        self._close(registration, "withdraw", now)
        uow.record(
            "registration.withdrawn",
            subject=registration.id,
            data={
                "registration_id": registration.id,
                "person_id": registration.person_id,
                "state": registration.state,
                "step": None,
                "unit": None,
            },
        )

    # -- the 2-hour promise's sweep ----------------------------------------------------------

    @timer(interval=SLA_SWEEP_SECONDS)
    def sla_timer(self) -> None:
        """Publishes warnings and breaches that fell due since the last sweep."""
        now = utcnow()
        self._check_calendar(now)
        swept = self._sweep_sla(now)
        if swept["warned"] or swept["breached"]:
            log.info("registration SLA sweep", extra=swept)

    def _check_calendar(self, now: datetime) -> None:
        """Says, once a year and process, when the working calendar lacks this year's holidays
        (or, in December, next year's): business time then counts Monday to Friday only."""
        today = clock.local_date(now)
        years = [today.year] + ([today.year + 1] if today.month == 12 else [])
        for year in years:
            if not self.policy.calendar.knows_year(year) and year not in _CALENDAR_WARNED:
                _CALENDAR_WARNED.add(year)
                log.warning(
                    "no holiday schedule for %s: configure extra_holidays and extra_workdays",
                    year,
                    extra={"year": year},
                )

    @rpc
    def sweep_sla(self) -> dict:
        """Run the SLA sweep now (operators, and tests after moving the clock)."""
        return self._sweep_sla(utcnow())

    def _sweep_sla(self, now: datetime) -> dict:
        """Marks in-progress applications whose warning or breach instant has passed, and
        records the event, each once: a row is marked in the transaction that records its
        event, and on PostgreSQL two sweepers skip each other's locked rows."""
        swept = {"warned": 0, "breached": 0}
        passes = (
            ("warned", BusinessRegistration.warn_due_at, "sla_warned_at", "sla_warned"),
            ("breached", BusinessRegistration.breach_due_at, "sla_breached_at", "sla_breached"),
        )
        for key, due, mark, verb in passes:
            while True:
                with self.db.unit_of_work(CallContext.system()) as uow:
                    rows = (
                        uow.session.execute(
                            sa.select(BusinessRegistration)
                            .where(
                                BusinessRegistration.state == domain.IN_PROGRESS,
                                due <= now,
                                getattr(BusinessRegistration, mark).is_(None),
                            )
                            .order_by(due)
                            .limit(SLA_SWEEP_BATCH)
                            .with_for_update(skip_locked=True)
                            .options(selectinload(BusinessRegistration.steps))
                        )
                        .scalars()
                        .all()
                    )
                    for registration in rows:
                        setattr(registration, mark, now)
                        uow.record(
                            f"registration.{verb}",
                            subject=registration.id,
                            data=self._sla_data(registration, now),
                        )
                    uow.commit()
                swept[key] += len(rows)
                if len(rows) < SLA_SWEEP_BATCH:
                    break
        return swept

    # == startup guaranteed loans (创业担保贷款) ================================================

    def loan_schedule_of(self, loan: Loan, today: date) -> dict:
        """The loan's schedule as the service shows it (also in the person's export)."""
        rules = self.policy.loan_rules
        estimate = loan.state != domain.DISBURSED
        starts_on = loan.disbursed_on or today
        rate = loan.contract_rate_percent
        if rate is None:
            rate = rules.rate_cap(starts_on)
        borrower_rate = loan.borrower_rate_percent
        if borrower_rate is None:
            borrower_rate = rules.borrower_rate(rate, starts_on)
        lpr = loan.lpr_percent if loan.lpr_percent is not None else rules.lpr_on(starts_on)
        schedule = domain.repayment_schedule(
            loan.amount_cny,
            loan.term_months,
            rate,
            borrower_rate,
            rules.subsidised_months,
            loan.repayment_method,
            starts_on,
        )
        return self._schedule_view(schedule, starts_on, lpr, estimate)

    @staticmethod
    def _schedule_view(schedule: domain.Schedule, starts_on: date, lpr, estimate: bool) -> dict:
        return ScheduleView().dump(
            {
                "estimate": estimate,
                "amount_cny": schedule.amount,
                "term_months": schedule.term_months,
                "repayment_method": schedule.method,
                "starts_on": starts_on,
                "lpr_percent": lpr,
                "contract_rate_percent": schedule.contract_rate,
                "borrower_rate_percent": schedule.borrower_rate,
                "subsidised_months": schedule.subsidised_months,
                "instalments": schedule.instalments,
                "totals": schedule.totals,
            }
        )

    @staticmethod
    def _loan_data(loan: Loan) -> dict:
        return {
            "loan_id": loan.id,
            "person_id": loan.person_id,
            "lender_id": loan.lender_id,
            "borrower_kind": loan.borrower_kind,
            "state": loan.state,
            "amount_cny": loan.amount_cny,
            "term_months": loan.term_months,
            "contract_rate_percent": loan.contract_rate_percent,
            "borrower_rate_percent": loan.borrower_rate_percent,
        }

    @rpc
    def create_lender(self, lender: dict) -> dict:
        """An admin names a bank (经办银行) and the partner account it signs in with; the
        gateway has checked that the account is a partner's."""
        fields = LenderInput().load(lender)
        if not self._actor().is_admin:
            raise Forbidden()
        now = utcnow()
        with self.db.unit_of_work() as uow:
            taken = uow.session.execute(
                sa.select(Lender.id).where(
                    Lender.partner_account_id == fields["partner_account_id"]
                )
            ).first()
            if taken:
                raise Conflict("lender_account_taken", field="partner_account_id")
            row = Lender(id=_new_id(), active=True, created_at=now, **fields)
            uow.session.add(row)
            uow.audit("lender.created", ("lender", row.id), details=fields)
            uow.commit()
            return LENDER.dump(row)

    @rpc
    def list_lenders(self, filters: dict) -> dict:
        args = PageQuery().load(filters)
        with self.db.reading() as session:
            page = keyset_page(
                session,
                sa.select(Lender),
                [(Lender.name, ASC), (Lender.id, ASC)],
                args.get("after"),
                args["limit"],
            )
            return _page(LENDER.dump(page.items, many=True), page)

    @rpc
    def quote_loan(self, quote: dict) -> dict:
        """The schedule a loan would have (default: at the capped rate, starting today)."""
        fields = LoanQuoteInput().load(quote)
        rules = self.policy.loan_rules
        starts_on = fields.get("starts_on") or clock.today()
        rules.check_terms(fields["borrower_kind"], fields["amount_cny"], fields["term_months"])
        rate = fields.get("contract_rate_percent")
        if rate is None:
            rate = rules.rate_cap(starts_on)
        rules.check_contract_rate(rate, starts_on)
        schedule = domain.repayment_schedule(
            fields["amount_cny"],
            fields["term_months"],
            rate,
            rules.borrower_rate(rate, starts_on),
            rules.subsidised_months,
            fields["repayment_method"],
            starts_on,
        )
        return self._schedule_view(schedule, starts_on, rules.lpr_on(starts_on), True)

    @rpc
    def apply_for_loan(self, application: dict, applicant: dict) -> dict:
        fields = LoanInput().load(application)
        facts = StartupPersonFacts().load(applicant)
        rules = self.policy.loan_rules
        age = facts.get("age")
        if age is None:
            raise DomainError("loan_age_unknown", status=422, field="age")
        if age < self.policy.loan_min_age:
            raise DomainError(
                "loan_applicant_too_young",
                status=422,
                field="age",
                params={"min_age": self.policy.loan_min_age},
            )
        rules.check_terms(fields["borrower_kind"], fields["amount_cny"], fields["term_months"])
        now = utcnow()
        with self.db.unit_of_work() as uow:
            lender = uow.session.get(Lender, fields["lender_id"])
            if lender is None:
                raise InvalidInput.for_field("lender_id", "lender_unknown", MESSAGES)
            if not lender.active:
                raise InvalidInput.for_field("lender_id", "lender_inactive", MESSAGES)
            open_loan = uow.session.execute(
                sa.select(Loan.id).where(
                    Loan.person_id == facts["person_id"],
                    Loan.borrower_kind == fields["borrower_kind"],
                    Loan.state.in_(domain.LOAN_OPEN_STATES),
                )
            ).first()
            if open_loan:
                raise Conflict("loan_already_open")
            loan = Loan(
                id=_new_id(),
                person_id=facts["person_id"],
                age=age,
                state=domain.LOAN_APPLIED,
                applied_at=now,
                updated_at=now,
                credit_code=fields.get("credit_code"),
                **{
                    key: fields[key]
                    for key in (
                        "borrower_kind",
                        "amount_cny",
                        "term_months",
                        "repayment_method",
                        "purpose",
                        "lender_id",
                    )
                },
            )
            uow.session.add(loan)
            uow.record("loan.applied", subject=loan.id, data=self._loan_data(loan))
            uow.commit()
        return LOAN.dump(loan)

    def _visible_loan(self, session, loan_id: str, lock: bool = False) -> tuple[Loan, Lender]:
        loan = (
            _locked(session, Loan, loan_id, LOAN_NOT_FOUND) if lock else session.get(Loan, loan_id)
        )
        if loan is None:
            raise LOAN_NOT_FOUND
        lender = session.get(Lender, loan.lender_id)
        domain.check_may_see(
            self._actor(),
            loan.person_id,
            (self.policy.loan_unit,),
            LOAN_NOT_FOUND,
            partner_id=lender.partner_account_id,
        )
        return loan, lender

    @rpc
    def get_loan(self, loan_id: str) -> dict:
        with self.db.reading() as session:
            loan, _ = self._visible_loan(session, loan_id)
            return LOAN.dump(loan)

    @rpc
    def loan_schedule(self, loan_id: str) -> dict:
        """Month by month: principal, interest, what the borrower pays and the subsidy; an
        estimate until the loan is disbursed."""
        with self.db.reading() as session:
            loan, _ = self._visible_loan(session, loan_id)
            return self.loan_schedule_of(loan, clock.today())

    @rpc
    def list_loans(self, filters: dict) -> dict:
        """A young person's own loans, a bank's loans, all of them for the loan unit's officers
        and admins."""
        args = LoanFilter().load(filters)
        actor = self._actor()
        query = sa.select(Loan)
        if actor.role == domain.PARTNER:
            query = query.join(Lender, Lender.id == Loan.lender_id).where(
                Lender.partner_account_id == actor.account_id
            )
        elif actor.role == domain.OFFICER:
            actor.require_officer_of(self.policy.loan_unit)
        elif not actor.is_admin:
            query = query.where(Loan.person_id == actor.account_id)
        if "state" in args:
            query = query.where(Loan.state == args["state"])
        with self.db.reading() as session:
            page = keyset_page(
                session,
                query,
                [(Loan.applied_at, DESC), (Loan.id, DESC)],
                args.get("after"),
                args["limit"],
            )
            return _page(LOAN.dump(page.items, many=True), page)

    def _require_lender(self, lender: Lender) -> None:
        """Only the loan's own bank acts as its lender (anyone else was refused as 404 or is
        an officer or admin, who may see it but not act for the bank)."""
        actor = self._actor()
        if actor.role != domain.PARTNER or actor.account_id != lender.partner_account_id:
            raise Forbidden("not_responsible_unit", params={"unit": lender.name})

    @rpc
    def review_loan(self, loan_id: str, review: dict) -> dict:
        """The lending bank approves (its contract rate, at most LPR + 50 bp on the contract
        date; it may lend less or for less long) or declines with a reason."""
        fields = LoanReviewInput().load(review)
        rules = self.policy.loan_rules
        now, today = utcnow(), clock.today()
        with self.db.unit_of_work() as uow:
            loan, lender = self._visible_loan(uow.session, loan_id, lock=True)
            self._require_lender(lender)
            approve = fields["decision"] == "approve"
            loan.state = domain.next_state(
                domain.LOAN_TRANSITIONS, loan.state, "bank_approve" if approve else "bank_decline"
            )
            if approve:
                amount = fields.get("amount_cny", loan.amount_cny)
                term = fields.get("term_months", loan.term_months)
                if amount > loan.amount_cny:
                    raise InvalidInput.for_field(
                        "amount_cny",
                        "loan_amount_over_limit",
                        MESSAGES,
                        limit=loan.amount_cny,
                        kind=loan.borrower_kind,
                    )
                rules.check_terms(loan.borrower_kind, amount, term)
                rate = fields["contract_rate_percent"]
                rules.check_contract_rate(rate, today)
                loan.amount_cny, loan.term_months = amount, term
                loan.contract_rate_percent = rate
                loan.lpr_percent = rules.lpr_on(today)
                loan.borrower_rate_percent = rules.borrower_rate(rate, today)
            loan.reviewed_at = loan.updated_at = now
            uow.audit(
                f"loan.{loan.state}",
                ("loan", loan.id),
                fields.get("reason"),
                {
                    "contract_rate_percent": loan.contract_rate_percent,
                    "amount_cny": loan.amount_cny,
                    "term_months": loan.term_months,
                },
            )
            uow.record("loan.reviewed", subject=loan.id, data=self._loan_data(loan))
            uow.commit()
        return LOAN.dump(loan)

    @rpc
    def decide_loan(self, loan_id: str, decision: dict) -> dict:
        """An officer of the loan unit approves or rejects a bank-approved loan."""
        fields = StartupDecisionInput().load(decision)
        self._actor().require_officer_of(self.policy.loan_unit)
        now = utcnow()
        with self.db.unit_of_work() as uow:
            loan, _ = self._visible_loan(uow.session, loan_id, lock=True)
            loan.state = domain.next_state(domain.LOAN_TRANSITIONS, loan.state, fields["decision"])
            loan.decided_at = loan.updated_at = now
            uow.audit(f"loan.{loan.state}", ("loan", loan.id), fields.get("reason"))
            uow.record("loan.decided", subject=loan.id, data=self._loan_data(loan))
            uow.commit()
        return LOAN.dump(loan)

    @rpc
    def disburse_loan(self, loan_id: str, disbursement: dict) -> dict:
        """The bank pays out: the schedule (and the subsidy) runs from that day."""
        fields = DisbursementInput().load(disbursement)
        now = utcnow()
        with self.db.unit_of_work() as uow:
            loan, lender = self._visible_loan(uow.session, loan_id, lock=True)
            self._require_lender(lender)
            loan.state = domain.next_state(domain.LOAN_TRANSITIONS, loan.state, "disburse")
            decided_on = clock.local_date(loan.decided_at)
            if fields["disbursed_on"] < decided_on:
                raise InvalidInput.for_field(
                    "disbursed_on", "disbursed_before_approval", MESSAGES, decided_on=decided_on
                )
            if fields["disbursed_on"] > clock.today():
                # a bank reports a payout made, on the district's date, not one it plans
                raise InvalidInput.for_field(
                    "disbursed_on", "disbursed_in_future", MESSAGES, today=clock.today()
                )
            loan.disbursed_on, loan.disbursed_at, loan.updated_at = fields["disbursed_on"], now, now
            schedule = self.loan_schedule_of(loan, loan.disbursed_on)
            uow.audit("loan.disbursed", ("loan", loan.id), details=fields)
            uow.record(
                "loan.disbursed",
                subject=loan.id,
                data={
                    **self._loan_data(loan),
                    "disbursed_on": loan.disbursed_on,
                    "total_interest_cny": schedule["totals"]["interest"],
                    "total_subsidy_cny": schedule["totals"]["subsidy"],
                },
            )
            uow.commit()
        return LOAN.dump(loan)

    @rpc
    def withdraw_loan(self, loan_id: str) -> dict:
        now = utcnow()
        with self.db.unit_of_work() as uow:
            loan, _ = self._visible_loan(uow.session, loan_id, lock=True)
            domain.check_is_owner(self._actor(), loan.person_id, LOAN_NOT_FOUND)
            self._withdraw_loan(uow, loan, now)
            uow.commit()
        return LOAN.dump(loan)

    def _withdraw_loan(self, uow, loan: Loan, now) -> None:
        loan.state = domain.next_state(domain.LOAN_TRANSITIONS, loan.state, "withdraw")
        loan.updated_at = now
        uow.record("loan.withdrawn", subject=loan.id, data=self._loan_data(loan))

    # == the one-off startup grant (一次性创业补贴) ================================================

    @staticmethod
    def _grant_data(grant: GrantApplication) -> dict:
        return {
            "grant_id": grant.id,
            "person_id": grant.person_id,
            "registration_id": grant.registration_id,
            "state": grant.state,
            "amount_cny": grant.amount_cny,
        }

    @rpc
    def apply_for_grant(self, application: dict, applicant: dict) -> dict:
        """Claim the grant for one's first business, once it has run six months."""
        fields = GrantInput().load(application)
        facts = StartupPersonFacts().load(applicant)
        actor = self._actor()
        now, today = utcnow(), clock.today()
        rules = self.policy.grant_rules
        with self.db.unit_of_work() as uow:
            # the lock serialises claims for this business (a grant is for the first one only)
            registration = _locked(
                uow.session, BusinessRegistration, fields["registration_id"], REGISTRATION_NOT_FOUND
            )
            domain.check_is_owner(actor, registration.person_id, REGISTRATION_NOT_FOUND)
            if registration.state != domain.COMPLETED:
                raise DomainError("grant_registration_not_completed", status=409)
            claimed = uow.session.execute(
                sa.select(GrantApplication.id).where(
                    GrantApplication.person_id == facts["person_id"],
                    GrantApplication.state != domain.GRANT_REJECTED,
                )
            ).first()
            if claimed:
                raise Conflict("grant_already_claimed")
            earlier = uow.session.execute(
                sa.select(BusinessRegistration.id).where(
                    BusinessRegistration.person_id == registration.person_id,
                    BusinessRegistration.state == domain.COMPLETED,
                    BusinessRegistration.completed_at < registration.completed_at,
                )
            ).first()
            registered_on = clock.local_date(registration.completed_at)
            graduation_date = facts.get("graduation_date") or registration.graduation_date
            degree = facts.get("degree") or registration.degree
            refusal = rules.refusal(graduation_date, degree, registered_on, not earlier, today)
            if refusal is not None:
                raise refusal
            grant = GrantApplication(
                id=_new_id(),
                person_id=registration.person_id,
                registration_id=registration.id,
                amount_cny=rules.amount,
                graduation_date=graduation_date,
                degree=degree,
                registered_on=registered_on,
                state=domain.GRANT_APPLIED,
                applied_at=now,
                updated_at=now,
            )
            uow.session.add(grant)
            uow.record("grant.applied", subject=grant.id, data=self._grant_data(grant))
            uow.commit()
        return GRANT.dump(grant)

    @rpc
    def decide_grant(self, grant_id: str, decision: dict) -> dict:
        fields = StartupDecisionInput().load(decision)
        self._actor().require_officer_of(self.policy.grant_unit)
        now = utcnow()
        with self.db.unit_of_work() as uow:
            grant = _locked(uow.session, GrantApplication, grant_id, GRANT_NOT_FOUND)
            grant.state = domain.next_state(
                domain.GRANT_TRANSITIONS, grant.state, fields["decision"]
            )
            grant.decided_at = grant.updated_at = now
            uow.audit(
                f"grant.{grant.state}",
                ("grant_application", grant.id),
                fields.get("reason"),
                {"amount_cny": grant.amount_cny},
            )
            uow.record("grant.decided", subject=grant.id, data=self._grant_data(grant))
            uow.commit()
        return GRANT.dump(grant)

    @rpc
    def get_grant(self, grant_id: str) -> dict:
        with self.db.reading() as session:
            grant = session.get(GrantApplication, grant_id)
            if grant is None:
                raise GRANT_NOT_FOUND
            domain.check_may_see(
                self._actor(), grant.person_id, (self.policy.grant_unit,), GRANT_NOT_FOUND
            )
            return GRANT.dump(grant)

    @rpc
    def list_grants(self, filters: dict) -> dict:
        args = GrantFilter().load(filters)
        actor = self._actor()
        query = sa.select(GrantApplication)
        if actor.role == domain.OFFICER:
            actor.require_officer_of(self.policy.grant_unit)
        elif not actor.is_admin:
            query = query.where(GrantApplication.person_id == actor.account_id)
        if "state" in args:
            query = query.where(GrantApplication.state == args["state"])
        with self.db.reading() as session:
            page = keyset_page(
                session,
                query,
                [(GrantApplication.applied_at, DESC), (GrantApplication.id, DESC)],
                args.get("after"),
                args["limit"],
            )
            return _page(GRANT.dump(page.items, many=True), page)

    # == incubator spaces (双创智慧港) ==========================================================

    @staticmethod
    def _incubator_data(application: IncubatorApplication, space: IncubatorSpace | None) -> dict:
        return {
            "application_id": application.id,
            "person_id": application.person_id,
            "space_kind": application.space_kind,
            "state": application.state,
            "space_id": application.space_id,
            "space_code": space.code if space else None,
            "starts_on": application.starts_on,
            "ends_on": application.ends_on,
            "ended_on": application.ended_on,
        }

    @rpc
    def create_space(self, space: dict) -> dict:
        fields = SpaceInput().load(space)
        self._actor().require_officer_of(self.policy.incubator_unit, admin_may=True)
        with self.db.unit_of_work() as uow:
            taken = uow.session.execute(
                sa.select(IncubatorSpace.id).where(IncubatorSpace.code == fields["code"])
            ).first()
            if taken:
                raise Conflict("space_code_taken", field="code", params={"code": fields["code"]})
            row = IncubatorSpace(
                id=_new_id(), state=domain.SPACE_AVAILABLE, created_at=utcnow(), **fields
            )
            uow.session.add(row)
            uow.commit()
            return SPACE.dump(row)

    @rpc
    def list_spaces(self, filters: dict) -> dict:
        args = SpaceFilter().load(filters)
        query = sa.select(IncubatorSpace)
        for column in ("kind", "state"):
            if column in args:
                query = query.where(getattr(IncubatorSpace, column) == args[column])
        with self.db.reading() as session:
            page = keyset_page(
                session,
                query,
                [(IncubatorSpace.code, ASC), (IncubatorSpace.id, ASC)],
                args.get("after"),
                args["limit"],
            )
            return _page(SPACE.dump(page.items, many=True), page)

    @rpc
    def apply_for_space(self, application: dict, applicant: dict) -> dict:
        fields = IncubatorInput().load(application)
        facts = StartupPersonFacts().load(applicant)
        now = utcnow()
        with self.db.unit_of_work() as uow:
            open_application = uow.session.execute(
                sa.select(IncubatorApplication.id).where(
                    IncubatorApplication.person_id == facts["person_id"],
                    IncubatorApplication.state.in_((domain.INCUBATOR_APPLIED, domain.ALLOCATED)),
                )
            ).first()
            if open_application:
                raise Conflict("incubator_application_open")
            row = IncubatorApplication(
                id=_new_id(),
                person_id=facts["person_id"],
                state=domain.INCUBATOR_APPLIED,
                applied_at=now,
                updated_at=now,
                **fields,
            )
            uow.session.add(row)
            uow.record("incubator.applied", subject=row.id, data=self._incubator_data(row, None))
            uow.commit()
            return INCUBATOR.dump(row)

    def _incubator_action(
        self, application_id: str, action: str, reason: str | None = None, apply=None
    ) -> dict:
        """An officer's decision on an application: `apply(uow, application)` does the rest
        and returns the space involved."""
        self._actor().require_officer_of(self.policy.incubator_unit)
        now = utcnow()
        with self.db.unit_of_work() as uow:
            application = _locked(
                uow.session, IncubatorApplication, application_id, INCUBATOR_NOT_FOUND
            )
            application.state = domain.next_state(
                domain.INCUBATOR_TRANSITIONS, application.state, action
            )
            space = apply(uow, application) if apply else None
            application.decided_at = application.decided_at or now
            application.updated_at = now
            event = {"allocate": "allocated", "reject": "rejected", "end": "tenancy_ended"}[action]
            uow.audit(
                f"incubator.{event}",
                ("incubator_application", application.id),
                reason,
                {
                    "space_id": application.space_id,
                    "starts_on": application.starts_on,
                    "ends_on": application.ends_on,
                    "ended_on": application.ended_on,
                },
            )
            uow.record(
                f"incubator.{event}",
                subject=application.id,
                data=self._incubator_data(application, space),
            )
            uow.commit()
            return INCUBATOR.dump(application)

    @rpc
    def allocate_space(self, application_id: str, allocation: dict) -> dict:
        """A space of the kind applied for, free now, for at most the maximum tenancy."""
        fields = AllocationInput().load(allocation)

        def allocate(uow, application: IncubatorApplication) -> IncubatorSpace:
            space = _locked(uow.session, IncubatorSpace, fields["space_id"], SPACE_NOT_FOUND)
            domain.check_tenancy(
                space.kind,
                application.space_kind,
                fields["starts_on"],
                fields["ends_on"],
                self.policy.incubator_max_tenancy_months,
            )
            if space.state != domain.SPACE_AVAILABLE:
                raise Conflict("space_not_available", field="space_id")
            space.state = domain.SPACE_OCCUPIED
            application.space_id = space.id
            application.starts_on, application.ends_on = fields["starts_on"], fields["ends_on"]
            application.allocated_at = utcnow()
            return space

        return self._incubator_action(application_id, "allocate", apply=allocate)

    @rpc
    def reject_incubator_application(self, application_id: str, refusal: dict) -> dict:
        reason = StartupRefusalInput().load(refusal)["reason"]
        return self._incubator_action(application_id, "reject", reason)

    @rpc
    def end_tenancy(self, application_id: str, ending: dict) -> dict:
        """The tenancy ends (early or on its date): the space is free again."""
        fields = TenancyEndInput().load(ending)

        def end(uow, application: IncubatorApplication) -> IncubatorSpace:
            if fields["ended_on"] < application.starts_on:
                raise InvalidInput.for_field("ended_on", "tenancy_dates_reversed", MESSAGES)
            space = _locked(uow.session, IncubatorSpace, application.space_id, SPACE_NOT_FOUND)
            space.state = domain.SPACE_AVAILABLE
            application.ended_on = fields["ended_on"]
            return space

        return self._incubator_action(application_id, "end", fields.get("reason"), end)

    @rpc
    def withdraw_incubator_application(self, application_id: str) -> dict:
        now = utcnow()
        with self.db.unit_of_work() as uow:
            application = _locked(
                uow.session, IncubatorApplication, application_id, INCUBATOR_NOT_FOUND
            )
            domain.check_is_owner(self._actor(), application.person_id, INCUBATOR_NOT_FOUND)
            self._withdraw_incubator_application(uow, application, now)
            uow.commit()
            return INCUBATOR.dump(application)

    def _withdraw_incubator_application(self, uow, application: IncubatorApplication, now):
        application.state = domain.next_state(
            domain.INCUBATOR_TRANSITIONS, application.state, "withdraw"
        )
        application.updated_at = now
        uow.record(
            "incubator.withdrawn",
            subject=application.id,
            data=self._incubator_data(application, None),
        )

    @rpc
    def get_incubator_application(self, application_id: str) -> dict:
        with self.db.reading() as session:
            application = session.get(IncubatorApplication, application_id)
            if application is None:
                raise INCUBATOR_NOT_FOUND
            domain.check_may_see(
                self._actor(),
                application.person_id,
                (self.policy.incubator_unit,),
                INCUBATOR_NOT_FOUND,
            )
            return INCUBATOR.dump(application)

    @rpc
    def list_incubator_applications(self, filters: dict) -> dict:
        args = IncubatorFilter().load(filters)
        actor = self._actor()
        query = sa.select(IncubatorApplication)
        if actor.role == domain.OFFICER:
            actor.require_officer_of(self.policy.incubator_unit)
        elif not actor.is_admin:
            query = query.where(IncubatorApplication.person_id == actor.account_id)
        if "state" in args:
            query = query.where(IncubatorApplication.state == args["state"])
        with self.db.reading() as session:
            page = keyset_page(
                session,
                query,
                [(IncubatorApplication.applied_at, DESC), (IncubatorApplication.id, DESC)],
                args.get("after"),
                args["limit"],
            )
            return _page(INCUBATOR.dump(page.items, many=True), page)

    # == training (创业培训) ==================================================================

    @staticmethod
    def _enrolment_data(enrolment: Enrolment, course: Course) -> dict:
        return {
            "enrolment_id": enrolment.id,
            "course_id": course.id,
            "person_id": enrolment.person_id,
            "state": enrolment.state,
            "course_title": course.title,
            "starts_on": course.starts_on,
        }

    @rpc
    def create_course(self, course: dict) -> dict:
        fields = CourseInput().load(course)
        actor = self._actor()
        actor.require_officer_of(self.policy.training_unit, admin_may=True)
        with self.db.unit_of_work() as uow:
            row = Course(
                id=_new_id(),
                organiser_unit=self.policy.training_unit,
                enrolled_count=0,
                created_at=utcnow(),
                **fields,
            )
            uow.session.add(row)
            uow.record(
                "course.published",
                subject=row.id,
                data={
                    "course_id": row.id,
                    "title": row.title,
                    "mode": row.mode,
                    "starts_on": row.starts_on,
                    "ends_on": row.ends_on,
                    "capacity": row.capacity,
                    "organiser_unit": row.organiser_unit,
                },
            )
            uow.commit()
            return COURSE.dump(row)

    @rpc
    def list_courses(self, filters: dict) -> dict:
        args = CourseFilter().load(filters)
        query = sa.select(Course)
        if "starts_from" in args:
            query = query.where(Course.starts_on >= args["starts_from"])
        with self.db.reading() as session:
            page = keyset_page(
                session,
                query,
                [(Course.starts_on, ASC), (Course.id, ASC)],
                args.get("after"),
                args["limit"],
            )
            return _page(COURSE.dump(page.items, many=True), page)

    @rpc
    def get_course(self, course_id: str) -> dict:
        with self.db.reading() as session:
            course = session.get(Course, course_id)
            if course is None:
                raise COURSE_NOT_FOUND
            return COURSE.dump(course)

    @rpc
    def enrol(self, course_id: str, person: dict) -> dict:
        """A place on a course while places last and until it starts; one per person."""
        facts = StartupPersonFacts().load(person)
        now, today = utcnow(), clock.today()
        with self.db.unit_of_work() as uow:
            course = _locked(uow.session, Course, course_id, COURSE_NOT_FOUND)
            if today > course.starts_on:
                raise DomainError("course_not_open", status=409)
            existing = uow.session.execute(
                sa.select(Enrolment).where(
                    Enrolment.course_id == course_id, Enrolment.person_id == facts["person_id"]
                )
            ).scalar_one_or_none()
            if existing is not None and existing.state != domain.ENROLMENT_CANCELLED:
                raise Conflict("course_already_enrolled")
            domain.check_place_left(course.capacity, course.enrolled_count)
            enrolment = existing or Enrolment(
                id=_new_id(), course_id=course_id, person_id=facts["person_id"]
            )
            enrolment.state, enrolment.enrolled_at, enrolment.updated_at = domain.ENROLLED, now, now
            enrolment.cancelled_at = enrolment.completed_at = None
            uow.session.add(enrolment)
            course.enrolled_count += 1
            uow.record(
                "enrolment.confirmed",
                subject=enrolment.id,
                data=self._enrolment_data(enrolment, course),
            )
            uow.commit()
            return ENROLMENT.dump(enrolment)

    def _enrolment_action(self, enrolment_id: str, action: str) -> dict:
        actor = self._actor()
        now = utcnow()
        with self.db.unit_of_work() as uow:
            enrolment = _locked(uow.session, Enrolment, enrolment_id, ENROLMENT_NOT_FOUND)
            course = _locked(uow.session, Course, enrolment.course_id, COURSE_NOT_FOUND)
            if action == "cancel":
                domain.check_is_owner(actor, enrolment.person_id, ENROLMENT_NOT_FOUND)
            else:
                actor.require_officer_of(course.organiser_unit)
            self._move_enrolment(uow, enrolment, course, action, now)
            uow.commit()
            return ENROLMENT.dump(enrolment)

    def _move_enrolment(self, uow, enrolment: Enrolment, course: Course, action: str, now):
        enrolment.state = domain.next_state(domain.ENROLMENT_TRANSITIONS, enrolment.state, action)
        enrolment.updated_at = now
        if action == "cancel":
            enrolment.cancelled_at = now
            course.enrolled_count -= 1
        else:
            enrolment.completed_at = now
            uow.audit("enrolment.completed", ("enrolment", enrolment.id))
        uow.record(
            f"enrolment.{enrolment.state}",
            subject=enrolment.id,
            data=self._enrolment_data(enrolment, course),
        )

    def release_person(self, uow, person_id: str) -> None:
        """Nobody will answer for an erased person: a registration in progress is withdrawn
        (its promise's clock stops instead of breaching), loans not yet decided and incubator
        applications not yet allocated are withdrawn, and places on courses not yet begun are
        given back. What is under way (a disbursed loan, a tenancy, a course running) stays."""
        now, today = utcnow(), clock.today()

        def open_rows(model, *conditions):
            return (
                uow.session.execute(
                    sa.select(model)
                    .where(model.person_id == person_id, *conditions)
                    .with_for_update()
                )
                .scalars()
                .all()
            )

        for registration in open_rows(
            BusinessRegistration, BusinessRegistration.state == domain.IN_PROGRESS
        ):
            self._withdraw_registration(uow, registration, now)
        for loan in open_rows(Loan, Loan.state.in_(domain.LOAN_TRANSITIONS["withdraw"][0])):
            self._withdraw_loan(uow, loan, now)
        for application in open_rows(
            IncubatorApplication, IncubatorApplication.state == domain.INCUBATOR_APPLIED
        ):
            self._withdraw_incubator_application(uow, application, now)
        for enrolment in open_rows(Enrolment, Enrolment.state == domain.ENROLLED):
            course = _locked(uow.session, Course, enrolment.course_id, COURSE_NOT_FOUND)
            if course.starts_on > today:
                self._move_enrolment(uow, enrolment, course, "cancel", now)

    @rpc
    def get_enrolment(self, enrolment_id: str) -> dict:
        with self.db.reading() as session:
            enrolment = session.get(Enrolment, enrolment_id)
            if enrolment is None:
                raise ENROLMENT_NOT_FOUND
            domain.check_may_see(
                self._actor(),
                enrolment.person_id,
                (enrolment.course.organiser_unit,),
                ENROLMENT_NOT_FOUND,
            )
            return ENROLMENT.dump(enrolment)

    @rpc
    def cancel_enrolment(self, enrolment_id: str) -> dict:
        return self._enrolment_action(enrolment_id, "cancel")

    @rpc
    def complete_enrolment(self, enrolment_id: str) -> dict:
        """An officer of the organising unit records that the person completed the course."""
        return self._enrolment_action(enrolment_id, "complete")

    @rpc
    def list_enrolments(self, filters: dict) -> dict:
        args = EnrolmentFilter().load(filters)
        actor = self._actor()
        query = sa.select(Enrolment)
        if actor.role == domain.OFFICER:
            actor.require_officer_of(self.policy.training_unit)
        elif not actor.is_admin:
            query = query.where(Enrolment.person_id == actor.account_id)
        for column in ("course_id", "state"):
            if column in args:
                query = query.where(getattr(Enrolment, column) == args[column])
        with self.db.reading() as session:
            page = keyset_page(
                session,
                query,
                [(Enrolment.enrolled_at, DESC), (Enrolment.id, DESC)],
                args.get("after"),
                args["limit"],
            )
            return _page(ENROLMENT.dump(page.items, many=True), page)

    # == what the gateway aggregates ========================================================

    @rpc
    def dashboard(self, person_id: str) -> dict:
        """A person's registrations (with their business time), loans, grants, incubator
        applications and course enrolments, newest first: five queries, none per row."""
        now = utcnow()
        bi = domain.bilingual
        items = []
        with self.db.reading() as session:
            registrations = session.execute(
                sa.select(BusinessRegistration)
                .where(BusinessRegistration.person_id == person_id)
                .options(selectinload(BusinessRegistration.steps))
            ).scalars()
            for r in registrations:
                done = {s.step for s in r.steps if s.state == domain.STEP_DONE}
                minutes = self.policy.sla.view(r.state, self._elapsed(r, now), False)[
                    "elapsed_minutes"
                ]
                items.append(
                    {
                        "kind": "startup.registration",
                        "id": r.id,
                        "title": bi(
                            f"企业开办:{r.company_name}(已用{minutes}分钟)",
                            f"Business registration: {r.company_name} ({minutes} min)",
                        ),
                        "state": r.state,
                        "next_step": domain.registration_next_step(r.state, done),
                        "updated_at": r.updated_at,
                        "link": f"/api/v1/startup/registrations/{r.id}",
                    }
                )
            for loan in session.execute(
                sa.select(Loan).where(Loan.person_id == person_id)
            ).scalars():
                items.append(
                    {
                        "kind": "startup.loan",
                        "id": loan.id,
                        "title": bi(
                            f"创业担保贷款 {loan.amount_cny} 元",
                            f"Startup guaranteed loan of {loan.amount_cny} CNY",
                        ),
                        "state": loan.state,
                        "next_step": domain.LOAN_NEXT_STEPS.get(loan.state),
                        "updated_at": loan.updated_at,
                        "link": f"/api/v1/startup/loans/{loan.id}",
                    }
                )
            grants = session.execute(
                sa.select(GrantApplication).where(GrantApplication.person_id == person_id)
            ).scalars()
            for grant in grants:
                items.append(
                    {
                        "kind": "startup.grant",
                        "id": grant.id,
                        "title": bi(
                            f"一次性创业补贴 {grant.amount_cny} 元",
                            f"Startup grant of {grant.amount_cny} CNY",
                        ),
                        "state": grant.state,
                        "next_step": domain.GRANT_NEXT_STEPS.get(grant.state),
                        "updated_at": grant.updated_at,
                        "link": f"/api/v1/startup/grants/{grant.id}",
                    }
                )
            incubator = session.execute(
                sa.select(IncubatorApplication).where(IncubatorApplication.person_id == person_id)
            ).scalars()
            for application in incubator:
                kind_zh = "工位" if application.space_kind == domain.DESK else "办公室"
                items.append(
                    {
                        "kind": "startup.incubator_application",
                        "id": application.id,
                        "title": bi(
                            f"双创智慧港入驻申请({kind_zh})",
                            f"Innovation park application ({application.space_kind})",
                        ),
                        "state": application.state,
                        "next_step": domain.INCUBATOR_NEXT_STEPS.get(application.state),
                        "updated_at": application.updated_at,
                        "link": f"/api/v1/startup/incubator-applications/{application.id}",
                    }
                )
            enrolments = session.execute(
                sa.select(Enrolment, Course)
                .join(Course, Course.id == Enrolment.course_id)
                .where(Enrolment.person_id == person_id)
            ).all()
            for enrolment, course in enrolments:
                items.append(
                    {
                        "kind": "startup.enrolment",
                        "id": enrolment.id,
                        "title": bi(
                            f"创业培训:{course.title}", f"Startup training: {course.title}"
                        ),
                        "state": enrolment.state,
                        "next_step": domain.ENROLMENT_NEXT_STEPS.get(enrolment.state),
                        "updated_at": enrolment.updated_at,
                        "link": f"/api/v1/startup/enrolments/{enrolment.id}",
                    }
                )
        items.sort(key=lambda item: item["updated_at"], reverse=True)
        return {"items": items}

    @rpc
    def graduates_registered_businesses(self, since: str, until: str) -> list[str]:
        """Person ids of recent graduates whose business registration completed in
        [since, until), each once (the plan's headline goal counts people, not businesses)."""
        start, end, _, _ = self._period(since, until)
        with self.db.reading() as session:
            rows = session.execute(
                sa.select(BusinessRegistration.person_id)
                .where(
                    BusinessRegistration.completed_at >= start,
                    BusinessRegistration.completed_at < end,
                    BusinessRegistration.graduate.is_(True),
                )
                .distinct()
                .order_by(BusinessRegistration.person_id)
            )
            return [person_id for (person_id,) in rows]

    @rpc
    def indicators(self, since: str, until: str) -> dict:
        """The service's indicators for [since, until) (district dates), each `startup.<code>`
        (documented in services/startup/README.md)."""
        start, end, _, until_day = self._period(since, until)
        R, L, G = BusinessRegistration, Loan, GrantApplication
        target = self.policy.sla.target
        count = sa.func.count

        def within(column):
            return sa.and_(column >= start, column < end)

        with self.db.reading() as session:

            def scalar(query):
                return session.execute(query).scalar()

            seconds = (
                session.execute(
                    sa.select(R.elapsed_business_seconds).where(
                        R.state == domain.COMPLETED, within(R.completed_at)
                    )
                )
                .scalars()
                .all()
            )
            elapsed = [Decimal(s) / 60 for s in seconds]
            completed = len(seconds)
            on_time = sum(1 for s in seconds if s <= target.total_seconds())
            graduates = scalar(
                sa.select(count(sa.distinct(R.person_id))).where(
                    R.graduate.is_(True), within(R.completed_at)
                )
            )
            loans_by_state = dict(
                session.execute(
                    sa.select(L.state, count()).where(within(L.decided_at)).group_by(L.state)
                ).all()
            )
            approved_states = (domain.LOAN_APPROVED, domain.DISBURSED)
            amount_approved = scalar(
                sa.select(sa.func.coalesce(sa.func.sum(L.amount_cny), 0)).where(
                    within(L.decided_at), L.state.in_(approved_states)
                )
            )
            disbursed, amount_disbursed = session.execute(
                sa.select(count(), sa.func.coalesce(sa.func.sum(L.amount_cny), 0)).where(
                    within(L.disbursed_at)
                )
            ).one()
            grants_by_state = dict(
                session.execute(
                    sa.select(G.state, count()).where(within(G.decided_at)).group_by(G.state)
                ).all()
            )
            grant_amount = scalar(
                sa.select(sa.func.coalesce(sa.func.sum(G.amount_cny), 0)).where(
                    within(G.decided_at), G.state == domain.GRANT_APPROVED
                )
            )
            last_day = until_day - timedelta(days=1)
            spaces = scalar(
                sa.select(count())
                .select_from(IncubatorSpace)
                .where(IncubatorSpace.created_at < end)
            )
            occupied = scalar(
                sa.select(count(sa.distinct(IncubatorApplication.space_id))).where(
                    IncubatorApplication.starts_on <= last_day,
                    IncubatorApplication.ends_on > last_day,
                    sa.or_(
                        IncubatorApplication.ended_on.is_(None),
                        IncubatorApplication.ended_on > last_day,
                    ),
                )
            )
            values = {
                "registrations_submitted": scalar(
                    sa.select(count()).select_from(R).where(within(R.submitted_at))
                ),
                "registrations_completed": completed,
                "registration_target_minutes": int(target.total_seconds()) // 60,
                "registration_business_minutes_median": domain.median(elapsed),
                "registration_business_minutes_p90": domain.percentile(elapsed, Decimal("0.9")),
                "registrations_within_target": on_time,
                "registrations_within_target_percent": (
                    Decimal(on_time * 100) / completed if completed else None
                ),
                "registrations_sla_warned": scalar(
                    sa.select(count()).select_from(R).where(within(R.sla_warned_at))
                ),
                "registrations_sla_breached": scalar(
                    sa.select(count()).select_from(R).where(within(R.sla_breached_at))
                ),
                "graduate_businesses": graduates,
                "loans_applied": scalar(
                    sa.select(count()).select_from(L).where(within(L.applied_at))
                ),
                "loans_declined_by_bank": scalar(
                    sa.select(count())
                    .select_from(L)
                    .where(within(L.reviewed_at), L.state == domain.BANK_DECLINED)
                ),
                "loans_approved": sum(loans_by_state.get(s, 0) for s in approved_states),
                "loans_rejected": loans_by_state.get(domain.LOAN_REJECTED, 0),
                "loan_amount_approved_cny": amount_approved,
                "loans_disbursed": disbursed,
                "loan_amount_disbursed_cny": amount_disbursed,
                "grants_applied": scalar(
                    sa.select(count()).select_from(G).where(within(G.applied_at))
                ),
                "grants_approved": grants_by_state.get(domain.GRANT_APPROVED, 0),
                "grants_rejected": grants_by_state.get(domain.GRANT_REJECTED, 0),
                "grant_amount_cny": grant_amount,
                "incubator_allocations": scalar(
                    sa.select(count())
                    .select_from(IncubatorApplication)
                    .where(within(IncubatorApplication.allocated_at))
                ),
                "incubator_spaces": spaces,
                "incubator_spaces_occupied": occupied,
                "incubator_occupancy_percent": (
                    Decimal(occupied * 100) / spaces if spaces else None
                ),
                "trainees_enrolled": scalar(
                    sa.select(count())
                    .select_from(Enrolment)
                    .where(
                        within(Enrolment.enrolled_at),
                        Enrolment.state != domain.ENROLMENT_CANCELLED,
                    )
                ),
                "trainees_completed": scalar(
                    sa.select(count()).select_from(Enrolment).where(within(Enrolment.completed_at))
                ),
            }
        return {f"startup.{code}": _number(value) for code, value in values.items()}

    # == the test-only clock (services/common/clock.py) ======================================

    @rpc
    def travel_clock(self, to: str | None = None) -> dict:
        """Move this process's clock to `to` (ISO date-time with a zone; None: back to the
        system's time) and sweep the 2-hour promise at once; refused unless `CLOCK=adjustable`."""
        now = self.clock_control.travel_to(parse_instant(to) if to else None)
        return {"now": now, "swept": self._sweep_sla(utcnow())}
