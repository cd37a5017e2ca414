"""Evidence documents (`/api/v1/me/evidence`, `/api/v1/evidence`, `/api/v1/people/{id}/evidence`,
`/api/v1/review/evidence`): a young person gives a document for a fact, the officers of the unit
that verifies the fact read it and verify the fact against it. An employer attaches its own
(`/api/v1/employer/evidence`): its business licence, the labour contract of a hire; officers of
the unit whose case needs them list (`/api/v1/employers/{id}/evidence`) and read them. The
rules are `gateway/evidence.py`; the files are in the object store (`gateway/objectstore.py`).
"""

from __future__ import annotations

from werkzeug.wrappers import Response

from services.common.db import Database
from services.common.errors import Forbidden, NotFound
from services.common.rpc import ClusterProxy
from services.common.schemas import PageQuery

from .. import evidence
from ..accounts import EMPLOYER, OFFICER, YOUTH
from ..api import Call, Created, NoContent, PageResult
from ..bodies import raw_body
from ..composition import Routes
from ..facts import VERIFIED_BY
from ..models import Account
from ..objectstore import ObjectStore
from ..schemas import EmployerDocumentQuery, EvidenceList, EvidenceQueuePage, EvidenceView
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


_EMPLOYER_KINDS = ", ".join(
    f"`{kind}` ({shown})" for kind, (_, shown) in evidence.EMPLOYER_DOCUMENTS.items()
)


@routes.route(
    "POST",
    "/api/v1/employer/evidence/<kind>",
    summary="Attach a document of my business: its licence, or the labour contract of a hire",
    roles=(EMPLOYER,),
    query=EmployerDocumentQuery,
    response=EvidenceView,
    status=201,
    errors=(404, 409, 413, 422, 503),
    upload=evidence.CONTENT_TYPES,
    upload_limit="evidence_max_bytes",
    description="The body is the file itself, checked as a young person's evidence is (PDF, "
    "JPEG or PNG by content; at most EVIDENCE_MAX_BYTES; at most EVIDENCE_MAX_DOCUMENTS). "
    "Kinds: " + _EMPLOYER_KINDS + ". A labour contract names the hire's `application_id` (one "
    "of my posts' applications, 404 otherwise; 409 `not_a_hire` unless it ended in a hire). "
    "Read by me and by officers of 区人社局 (hrss), each read recorded.",
)
def upload_employer_document(
    call: Call,
    kind: str,
    *,
    db: Database,
    evidence_store: ObjectStore,
    services: ClusterProxy,
    settings: GatewaySettings,
):
    if kind not in evidence.EMPLOYER_DOCUMENTS:
        raise NotFound("document_kind")
    about = None
    if kind in evidence.ABOUT_A_HIRE:
        about = evidence.labour_contract_of(services, call.query.get("application_id"))
    data = raw_body(call.request)
    view = evidence.add(
        db,
        evidence_store,
        call.account_id,
        kind,
        data,
        settings.evidence_max_bytes,
        settings.evidence_max_documents,
        about,
    )
    return Created(view, f"/api/v1/evidence/{view['id']}")


@routes.route(
    "GET",
    "/api/v1/employer/evidence",
    summary="The documents my business attached, newest first",
    roles=(EMPLOYER,),
    response=EvidenceList,
)
def employer_documents(call: Call, *, db: Database):
    with db.reading() as session:
        return {"items": evidence.documents_of(session, call.account_id)}


@routes.route(
    "GET",
    "/api/v1/employers/<employer_id>/evidence",
    summary="An employer's documents my unit's cases need (licence, hires' contracts)",
    roles=(OFFICER,),
    response=EvidenceList,
    errors=(404,),
)
def employer_evidence(call: Call, employer_id: str, *, db: Database):
    with db.reading() as session:
        employer = session.get(Account, employer_id)
        if employer is None or employer.role != EMPLOYER:
            raise NotFound("employer")
        kinds = [
            kind
            for kind, (unit, _) in evidence.EMPLOYER_DOCUMENTS.items()
            if unit == call.identity.unit
        ]
        return {"items": evidence.documents_of(session, employer_id, kinds)}


@routes.route(
    "GET",
    "/api/v1/evidence/<document_id>",
    summary="An evidence document's file: its owner, or an officer of the unit whose case needs it",
    roles=(YOUTH, EMPLOYER, OFFICER),
    errors=(404, 503),
    download=evidence.CONTENT_TYPES,
    description="Answered as an attachment. An officer's read is recorded (who, when, which "
    "document) and shown in the data export of the person it is about (the owner, or the hire "
    "an employer's labour contract names); anyone else gets 404.",
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
