"""Startup guaranteed loans (创业担保贷款) and the banks that lend them (经办银行).

A young person (or their small business) applies to a lender they choose; the lending bank
reviews it and sets the contract rate (at most LPR + 50 bp), an officer of `loan_unit` (区人社局)
decides, and the bank pays out, from which day the repayment schedule and its interest subsidy
run. Only the loan's own bank acts as its lender; any other partner does not see the loan.
"""

from __future__ import annotations

from datetime import date

from services.common.actor import PARTNER, Actor
from services.common.clock import clock, utcnow
from services.common.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from services.common.models import new_id

from . import domain
from .contract.loans import ScheduleView
from .domain import DISBURSED, LOAN_APPLIED, Schedule
from .messages import MESSAGES
from .models import Lender, Loan
from .policy import StartupPolicy

LOAN_NOT_FOUND = NotFound("loan", code="loan_not_found")

#: what the applicant chooses, copied onto the loan as given
_APPLIED_TERMS = (
    "borrower_kind",
    "amount_cny",
    "term_months",
    "repayment_method",
    "purpose",
    "lender_id",
)


def create_lender(uow, actor: Actor, lender: dict) -> Lender:
    """An admin names a bank (经办银行) and the partner account it signs in with; the gateway
    has checked that the account is a partner's."""
    if not actor.is_admin:
        raise Forbidden()
    if uow.repo.lender_account_taken(lender["partner_account_id"]):
        raise Conflict("lender_account_taken", field="partner_account_id")
    row = Lender(id=new_id(), active=True, created_at=utcnow(), **lender)
    uow.repo.add(row)
    uow.audit("lender.created", ("lender", row.id), details=lender)
    uow.commit()
    return row


def quote(terms: dict, policy: StartupPolicy) -> dict:
    """The schedule a loan would have (default: at the capped rate, starting today); stores
    nothing."""
    rules = policy.loan_rules
    starts_on = terms.get("starts_on") or clock.today()
    rules.check_terms(terms["borrower_kind"], terms["amount_cny"], terms["term_months"])
    rate = terms.get("contract_rate_percent")
    if rate is None:
        rate = rules.rate_cap(starts_on)
    rules.check_contract_rate(rate, starts_on)
    schedule = domain.repayment_schedule(
        terms["amount_cny"],
        terms["term_months"],
        rate,
        rules.borrower_rate(rate, starts_on),
        rules.subsidised_months,
        terms["repayment_method"],
        starts_on,
    )
    return schedule_view(schedule, starts_on, rules.lpr_on(starts_on), estimate=True)


def schedule(loan: Loan, policy: StartupPolicy, today: date) -> Schedule:
    """The loan's schedule: from its disbursement (what repayments and the subsidy are held
    against), or an estimate from `today` at the bank's rate (the cap before it reviewed)."""
    rules = policy.loan_rules
    starts_on = loan.disbursed_on or today
    rate = loan.contract_rate_percent
    if rate is None:
        rate = rules.rate_cap(starts_on)
    borrower_rate = loan.borrower_rate_percent
    if borrower_rate is None:
        borrower_rate = rules.borrower_rate(rate, starts_on)
    return domain.repayment_schedule(
        loan.amount_cny,
        loan.term_months,
        rate,
        borrower_rate,
        rules.subsidised_months,
        loan.repayment_method,
        starts_on,
    )


def schedule_of(loan: Loan, policy: StartupPolicy, today: date) -> dict:
    """The loan's schedule as the service shows it (and exports it)."""
    starts_on = loan.disbursed_on or today
    lpr = loan.lpr_percent
    if lpr is None:
        lpr = policy.loan_rules.lpr_on(starts_on)
    return schedule_view(
        schedule(loan, policy, today), starts_on, lpr, estimate=loan.state != DISBURSED
    )


def schedule_view(schedule: Schedule, starts_on: date, lpr, estimate: bool) -> dict:
    """A schedule as it is shown: its terms, every instalment and the totals."""
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


