"""Facts partner systems push (`/api/v1/partners/facts`) and the fact kinds an administrator
grants each partner (`/api/v1/partners/{partner_id}/facts`); the rules are
`gateway/partner_facts.py`."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.common.db import Database
from services.common.errors import NotFound
from services.common.fields import CitizenId

from .. import partner_facts
from ..accounts import ADMIN, PARTNER
from ..api import Call
from ..composition import Routes
from ..facts import VERIFIED_BY

routes = Routes(tags=["partners"])

_FACTS = ", ".join(f"`{fact}`" for fact in VERIFIED_BY)


class FactGrantRequest(Schema):
    reference = fields.String(
        validate=validate.Length(max=100),
        metadata={"description": "the data-sharing agreement", "example": "社保数据共享协议"},
    )


class FactGrantView(Schema):
    partner_id = fields.String(required=True)
    fact = fields.String(required=True)
    reference = fields.String(allow_none=True)
    granted_by = fields.String(required=True)
    granted_at = fields.DateTime(required=True)
    revoked_by = fields.String(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)


class FactGrantList(Schema):
    items = fields.List(fields.Nested(FactGrantView), required=True)


class FactPush(Schema):
    """One fact of one person, as the partner's records hold it."""

    person_id = fields.String(validate=validate.Length(max=36))
    citizen_id = CitizenId(metadata={"description": "instead of person_id"})
    fact = fields.String(required=True, metadata={"example": "local_social_insurance_months"})
    value = fields.Raw(
        required=True,
        metadata={"description": "as the profile holds the fact (a date, a degree, a number)"},
    )
    as_of = fields.Date(required=True, metadata={"description": "the day the value held"})
    reference = fields.String(
        validate=validate.Length(max=100),
        metadata={"description": "the partner's own record", "example": "SI-2026-000123"},
    )


class FactPushed(Schema):
    person_id = fields.String(required=True)
    fact = fields.String(required=True)
    value = fields.String(allow_none=True)
    state = fields.String(required=True, metadata={"example": "verified"})
    source = fields.String(required=True, metadata={"example": "partner:social_insurance"})
    as_of = fields.Date(required=True)
    changed = fields.Boolean(
        required=True, metadata={"description": "whether the value or its state changed"}
    )


@routes.route(
    "POST",
    "/api/v1/partners/facts",
    summary="Report a person's fact from the partner's records: it becomes verified (数据共享核验)",
    roles=(PARTNER,),
    body=FactPush,
    response=FactPushed,
    errors=(403, 404, 409, 422),
    description="Only facts an administrator granted the partner (403 `fact_not_granted`). The "
    "person is named by `person_id` or `citizen_id` (exactly one). The value replaces the "
    "profile's and is verified with source `partner:<username>`, the day it held and the "
    "reference; a record as of an earlier day than one already pushed is 409 "
    "`fact_push_stale`. Facts: " + _FACTS + ".",
)
def push_fact(call: Call, *, db: Database):
    with db.unit_of_work() as uow:
        answer = partner_facts.push(uow, call.identity, call.body)
        uow.commit()
    return answer


@routes.route(
    "GET",
    "/api/v1/partners/<partner_id>/facts",
    summary="The fact kinds granted to a partner, revoked ones too (the partner itself, admin)",
    roles=(ADMIN, PARTNER),
    response=FactGrantList,
    errors=(404,),
)
def list_fact_grants(call: Call, partner_id: str, *, db: Database):
    if call.identity.role == PARTNER and call.account_id != partner_id:
        raise NotFound("partner")
    with db.reading() as session:
        return {"items": partner_facts.grants_of(session, partner_id)}


@routes.route(
    "PUT",
    "/api/v1/partners/<partner_id>/facts/<fact>",
    summary="Grant a partner a fact kind it may push as verified (recorded)",
    tags=["partners", "admin"],
    roles=(ADMIN,),
    body=FactGrantRequest,
    response=FactGrantView,
    errors=(404, 422),
    description="Facts: " + _FACTS + ". Recorded in the audit trail (`partner.fact_granted`).",
)
def grant_fact(call: Call, partner_id: str, fact: str, *, db: Database):
    if fact not in VERIFIED_BY:
        raise NotFound("fact")
    with db.unit_of_work() as uow:
        view = partner_facts.grant(
            uow, call.account_id, partner_id, fact, call.body.get("reference")
        )
        uow.commit()
    return view


@routes.route(
    "DELETE",
    "/api/v1/partners/<partner_id>/facts/<fact>",
    summary="Revoke a partner's grant of a fact kind (recorded; the grant's row stays)",
    tags=["partners", "admin"],
    roles=(ADMIN,),
    response=FactGrantView,
    errors=(404,),
)
def revoke_fact(call: Call, partner_id: str, fact: str, *, db: Database):
    with db.unit_of_work() as uow:
        view = partner_facts.revoke(uow, call.account_id, partner_id, fact)
        uow.commit()
    return view
