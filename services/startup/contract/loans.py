"""The startup contract's loans: lenders, applications, reviews, disbursement, schedules, and
after disbursement the bank's repayments and arrears, the interest subsidy and the guarantee
fund's exposure."""

from __future__ import annotations

from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.common.fields import (
    CreditCode,
    Money,
    MoneyView,
    Percent,
    RateText,
)
from services.common.schemas import PageQuery, page_of

from ..vocabulary import (
    BORROWER_KINDS,
    INTEREST_MONTHLY,
    LOAN_STATES,
    REPAYMENT_METHODS,
    SMALL_BUSINESS,
)
from .helpers import reason_needed_to_refuse, text

# -- loans ---------------------------------------------------------------------------------------


class LenderInput(Schema):
    name = text(100, metadata={"example": "XX农村商业银行"})
    partner_account_id = text(
        36, metadata={"description": "the bank's partner account, created by an admin"}
    )


class LenderView(Schema):
    id = fields.String(required=True)
    name = fields.String()
    partner_account_id = fields.String()
    active = fields.Boolean()


LenderPage = page_of(LenderView, "LenderPage")


class LoanInput(Schema):
    borrower_kind = fields.String(required=True, validate=validate.OneOf(BORROWER_KINDS))
    amount_cny = Money(minimum=Decimal("0.01"), required=True)
    term_months = fields.Integer(required=True, validate=validate.Range(min=1, max=120))
    repayment_method = fields.String(
        validate=validate.OneOf(REPAYMENT_METHODS), load_default=INTEREST_MONTHLY
    )
    purpose = text(1000, metadata={"example": "购置设备、支付场地租金"})
    lender_id = text(36)
    credit_code = CreditCode(metadata={"description": "the business's, for a small-business loan"})

    @validates_schema
    def _business_needs_its_code(self, data, **kwargs):
        if data.get("borrower_kind") == SMALL_BUSINESS and not data.get("credit_code"):
            raise ValidationError("credit_code_required_for_business", field_name="credit_code")


class LoanReviewInput(Schema):
    """The bank's review: approve with the contract rate (and, if it lends less or for less
    long, the amount and term), or decline with a reason."""

    decision = fields.String(required=True, validate=validate.OneOf(("approve", "decline")))
    contract_rate_percent = Percent(maximum=Decimal(36))
    amount_cny = Money(minimum=Decimal("0.01"))
    term_months = fields.Integer(validate=validate.Range(min=1, max=120))
    reason = fields.String(validate=validate.Length(max=500))

    @validates_schema
    def _complete(self, data, **kwargs):
        reason_needed_to_refuse(data, ("decline",))
        if data.get("decision") == "approve" and data.get("contract_rate_percent") is None:
            raise ValidationError("rate_required_to_approve", field_name="contract_rate_percent")


class StartupDecisionInput(Schema):
    """An officer's decision; a rejection needs its reason."""

    decision = fields.String(required=True, validate=validate.OneOf(("approve", "reject")))
    reason = fields.String(validate=validate.Length(max=500))

    @validates_schema
    def _reasoned(self, data, **kwargs):
        reason_needed_to_refuse(data, ("reject",))


class DisbursementInput(Schema):
    disbursed_on = fields.Date(required=True, metadata={"example": "2026-12-01"})


class LoanQuoteInput(Schema):
    """A schedule before applying: what a loan would cost and what the subsidy covers."""

    amount_cny = Money(minimum=Decimal("0.01"), required=True)
    term_months = fields.Integer(required=True, validate=validate.Range(min=1, max=120))
    borrower_kind = fields.String(
        validate=validate.OneOf(BORROWER_KINDS), load_default="individual"
    )
    repayment_method = fields.String(
        validate=validate.OneOf(REPAYMENT_METHODS), load_default=INTEREST_MONTHLY
    )
    contract_rate_percent = Percent(
        maximum=Decimal(36),
        metadata={"description": "default: the cap, LPR + 50 bp on the start date"},
    )
    starts_on = fields.Date(metadata={"description": "contract and first day; default today"})


class LoanFilter(PageQuery):
    state = fields.String(validate=validate.OneOf(LOAN_STATES))


class InstalmentView(Schema):
    number = fields.Integer()
    due_on = fields.Date()
    opening_balance = MoneyView()
    principal = MoneyView()
    interest = MoneyView()
    borrower_interest = MoneyView()
    subsidy = MoneyView()
    borrower_payment = MoneyView()
    closing_balance = MoneyView()


