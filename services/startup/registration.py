"""One-stop business registration (企业开办专区, 一网通办): one application, six steps.

A young founder submits one form; each step (name check, licence, seal, tax, bank account,
social insurance) goes to its unit, whose officer completes it once its prerequisites are done
(after the licence the other four run in parallel, 并联办理). The last step completes the
business; a unit may refuse its step (the application closes), and the founder may withdraw.
The 2-hour promise runs from submission in business time (`sla.py`).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from services.common.actor import Actor
from services.common.clock import clock, utcnow
from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.common.models import new_id

from . import domain, sla
from .contract import BusinessRegistrationView
from .domain import IN_PROGRESS, LICENCE, STEP_DONE, STEP_PENDING, STEPS
from .messages import MESSAGES
from .models import BusinessRegistration, RegistrationStep
from .policy import StartupPolicy

REGISTRATION_NOT_FOUND = NotFound("business registration", code="business_registration_not_found")

#: the columns an application shows as they are stored
_SHOWN_COLUMNS = (
    "id",
    "person_id",
    "company_name",
    "company_type",
    "registered_capital_cny",
    "address",
    "business_scope",
    "state",
    "submitted_at",
    "completed_at",
    "sla_warned_at",
    "sla_breached_at",
    "credit_code",
    "graduate",
    "rejected_step",
)


def submit(
    uow, actor: Actor, founder: dict, application: dict, policy: StartupPolicy
) -> BusinessRegistration:
    """One application for a new business (一表申请) from the founder the gateway names; its
    steps go to their units and the 2-hour promise starts now, in business time."""
    now = utcnow()
    warn_due, breach_due = policy.sla.due_instants(policy.calendar, now)
    registration = BusinessRegistration(
        id=new_id(),
        person_id=founder["person_id"],
        company_name=application["company_name"],
        company_type=application["company_type"],
        registered_capital_cny=application["registered_capital_cny"],
        address=application["address"],
        business_scope=application["business_scope"],
        founders=json.dumps(
            [
                {"name": f["name"], "share_percent": str(f["share_percent"])}
                for f in application["founders"]
            ],
            ensure_ascii=False,
        ),
        graduation_date=founder.get("graduation_date"),
        degree=founder.get("degree"),
        state=IN_PROGRESS,
        submitted_at=now,
        warn_due_at=warn_due,
        breach_due_at=breach_due,
        updated_at=now,
        steps=[
            RegistrationStep(
                id=new_id(),
                step=step,
                position=position,
                unit=policy.step_unit_map[step],
                state=STEP_PENDING,
            )
            for position, step in enumerate(STEPS)
        ],
    )
    uow.repo.add(registration)
    uow.record(
        "registration.submitted",
        subject=registration.id,
        data={
            "registration_id": registration.id,
            "person_id": registration.person_id,
            "company_type": registration.company_type,
            "submitted_at": now,
            "warn_due_at": warn_due,
            "breach_due_at": breach_due,
        },
    )
    uow.commit()
    return registration


def complete_step(
    uow, actor: Actor, registration_id: str, step: str, completion: dict, policy: StartupPolicy
) -> BusinessRegistration:
    """An officer of the step's unit completes it (the licence with the business's credit
    code); the last step completes the business."""
    if step not in STEPS:
        raise NotFound("step", code="registration_step_not_found", params={"step": step})
    now = utcnow()
    registration = uow.repo.locked(BusinessRegistration, registration_id, REGISTRATION_NOT_FOUND)
    row = next(s for s in registration.steps if s.step == step)
    actor.require_officer_of(row.unit)
    done = _done(registration)
    domain.check_step_may_complete(step, row.state, done, registration.state)
    if step == LICENCE:
        _issue_licence(uow, registration, completion.get("credit_code"))
    row.state, row.completed_at, row.completed_by = STEP_DONE, now, actor.account_id
    row.reference = completion.get("reference")
    registration.updated_at = now
    remaining = [s for s in STEPS if s not in done | {step}]
    uow.audit(
        "registration.step_completed",
        ("business_registration", registration.id),
        details={"step": step, "reference": row.reference},
    )
    uow.record(
        "registration.step_completed",
        subject=registration.id,
        data={
            "registration_id": registration.id,
            "person_id": registration.person_id,
            "step": step,
            "unit": row.unit,
            "completed_at": now,
            "elapsed_business_seconds": int(sla.elapsed(registration, policy, now).total_seconds()),
            "remaining_steps": remaining,
        },
    )
    if not remaining:
        _complete(uow, registration, policy, now)
    uow.commit()
    return registration


def _done(registration: BusinessRegistration) -> set[str]:
    return {s.step for s in registration.steps if s.state == STEP_DONE}


def _issue_licence(uow, registration: BusinessRegistration, credit_code: str | None) -> None:
    """The licence names the business by its unified social credit code, which no other
    registration may hold."""
    if not credit_code:
        raise InvalidInput.for_field("credit_code", "licence_needs_credit_code", MESSAGES)
    if uow.repo.credit_code_taken(credit_code, other_than=registration.id):
        raise Conflict("credit_code_taken", field="credit_code")
    registration.credit_code = credit_code


def _close(
    registration: BusinessRegistration, action: str, policy: StartupPolicy, now: datetime
) -> None:
    """Move to the closed state `action` leads to; the promise's clock stops here."""
    registration.state = domain.next_state(
        domain.REGISTRATION_TRANSITIONS, registration.state, action
    )
    registration.elapsed_business_seconds = int(
        policy.calendar.business_time(registration.submitted_at, now).total_seconds()
    )
    registration.closed_at = registration.updated_at = now


