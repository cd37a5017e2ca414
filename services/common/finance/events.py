"""The `payment.*` events every paying service adds to its catalogue. They carry ids, the
programme and amounts, never a name or an account number."""

from __future__ import annotations

from ..events import EventSpec
from .contract import PaymentBatched, PaymentFailed, PaymentPaid, PaymentQueued

PAYMENT_EVENTS = {
    "payment.queued": EventSpec(
        PaymentQueued,
        "An approval committed money from the budget: a payout waits",
        "the payout id",
    ),
    "payment.batched": EventSpec(
        PaymentBatched, "Queued payouts were sent to the finance bureau in a batch", "the batch id"
    ),
    "payment.paid": EventSpec(
        PaymentPaid, "The finance bureau confirmed a payout paid", "the payout id"
    ),
    "payment.failed": EventSpec(
        PaymentFailed,
        "The finance bureau could not pay a payout: it is queued again",
        "the payout id",
    ),
}