class ScheduleTotalsView(Schema):
    principal = MoneyView()
    interest = MoneyView()
    borrower_interest = MoneyView()
    subsidy = MoneyView()
    borrower_payments = MoneyView()


class ScheduleView(Schema):
    estimate = fields.Boolean(
        metadata={"description": "true until the loan is disbursed: rate or start may change"}
    )
    amount_cny = MoneyView()
    term_months = fields.Integer()
    repayment_method = fields.String()
    starts_on = fields.Date()
    lpr_percent = RateText()
    contract_rate_percent = RateText()
    borrower_rate_percent = RateText()
    subsidised_months = fields.Integer()
    instalments = fields.List(fields.Nested(InstalmentView))
    totals = fields.Nested(ScheduleTotalsView)


class LoanView(Schema):
    id = fields.String(required=True)
    person_id = fields.String()
    borrower_kind = fields.String()
    credit_code = fields.String(allow_none=True)
    amount_cny = MoneyView()
    term_months = fields.Integer()
    repayment_method = fields.String()
    purpose = fields.String()
    lender_id = fields.String()
    state = fields.String(validate=validate.OneOf(LOAN_STATES))
    applied_at = fields.DateTime()
    lpr_percent = RateText(allow_none=True)
    contract_rate_percent = RateText(allow_none=True)
    borrower_rate_percent = RateText(allow_none=True)
    reviewed_at = fields.DateTime(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    disbursed_on = fields.Date(allow_none=True)


LoanPage = page_of(LoanView, "LoanPage")


# -- after disbursement: repayments, arrears, the interest subsidy -------------------------------


class RepaymentInput(Schema):
    """The lending bank reports one instalment repaid in full (a shortfall is arrears)."""

    instalment = fields.Integer(required=True, validate=validate.Range(min=1, max=120))
    paid_on = fields.Date(required=True, metadata={"example": "2035-02-05"})
    amount_cny = Money(
        minimum=Decimal("0.01"),
        required=True,
        metadata={"description": "what the borrower paid: the instalment's borrower_payment"},
    )


class ArrearsInput(Schema):
    """The lending bank reports the loan in arrears since a day, or caught up (`null`)."""

    overdue_since = fields.Date(
        required=True,
        allow_none=True,
        metadata={"description": "the first unpaid day; null: the borrower has caught up"},
    )


class SubsidyClaimInput(Schema):
    """The lending bank claims a past quarter's interest subsidy."""

    quarter = fields.String(
        required=True,
        validate=validate.Regexp(r"^\d{4}-Q[1-4]$", error="quarter_invalid"),
        metadata={"example": "2035-Q1"},
    )


class SubsidyClaimView(Schema):
    loan_id = fields.String()
    quarter = fields.String()
    instalments = fields.List(fields.Integer())
    amount_cny = MoneyView()
    payout_id = fields.String()
    payout_state = fields.String()


class RepaymentView(Schema):
    instalment = fields.Integer()
    due_on = fields.Date()
    paid_on = fields.Date()
    amount_cny = MoneyView()
    principal_cny = MoneyView()


class ServicedInstalmentView(InstalmentView):
    status = fields.String(
        metadata={"description": "repaid, overdue (due, not reported repaid), or upcoming"}
    )
    paid_on = fields.Date(allow_none=True)
    subsidy_stopped = fields.Boolean()


class ServicingView(Schema):
    """A disbursed loan's schedule against what was paid, its arrears and subsidy claims."""

    loan_id = fields.String()
    lender_id = fields.String()
    state = fields.String()
    disbursed_on = fields.Date()
    amount_cny = MoneyView()
    principal_repaid_cny = MoneyView()
    outstanding_principal_cny = MoneyView()
    overdue_since = fields.Date(allow_none=True)
    days_overdue = fields.Integer()
    arrears_threshold_days = fields.Integer()
    subsidy_stopped_from = fields.Date(allow_none=True)
    instalments = fields.List(fields.Nested(ServicedInstalmentView))
    claims = fields.List(fields.Nested(SubsidyClaimView))


class ExposureLine(Schema):
    lender_id = fields.String()
    lender_name = fields.String()
    loans = fields.Integer()
    outstanding_principal_cny = MoneyView()
    loans_in_arrears = fields.Integer()
    outstanding_in_arrears_cny = MoneyView()


class ExposureView(Schema):
    """The guarantee fund's exposure: outstanding principal of disbursed guaranteed loans."""

    as_of = fields.Date()
    lenders = fields.List(fields.Nested(ExposureLine))
    total = fields.Nested(ExposureLine)
