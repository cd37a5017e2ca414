"""The startup service's ledger (services/common/finance): the startup grant, set and batched
by the grant unit, and the loans' interest subsidy, by the loan unit (both 区人社局 by
default)."""

from __future__ import annotations

from services.common.finance.ledger import Ledger

from .models import Budget, PaymentBatch, PaymentLine, Payout

LEDGER = Ledger(
    "startup",
    Budget,
    Payout,
    PaymentBatch,
    PaymentLine,
    units=lambda policy: {
        "startup_grant": policy.grant_unit,
        "loan_interest_subsidy": policy.loan_unit,
    },
)
