"""Evidence documents (`/api/v1/me/evidence`, `/api/v1/evidence`, `/api/v1/people/{id}/evidence`,
`/api/v1/review/evidence`): a young person gives a document for a fact, the officers of the unit
that verifies the fact read it and verify the fact against it. The rules are
`gateway/evidence.py`; the files are in the object store (`gateway/objectstore.py`).
"""

from __future__ import annotations

from werkzeug.wrappers import Response

from services.common.db import Database
from services.common.errors import Forbidden, NotFound
from services.common.schemas import PageQuery

from .. import evidence
from ..accounts import OFFICER, YOUTH
from ..api import Call, Created, NoContent, PageResult
from ..bodies import raw_body
from ..composition import Routes
from ..facts import VERIFIED_BY
from ..models import Account
from ..objectstore import ObjectStore
from ..schemas import EvidenceList, EvidenceQueuePage, EvidenceView
from ..settings import GatewaySettings

routes = Routes(tags=["evidence"])

_FACTS = ", ".join(f"`{fact}` ({shown})" for fact, shown in evidence.SHOWN_BY.items())


@routes.route(
    "POST",
    "/api/v1/me/evidence/<fact>",
    summary="Give a document as evidence of one of my facts (a degree certificate, a contract…)",
    roles=(YOUTH,),
    response=EvidenceView,
    status=201,
    errors=(404, 409, 413, 422, 503),
    upload=evidence.CONTENT_TYPES,
    upload_limit="evidence_max_bytes",
    description="The body is the file itself: a PDF, JPEG or PNG, judged by its content (422 "
    "`evidence_type_not_allowed` for anything else, whatever its name or Content-Type), at most "
    "EVIDENCE_MAX_BYTES (413). Its name is not asked for and not kept. A person keeps at most "
    "EVIDENCE_MAX_DOCUMENTS (409 `evidence_limit_reached`). Facts: " + _FACTS + ".",
)
def upload_evidence(
    call: Call,
    fact: str,
    *,
    db: Database,
    evidence_store: ObjectStore,
    settings: GatewaySettings,
):
    if fact not in VERIFIED_BY:
        raise NotFound("fact")
    data = raw_body(call.request)
    view = evidence.add(
        db,
        evidence_store,
        call.account_id,
        fact,
        data,
        settings.evidence_max_bytes,
        settings.evidence_max_documents,
    )
    return Created(view, f"/api/v1/evidence/{view['id']}")


@routes.route(
    "GET",
    "/api/v1/me/evidence",
    summary="The evidence documents I gave, newest first",
    roles=(YOUTH,),
    response=EvidenceList,
)
def my_evidence(call: Call, *, db: Database):
    with db.reading() as session:
        return {"items": evidence.documents_of(session, call.account_id)}


@routes.route(
    "DELETE",
    "/api/v1/me/evidence/<document_id>",
    summary="Take back an evidence document no verification rests on",
    roles=(YOUTH,),
    status=204,
    errors=(404, 409, 503),
    description="A document an officer verified a fact against stays (409 `evidence_in_use`): "
    "it is the record of what was checked. Erasure deletes every document.",
)
def delete_my_evidence(call: Call, document_id: str, *, db: Database, evidence_store: ObjectStore):
    evidence.delete(db, evidence_store, call.account_id, document_id)
    return NoContent


@routes.route(
    "GET",
    "/api/v1/evidence/<document_id>",
    summary="An evidence document's file: its owner, or an officer of the unit verifying its fact",
    roles=(YOUTH, OFFICER),
    errors=(404, 503),
    download=evidence.CONTENT_TYPES,
    description="Answered as an attachment. An officer's read is recorded (who, when, which "
    "document) and shown to the person in their data export; anyone else gets 404.",
)
def evidence_file(call: Call, document_id: str, *, db: Database, evidence_store: ObjectStore):
    document, data = evidence.read(db, evidence_store, call.identity, document_id)
    response = Response(data, content_type=document["content_type"])
    extension = evidence.EXTENSIONS[document["content_type"]]
    response.headers["Content-Disposition"] = (
        f'attachment; filename="evidence-{document["id"]}.{extension}"'
    )
    # a file someone uploaded is never a page of this origin, even if opened in a tab
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@routes.route(
    "GET",
    "/api/v1/people/<person_id>/evidence",
    summary="A person's evidence documents for the facts my unit verifies",
    roles=(OFFICER,),
    response=EvidenceList,
    errors=(404,),
)
def person_evidence(call: Call, person_id: str, *, db: Database):
    with db.reading() as session:
        person = session.get(Account, person_id)
        if person is None or person.role != YOUTH:
            raise NotFound("person")
        facts = evidence.facts_of_unit(call.identity.unit)
        return {"items": evidence.documents_of(session, person_id, facts)}


@routes.route(
    "GET",
    "/api/v1/review/evidence",
    summary="The verification queue: evidence given for facts my unit verifies, not yet checked",
    roles=(OFFICER,),
    query=PageQuery,
    response=EvidenceQueuePage,
    paginated=True,
    errors=(403,),
    description="Documents given after the fact was last verified (or while it is not), oldest "
    "first, each with the value the person declares now (`declared_value`, what a verification "
    "holds verified); verify with `POST /api/v1/people/{id}/facts/{fact}/verification` naming "
    "the document as `evidence_id`. An officer of a unit that verifies no fact gets 403 "
    "`not_responsible_unit`.",
)
def evidence_queue(call: Call, *, db: Database):
    if not evidence.facts_of_unit(call.identity.unit):
        raise Forbidden(
            "not_responsible_unit", params={"unit": ", ".join(set(VERIFIED_BY.values()))}
        )
    with db.reading() as session:
        page = evidence.waiting(
            session, call.identity.unit, call.query.get("after"), call.query["limit"]
        )
        declared = evidence.declared_values(session, page.items)
        return PageResult(
            [{**evidence.view(d), "declared_value": declared[d.id]} for d in page.items],
            page.next_cursor,
        )
