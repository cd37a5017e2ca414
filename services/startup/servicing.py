"""A guaranteed loan after disbursement (贷后): the lending bank reports repayments and
arrears, and claims each quarter's interest subsidy, which the platform computes from the
schedule and commits as a payout of `loan_interest_subsidy` to the bank (the finance kit's
batches then pay it). Arrears beyond `loan_arrears_subsidy_stop_days` stop the subsidy from the
first overdue day and tell the loan unit (`loan.in_arrears`). The rules are in
`domain/servicing.py`.
"""

from __future__ import annotations

from datetime import date

from services.common.actor import Actor
from services.common.clock import clock, utcnow
from services.common.errors import Conflict, InvalidInput
from services.common.finance import ledger as finance
from services.common.models import new_id

from . import loans
from .domain import DISBURSED
from .domain.servicing import Quarter, days_overdue, quarter_claim, stops_subsidy
from .messages import MESSAGES
from .models import Loan, LoanRepayment, Payout
from .payments import LEDGER
from .policy import StartupPolicy

PROGRAMME = "loan_interest_subsidy"
#: how often the arrears sweep looks for loans whose arrears passed the threshold (a day's
#: precision is what the threshold is counted in; an hour keeps a restart from delaying it)
ARREARS_SWEEP_SECONDS = 3600


def claim_source(loan_id: str, quarter: Quarter) -> str:
    """The payout's source id: the loan's quarter, claimed once (unique per programme)."""
    return f"{loan_id}:{quarter}"


def _serviced(uow, actor: Actor, loan_id: str, policy: StartupPolicy):
    """The disbursed loan, locked, and its lender, for the loan's own bank only."""
    loan, lender = loans.visible(uow, actor, loan_id, policy)
    loans.require_lender(actor, lender)
    if loan.state != DISBURSED:
        raise Conflict("loan_not_disbursed", params={"state": loan.state})
    return loan, lender


def _check_day(field: str, day: date, loan: Loan, today: date) -> None:
    """A reported day is between the disbursement and today (the district's date)."""
    if day < loan.disbursed_on:
        raise InvalidInput.for_field(
            field, "loan_date_before_disbursement", MESSAGES, disbursed_on=loan.disbursed_on
        )
    if day > today:
        raise InvalidInput.for_field(field, "loan_date_in_future", MESSAGES, today=today)


def outstanding(loan: Loan):
    return loan.amount_cny - (loan.principal_repaid_cny or 0)


def report_repayment(uow, actor: Actor, loan_id: str, report: dict, policy: StartupPolicy):
    """The bank reports an instalment repaid in full, once: the amount must be what the
    schedule says the borrower pays (a shortfall is reported as arrears)."""
    loan, _ = _serviced(uow, actor, loan_id, policy)
    today = clock.today()
    schedule = loans.schedule(loan, policy, today)
    number = report["instalment"]
    if number > len(schedule.instalments):
        raise InvalidInput.for_field(
            "instalment", "loan_instalment_unknown", MESSAGES, term=len(schedule.instalments)
        )
    instalment = schedule.instalments[number - 1]
    if report["amount_cny"] != instalment.borrower_payment:
        raise InvalidInput.for_field(
            "amount_cny",
            "loan_repayment_amount_mismatch",
            MESSAGES,
            instalment=number,
            due=instalment.borrower_payment,
        )
    _check_day("paid_on", report["paid_on"], loan, today)
    if number in uow.repo.repaid_instalments(loan.id):
        raise Conflict("loan_instalment_already_repaid", params={"instalment": number})
    row = LoanRepayment(
        id=new_id(),
        loan_id=loan.id,
        instalment=number,
        due_on=instalment.due_on,
        paid_on=report["paid_on"],
        amount_cny=report["amount_cny"],
        principal_cny=instalment.principal,
        reported_at=utcnow(),
    )
    uow.repo.add(row)
    loan.principal_repaid_cny = (loan.principal_repaid_cny or 0) + instalment.principal
    loan.updated_at = row.reported_at
    uow.audit("loan.repaid", ("loan", loan.id), None, {"instalment": number, **report})
    uow.record(
        "loan.repaid",
        subject=loan.id,
        data={
            "loan_id": loan.id,
            "lender_id": loan.lender_id,
            "instalment": number,
            "due_on": instalment.due_on,
            "paid_on": row.paid_on,
            "amount_cny": row.amount_cny,
            "outstanding_principal_cny": outstanding(loan),
        },
    )
    uow.commit()
    return row


