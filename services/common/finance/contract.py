"""What crosses the gateway about budgets and payments: request bodies, queries, views, and the
data of the `payment.*` events. Money is a decimal string with two places."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..fields import Money, MoneyView
from ..schemas import PageQuery, page_of
from .rules import BATCH_STATES, FAILURE_REASONS, LINE_OUTCOMES, PAYOUT_STATES, PROGRAMMES

PROGRAMME = fields.String(required=True, validate=validate.OneOf(tuple(PROGRAMMES)))


class BudgetInput(Schema):
    envelope_cny = Money(required=True, metadata={"description": "the year's envelope, CNY"})


class BudgetView(Schema):
    programme = fields.String()
    label = fields.Dict()
    year = fields.Integer()
    unit = fields.String(metadata={"description": "the responsible unit that sets it"})
    envelope_cny = MoneyView(allow_none=True, metadata={"description": "null: not set yet"})
    committed_cny = MoneyView()
    paid_cny = MoneyView()
    left_cny = MoneyView(allow_none=True)
    updated_at = fields.DateTime(allow_none=True)


class BudgetsView(Schema):
    year = fields.Integer()
    items = fields.List(fields.Nested(BudgetView))


class PayoutFilter(PageQuery):
    programme = fields.String(validate=validate.OneOf(tuple(PROGRAMMES)))
    state = fields.String(validate=validate.OneOf(PAYOUT_STATES))


class PayoutView(Schema):
    id = fields.String()
    programme = fields.String()
    year = fields.Integer()
    source_id = fields.String()
    payee_id = fields.String()
    amount_cny = MoneyView()
    state = fields.String()
    batch_id = fields.String(allow_none=True)
    attempts = fields.Integer()
    queued_at = fields.DateTime()
    paid_on = fields.Date(allow_none=True)


PayoutPage = page_of(PayoutView, "PayoutPage")


class BatchInput(Schema):
    programme = PROGRAMME


class BatchFilter(PageQuery):
    state = fields.String(validate=validate.OneOf(BATCH_STATES))


class PaymentLineView(Schema):
    id = fields.String()
    payout_id = fields.String()
    payee_id = fields.String()
    amount_cny = MoneyView()
    state = fields.String()
    bank_reference = fields.String(allow_none=True)
    failure_reason = fields.String(allow_none=True)
    confirmed_on = fields.Date(allow_none=True)


class BatchView(Schema):
    id = fields.String()
    ledger = fields.String()
    reference = fields.String()
    programme = fields.String()
    state = fields.String()
    line_count = fields.Integer()
    total_cny = MoneyView()
    created_at = fields.DateTime()
    exported_at = fields.DateTime(allow_none=True)
    settled_at = fields.DateTime(allow_none=True)
    lines = fields.List(fields.Nested(PaymentLineView))
    held_back = fields.Integer(
        metadata={"description": "queued payouts left out: their payee has no bank account yet"}
    )


BatchPage = page_of(BatchView, "BatchPage")


class LineOutcome(Schema):
    line_id = fields.String(required=True)
    outcome = fields.String(required=True, validate=validate.OneOf(LINE_OUTCOMES))
    bank_reference = fields.String(validate=validate.Length(max=60))
    reason = fields.String(
        validate=validate.OneOf(FAILURE_REASONS),
        metadata={"description": "why a line failed (failed lines only)"},
    )


class ConfirmationInput(Schema):
    paid_on = fields.Date(required=True, metadata={"description": "the value date"})
    lines = fields.List(
        fields.Nested(LineOutcome), required=True, validate=validate.Length(min=1, max=5000)
    )


class ReconciliationQuery(Schema):
    since = fields.Date(required=True)
    until = fields.Date(required=True)


class ProgrammeReconciliation(Schema):
    programme = fields.String()
    label = fields.Dict()
    batched_count = fields.Integer()
    batched_cny = MoneyView()
    paid_count = fields.Integer()
    paid_cny = MoneyView()
    failed_count = fields.Integer()
    failed_cny = MoneyView()
    awaiting_count = fields.Integer(metadata={"description": "lines sent, no answer yet"})
    awaiting_cny = MoneyView()
    queued_count = fields.Integer(metadata={"description": "approved, not in a batch (now)"})
    queued_cny = MoneyView()
    ledger_balanced = fields.Boolean(
        metadata={"description": "each year's budget figures equal the sum of its payouts"}
    )


class ReconciliationView(Schema):
    since = fields.Date()
    until = fields.Date()
    programmes = fields.List(fields.Nested(ProgrammeReconciliation))
    degraded = fields.List(fields.Dict())


# -- event data --------------------------------------------------------------------------


class PaymentQueued(Schema):
    payout_id = fields.String(required=True)
    programme = fields.String(required=True)
    year = fields.Integer(required=True)
    source_id = fields.String(required=True)
    payee_id = fields.String(required=True)
    amount_cny = MoneyView(required=True)


class PaymentBatched(Schema):
    batch_id = fields.String(required=True)
    reference = fields.String(required=True)
    programme = fields.String(required=True)
    line_count = fields.Integer(required=True)
    total_cny = MoneyView(required=True)


class PaymentPaid(PaymentQueued):
    batch_id = fields.String(required=True)
    paid_on = fields.Date(required=True)


class PaymentFailed(PaymentQueued):
    batch_id = fields.String(required=True)
    reason = fields.String(required=True, metadata={"description": "a reason code, no text"})
