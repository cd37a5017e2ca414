"""The audit trail for administrators (`/api/v1/admin/audit`): the gateway's own, a service's
through its `audit_trail` RPC, or, without `service`, every one's merged newest first.

Every trail is paged by the same key (`at`, then `id`, newest first), so one cursor serves them
all: the merged page asks each trail for entries after the same position, keeps the newest
`limit` of them, and its cursor is the last one kept (issue 26: without `service` the route
answered 422, which told an administrator nothing they could act on)."""

from __future__ import annotations

from datetime import UTC, datetime

from marshmallow import Schema, fields, validate

from services.common.audit import audit_page
from services.common.db import Database
from services.common.pagination import encode_cursor
from services.common.registry import PROCESSES
from services.common.rpc import ClusterProxy
from services.common.schemas import PageQuery

from ..accounts import ADMIN
from ..api import Call, PageResult
from ..composition import Routes
from ..forward import SERVICE_ERRORS


class AuditQuery(PageQuery):
    service = fields.String(
        validate=validate.OneOf(list(PROCESSES)),
        metadata={"description": "one service's trail; without it, every service's, merged"},
    )
    subject_type = fields.String(validate=validate.Length(max=50))
    subject_id = fields.String(validate=validate.Length(max=64))
    action = fields.String(validate=validate.Length(max=100))
    actor_id = fields.String(validate=validate.Length(max=64))


class AuditEntryView(Schema):
    id = fields.String(required=True)
    service = fields.String(metadata={"description": "the service whose trail holds the entry"})
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
    summary="Officer and administrator decisions: who, when, what and why",
    roles=(ADMIN,),
    query=AuditQuery,
    response=AuditPage,
    paginated=True,
    errors=SERVICE_ERRORS,
    description="Entries are written with each decision and never change; there is no route "
    "to edit or delete them. With `service`, one service's trail; without it, every service's "
    "trail merged, newest first (each entry names its `service`).",
)
def audit(call: Call, *, db: Database, services: ClusterProxy):
    query = dict(call.query)
    service, after, limit = query.pop("service", None), query.pop("after", None), query.pop("limit")

    def trail(name: str) -> dict:
        if name == "gateway":
            with db.reading() as session:
                page = audit_page(session, db.metadata.tables["audit_entry"], query, after, limit)
        else:
            page = getattr(services, name).audit_trail(filters=query, after=after, limit=limit)
        for entry in page["items"]:
            entry["service"] = name
        return page

    if service:
        return PageResult.of(trail(service))
    return PageResult.of(merged([trail(name) for name in PROCESSES], limit))


def _moment(entry: dict) -> datetime:
    moment = datetime.fromisoformat(entry["at"])
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def merged(pages: list[dict], limit: int) -> dict:
    """The newest `limit` entries of pages that each start after the same position; the next
    page starts after the last entry kept, in every trail."""
    entries = sorted(
        (entry for page in pages for entry in page["items"]),
        key=lambda entry: (_moment(entry), entry["id"]),
        reverse=True,
    )
    kept = entries[:limit]
    more = len(entries) > limit or any(page.get("next_cursor") for page in pages)
    last = kept[-1] if kept else None
    return {
        "items": kept,
        "next_cursor": encode_cursor((last["at"], last["id"])) if more and last else None,
    }
