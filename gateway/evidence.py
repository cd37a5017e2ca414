"""Evidence documents (证明材料): what a person shows for a fact a decision rests on.

* **Given by the person** for one of the facts in `facts.VERIFIED_BY`: a degree certificate
  (毕业证书) or its online registration record for the graduation date and the degree, a labour
  contract for the employment status, a social-insurance record (参保证明) for the months of
  local social insurance.
* **Checked on the bytes, not the name**: at most `EVIDENCE_MAX_BYTES` (413 past it), and a PDF,
  JPEG or PNG by its leading signature (magic number), whatever the request says it is (422
  `evidence_type_not_allowed`). The name a file had on the person's phone is never asked for,
  kept, logged or put in an event.
* **Kept in the object store** (`gateway/objectstore.py`) under a key made of ids, with a row
  here: owner, fact, content type, size, SHA-256, key, when.
* **Read by the owner, and by officers of the unit that verifies the fact** (`VERIFIED_BY`);
  each officer's read is recorded in the audit trail (`evidence.read`) and shown to the person in
  their data export, like a reveal of their ID number (PIPL art. 45). Anyone else: 404.
* **Named by a verification**: the officer verifying a fact may name the document it was
  checked against (`facts.verify`); a document so used cannot be deleted by the person.
* **Erased with the person**: after the erasure commits, every file and row of the person goes
  (`purge`); the erasure timer finishes what a failure left (`purge_erased`).
* **Attached by an employer** (`EMPLOYER_DOCUMENTS`): its business licence (营业执照), and the
  labour contract (劳动合同) of a hire it claims the hiring subsidy for, naming the hire's job
  application (jobs says whether it is the employer's and a hire: `labour_contract_of`). The
  same checks, store and limits; read by the employer and the officers of the unit whose case
  needs it (区人社局, `hrss`: it verifies employers and decides subsidy claims). An officer's
  read of a contract is recorded with the hired person as subject, so it is in that person's
  data export like a read of their own document.
"""

from __future__ import annotations

import hashlib
import json
import logging

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from services.common.clock import utcnow
from services.common.db import Database
from services.common.errors import Conflict, DomainError, InvalidInput, NotFound
from services.common.models import new_id
from services.common.pagination import ASC, Page, keyset_page

from .accounts import OFFICER, YOUTH
from .facts import VERIFIED_BY, value_of
from .messages import MESSAGES
from .models import Account, EvidenceDocument, ProfileFactVerification, YouthProfile
from .objectstore import ObjectStore

log = logging.getLogger(__name__)

#: the leading bytes of each type a document may be (ISO 32000 `%PDF-`, JFIF/Exif's SOI marker
#: followed by a marker's 0xFF, the PNG signature of RFC 2083)
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
CONTENT_TYPES = tuple(content_type for _, content_type in SIGNATURES)
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}

#: what a person shows for each fact (the console's hint and the API's documentation)
SHOWN_BY = {
    "graduation_date": "degree certificate (毕业证书) or its online registration record",
    "degree": "degree certificate (学位证书/毕业证书)",
    "employment_status": "labour contract (劳动合同)",
    "local_social_insurance_months": "social-insurance payment record (社保缴费证明)",
}
#: the documents an employer attaches, each with the unit whose officers read it (区人社局
#: verifies employers and decides hiring-subsidy claims) and what it is
EMPLOYER_DOCUMENTS = {
    "business_licence": ("hrss", "business licence (营业执照)"),
    "labour_contract": ("hrss", "labour contract of a hire (劳动合同), naming its application"),
}
#: an employer's document about a hire: it names the job application
ABOUT_A_HIRE = ("labour_contract",)
#: the audit action of an officer's read of a document
READ = "evidence.read"


def reader_unit(kind: str) -> str | None:
    """The unit whose officers read documents of `kind` (a fact, or an employer's kind)."""
    if kind in EMPLOYER_DOCUMENTS:
        return EMPLOYER_DOCUMENTS[kind][0]
    return VERIFIED_BY.get(kind)


def content_type_of(data: bytes) -> str | None:
    """The document's type by its leading bytes, or None when it is none we accept."""
    return next((kind for magic, kind in SIGNATURES if data.startswith(magic)), None)


