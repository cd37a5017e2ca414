"""The startup service's contract: what the gateway sends it and what it answers.

Request bodies, queries and views of `/api/v1/startup` (the gateway validates bodies with these
same schemas and documents them in OpenAPI), and the profile facts the gateway passes with a
young person's application. It imports nothing of the service but its vocabulary, so the
gateway depends on the words of the boundary, never on the domain.

Money is a decimal string with at most two places (`"300000.00"`), rates are percent per year
with at most four (`"3.5"`), dates are ISO dates and instants ISO date-times with an offset.
"""

from __future__ import annotations

from decimal import Decimal

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from services.common.fields import (
    CreditCode,
    DecimalString,
    Measure,
    Money,
    MoneyView,
    Percent,
    RateText,
)
from services.common.schemas import PageQuery, page_of

from .vocabulary import (
    BORROWER_KINDS,
    COMPANY_TYPES,
    COURSE_MODES,
    ENROLMENT_STATES,
    GRANT_STATES,
    INCUBATOR_STATES,
    INTEREST_MONTHLY,
    LOAN_STATES,
    REGISTRATION_STATES,
    REPAYMENT_METHODS,
    SMALL_BUSINESS,
    SPACE_KINDS,
    SPACE_STATES,
    STEPS,
)


def _text(max_length: int, required: bool = True, **kwargs) -> fields.String:
    return fields.String(
        required=required, validate=validate.Length(min=1, max=max_length), **kwargs
    )


def _reason_needed_to_refuse(data: dict, refusals: tuple[str, ...]) -> None:
    if data.get("decision") in refusals and not (data.get("reason") or "").strip():
        raise ValidationError("refusal_reason_required", field_name="reason")


# -- business registration -----------------------------------------------------------------------


class FounderInput(Schema):
    name = _text(50, metadata={"example": "李青"})
    share_percent = Percent(
        minimum=Decimal("0.01"),
        required=True,
        metadata={"example": "100", "description": "share of the registered capital, percent"},
    )


class BusinessRegistrationInput(Schema):
    """One application for everything a new business needs (一表申请)."""

    company_name = fields.String(
        required=True,
        validate=validate.Length(min=2, max=100),
        metadata={"example": "XX青禾科技有限公司"},
    )
    company_type = fields.String(required=True, validate=validate.OneOf(COMPANY_TYPES))
    registered_capital_cny = Money(required=True)
    address = _text(200, metadata={"example": "XX区双创智慧港A座301"})
    business_scope = _text(2000, metadata={"example": "软件开发;信息技术咨询服务"})
    founders = fields.List(
        fields.Nested(FounderInput), required=True, validate=validate.Length(min=1, max=50)
    )

    @validates_schema(skip_on_field_errors=False)
    def _shares_add_up(self, data, **kwargs):
        shares = [founder.get("share_percent") for founder in data.get("founders") or []]
        # a share already refused on its own is reported there; the total would be noise
        if shares and None not in shares and sum(shares, Decimal(0)) != Decimal(100):
            raise ValidationError("founders_shares_total", field_name="founders")


class StepCompletionInput(Schema):
    credit_code = CreditCode(
        metadata={
            "description": "the unified social credit code, required when the licence is issued",
            "example": "91350100M000100Y43",
        }
    )
    reference = fields.String(
        validate=validate.Length(min=1, max=100),
        metadata={"description": "the unit's own record number (seal record, account…)"},
    )


class StartupRefusalInput(Schema):
    reason = _text(500)


class BusinessRegistrationFilter(PageQuery):
    state = fields.String(validate=validate.OneOf(REGISTRATION_STATES))
    awaiting_my_unit = fields.Boolean(
        load_default=False,
        metadata={"description": "officers: only applications with a step my unit can do now"},
    )


class FounderView(Schema):
    name = fields.String()
    share_percent = DecimalString()


class StepView(Schema):
    step = fields.String(validate=validate.OneOf(STEPS))
    unit = fields.String()
    state = fields.String()
    ready = fields.Boolean(metadata={"description": "its prerequisite steps are completed"})
    completed_at = fields.DateTime(allow_none=True)
    reference = fields.String(allow_none=True)


class BusinessTimeView(Schema):
    elapsed_seconds = fields.Integer()
    elapsed_minutes = DecimalString()
    target_minutes = fields.Integer()
    warning_minutes = fields.Integer()
    used_percent = DecimalString()
    status = fields.String(
        metadata={
            "description": "on_track, at_risk, breached (open); met, missed (completed); "
            "stopped (rejected or withdrawn)"
        }
    )


