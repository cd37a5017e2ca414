"""The rural revitalisation part of the startup contract (plan 三.3 创新乡村振兴形式): the rural
partner plan's projects, applications and follow-ups (乡村合伙人计划), and the young doers' plan's
calls, applications and postings (青年实干家计划, 驻村帮扶工作队选派).
"""

from __future__ import annotations

from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.common.fields import Money, MoneyView
from services.common.schemas import PageQuery, page_of

from ..vocabulary import (
    APPLICANT_KINDS,
    CONTRIBUTION_FORMS,
    DOER_STATES,
    FOLLOW_UP_PROGRESS,
    PARTNER_STATES,
    RURAL_CALL_STATES,
)
from .helpers import reason_needed_to_refuse, text

ID = validate.Length(min=1, max=36)

# -- the rural partner plan (乡村合伙人计划) ---------------------------------------------------


class RuralProjectInput(Schema):
    """A partnership project in 三农 and what it seeks (the agriculture unit publishes it)."""

    title = text(200, metadata={"example": "XX村高山茶叶深加工合伙项目"})
    description = fields.String(validate=validate.Length(max=5000), load_default="")
    village = text(100, metadata={"example": "XX乡XX村"})
    sector = text(100, metadata={"example": "特色种植"})
    seeks = fields.List(
        fields.String(validate=validate.OneOf(CONTRIBUTION_FORMS)),
        required=True,
        validate=validate.Length(min=1, max=len(CONTRIBUTION_FORMS)),
        metadata={"description": "capital 资金合作, technical_service 技术服务, company 创办企业"},
    )
    needs = fields.String(
        validate=validate.Length(max=2000),
        load_default="",
        metadata={"example": "需要茶叶加工技术指导和50万元设备投资"},
    )
    closes_on = fields.Date(metadata={"description": "the last day applications are taken"})

    @validates_schema
    def _distinct(self, data, **kwargs):
        seeks = data.get("seeks") or []
        if len(set(seeks)) != len(seeks):
            raise ValidationError("contribution_forms_repeated", field_name="seeks")


class RuralProjectFilter(PageQuery):
    state = fields.String(validate=validate.OneOf(RURAL_CALL_STATES))


class RuralProjectView(Schema):
    id = fields.String(required=True)
    title = fields.String()
    description = fields.String()
    village = fields.String()
    sector = fields.String()
    seeks = fields.List(fields.String())
    needs = fields.String()
    closes_on = fields.Date(allow_none=True)
    state = fields.String(validate=validate.OneOf(RURAL_CALL_STATES))
    organiser_unit = fields.String()
    accepted_count = fields.Integer()
    published_at = fields.DateTime()


RuralProjectPage = page_of(RuralProjectView, "RuralProjectPage")


class PartnerApplicationInput(Schema):
    """What a person or a company offers a project: the form and, for capital, the amount."""

    contribution_form = fields.String(required=True, validate=validate.OneOf(CONTRIBUTION_FORMS))
    contribution = text(2000, metadata={"example": "提供茶叶加工工艺指导,每月驻村5天"})
    capital_cny = Money(
        minimum=Decimal("0.01"),
        metadata={"description": "required for capital (资金合作)", "example": "500000.00"},
    )

    @validates_schema
    def _capital(self, data, **kwargs):
        if data.get("contribution_form") == "capital" and data.get("capital_cny") is None:
            raise ValidationError("capital_amount_required", field_name="capital_cny")


class PartnerDecisionInput(Schema):
    """The agriculture unit's selection; a decline needs its reason."""

    decision = fields.String(required=True, validate=validate.OneOf(("accept", "decline")))
    reason = fields.String(validate=validate.Length(max=500))

    @validates_schema
    def _reasoned(self, data, **kwargs):
        reason_needed_to_refuse(data, ("decline",))


class FollowUpInput(Schema):
    """A follow-up of an accepted partnership (跟踪服务)."""

    recorded_on = fields.Date(required=True, metadata={"example": "2026-12-01"})
    progress = fields.String(required=True, validate=validate.OneOf(FOLLOW_UP_PROGRESS))
    note = fields.String(validate=validate.Length(max=2000), load_default="")
    invested_cny = Money(metadata={"description": "capital actually invested so far"})
    jobs_created = fields.Integer(validate=validate.Range(min=0, max=100_000))