def check_document(data: bytes, limit: int) -> str:
    """The content type of an acceptable document; 413 past `limit`, 422 for any other type."""
    if len(data) > limit:
        raise DomainError("body_too_large", status=413, params={"limit": limit})
    content_type = content_type_of(data)
    if content_type is None:
        raise InvalidInput.for_field("document", "evidence_type_not_allowed", MESSAGES)
    return content_type


def view(document: EvidenceDocument) -> dict:
    """A document's record, as its owner and the officers who may read it see it."""
    return {
        "id": document.id,
        "owner_id": document.owner_id,
        "fact": document.fact,
        "person_id": document.person_id,
        "reference": document.reference,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        "uploaded_at": document.uploaded_at,
    }


def add(
    db: Database,
    store: ObjectStore,
    owner_id: str,
    fact: str,
    data: bytes,
    limit: int,
    most: int,
    about: tuple[str, str] | None = None,
):
    """Keep `data` as the owner's evidence of `fact`: the file first, then its row, so that a
    row never names a file that is not there (a failed commit leaves an unnamed file). An owner
    keeps at most `most` documents (409 `evidence_limit_reached`). `about`: the person and the
    reference an employer's document is about (`labour_contract_of`)."""
    content_type = check_document(data, limit)
    with db.reading() as session:
        kept = session.scalar(
            sa.select(sa.func.count())
            .select_from(EvidenceDocument)
            .where(EvidenceDocument.owner_id == owner_id)
        )
    if kept >= most:
        raise Conflict("evidence_limit_reached", params={"limit": most})
    document_id = new_id()
    key = f"evidence/{owner_id}/{document_id}"
    store.put(key, data, content_type)
    with db.unit_of_work() as uow:
        document = EvidenceDocument(
            id=document_id,
            owner_id=owner_id,
            fact=fact,
            person_id=about[0] if about else None,
            reference=about[1] if about else None,
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            key=key,
            uploaded_at=utcnow(),
        )
        uow.session.add(document)
        uow.commit()
        return view(document)


def documents_of(session: Session, owner_id: str, facts=None) -> list[dict]:
    """The owner's documents, newest first (of `facts` only, when given)."""
    query = sa.select(EvidenceDocument).where(EvidenceDocument.owner_id == owner_id)
    if facts is not None:
        query = query.where(EvidenceDocument.fact.in_(list(facts)))
    query = query.order_by(EvidenceDocument.uploaded_at.desc(), EvidenceDocument.id.desc())
    return [view(document) for document in session.execute(query).scalars()]


def facts_of_unit(unit: str | None) -> list[str]:
    """The facts whose evidence officers of `unit` read."""
    return [fact for fact, verifier in VERIFIED_BY.items() if verifier == unit]


def may_read(identity, document: EvidenceDocument) -> bool:
    """The owner, or an officer of the unit that verifies the document's fact (of an
    employer's document: the unit whose case needs it)."""
    if identity.account_id == document.owner_id:
        return True
    return identity.role == OFFICER and identity.unit == reader_unit(document.fact)


def labour_contract_of(services, application_id: str | None) -> tuple[str, str]:
    """The person and the application a labour contract is about: `application_id` must be a
    hire to one of the calling employer's posts (jobs answers as the caller: 404 when it is
    not theirs; 409 `not_a_hire` when the application did not end in a hire)."""
    if not application_id:
        raise InvalidInput.for_field("application_id", "required")
    application = services.jobs.get_application(application_id=application_id)
    if application["state"] != "hired":
        raise Conflict("not_a_hire", field="application_id")
    return application["person_id"], application_id


def read(db: Database, store: ObjectStore, identity, document_id: str):
    """The document and its bytes for `identity` (404 to anyone who may not read it: whether
    it exists is not theirs to know); an officer's read is recorded with the owner as subject."""
    with db.unit_of_work() as uow:
        document = uow.session.get(EvidenceDocument, document_id)
        if document is None or not may_read(identity, document):
            raise NotFound("evidence")
        data = store.get(document.key)
        if identity.account_id != document.owner_id:
            # the person the document is about: its owner, or the hire of an employer's contract
            subject = document.person_id or document.owner_id
            details = {"document_id": document.id, "fact": document.fact}
            if document.person_id:
                details["owner_id"] = document.owner_id
            uow.audit(READ, ("person", subject), None, details)
        uow.commit()
        return view(document), data


