"""Incubator spaces in the innovation park (双创智慧港): desks and offices, and tenancies.

Officers of `incubator_unit` (区发改委) or admins add spaces. A young person applies for a kind
of space (one open application each); an officer allocates a free space of that kind for a
tenancy of at most `incubator_max_tenancy_months`, refuses with a reason, or ends the tenancy,
which frees the space. The applicant may withdraw before an allocation.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from services.common.actor import Actor
from services.common.clock import utcnow
from services.common.errors import Conflict, InvalidInput, NotFound
from services.common.models import new_id

from . import domain
from .domain import INCUBATOR_APPLIED, SPACE_AVAILABLE, SPACE_OCCUPIED
from .messages import MESSAGES
from .models import IncubatorApplication, IncubatorSpace
from .policy import StartupPolicy

SPACE_NOT_FOUND = NotFound("space", code="space_not_found")
INCUBATOR_NOT_FOUND = NotFound("incubator application", code="incubator_application_not_found")

#: the event (and audit action) of each officer's decision: `incubator.<verb>`
_DECISION_EVENTS = {"allocate": "allocated", "reject": "rejected", "end": "tenancy_ended"}


def create_space(uow, actor: Actor, space: dict, policy: StartupPolicy) -> IncubatorSpace:
    """A desk or an office, available, under a code no other space has."""
    actor.require_officer_of(policy.incubator_unit, admin_may=True)
    if uow.repo.space_code_taken(space["code"]):
        raise Conflict("space_code_taken", field="code", params={"code": space["code"]})
    row = IncubatorSpace(id=new_id(), state=SPACE_AVAILABLE, created_at=utcnow(), **space)
    uow.repo.add(row)
    uow.commit()
    return row


def open_application_refusal(uow, person_id: str) -> Conflict | None:
    """One open (waiting or allocated) application per person: the rule an application and
    the benefits finder (`programmes.py`) both apply."""
    if uow.repo.has_open_incubator_application(person_id):
        return Conflict("incubator_application_open")
    return None


def apply(uow, actor: Actor, applicant: dict, application: dict) -> IncubatorApplication:
    """An application for a kind of space; one open (waiting or allocated) per person."""
    refusal = open_application_refusal(uow, applicant["person_id"])
    if refusal is not None:
        raise refusal
    now = utcnow()
    row = IncubatorApplication(
        id=new_id(),
        person_id=applicant["person_id"],
        state=INCUBATOR_APPLIED,
        applied_at=now,
        updated_at=now,
        **application,
    )
    uow.repo.add(row)
    uow.record("incubator.applied", subject=row.id, data=event_data(row, None))
    uow.commit()
    return row


def allocate(
    uow, actor: Actor, application_id: str, allocation: dict, policy: StartupPolicy
) -> IncubatorApplication:
    """A space of the kind applied for, free now, for at most the maximum tenancy."""

    def take_space(application: IncubatorApplication, now: datetime) -> IncubatorSpace:
        space = uow.repo.locked(IncubatorSpace, allocation["space_id"], SPACE_NOT_FOUND)
        domain.check_tenancy(
            space.kind,
            application.space_kind,
            allocation["starts_on"],
            allocation["ends_on"],
            policy.incubator_max_tenancy_months,
        )
        if space.state != SPACE_AVAILABLE:
            raise Conflict("space_not_available", field="space_id")
        space.state = SPACE_OCCUPIED
        application.space_id = space.id
        application.starts_on, application.ends_on = allocation["starts_on"], allocation["ends_on"]
        application.allocated_at = now
        return space

    return _decide(uow, actor, application_id, "allocate", policy, None, take_space)


def reject(
    uow, actor: Actor, application_id: str, reason: str, policy: StartupPolicy
) -> IncubatorApplication:
    """An officer refuses the application, with the reason (kept in the audit trail)."""
    return _decide(uow, actor, application_id, "reject", policy, reason)


def end_tenancy(
    uow, actor: Actor, application_id: str, ending: dict, policy: StartupPolicy
) -> IncubatorApplication:
    """The tenancy ends (early or on its date): the space is free again."""

    def free_space(application: IncubatorApplication, now: datetime) -> IncubatorSpace:
        if ending["ended_on"] < application.starts_on:
            raise InvalidInput.for_field("ended_on", "tenancy_dates_reversed", MESSAGES)
        space = uow.repo.locked(IncubatorSpace, application.space_id, SPACE_NOT_FOUND)
        space.state = SPACE_AVAILABLE
        application.ended_on = ending["ended_on"]
        return space

    return _decide(uow, actor, application_id, "end", policy, ending.get("reason"), free_space)


def _decide(
    uow,
    actor: Actor,
    application_id: str,
    action: str,
    policy: StartupPolicy,
    reason: str | None,
    on_space: Callable[[IncubatorApplication, datetime], IncubatorSpace] | None = None,
) -> IncubatorApplication:
    """An officer's decision on an application: the transition, then `on_space` does what the
    decision does to a space and answers it; audited with its reason, and recorded."""
    actor.require_officer_of(policy.incubator_unit)
    now = utcnow()
    application = uow.repo.locked(IncubatorApplication, application_id, INCUBATOR_NOT_FOUND)
    # the transition is checked first (409) and taken once the space's rules pass
    state = domain.next_state(domain.INCUBATOR_TRANSITIONS, application.state, action)
    space = on_space(application, now) if on_space else None
    application.state = state
    application.decided_at = application.decided_at or now
    application.updated_at = now
    verb = _DECISION_EVENTS[action]
    uow.audit(
        f"incubator.{verb}",
        ("incubator_application", application.id),
        reason,
        {
            "space_id": application.space_id,
            "starts_on": application.starts_on,
            "ends_on": application.ends_on,
            "ended_on": application.ended_on,
        },
    )
    uow.record(f"incubator.{verb}", subject=application.id, data=event_data(application, space))
    uow.commit()
    return application


def withdraw(uow, actor: Actor, application_id: str) -> IncubatorApplication:
    """The applicant withdraws an application not yet allocated."""
    application = uow.repo.locked(IncubatorApplication, application_id, INCUBATOR_NOT_FOUND)
    domain.check_is_owner(actor, application.person_id, INCUBATOR_NOT_FOUND)
    _withdraw(uow, application)
    uow.commit()
    return application


def release(uow, person_id: str) -> None:
    """An erased person's applications not yet allocated are withdrawn (a tenancy stays). The
    caller commits, with the erasure."""
    for application in uow.repo.pending_incubator_applications_of(person_id):
        _withdraw(uow, application)


def _withdraw(uow, application: IncubatorApplication) -> None:
    application.state = domain.next_state(
        domain.INCUBATOR_TRANSITIONS, application.state, "withdraw"
    )
    application.updated_at = utcnow()
    uow.record("incubator.withdrawn", subject=application.id, data=event_data(application, None))


def event_data(application: IncubatorApplication, space: IncubatorSpace | None) -> dict:
    """What every incubator event says: ids, kind, state, the space and the tenancy's dates."""
    return {
        "application_id": application.id,
        "person_id": application.person_id,
        "space_kind": application.space_kind,
        "state": application.state,
        "space_id": application.space_id,
        "space_code": space.code if space else None,
        "starts_on": application.starts_on,
        "ends_on": application.ends_on,
        "ended_on": application.ended_on,
    }