def applicant_refusal(applicant: dict, policy: StartupPolicy) -> DomainError | None:
    """Why the person may not borrow, or None: an adult (the age the gateway passes). The rule
    an application and the benefits finder (`programmes.py`) both apply."""
    age = applicant.get("age")
    if age is None:
        return DomainError("loan_age_unknown", status=422, field="age")
    if age < policy.loan_min_age:
        return DomainError(
            "loan_applicant_too_young",
            status=422,
            field="age",
            params={"min_age": policy.loan_min_age},
        )
    return None


def apply(uow, actor: Actor, applicant: dict, application: dict, policy: StartupPolicy) -> Loan:
    """A loan application to the chosen lender, within the limits, by an adult (the age the
    gateway passes is kept as the basis of the decision); one open loan of each kind."""
    refusal = applicant_refusal(applicant, policy)
    if refusal is not None:
        raise refusal
    age = applicant["age"]
    kind = application["borrower_kind"]
    policy.loan_rules.check_terms(kind, application["amount_cny"], application["term_months"])
    lender = uow.repo.get(Lender, application["lender_id"])
    if lender is None:
        raise InvalidInput.for_field("lender_id", "lender_unknown", MESSAGES)
    if not lender.active:
        raise InvalidInput.for_field("lender_id", "lender_inactive", MESSAGES)
    if uow.repo.has_open_loan(applicant["person_id"], kind):
        raise Conflict("loan_already_open")
    now = utcnow()
    loan = Loan(
        id=new_id(),
        person_id=applicant["person_id"],
        age=age,
        state=LOAN_APPLIED,
        applied_at=now,
        updated_at=now,
        credit_code=application.get("credit_code"),
        **{key: application[key] for key in _APPLIED_TERMS},
    )
    uow.repo.add(loan)
    uow.record("loan.applied", subject=loan.id, data=event_data(loan))
    uow.commit()
    return loan


def check_may_see(actor: Actor, loan: Loan, lender: Lender, policy: StartupPolicy) -> None:
    """The borrower, the loan unit's officers, the loan's own bank and admins see a loan; to
    anyone else it does not exist."""
    domain.check_may_see(
        actor,
        loan.person_id,
        (policy.loan_unit,),
        LOAN_NOT_FOUND,
        partner_id=lender.partner_account_id,
    )


def visible(uow, actor: Actor, loan_id: str, policy: StartupPolicy) -> tuple[Loan, Lender]:
    """The loan, locked, and its lender, for someone who may see it."""
    loan = uow.repo.locked(Loan, loan_id, LOAN_NOT_FOUND)
    lender = uow.repo.get(Lender, loan.lender_id)
    check_may_see(actor, loan, lender, policy)
    return loan, lender


def require_lender(actor: Actor, lender: Lender) -> None:
    """Only the loan's own bank acts as its lender (anyone else was refused as 404 or is an
    officer or admin, who may see it but not act for the bank)."""
    if actor.role != PARTNER or not actor.is_self(lender.partner_account_id):
        raise Forbidden("not_responsible_unit", params={"unit": lender.name})


def bank_review(uow, actor: Actor, loan_id: str, review: dict, policy: StartupPolicy) -> Loan:
    """The lending bank approves (its contract rate, at most LPR + 50 bp on the contract date;
    it may lend less or for less long) or declines with a reason."""
    rules = policy.loan_rules
    loan, lender = visible(uow, actor, loan_id, policy)
    require_lender(actor, lender)
    approve = review["decision"] == "approve"
    # the transition is checked first (409) and taken once the terms pass (422)
    state = domain.next_state(
        domain.LOAN_TRANSITIONS, loan.state, "bank_approve" if approve else "bank_decline"
    )
    if approve:
        today = clock.today()
        amount = review.get("amount_cny", loan.amount_cny)
        term = review.get("term_months", loan.term_months)
        if amount > loan.amount_cny:
            raise InvalidInput.for_field(
                "amount_cny",
                "loan_amount_over_limit",
                MESSAGES,
                limit=loan.amount_cny,
                kind=loan.borrower_kind,
            )
        rules.check_terms(loan.borrower_kind, amount, term)
        rate = review["contract_rate_percent"]
        rules.check_contract_rate(rate, today)
        loan.amount_cny, loan.term_months = amount, term
        loan.contract_rate_percent = rate
        loan.lpr_percent = rules.lpr_on(today)
        loan.borrower_rate_percent = rules.borrower_rate(rate, today)
    loan.state = state
    loan.reviewed_at = loan.updated_at = utcnow()
    uow.audit(
        f"loan.{loan.state}",
        ("loan", loan.id),
        review.get("reason"),
        {
            "contract_rate_percent": loan.contract_rate_percent,
            "amount_cny": loan.amount_cny,
            "term_months": loan.term_months,
        },
    )
    uow.record("loan.reviewed", subject=loan.id, data=event_data(loan))
    uow.commit()
    return loan