def report_arrears(uow, actor: Actor, loan_id: str, report: dict, policy: StartupPolicy) -> Loan:
    """The bank reports the loan overdue since a day (or caught up: `None`). Beyond the
    threshold the subsidy stops; a stop is final (a caught-up loan is not subsidised again)."""
    loan, _ = _serviced(uow, actor, loan_id, policy)
    today = clock.today()
    since = report["overdue_since"]
    if since is not None:
        _check_day("overdue_since", since, loan, today)
    loan.overdue_since, loan.arrears_reported_on = since, today
    loan.updated_at = utcnow()
    uow.audit("loan.arrears_reported", ("loan", loan.id), None, {"overdue_since": since})
    uow.record(
        "loan.arrears_reported",
        subject=loan.id,
        data={
            "loan_id": loan.id,
            "lender_id": loan.lender_id,
            "overdue_since": since,
            "days_overdue": days_overdue(since, today),
        },
    )
    stop_if_beyond_threshold(uow, loan, today, policy)
    uow.commit()
    return loan


def stop_if_beyond_threshold(uow, loan: Loan, today: date, policy: StartupPolicy) -> bool:
    """Arrears beyond the threshold stop the subsidy from the first overdue day, once: the
    stop is recorded, audited and published (`loan.in_arrears`). The caller commits."""
    threshold = policy.loan_arrears_subsidy_stop_days
    if loan.subsidy_stopped_from is not None or not stops_subsidy(
        loan.overdue_since, today, threshold
    ):
        return False
    loan.subsidy_stopped_from = loan.overdue_since
    data = {
        "loan_id": loan.id,
        "person_id": loan.person_id,
        "lender_id": loan.lender_id,
        "overdue_since": loan.overdue_since,
        "days_overdue": days_overdue(loan.overdue_since, today),
        "threshold_days": threshold,
        "subsidy_stopped_from": loan.subsidy_stopped_from,
        "outstanding_principal_cny": outstanding(loan),
    }
    uow.audit("loan.subsidy_stopped", ("loan", loan.id), None, data)
    uow.record("loan.in_arrears", subject=loan.id, data=data)
    return True


def claim_subsidy(uow, actor: Actor, loan_id: str, claim: dict, policy: StartupPolicy) -> dict:
    """The bank claims a past quarter's interest subsidy: the subsidies of the instalments
    falling due in it (repaid, before any stop), committed from this year's envelope of
    `loan_interest_subsidy` (409 `budget_exhausted`) and queued as a payout to the bank."""
    loan, lender = _serviced(uow, actor, loan_id, policy)
    today = clock.today()
    quarter = Quarter.parse(claim["quarter"])
    # arrears that passed the threshold since the last report stop the subsidy now; when the
    # claim is then refused the stop rolls back with it and the arrears sweep records it
    stop_if_beyond_threshold(uow, loan, today, policy)
    source = claim_source(loan.id, quarter)
    if uow.repo.payout_from(Payout, PROGRAMME, source) is not None:
        raise Conflict("loan_subsidy_already_claimed", params={"quarter": str(quarter)})
    owed = quarter_claim(
        loans.schedule(loan, policy, today),
        quarter,
        today,
        uow.repo.repaid_instalments(loan.id),
        loan.subsidy_stopped_from,
    )
    payout = finance.commit(uow, LEDGER, PROGRAMME, source, lender.partner_account_id, owed.amount)
    view = {
        "loan_id": loan.id,
        "quarter": str(quarter),
        "instalments": owed.numbers,
        "amount_cny": owed.amount,
        "payout_id": payout.id,
    }
    uow.audit("loan.subsidy_claimed", ("loan", loan.id), None, view)
    uow.record("loan.subsidy_claimed", subject=loan.id, data={**view, "lender_id": loan.lender_id})
    uow.commit()
    return {**view, "payout_state": payout.state}


def sweep_arrears(units, policy: StartupPolicy) -> int:
    """Stops the subsidy of every loan whose reported arrears passed the threshold since (the
    timer runs it, and `travel_clock`); how many were stopped."""
    with units() as uow:
        today = clock.today()
        stopped = sum(
            stop_if_beyond_threshold(uow, loan, today, policy)
            for loan in uow.repo.loans_in_arrears_not_stopped()
        )
        uow.commit()
    return stopped