class BusinessRegistrationView(Schema):
    id = fields.String(required=True)
    person_id = fields.String()
    company_name = fields.String()
    company_type = fields.String()
    registered_capital_cny = MoneyView()
    address = fields.String()
    business_scope = fields.String()
    founders = fields.List(fields.Nested(FounderView))
    state = fields.String(validate=validate.OneOf(REGISTRATION_STATES))
    steps = fields.List(fields.Nested(StepView))
    business_time = fields.Nested(BusinessTimeView)
    submitted_at = fields.DateTime()
    completed_at = fields.DateTime(allow_none=True)
    sla_warned_at = fields.DateTime(allow_none=True)
    sla_breached_at = fields.DateTime(allow_none=True)
    credit_code = fields.String(allow_none=True)
    graduate = fields.Boolean(allow_none=True)
    rejected_step = fields.String(allow_none=True)


BusinessRegistrationPage = page_of(BusinessRegistrationView, "BusinessRegistrationPage")


# -- loans ---------------------------------------------------------------------------------------


class LenderInput(Schema):
    name = _text(100, metadata={"example": "XX农村商业银行"})
    partner_account_id = _text(
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
    purpose = _text(1000, metadata={"example": "购置设备、支付场地租金"})
    lender_id = _text(36)
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
        _reason_needed_to_refuse(data, ("decline",))
        if data.get("decision") == "approve" and data.get("contract_rate_percent") is None:
            raise ValidationError("rate_required_to_approve", field_name="contract_rate_percent")


class StartupDecisionInput(Schema):
    """An officer's decision; a rejection needs its reason."""

    decision = fields.String(required=True, validate=validate.OneOf(("approve", "reject")))
    reason = fields.String(validate=validate.Length(max=500))

    @validates_schema
    def _reasoned(self, data, **kwargs):
        _reason_needed_to_refuse(data, ("reject",))


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


# -- grant ---------------------------------------------------------------------------------------


class GrantInput(Schema):
    registration_id = _text(36, metadata={"description": "the completed business registration"})


class GrantFilter(PageQuery):
    state = fields.String(validate=validate.OneOf(GRANT_STATES))


class GrantView(Schema):
    id = fields.String(required=True)
    person_id = fields.String()
    registration_id = fields.String()
    amount_cny = MoneyView()
    registered_on = fields.Date()
    state = fields.String(validate=validate.OneOf(GRANT_STATES))
    applied_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)


GrantPage = page_of(GrantView, "GrantPage")


# -- incubator -----------------------------------------------------------------------------------


class SpaceInput(Schema):
    code = fields.String(
        required=True, validate=validate.Length(min=1, max=30), metadata={"example": "A-301-05"}
    )
    kind = fields.String(required=True, validate=validate.OneOf(SPACE_KINDS))
    building = _text(100, metadata={"example": "双创智慧港A座"})
    area_m2 = Measure(Decimal("0.5"), Decimal(10_000), required=True, metadata={"example": "4.5"})
    monthly_rent_cny = Money(
        maximum=Decimal(10**7),
        load_default=Decimal("0.00"),
        metadata={"description": "0 for a free desk"},
    )


class SpaceFilter(PageQuery):
    kind = fields.String(validate=validate.OneOf(SPACE_KINDS))
    state = fields.String(validate=validate.OneOf(SPACE_STATES))


class SpaceView(Schema):
    id = fields.String(required=True)
    code = fields.String()
    kind = fields.String()
    building = fields.String()
    area_m2 = DecimalString()
    monthly_rent_cny = MoneyView()
    state = fields.String()


SpacePage = page_of(SpaceView, "SpacePage")


class IncubatorInput(Schema):
    space_kind = fields.String(required=True, validate=validate.OneOf(SPACE_KINDS))
    project = _text(2000, metadata={"example": "乡村文旅短视频工作室"})
    team_size = fields.Integer(required=True, validate=validate.Range(min=1, max=200))


class AllocationInput(Schema):
    space_id = _text(36)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True, metadata={"description": "the day the tenancy ends"})


class TenancyEndInput(Schema):
    ended_on = fields.Date(required=True)
    reason = fields.String(validate=validate.Length(max=500))