def decide(uow, actor: Actor, loan_id: str, decision: dict, policy: StartupPolicy) -> Loan:
    """An officer of the loan unit approves or rejects a bank-approved loan."""
    actor.require_officer_of(policy.loan_unit)
    loan, _ = visible(uow, actor, loan_id, policy)
    loan.state = domain.next_state(domain.LOAN_TRANSITIONS, loan.state, decision["decision"])
    loan.decided_at = loan.updated_at = utcnow()
    uow.audit(f"loan.{loan.state}", ("loan", loan.id), decision.get("reason"))
    uow.record("loan.decided", subject=loan.id, data=event_data(loan))
    uow.commit()
    return loan


def disburse(uow, actor: Actor, loan_id: str, disbursement: dict, policy: StartupPolicy) -> Loan:
    """The bank reports the payout: the schedule (and the subsidy) runs from that day, which
    is neither before the officer's approval nor after today."""
    loan, lender = visible(uow, actor, loan_id, policy)
    require_lender(actor, lender)
    state = domain.next_state(domain.LOAN_TRANSITIONS, loan.state, "disburse")
    disbursed_on, today = disbursement["disbursed_on"], clock.today()
    decided_on = clock.local_date(loan.decided_at)
    if disbursed_on < decided_on:
        raise InvalidInput.for_field(
            "disbursed_on", "disbursed_before_approval", MESSAGES, decided_on=decided_on
        )
    if disbursed_on > today:
        # a bank reports a payout made, on the district's date, not one it plans
        raise InvalidInput.for_field("disbursed_on", "disbursed_in_future", MESSAGES, today=today)
    loan.state = state
    loan.disbursed_on, loan.disbursed_at = disbursed_on, utcnow()
    loan.updated_at = loan.disbursed_at
    totals = schedule_of(loan, policy, disbursed_on)["totals"]
    uow.audit("loan.disbursed", ("loan", loan.id), details=disbursement)
    uow.record(
        "loan.disbursed",
        subject=loan.id,
        data={
            **event_data(loan),
            "disbursed_on": disbursed_on,
            "total_interest_cny": totals["interest"],
            "total_subsidy_cny": totals["subsidy"],
        },
    )
    uow.commit()
    return loan


def withdraw(uow, actor: Actor, loan_id: str, policy: StartupPolicy) -> Loan:
    """The applicant withdraws a loan the officer has not decided yet."""
    loan, _ = visible(uow, actor, loan_id, policy)
    domain.check_is_owner(actor, loan.person_id, LOAN_NOT_FOUND)
    _withdraw(uow, loan)
    uow.commit()
    return loan


def release(uow, person_id: str) -> None:
    """An erased person's loans not yet decided by the officer are withdrawn (a decided or
    disbursed loan stays: public funds). The caller commits, with the erasure."""
    for loan in uow.repo.withdrawable_loans_of(person_id):
        _withdraw(uow, loan)


def _withdraw(uow, loan: Loan) -> None:
    loan.state = domain.next_state(domain.LOAN_TRANSITIONS, loan.state, "withdraw")
    loan.updated_at = utcnow()
    uow.record("loan.withdrawn", subject=loan.id, data=event_data(loan))


def event_data(loan: Loan) -> dict:
    """What every loan event says: ids, kind, state, amount, term and rates."""
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
