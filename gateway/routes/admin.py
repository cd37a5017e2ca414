"""The audit trail for administrators (`/api/v1/admin/audit`): the gateway's own, or a
service's through its `audit_trail` RPC."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.common.audit import audit_page
from services.common.db import Database
from services.common.registry import PROCESSES
from services.common.rpc import ClusterProxy
from services.common.schemas import PageQuery

from ..accounts import ADMIN
from ..api import Call, PageResult
from ..composition import Routes
from ..forward import SERVICE_ERRORS


class AuditQuery(PageQuery):
    service = fields.String(required=True, validate=validate.OneOf(list(PROCESSES)))
    subject_type = fields.String(validate=validate.Length(max=50))
    subject_id = fields.String(validate=validate.Length(max=64))
    action = fields.String(validate=validate.Length(max=100))
    actor_id = fields.String(validate=validate.Length(max=64))


class AuditEntryView(Schema):
    id = fields.String(required=True)
    at = fields.DateTime()
    actor_id = fields.String(allow_none=True)
    actor_role = fields.String(allow_none=True)
    actor_unit = fields.String(allow_none=True)
    action = fields.String()
    subject_type = fields.String()
    subject_id = fields.String()
    reason = fields.String(allow_none=True)
    details = fields.Dict()
    request_id = fields.String(allow_none=True)


class AuditPage(Schema):
    items = fields.List(fields.Nested(AuditEntryView), required=True)
    next = fields.String(allow_none=True)


routes = Routes(tags=["admin"])


@routes.route(
    "GET",
    "/api/v1/admin/audit",
    summary="Officer and administrator decisions of one service: who, when, what and why",
    roles=(ADMIN,),
    query=AuditQuery,
    response=AuditPage,
    paginated=True,
    errors=SERVICE_ERRORS,
    description="Entries are written with each decision and never change; there is no route "
    "to edit or delete them.",
)
def audit(call: Call, *, db: Database, services: ClusterProxy):
    query = dict(call.query)
    service, after, limit = query.pop("service"), query.pop("after", None), query.pop("limit")
    if service == "gateway":
        with db.reading() as session:
            page = audit_page(session, db.metadata.tables["audit_entry"], query, after, limit)
    else:
        page = getattr(services, service).audit_trail(filters=query, after=after, limit=limit)
    return PageResult.of(page)
