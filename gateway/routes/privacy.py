"""Personal-data rights (PIPL): a person sees everything held about them, and has it erased.

* `GET /api/v1/me/data` gathers the gateway's part and every service's (`export_person`), each
  labelled; a part that cannot be had makes the whole a 503 naming it (an export must not
  silently leave things out).
* `POST /api/v1/me/erasure` asks; an administrator confirms, or ERASURE_GRACE_HOURS pass. Then
  the gateway anonymises its own records, publishes `person.erased`, and follows each service's
  `person.anonymised` answer (`gateway/erasure.py`; the timer and handlers that follow are in
  `gateway/background.py`). Admins see the state service by service.
"""

from __future__ import annotations

import functools
import json
from datetime import timedelta

import sqlalchemy as sa
from marshmallow import Schema, fields
from werkzeug.wrappers import Response

from services.common.clock import utcnow
from services.common.db import Database
from services.common.encoding import dumps
from services.common.errors import Conflict, DomainError, NotFound
from services.common.models import new_id
from services.common.pagination import DESC, keyset_page
from services.common.registry import DOMAIN_SERVICES
from services.common.rpc import ClusterProxy

from .. import appeals, evidence
from ..accounts import ADMIN, EMPLOYER, YOUTH, Viewer, account_view
from ..api import Call, PageResult
from ..composition import Routes
from ..erasure import ACTIVE, erase, erasure_view, states_of
from ..fanout import call_all
from ..models import ErasureRequest
from ..objectstore import ObjectStore
from ..read_model import ReadModel
from ..settings import GatewaySettings

PEOPLE = (YOUTH, EMPLOYER)


class ErasureStateView(Schema):
    service = fields.String()
    status = fields.String()
    records = fields.Integer(allow_none=True)
    times_asked = fields.Integer()
    applied_at = fields.DateTime(allow_none=True)


class ErasureView(Schema):
    id = fields.String()
    person_id = fields.String()
    status = fields.String(metadata={"description": "requested, confirmed, completed or cancelled"})
    requested_at = fields.DateTime()
    confirm_after = fields.DateTime()
    confirmed_at = fields.DateTime(allow_none=True)
    completed_at = fields.DateTime(allow_none=True)
    services = fields.List(fields.Nested(ErasureStateView))


class ErasurePage(Schema):
    items = fields.List(fields.Nested(ErasureView), required=True)
    next = fields.String(allow_none=True)


class ErasureFilter(Schema):
    status = fields.String()
    limit = fields.Integer(load_default=20)
    after = fields.String()


class PersonalData(Schema):
    person_id = fields.String()
    exported_at = fields.DateTime()
    parts = fields.Dict(
        metadata={"description": "what each part of the platform holds, by service"}
    )


routes = Routes(tags=["privacy"])

# -- export -----------------------------------------------------------------------


def _reveals_of(db: Database, person_id: str) -> list[dict]:
    """Each time an officer revealed the person's ID number, phone and email: when, who, of
    which unit, and why (the gateway's audit trail, `POST /api/v1/people/{id}/reveal`)."""
    table = db.metadata.tables["audit_entry"]
    with db.reading() as session:
        rows = session.execute(
            sa.select(table)
            .where(
                table.c.action == "person.revealed",
                table.c.subject_type == "person",
                table.c.subject_id == person_id,
            )
            .order_by(table.c.at, table.c.id)
        ).mappings()
        return [
            {
                "at": row["at"],
                "officer_id": row["actor_id"],
                "unit": row["actor_unit"],
                "reason": row["reason"],
                "reference": json.loads(row["details"]).get("reference"),
            }
            for row in rows
        ]


def _evidence_of(db: Database, person_id: str) -> list[dict]:
    with db.reading() as session:
        return evidence.documents_of(session, person_id)


def _verifications_of(account) -> list[dict]:
    if account.profile is None:
        return []
    return [
        {
            "fact": row.fact,
            "source": row.source,
            "verified_by": row.verified_by,
            "verified_at": row.verified_at,
            "as_of": row.as_of,
            "reference": row.reference,
            "evidence_id": row.evidence_id,
        }
        for row in sorted(account.profile.verifications, key=lambda row: row.fact)
    ]


def _appeals_of(db: Database, account) -> list[dict]:
    """The person's identity appeals (the number they claimed, their statement, the decision)."""
    viewer = Viewer.holder_of(account)
    with db.reading() as session:
        return [
            appeals.appeal_view(session, appeal, viewer)
            for appeal in appeals.appeals_of(session, account.id)
        ]


