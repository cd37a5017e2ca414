"""Loans after disbursement, read: a loan's schedule against what was paid, and the guarantee
fund's exposure (the outstanding principal of the disbursed guaranteed loans, by bank)."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.actor import ADMIN, Actor
from services.common.clock import clock
from services.common.errors import Conflict

from .. import loans, servicing
from ..contract.loans import ExposureView, ServicingView
from ..domain import DISBURSED
from ..domain.servicing import days_overdue
from ..models import Lender, Loan, LoanRepayment, Payout
from ..policy import StartupPolicy
from .records import _visible_loan

ZERO = Decimal("0.00")


def loan_servicing(session: Session, actor: Actor, loan_id: str, policy: StartupPolicy) -> dict:
    """Each instalment repaid, overdue or upcoming; the arrears; the quarters claimed. For the
    borrower, the loan's bank, the loan unit's officers and admins."""
    loan = _visible_loan(session, actor, loan_id, policy)
    if loan.state != DISBURSED:
        raise Conflict("loan_not_disbursed", params={"state": loan.state})
    today = clock.today()
    paid = {
        row.instalment: row
        for row in session.execute(
            sa.select(LoanRepayment).where(LoanRepayment.loan_id == loan.id)
        ).scalars()
    }
    stop = loan.subsidy_stopped_from
    instalments = []
    for item in loans.schedule(loan, policy, today).instalments:
        repaid = paid.get(item.number)
        status = "repaid" if repaid else ("overdue" if item.due_on < today else "upcoming")
        instalments.append(
            vars(item)
            | {
                "status": status,
                "paid_on": repaid.paid_on if repaid else None,
                "subsidy_stopped": stop is not None and item.due_on >= stop,
            }
        )
    claims = session.execute(
        sa.select(Payout)
        .where(
            Payout.programme == servicing.PROGRAMME,
            Payout.source_id.startswith(f"{loan.id}:"),
        )
        .order_by(Payout.source_id)
    ).scalars()
    return ServicingView().dump(
        {
            "loan_id": loan.id,
            "lender_id": loan.lender_id,
            "state": loan.state,
            "disbursed_on": loan.disbursed_on,
            "amount_cny": loan.amount_cny,
            "principal_repaid_cny": loan.principal_repaid_cny,
            "outstanding_principal_cny": servicing.outstanding(loan),
            "overdue_since": loan.overdue_since,
            "days_overdue": days_overdue(loan.overdue_since, today),
            "arrears_threshold_days": policy.loan_arrears_subsidy_stop_days,
            "subsidy_stopped_from": stop,
            "instalments": instalments,
            "claims": [
                {
                    "loan_id": loan.id,
                    "quarter": payout.source_id.partition(":")[2],
                    "amount_cny": payout.amount_cny,
                    "payout_id": payout.id,
                    "payout_state": payout.state,
                }
                for payout in claims
            ],
        }
    )


def guarantee_exposure(session: Session, actor: Actor, policy: StartupPolicy) -> dict:
    """The outstanding principal of disbursed loans by bank, and of those in arrears: what the
    guarantee fund (担保基金) may have to cover. Officers of the loan unit and admins."""
    if actor.role != ADMIN:
        actor.require_officer_of(policy.loan_unit)
    left = Loan.amount_cny - Loan.principal_repaid_cny
    in_arrears = Loan.overdue_since.is_not(None)
    rows = session.execute(
        sa.select(
            Lender.id,
            Lender.name,
            sa.func.count(Loan.id),
            sa.func.coalesce(sa.func.sum(left), 0),
            sa.func.count(Loan.id).filter(in_arrears),
            sa.func.coalesce(sa.func.sum(left).filter(in_arrears), 0),
        )
        .join(Lender, Lender.id == Loan.lender_id)
        .where(Loan.state == DISBURSED)
        .group_by(Lender.id, Lender.name)
        .order_by(Lender.name, Lender.id)
    ).all()
    lenders = [
        {
            "lender_id": lender_id,
            "lender_name": name,
            "loans": count,
            "outstanding_principal_cny": Decimal(owed),
            "loans_in_arrears": arrears_count,
            "outstanding_in_arrears_cny": Decimal(arrears_owed),
        }
        for lender_id, name, count, owed, arrears_count, arrears_owed in rows
    ]
    total = {
        name: sum((line[name] for line in lenders), ZERO if name.endswith("cny") else 0)
        for name in (
            "loans",
            "outstanding_principal_cny",
            "loans_in_arrears",
            "outstanding_in_arrears_cny",
        )
    }
    return ExposureView().dump({"as_of": clock.today(), "lenders": lenders, "total": total})
