"""The audit trail for administrators (`/api/v1/admin/audit`)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.common.audit import audit_page
from services.common.registry import PROCESSES
from services.common.schemas import PageQuery

from ..accounts import ADMIN
from ..api import Call, PageResult, route


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


class AdminRoutes:
    @route(
        "GET",
        "/api/v1/admin/audit",
        summary="Officer and administrator decisions of one service: who, when, what and why",
        tags=["admin"],
        roles=(ADMIN,),
        query=AuditQuery,
        response=AuditPage,
        paginated=True,
        errors=(503, 504),
        description="Entries are written with each decision and never change; there is no route "
        "to edit or delete them.",
    )
    def audit(self, call: Call):
        query = dict(call.query)
        service, after, limit = query.pop("service"), query.pop("after", None), query.pop("limit")
        if service == "gateway":
            with self.db.reading() as session:
                page = audit_page(
                    session, self.db.metadata.tables["audit_entry"], query, after, limit
                )
        else:
            page = getattr(self.services, service).audit_trail(
                filters=query, after=after, limit=limit
            )
        return PageResult.of(page)