def _export(call: Call, services: ClusterProxy, settings: GatewaySettings, db: Database) -> dict:
    """The gateway's part and every service's, or a 503 naming the services that did not
    answer."""
    person = call.account_id
    timeout = settings.view_timeout
    within = services.with_timeout(timeout)
    calls = {
        name: functools.partial(getattr(within, name).export_person, person_id=person)
        for name in DOMAIN_SERVICES
    }
    parts, degraded = call_all(calls, timeout)
    if degraded:
        raise DomainError(
            "export_incomplete",
            status=503,
            params={"services": ", ".join(sorted(d.part for d in degraded))},
        )
    account = call.identity.account
    return {
        "person_id": person,
        "exported_at": utcnow(),
        "parts": {
            "gateway": {
                "account": account_view(account, Viewer.holder_of(account)),
                # PIPL art. 45: who saw the person's ID number and contacts, and why
                "personal_data_revealed": _reveals_of(db, person),
                "identity_appeals": _appeals_of(db, account),
                # who verified which fact, from what (an officer against a document, a
                # partner's record, a hire the platform saw)
                "fact_verifications": _verifications_of(account),
                "evidence": _evidence_of(db, person),
                # and which officer read which of their documents, when
                "evidence_read": evidence.reads_of(db, person),
            },
            **parts,
        },
    }


@routes.route(
    "GET",
    "/api/v1/me/data",
    summary="Everything the platform holds about me, each service's part labelled (PIPL)",
    roles=PEOPLE,
    response=PersonalData,
    errors=(503,),
)
def my_data(call: Call, *, services: ClusterProxy, settings: GatewaySettings, db: Database):
    return _export(call, services, settings, db)


@routes.route(
    "GET",
    "/api/v1/me/data/download",
    summary="The same, as a JSON file to keep",
    roles=PEOPLE,
    errors=(503,),
    response_content_type="application/json",
)
def my_data_download(
    call: Call, *, services: ClusterProxy, settings: GatewaySettings, db: Database
):
    export = _export(call, services, settings, db)
    response = Response(dumps(export), content_type="application/json")
    day = export["exported_at"].date().isoformat()
    response.headers["Content-Disposition"] = f'attachment; filename="youthcity-my-data-{day}.json"'
    return response


# -- erasure ----------------------------------------------------------------------


@routes.route(
    "POST",
    "/api/v1/me/erasure",
    summary="Ask for my personal data to be erased",
    roles=PEOPLE,
    response=ErasureView,
    status=202,
    errors=(409,),
    description="An administrator confirms, or the grace period (ERASURE_GRACE_HOURS) passes; "
    "then every service anonymises the records it holds about me.",
)
def request_erasure(call: Call, *, db: Database, settings: GatewaySettings):
    now = utcnow()
    grace = timedelta(hours=settings.erasure_grace_hours)
    with db.unit_of_work() as uow:
        pending = uow.session.execute(
            sa.select(ErasureRequest).where(
                ErasureRequest.person_id == call.account_id, ErasureRequest.status.in_(ACTIVE)
            )
        ).scalar_one_or_none()
        if pending is not None:
            raise Conflict("erasure_already_requested")
        request = ErasureRequest(
            id=new_id(),
            person_id=call.account_id,
            status="requested",
            requested_at=now,
            confirm_after=now + grace,
        )
        uow.session.add(request)
        uow.commit()
        return erasure_view(request, [])


@routes.route(
    "GET",
    "/api/v1/me/erasure",
    summary="My erasure request and how far it has got",
    roles=PEOPLE,
    response=ErasureView,
    errors=(404,),
)
def my_erasure(call: Call, *, db: Database):
    with db.reading() as session:
        request = session.execute(
            sa.select(ErasureRequest)
            .where(ErasureRequest.person_id == call.account_id)
            .order_by(ErasureRequest.requested_at.desc())
            .limit(1)
        ).scalar_one_or_none()
        if request is None:
            raise NotFound("erasure")
        return erasure_view(request, states_of(session, request.id))


@routes.route(
    "GET",
    "/api/v1/admin/erasures",
    summary="Erasure requests and their state in each service",
    tags=["admin", "privacy"],
    roles=(ADMIN,),
    query=ErasureFilter,
    response=ErasurePage,
    paginated=True,
)
def list_erasures(call: Call, *, db: Database):
    query = sa.select(ErasureRequest)
    if call.query.get("status"):
        query = query.where(ErasureRequest.status == call.query["status"])
    with db.reading() as session:
        page = keyset_page(
            session,
            query,
            [(ErasureRequest.requested_at, DESC), (ErasureRequest.id, DESC)],
            call.query.get("after"),
            call.query["limit"],
        )
        return PageResult(
            [erasure_view(r, states_of(session, r.id)) for r in page.items],
            page.next_cursor,
        )


@routes.route(
    "POST",
    "/api/v1/admin/erasures/<erasure_id>/confirm",
    summary="Confirm an erasure: the person's data is anonymised everywhere",
    tags=["admin", "privacy"],
    roles=(ADMIN,),
    response=ErasureView,
    errors=(404, 409),
)
def confirm_erasure(
    call: Call, erasure_id: str, *, db: Database, read_model: ReadModel, evidence_store: ObjectStore
):
    erase(db, read_model, evidence_store, erasure_id, confirmed_by=call.account_id)
    with db.reading() as session:
        return erasure_view(session.get(ErasureRequest, erasure_id), states_of(session, erasure_id))
