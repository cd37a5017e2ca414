"""What the startup service holds about a person, and what an erasure leaves of it (PIPL).

A person's business registrations (with their steps), guaranteed loans (with their repayment
schedules), startup grants, incubator applications and tenancies, and course enrolments are
exported whole. On erasure the founders' names, the company's name, address and business scope
(a company's name may hold its founder's), the project text, the loan's purpose and the facts
decisions were taken on go; what the indicators count (registrations and their business time,
tenancies, enrolments) stays, and loans and grants keep amounts, rates, dates and decisions
(public funds). The opaque `person_id` is kept (README "Personal data").

Rural revitalisation's applications (partnership applications with their follow-ups, young
doers' applications and postings) are exported whole; erasure empties what the applicant wrote,
the facts decided on, the reasons given them and the follow-ups' notes, and keeps forms,
amounts, states, villages and terms, which the indicators count.

Before that, `release` closes what waits on the person, who can no longer act.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.clock import clock
from services.common.privacy import (
    COUNTED_RETAINED,
    ERASED,
    PUBLIC_FUNDS_RETAINED,
    Erasure,
    exported,
    redact_audit,
    scrub,
)

from . import incubator, loans, registration, rural, training
from .domain import founders_without_names
from .models import (
    BusinessRegistration,
    DoerApplication,
    Enrolment,
    GrantApplication,
    IncubatorApplication,
    Loan,
    PartnerApplication,
    PartnerFollowUp,
    RegistrationStep,
)
from .policy import StartupPolicy

#: what erasure leaves of each record of a person: personal column → its replacement
REGISTRATION_ERASED = {
    "company_name": ERASED,
    "address": ERASED,
    "business_scope": ERASED,
    "graduation_date": None,
    "degree": None,
}
LOAN_ERASED = {"purpose": ERASED, "age": None}
GRANT_ERASED = {"graduation_date": None, "degree": None}
INCUBATOR_ERASED = {"project": ERASED}
#: a partnership application: what the applicant wrote and the reason the unit gave them
PARTNER_ERASED = {"contribution": ERASED, "decision_reason": None}
#: a young doer: the statement, the facts decided on and the reason the department gave them
DOER_ERASED = {"statement": ERASED, "age": None, "degree": None, "decision_reason": None}

#: the audit subject type of each record kind, whose reasons officers wrote
AUDITED = {
    "business_registration": BusinessRegistration,
    "loan": Loan,
    "grant_application": GrantApplication,
    "incubator_application": IncubatorApplication,
    "enrolment": Enrolment,
    "partner_application": PartnerApplication,
    "doer_application": DoerApplication,
}


def release(uow, person_id: str, policy: StartupPolicy) -> None:
    """Close what waits on an erased person, since nobody will answer for them: a registration
    in progress is withdrawn (its promise's clock stops instead of breaching), loans not yet
    decided and incubator applications not yet allocated are withdrawn, and places on courses
    not yet begun are given back. What is under way (a disbursed loan, a tenancy, a course
    running, a grant awaiting its decision) stays."""
    registration.release(uow, person_id, policy)
    loans.release(uow, person_id)
    incubator.release(uow, person_id)
    training.release(uow, person_id)
    rural.release(uow, person_id)


def export(service, session: Session, person_id: str) -> dict:
    """Everything the service holds about the person; a loan with its schedule as the service
    shows it (an estimate until disbursed)."""

    def of(model, *order):
        return (
            session.execute(sa.select(model).where(model.person_id == person_id).order_by(*order))
            .scalars()
            .all()
        )

    registrations = of(BusinessRegistration, BusinessRegistration.submitted_at)
    steps: dict[str, list] = {}
    if registrations:
        for step in session.execute(
            sa.select(RegistrationStep)
            .where(RegistrationStep.registration_id.in_([r.id for r in registrations]))
            .order_by(RegistrationStep.registration_id, RegistrationStep.position)
        ).scalars():
            steps.setdefault(step.registration_id, []).append(exported(step))
    partners = of(PartnerApplication, PartnerApplication.applied_at)
    follow_ups: dict[str, list] = {}
    if partners:
        for entry in session.execute(
            sa.select(PartnerFollowUp)
            .where(PartnerFollowUp.application_id.in_([a.id for a in partners]))
            .order_by(PartnerFollowUp.application_id, PartnerFollowUp.recorded_on)
        ).scalars():
            follow_ups.setdefault(entry.application_id, []).append(exported(entry))
    today = clock.today()
    return {
        "business_registrations": [
            {**exported(r, json_columns=("founders",)), "steps": steps.get(r.id, [])}
            for r in registrations
        ],
        "loans": [
            {**exported(loan), "schedule": loans.schedule_of(loan, service.policy, today)}
            for loan in of(Loan, Loan.applied_at)
        ],
        "grants": [exported(g) for g in of(GrantApplication, GrantApplication.applied_at)],
        "incubator_applications": [
            exported(a) for a in of(IncubatorApplication, IncubatorApplication.applied_at)
        ],
        "enrolments": [exported(e) for e in of(Enrolment, Enrolment.enrolled_at)],
        "partner_applications": [
            {**exported(a), "follow_ups": follow_ups.get(a.id, [])} for a in partners
        ],
        "doer_applications": [exported(a) for a in of(DoerApplication, DoerApplication.applied_at)],
    }


def anonymise(uow, person_id: str) -> Erasure:
    """Erase the person's personal details from every record, in the caller's transaction;
    running it again changes nothing."""
    session = uow.session
    erasure = Erasure()
    mine = {
        kind: session.execute(sa.select(model.id).where(model.person_id == person_id))
        .scalars()
        .all()
        for kind, model in AUDITED.items()
    }
    erasure.count(
        "business_registration",
        scrub(
            session,
            BusinessRegistration,
            BusinessRegistration.person_id == person_id,
            REGISTRATION_ERASED,
        ),
        COUNTED_RETAINED,
    )
    founders = session.execute(
        sa.select(BusinessRegistration.id, BusinessRegistration.founders).where(
            BusinessRegistration.person_id == person_id
        )
    ).all()
    for registration_id, listed in founders:
        kept = json.dumps(founders_without_names(json.loads(listed), ERASED), ensure_ascii=False)
        if kept != listed:
            session.execute(
                sa.update(BusinessRegistration)
                .where(BusinessRegistration.id == registration_id)
                .values(founders=kept)
            )
    erasure.count(
        "loan",
        scrub(session, Loan, Loan.person_id == person_id, LOAN_ERASED),
        PUBLIC_FUNDS_RETAINED,
    )
    erasure.count(
        "grant_application",
        scrub(session, GrantApplication, GrantApplication.person_id == person_id, GRANT_ERASED),
        PUBLIC_FUNDS_RETAINED,
    )
    erasure.count(
        "incubator_application",
        scrub(
            session,
            IncubatorApplication,
            IncubatorApplication.person_id == person_id,
            INCUBATOR_ERASED,
        ),
        COUNTED_RETAINED,
    )
    erasure.count("enrolment", len(mine["enrolment"]), COUNTED_RETAINED)
    erasure.count(
        "partner_application",
        scrub(
            session,
            PartnerApplication,
            PartnerApplication.person_id == person_id,
            PARTNER_ERASED,
        ),
        COUNTED_RETAINED,
    )
    scrub(
        session,
        PartnerFollowUp,
        PartnerFollowUp.application_id.in_(mine["partner_application"]),
        {"note": ERASED},
    )
    erasure.count(
        "doer_application",
        scrub(session, DoerApplication, DoerApplication.person_id == person_id, DOER_ERASED),
        COUNTED_RETAINED,
    )
    redact_audit(uow, mine)
    return erasure
