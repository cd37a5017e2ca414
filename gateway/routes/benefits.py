"""The policy catalogue (政策目录) and the benefits finder (政策找人): the public policy pages,
and a young person's verdict on every programme (`gateway/benefits.py`)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.common.benefits import DECLARATION, FAILED, PASSED, VERDICTS
from services.common.db import Database
from services.common.rpc import ClusterProxy

from .. import benefits
from ..accounts import YOUTH
from ..api import Call
from ..composition import Routes
from ..forward import SERVICE_ERRORS
from ..models import Account
from ..settings import GatewaySettings
from .views import DegradedPart

routes = Routes(tags=["benefits"])

FACT_STATES = ("verified", "declared", "missing")


def _bilingual(description: str, allow_none: bool = False) -> fields.Dict:
    return fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        allow_none=allow_none,
        metadata={"description": description},
    )


class ProgrammeView(Schema):
    key = fields.String(required=True)
    service = fields.String(required=True)
    name = _bilingual("zh-CN and en")
    unit = fields.String(metadata={"description": "the responsible unit's code (/api/v1/units)"})
    legal_source = _bilingual("the plan's clause it rests on")
    conditions = fields.List(_bilingual("one condition, with the policy's numbers"))
    amount = _bilingual("what it gives, from the service's policy")
    facts = fields.List(fields.String(), metadata={"description": "profile facts its rules use"})
    declarations = fields.List(
        fields.String(), metadata={"description": "what the applicant declares on applying"}
    )
    apply_at = fields.String(metadata={"description": "the API where one applies"})
    automatic = fields.Boolean(
        metadata={"description": "免申即享: the platform applies itself when a person qualifies"}
    )
    why_automatic = _bilingual("why the platform applies itself (null: not automatic)", True)


class ProgrammeList(Schema):
    items = fields.List(fields.Nested(ProgrammeView))
    degraded = fields.List(fields.Nested(DegradedPart))


class FactUsed(Schema):
    fact = fields.String(required=True)
    state = fields.String(required=True, validate=validate.OneOf(FACT_STATES))


class RuleVerdict(Schema):
    rule = fields.String(required=True)
    state = fields.String(required=True, validate=validate.OneOf((PASSED, FAILED, DECLARATION)))
    reason = _bilingual("why, in zh-CN and en")
    facts = fields.List(fields.Nested(FactUsed))
    missing = fields.List(fields.String())


class BenefitView(Schema):
    key = fields.String(required=True)
    service = fields.String(required=True)
    name = _bilingual("zh-CN and en")
    unit = fields.String()
    amount = _bilingual("what it gives")
    automatic = fields.Boolean()
    facts = fields.List(
        fields.String(), metadata={"description": "the profile facts the programme's rules use"}
    )
    apply_at = fields.String()
    route = fields.String(
        allow_none=True,
        metadata={"description": "the traineeship's way in the person qualifies by, if any"},
    )
    activities = fields.List(
        fields.Dict(keys=fields.String(), values=fields.String()),
        metadata={"description": "activities: those open to the person now (id, title)"},
    )
    verdict = fields.String(required=True, validate=validate.OneOf(VERDICTS))
    rules = fields.List(fields.Nested(RuleVerdict))


class MyBenefits(Schema):
    programmes = fields.List(fields.Nested(BenefitView))
    facts = fields.Dict(
        keys=fields.String(),
        values=fields.String(validate=validate.OneOf(FACT_STATES)),
        metadata={"description": "each profile fact: verified, declared or missing"},
    )
    degraded = fields.List(fields.Nested(DegradedPart))


@routes.route(
    "GET",
    "/api/v1/policies",
    summary="The policy catalogue: every programme, its conditions and amount (no sign-in)",
    response=ProgrammeList,
    errors=(),
    description="Each service lists its own programmes, with the numbers of its policy: the "
    "conditions are the rules applying runs. A service that does not answer is named in "
    "`degraded`.",
)
def list_policies(call: Call, *, services: ClusterProxy, settings: GatewaySettings):
    items, degraded = benefits.catalogue(services, settings.view_timeout)
    return {"items": items, "degraded": degraded}


@routes.route(
    "GET",
    "/api/v1/policies/<key>",
    summary="One programme of the policy catalogue (no sign-in)",
    response=ProgrammeView,
    errors=(404, *SERVICE_ERRORS),
)
def get_policy(call: Call, key: str, *, services: ClusterProxy, settings: GatewaySettings):
    return benefits.programme(services, settings.view_timeout, key)


@routes.route(
    "GET",
    "/api/v1/me/benefits",
    summary="My benefits (政策找人): eligible, not eligible or a fact missing, for every programme",
    roles=(YOUTH,),
    response=MyBenefits,
    errors=(422,),
    description="Each service decides by the rules it applies when the person applies; each "
    "rule gives its reason in zh-CN and en and says whether each fact it used is verified or "
    "declared. Rules on what one declares when applying (no property in the district, not on "
    "the government payroll) are `declaration`.",
)
def my_benefits(call: Call, *, services: ClusterProxy, settings: GatewaySettings, db: Database):
    with db.reading() as session:
        account = session.get(Account, call.account_id)
        return benefits.my_benefits(services, account, settings.view_timeout)