class IncubatorFilter(PageQuery):
    state = fields.String(validate=validate.OneOf(INCUBATOR_STATES))


class IncubatorApplicationView(Schema):
    id = fields.String(required=True)
    person_id = fields.String()
    space_kind = fields.String()
    project = fields.String()
    team_size = fields.Integer()
    state = fields.String(validate=validate.OneOf(INCUBATOR_STATES))
    applied_at = fields.DateTime()
    space_id = fields.String(allow_none=True)
    starts_on = fields.Date(allow_none=True)
    ends_on = fields.Date(allow_none=True)
    ended_on = fields.Date(allow_none=True)


IncubatorApplicationPage = page_of(IncubatorApplicationView, "IncubatorApplicationPage")


# -- training ------------------------------------------------------------------------------------


class CourseInput(Schema):
    title = _text(200, metadata={"example": "SYB创业培训(第12期)"})
    description = fields.String(validate=validate.Length(max=5000), load_default="")
    mode = fields.String(required=True, validate=validate.OneOf(COURSE_MODES))
    venue = fields.String(validate=validate.Length(min=1, max=200))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    hours = fields.Integer(required=True, validate=validate.Range(min=1, max=1000))
    capacity = fields.Integer(required=True, validate=validate.Range(min=1, max=10_000))

    @validates_schema
    def _dates(self, data, **kwargs):
        if data["ends_on"] < data["starts_on"]:
            raise ValidationError("course_dates_reversed", field_name="ends_on")


class CourseFilter(PageQuery):
    starts_from = fields.Date(metadata={"description": "courses starting on or after"})


class CourseView(Schema):
    id = fields.String(required=True)
    title = fields.String()
    description = fields.String()
    mode = fields.String()
    venue = fields.String(allow_none=True)
    starts_on = fields.Date()
    ends_on = fields.Date()
    hours = fields.Integer()
    capacity = fields.Integer()
    enrolled_count = fields.Integer()
    places_left = fields.Method("_places_left")
    organiser_unit = fields.String()

    def _places_left(self, course) -> int:
        return max(0, course.capacity - course.enrolled_count)


CoursePage = page_of(CourseView, "CoursePage")


class EnrolmentFilter(PageQuery):
    course_id = fields.String(validate=validate.Length(min=1, max=36))
    state = fields.String(validate=validate.OneOf(ENROLMENT_STATES))


class EnrolmentView(Schema):
    id = fields.String(required=True)
    course_id = fields.String()
    person_id = fields.String()
    state = fields.String(validate=validate.OneOf(ENROLMENT_STATES))
    enrolled_at = fields.DateTime()
    completed_at = fields.DateTime(allow_none=True)
    cancelled_at = fields.DateTime(allow_none=True)


EnrolmentPage = page_of(EnrolmentView, "EnrolmentPage")


# -- cross-cutting views -------------------------------------------------------------------------


class StartupIndicatorQuery(Schema):
    since = fields.Date(required=True, metadata={"example": "2026-01-01"})
    until = fields.Date(
        required=True, metadata={"example": "2027-01-01", "description": "exclusive"}
    )

    @validates_schema
    def _ordered(self, data, **kwargs):
        if data["until"] <= data["since"]:
            raise ValidationError("indicator_period_reversed", field_name="until")


class StartupIndicatorsView(Schema):
    indicators = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(),
        metadata={"description": "`startup.<code>` → number (services/startup/README.md)"},
    )
    since = fields.Date()
    until = fields.Date()


class BilingualText(Schema):
    zh_cn = fields.String(data_key="zh-CN")
    en = fields.String()


class StartupDashboardItem(Schema):
    kind = fields.String(metadata={"example": "startup.registration"})
    id = fields.String()
    title = fields.Nested(BilingualText)
    state = fields.String()
    next_step = fields.Nested(BilingualText, allow_none=True)
    updated_at = fields.DateTime()
    link = fields.String()


class StartupDashboardView(Schema):
    items = fields.List(fields.Nested(StartupDashboardItem))


# -- what the gateway passes about the caller (never a name, an ID number or a phone) -----------


class StartupPersonFacts(Schema):
    """The profile facts the gateway passes with a young person's application."""

    class Meta:
        unknown = EXCLUDE

    person_id = fields.String(required=True)
    age = fields.Integer(allow_none=True)
    degree = fields.String(allow_none=True)
    graduation_date = fields.Date(allow_none=True)