def _complete(uow, registration: BusinessRegistration, policy: StartupPolicy, now: datetime):
    """Every step is done: the business is open, and whether a recent graduate started it is
    settled (the plan's headline goal counts it)."""
    _close(registration, "complete", policy, now)
    registration.completed_at = now
    elapsed = timedelta(seconds=registration.elapsed_business_seconds)
    target = policy.sla.target
    registration.graduate = policy.is_graduate(
        registration.graduation_date, registration.degree, clock.today()
    )
    if elapsed > target and registration.sla_breached_at is None:
        # finished late before a sweep noticed: the breach is a fact all the same
        registration.sla_breached_at = now
        uow.record(
            "registration.sla_breached",
            subject=registration.id,
            data=sla.promise_data(registration, policy, now),
        )
    uow.record(
        "registration.completed",
        subject=registration.id,
        data={
            "registration_id": registration.id,
            "person_id": registration.person_id,
            "company_type": registration.company_type,
            "completed_at": now,
            "elapsed_business_seconds": registration.elapsed_business_seconds,
            "target_business_seconds": int(target.total_seconds()),
            "within_target": elapsed <= target,
            "graduate": registration.graduate,
        },
    )


def reject(
    uow, actor: Actor, registration_id: str, reason: str, policy: StartupPolicy
) -> BusinessRegistration:
    """An officer whose unit has a step pending refuses it, with the reason: the application
    closes (the reason stays in the audit trail, not in the event)."""
    now = utcnow()
    registration = uow.repo.locked(BusinessRegistration, registration_id, REGISTRATION_NOT_FOUND)
    pending = [s for s in registration.steps if s.state == STEP_PENDING]
    mine = [s for s in pending if actor.is_officer_of(s.unit)]
    if not mine:
        units = ", ".join(sorted({s.unit for s in pending}))
        raise Forbidden("not_responsible_unit", params={"unit": units})
    _close(registration, "reject", policy, now)
    registration.rejected_step = mine[0].step
    uow.audit(
        "registration.rejected",
        ("business_registration", registration.id),
        reason,
        {"step": mine[0].step},
    )
    uow.record(
        "registration.rejected",
        subject=registration.id,
        data=_closed_data(registration, mine[0].step, mine[0].unit),
    )
    uow.commit()
    return registration


def withdraw(
    uow, actor: Actor, registration_id: str, policy: StartupPolicy
) -> BusinessRegistration:
    """The founder withdraws their application while it is in progress."""
    registration = uow.repo.locked(BusinessRegistration, registration_id, REGISTRATION_NOT_FOUND)
    domain.check_is_owner(actor, registration.person_id, REGISTRATION_NOT_FOUND)
    _withdraw(uow, registration, policy)
    uow.commit()
    return registration


def release(uow, person_id: str, policy: StartupPolicy) -> None:
    """An erased person's applications in progress are withdrawn: nobody will answer for them,
    and the promise's clock stops rather than breaching against the units. (The caller
    commits, with the erasure.)"""
    for registration in uow.repo.registrations_in_progress_of(person_id):
        _withdraw(uow, registration, policy)


def _withdraw(uow, registration: BusinessRegistration, policy: StartupPolicy) -> None:
    _close(registration, "withdraw", policy, utcnow())
    uow.record(
        "registration.withdrawn",
        subject=registration.id,
        data=_closed_data(registration, None, None),
    )


def _closed_data(registration: BusinessRegistration, step: str | None, unit: str | None):
    return {
        "registration_id": registration.id,
        "person_id": registration.person_id,
        "state": registration.state,
        "step": step,
        "unit": unit,
    }


def view(registration: BusinessRegistration, policy: StartupPolicy, as_of: datetime) -> dict:
    """The application as it is shown: its steps (which may be completed now) and its business
    time against the promise as of `as_of` (an answer to a change shows it as the change left
    it: pass its `updated_at`)."""
    ready = set(domain.ready_steps(_done(registration)))
    open_now = registration.state == IN_PROGRESS
    return BusinessRegistrationView().dump(
        {
            **{column: getattr(registration, column) for column in _SHOWN_COLUMNS},
            "founders": json.loads(registration.founders),
            "steps": [
                {
                    "step": s.step,
                    "unit": s.unit,
                    "state": s.state,
                    "ready": s.step in ready and open_now,
                    "completed_at": s.completed_at,
                    "reference": s.reference,
                }
                for s in registration.steps
            ],
            "business_time": policy.sla.view(
                registration.state,
                sla.elapsed(registration, policy, as_of),
                registration.sla_warned_at is not None,
            ),
        }
    )
