"""The startup service's contract: what the gateway sends it and what it answers (the loans'
part in `loans.py`, rural revitalisation's in `rural.py`).

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
)
from services.common.schemas import PageQuery, page_of

from ..vocabulary import (
    COMPANY_TYPES,
    COURSE_KINDS,
    COURSE_MODES,
    ENROLMENT_STATES,
    GRANT_STATES,
    INCUBATOR_STATES,
    REGISTRATION_STATES,
    SPACE_KINDS,
    SPACE_STATES,
    STEPS,
)
from .helpers import text

# -- business registration -----------------------------------------------------------------------


class FounderInput(Schema):
    name = text(50, metadata={"example": "李青"})
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
    address = text(200, metadata={"example": "XX区双创智慧港A座301"})
    business_scope = text(2000, metadata={"example": "软件开发;信息技术咨询服务"})
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
    reason = text(500)


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


# -- grant ---------------------------------------------------------------------------------------


class GrantInput(Schema):
    registration_id = text(36, metadata={"description": "the completed business registration"})


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
    building = text(100, metadata={"example": "双创智慧港A座"})
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
    project = text(2000, metadata={"example": "乡村文旅短视频工作室"})
    team_size = fields.Integer(required=True, validate=validate.Range(min=1, max=200))


class AllocationInput(Schema):
    space_id = text(36)
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
    kind = fields.String(
        load_default="startup",
        validate=validate.OneOf(COURSE_KINDS),
        metadata={
            "description": "startup 创业培训 (the training unit), rural_leaders "
            "致富带头人培训 (the agriculture unit)"
        },
    )
    title = text(200, metadata={"example": "SYB创业培训(第12期)"})
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
    kind = fields.String(validate=validate.OneOf(COURSE_KINDS))


class CourseView(Schema):
    id = fields.String(required=True)
    kind = fields.String(validate=validate.OneOf(COURSE_KINDS))
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
