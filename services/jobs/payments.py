"""The jobs service's ledger (services/common/finance): the hiring and traineeship subsidies
are paid from their own envelopes, set and batched by the deciding unit (区人社局)."""

from __future__ import annotations

from services.common.finance.ledger import Ledger

from .models import Budget, PaymentBatch, PaymentLine, Payout

LEDGER = Ledger(
    "jobs",
    Budget,
    Payout,
    PaymentBatch,
    PaymentLine,
    units=lambda policy: {
        "hiring_subsidy": policy.deciding_unit,
        "traineeship_subsidy": policy.deciding_unit,
    },
)