def delete(db: Database, store: ObjectStore, owner_id: str, document_id: str) -> None:
    """The owner takes back a document no verification rests on (409 when one does)."""
    with db.unit_of_work() as uow:
        document = uow.session.get(EvidenceDocument, document_id)
        if document is None or document.owner_id != owner_id:
            raise NotFound("evidence")
        if _used(uow.session, document_id):
            raise Conflict("evidence_in_use")
        key = document.key
        uow.session.delete(document)
        uow.commit()
    store.delete(key)


def _used(session: Session, document_id: str) -> bool:
    query = sa.select(ProfileFactVerification.fact).where(
        ProfileFactVerification.evidence_id == document_id
    )
    return session.execute(query).first() is not None


def check_evidence_of(session: Session, document_id: str, person_id: str, fact: str) -> None:
    """A verification may name only a document the person gave for that fact (422 otherwise)."""
    document = session.get(EvidenceDocument, document_id)
    if document is None or document.owner_id != person_id or document.fact != fact:
        raise InvalidInput.for_field("evidence_id", "evidence_not_of_fact", MESSAGES)


def waiting(session: Session, unit: str | None, after: str | None, limit: int) -> Page:
    """The verification queue of `unit`: documents of young people for the facts it verifies,
    given after the fact was last verified (or while it is not), oldest first."""
    verification = aliased(ProfileFactVerification)
    query = (
        sa.select(EvidenceDocument)
        .join(Account, Account.id == EvidenceDocument.owner_id)
        .outerjoin(
            verification,
            sa.and_(
                verification.account_id == EvidenceDocument.owner_id,
                verification.fact == EvidenceDocument.fact,
            ),
        )
        .where(
            EvidenceDocument.fact.in_(facts_of_unit(unit)),
            Account.role == YOUTH,
            Account.status == "active",
            sa.or_(
                verification.account_id.is_(None),
                verification.verified_at < EvidenceDocument.uploaded_at,
            ),
        )
    )
    return keyset_page(
        session,
        query,
        [(EvidenceDocument.uploaded_at, ASC), (EvidenceDocument.id, ASC)],
        after,
        limit,
    )


def declared_values(session: Session, documents: list[EvidenceDocument]) -> dict[str, str | None]:
    """For each document (by id), the value its owner declares for its fact now (one query)."""
    owners = {document.owner_id for document in documents}
    profiles = {
        profile.account_id: profile
        for profile in session.execute(
            sa.select(YouthProfile).where(YouthProfile.account_id.in_(owners))
        ).scalars()
    }
    return {
        document.id: value_of(profiles[document.owner_id], document.fact)
        if document.owner_id in profiles
        else None
        for document in documents
    }


def reads_of(db: Database, person_id: str) -> list[dict]:
    """Each time an officer read one of the person's documents: when, who, of which unit, which
    document (for the person's data export)."""
    table = db.metadata.tables["audit_entry"]
    with db.reading() as session:
        rows = session.execute(
            sa.select(table)
            .where(
                table.c.action == READ,
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
                **json.loads(row["details"]),
            }
            for row in rows
        ]


def purge(db: Database, store: ObjectStore, person_id: str) -> int:
    """Delete every document of the person: each file, then its row (a file that cannot be
    deleted now keeps its row, for `purge_erased` to try again)."""
    with db.reading() as session:
        documents = session.execute(
            sa.select(EvidenceDocument.id, EvidenceDocument.key).where(
                EvidenceDocument.owner_id == person_id
            )
        ).all()
    for document_id, key in documents:
        store.delete(key)
        with db.unit_of_work() as uow:
            uow.session.execute(
                sa.delete(EvidenceDocument).where(EvidenceDocument.id == document_id)
            )
            uow.commit()
    return len(documents)


def purge_erased(db: Database, store: ObjectStore) -> int:
    """Documents of people already erased (an erasure whose purge failed or was cut short):
    deleted now. Returns how many people had some."""
    with db.reading() as session:
        people = (
            session.execute(
                sa.select(EvidenceDocument.owner_id)
                .join(Account, Account.id == EvidenceDocument.owner_id)
                .where(Account.status == "erased")
                .distinct()
            )
            .scalars()
            .all()
        )
    for person_id in people:
        try:
            purge(db, store, person_id)
        except Exception:  # the store is away: the next round tries again
            log.warning("evidence of an erased person not deleted yet", exc_info=True)
    return len(people)
