"""The one-off startup grant (一次性创业补贴): 5,000 CNY once per person.

A founder claims it for a completed registration that is their first business, started while
they were a recent graduate, once it has run six months; an officer of `grant_unit` (区人社局)
approves or rejects the claim.
"""

from __future__ import annotations

from services.common.actor import Actor
from services.common.clock import clock, utcnow
from services.common.errors import Conflict, DomainError, NotFound
from services.common.finance import ledger as finance
from services.common.models import new_id

from . import domain
from .domain import COMPLETED, GRANT_APPLIED
from .models import BusinessRegistration, GrantApplication
from .payments import LEDGER
from .policy import StartupPolicy
from .registration import REGISTRATION_NOT_FOUND
from .vocabulary import GRANT_APPROVED

GRANT_NOT_FOUND = NotFound("grant", code="grant_not_found")


def apply(
    uow, actor: Actor, applicant: dict, application: dict, policy: StartupPolicy
) -> GrantApplication:
    """Claim the grant for one's first business, once it has run six months. The graduation
    facts are the gateway's today, else those the registration was submitted with."""
    rules = policy.grant_rules
    # the lock serialises claims for this business (a grant is for the first one only)
    registration = uow.repo.locked(
        BusinessRegistration, application["registration_id"], REGISTRATION_NOT_FOUND
    )
    domain.check_is_owner(actor, registration.person_id, REGISTRATION_NOT_FOUND)
    refusal = refusal_for(uow, registration, applicant, policy)
    if refusal is not None:
        raise refusal
    registered_on = clock.local_date(registration.completed_at)
    graduation_date = applicant.get("graduation_date") or registration.graduation_date
    degree = applicant.get("degree") or registration.degree
    now = utcnow()
    grant = GrantApplication(
        id=new_id(),
        person_id=registration.person_id,
        registration_id=registration.id,
        amount_cny=rules.amount,
        graduation_date=graduation_date,
        degree=degree,
        registered_on=registered_on,
        state=GRANT_APPLIED,
        applied_at=now,
        updated_at=now,
    )
    uow.repo.add(grant)
    uow.record("grant.applied", subject=grant.id, data=event_data(grant))
    uow.commit()
    return grant


def refusal_for(
    uow, registration: BusinessRegistration | None, applicant: dict, policy: StartupPolicy
) -> DomainError | None:
    """Why a claim for `registration` is refused, or None: the rule a claim and the benefits
    finder (`programmes.py`) both apply. The graduation facts are the gateway's today, else
    those the registration was submitted with."""
    if registration is None or registration.state != COMPLETED:
        return DomainError("grant_registration_not_completed", status=409)
    if uow.repo.has_grant_claim(applicant["person_id"]):
        return Conflict("grant_already_claimed")
    first_business = not uow.repo.has_earlier_business(
        registration.person_id, registration.completed_at
    )
    registered_on = clock.local_date(registration.completed_at)
    graduation_date = applicant.get("graduation_date") or registration.graduation_date
    degree = applicant.get("degree") or registration.degree
    return policy.grant_rules.refusal(
        graduation_date, degree, registered_on, first_business, clock.today()
    )


def decide(
    uow, actor: Actor, grant_id: str, decision: dict, policy: StartupPolicy
) -> GrantApplication:
    """An officer of the grant unit approves or rejects a claim (a rejection with its reason,
    kept in the audit trail). An approval commits the grant from this year's envelope (409
    `budget_exhausted` when it cannot hold it) and queues its payment to the founder."""
    actor.require_officer_of(policy.grant_unit)
    grant = uow.repo.locked(GrantApplication, grant_id, GRANT_NOT_FOUND)
    grant.state = domain.next_state(domain.GRANT_TRANSITIONS, grant.state, decision["decision"])
    grant.decided_at = grant.updated_at = utcnow()
    uow.audit(
        f"grant.{grant.state}",
        ("grant_application", grant.id),
        decision.get("reason"),
        {"amount_cny": grant.amount_cny},
    )
    uow.record("grant.decided", subject=grant.id, data=event_data(grant))
    if grant.state == GRANT_APPROVED:
        # the approval commits the grant from this year's envelope and queues its payment
        finance.commit(uow, LEDGER, "startup_grant", grant.id, grant.person_id, grant.amount_cny)
    uow.commit()
    return grant


def event_data(grant: GrantApplication) -> dict:
    """What every grant event says: ids, state and amount."""
    return {
        "grant_id": grant.id,
        "person_id": grant.person_id,
        "registration_id": grant.registration_id,
        "state": grant.state,
        "amount_cny": grant.amount_cny,
    }
