"""What the jobs service holds about a person, and what an erasure leaves of it (PIPL).

A young person's applications (with their history), traineeships, the subsidy claims made for
hiring them and their fair registrations are exported whole. On erasure:

* an application keeps its post, states and dates and the facts of the hire (a hire stays a
  hire, an application stays counted); the cover letter, the profile facts it was judged on
  and the notes in its history go;
* a traineeship holds ids, dates and the host's subsidy only: kept as it is;
* a subsidy claim keeps amount, state and dates (public funds); the officer's reason goes;
* a fair registration holds ids and a date: kept, attendance is counted.

The opaque `person_id` is kept: the gateway's account it pointed to no longer holds anything
personal, and a new registration with the same ID number is a new person (README "Personal
data"). An employer account's organisation (name, credit code, address) is not a natural
person's data; it is exported to the account and kept, because posts, hires and the
subsidies paid to it refer to it; so are the roadshows it joined and, for a practice unit, the
placements it reported (counts of students, never who they were).

District–university cooperation holds no natural person's data: universities and projects are
organisations' records, placements are counts, and a city-level fair's registrations are fair
registrations like any other (above).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.privacy import (
    COUNTED_RETAINED,
    ERASED,
    PUBLIC_FUNDS_RETAINED,
    Erasure,
    exported,
    redact_audit,
    redact_outbox,
    scrub,
)

from .models import (
    Application,
    ApplicationTransition,
    Employer,
    FairRegistration,
    PracticePlacement,
    RoadshowEmployer,
    SubsidyClaim,
    Traineeship,
)

#: what erasure leaves of each record of a person: personal column → its replacement
APPLICATION_ERASED = {
    "cover_letter": "",
    "age": None,
    "degree": None,
    "graduation_date": None,
    "employment_status": None,
}
TRANSITION_ERASED = {"note": ERASED}
CLAIM_ERASED = {"reason": ERASED}
#: the free text `subsidy.decided` carries: the officer's reason
CLAIM_EVENT_TEXT = ("reason",)


def _all(session: Session, model, where, order):
    return session.execute(sa.select(model).where(where).order_by(*order)).scalars().all()


def export(service, session: Session, person_id: str) -> dict:
    """Everything the service holds about the person (as a youth, and as an employer account)."""
    applications = _all(
        session, Application, Application.person_id == person_id, [Application.submitted_at]
    )
    history: dict[str, list] = {}
    if applications:
        for step in _all(
            session,
            ApplicationTransition,
            ApplicationTransition.application_id.in_([a.id for a in applications]),
            [ApplicationTransition.at, ApplicationTransition.id],
        ):
            history.setdefault(step.application_id, []).append(exported(step))
    employer = session.get(Employer, person_id)
    return {
        "applications": [{**exported(a), "history": history.get(a.id, [])} for a in applications],
        "traineeships": [
            exported(t)
            for t in _all(
                session, Traineeship, Traineeship.person_id == person_id, [Traineeship.started_at]
            )
        ],
        "subsidy_claims": [
            exported(c)
            for c in _all(
                session,
                SubsidyClaim,
                SubsidyClaim.person_id == person_id,
                [SubsidyClaim.claimed_at],
            )
        ],
        "fair_registrations": [
            exported(r)
            for r in _all(
                session,
                FairRegistration,
                FairRegistration.person_id == person_id,
                [FairRegistration.registered_at],
            )
        ],
        "employer": exported(employer) if employer is not None else None,
        **_organisation(session, employer),
    }


def _organisation(session: Session, employer) -> dict:
    """What an employer account's organisation did in district–university cooperation."""
    if employer is None:
        return {}
    return {
        "roadshows_joined": [
            exported(r)
            for r in _all(
                session,
                RoadshowEmployer,
                RoadshowEmployer.employer_id == employer.id,
                [RoadshowEmployer.joined_at],
            )
        ],
        "practice_placements": [
            exported(p)
            for p in _all(
                session,
                PracticePlacement,
                PracticePlacement.employer_id == employer.id,
                [PracticePlacement.recorded_at],
            )
        ],
    }


def anonymise(uow, person_id: str) -> Erasure:
    """Erase the person's personal details from every record, in the caller's transaction;
    running it again changes nothing."""
    session = uow.session
    erasure = Erasure()
    applications = sa.select(Application.id).where(Application.person_id == person_id)
    erasure.count(
        "application",
        scrub(session, Application, Application.person_id == person_id, APPLICATION_ERASED),
        COUNTED_RETAINED,
    )
    erasure.count(
        "application_transition",
        scrub(
            session,
            ApplicationTransition,
            ApplicationTransition.application_id.in_(applications),
            TRANSITION_ERASED,
        ),
    )
    erasure.count(
        "traineeship",
        _count(session, Traineeship, Traineeship.person_id == person_id),
        PUBLIC_FUNDS_RETAINED,
    )
    claim_ids = (
        session.execute(sa.select(SubsidyClaim.id).where(SubsidyClaim.person_id == person_id))
        .scalars()
        .all()
    )
    erasure.count(
        "subsidy_claim",
        scrub(session, SubsidyClaim, SubsidyClaim.person_id == person_id, CLAIM_ERASED),
        PUBLIC_FUNDS_RETAINED,
    )
    erasure.count(
        "fair_registration",
        _count(session, FairRegistration, FairRegistration.person_id == person_id),
        COUNTED_RETAINED,
    )
    redact_audit(uow, {"subsidy_claim": claim_ids})
    redact_outbox(uow, claim_ids, CLAIM_EVENT_TEXT)
    return erasure


def _count(session: Session, model, where) -> int:
    return session.execute(sa.select(sa.func.count()).select_from(model).where(where)).scalar()