class FollowUpView(Schema):
    id = fields.String(required=True)
    application_id = fields.String()
    recorded_on = fields.Date()
    progress = fields.String()
    note = fields.String()
    invested_cny = MoneyView(allow_none=True)
    jobs_created = fields.Integer(allow_none=True)
    recorded_at = fields.DateTime()


class PartnerApplicationFilter(PageQuery):
    project_id = fields.String(validate=ID)
    state = fields.String(validate=validate.OneOf(PARTNER_STATES))


class PartnerApplicationView(Schema):
    id = fields.String(required=True)
    project_id = fields.String()
    person_id = fields.String(metadata={"description": "the applicant's account"})
    applicant_kind = fields.String(validate=validate.OneOf(APPLICANT_KINDS))
    contribution_form = fields.String(validate=validate.OneOf(CONTRIBUTION_FORMS))
    contribution = fields.String()
    capital_cny = MoneyView(allow_none=True)
    state = fields.String(validate=validate.OneOf(PARTNER_STATES))
    decision_reason = fields.String(allow_none=True)
    applied_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)
    follow_ups = fields.List(
        fields.Nested(FollowUpView), metadata={"description": "one application's: oldest first"}
    )


PartnerApplicationPage = page_of(PartnerApplicationView, "PartnerApplicationPage")

# -- the young doers' plan (青年实干家计划) ----------------------------------------------------


class DoerCallInput(Schema):
    """A call for village support-team members (驻村帮扶工作队选派)."""

    title = text(200, metadata={"example": "2027年度驻村帮扶工作队青年队员选派"})
    description = fields.String(validate=validate.Length(max=5000), load_default="")
    villages = fields.List(
        fields.String(validate=validate.Length(min=1, max=100)),
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"example": ["XX乡XX村"]},
    )
    places = fields.Integer(required=True, validate=validate.Range(min=1, max=10_000))
    closes_on = fields.Date(metadata={"description": "the last day applications are taken"})


class DoerCallFilter(PageQuery):
    state = fields.String(validate=validate.OneOf(RURAL_CALL_STATES))


class DoerCallView(Schema):
    id = fields.String(required=True)
    title = fields.String()
    description = fields.String()
    villages = fields.List(fields.String())
    places = fields.Integer()
    selected_count = fields.Integer()
    closes_on = fields.Date(allow_none=True)
    state = fields.String(validate=validate.OneOf(RURAL_CALL_STATES))
    organiser_unit = fields.String()
    published_at = fields.DateTime()


DoerCallPage = page_of(DoerCallView, "DoerCallPage")


class DoerApplicationInput(Schema):
    statement = text(2000, metadata={"example": "农学专业毕业,愿到村里从事电商助农"})


class DoerDecisionInput(Schema):
    """The organisation department's selection; not selecting needs its reason."""

    decision = fields.String(required=True, validate=validate.OneOf(("select", "not_select")))
    reason = fields.String(validate=validate.Length(max=500))

    @validates_schema
    def _reasoned(self, data, **kwargs):
        reason_needed_to_refuse(data, ("not_select",))


class PostingInput(Schema):
    """A selected member's posting: one of the call's villages, and the term."""

    village = text(100, metadata={"example": "XX乡XX村"})
    posted_from = fields.Date(required=True, metadata={"example": "2027-01-04"})
    posted_until = fields.Date(required=True, metadata={"example": "2028-12-31"})


class DoerApplicationFilter(PageQuery):
    call_id = fields.String(validate=ID)
    state = fields.String(validate=validate.OneOf(DOER_STATES))


class DoerApplicationView(Schema):
    id = fields.String(required=True)
    call_id = fields.String()
    person_id = fields.String()
    statement = fields.String()
    state = fields.String(validate=validate.OneOf(DOER_STATES))
    decision_reason = fields.String(allow_none=True)
    village = fields.String(allow_none=True)
    posted_from = fields.Date(allow_none=True)
    posted_until = fields.Date(allow_none=True)
    applied_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)


DoerApplicationPage = page_of(DoerApplicationView, "DoerApplicationPage")
