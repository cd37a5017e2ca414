"""Employers (用人单位): registration with the unified social credit code, and the deciding unit's
verification (区人社局, plan 一.1 and 一.5).

`pending → verified | rejected`; a rejected employer corrects its details and is reviewed
again; a verified employer that changes its credit code needs a new verification. Only verified
employers submit posts and take fair booths (`domain.check_may_publish`).
"""

from __future__ import annotations

from services.common.actor import Actor
from services.common.clock import utcnow
from services.common.errors import Conflict

from . import domain
from .models import Employer
from .policy import JobsPolicy
from .vocabulary import EMPLOYER_PENDING, EMPLOYER_REJECTED, EMPLOYER_VERIFIED

CODE_TAKEN = "credit_code_registered"


def register(uow, actor: Actor, registration: dict, name: str) -> Employer:
    """The calling employer account's organisation, pending verification; `name` is the
    account's organisation name."""
    if uow.repo.get(Employer, actor.account_id) is not None:
        raise Conflict("employer_already_registered")
    if uow.repo.employer_with_code(registration["credit_code"]) is not None:
        raise Conflict(CODE_TAKEN, field="credit_code")
    now = utcnow()
    row = Employer(
        id=actor.account_id,
        name=name,
        state=EMPLOYER_PENDING,
        practice_unit=False,
        practice_partners=[],
        registered_at=now,
        updated_at=now,
        **registration,
    )
    uow.repo.add(row)
    uow.repo.flush_unique(CODE_TAKEN)
    uow.commit()
    return row


def correct(uow, actor: Actor, changes: dict) -> Employer:
    """The employer corrects its organisation's details; a rejected registration goes back to
    review, and so does a verified one whose credit code changes."""
    row = uow.repo.locked(Employer, actor.account_id, domain.EMPLOYER_NOT_FOUND)
    if "credit_code" in changes and changes["credit_code"] != row.credit_code:
        if row.state == EMPLOYER_VERIFIED:
            # the verification was of this code: a new one needs a new verification
            row.state = EMPLOYER_PENDING
        if uow.repo.employer_with_code(changes["credit_code"]) is not None:
            raise Conflict(CODE_TAKEN, field="credit_code")
    for key, value in changes.items():
        setattr(row, key, value)
    if row.state == EMPLOYER_REJECTED:
        row.state = domain.next_employer_state(row.state, "resubmit")
        row.rejection_reason = None
    row.updated_at = utcnow()
    uow.repo.flush_unique(CODE_TAKEN)
    uow.commit()
    return row


def decide(
    uow, actor: Actor, employer_id: str, action: str, reason: str | None, policy: JobsPolicy
) -> Employer:
    """An officer of the deciding unit verifies (`verify`) or rejects (`reject`, with its
    reason) a pending employer; the decision is told to the employer and audited."""
    domain.check_decides(actor, policy)
    row = uow.repo.locked(Employer, employer_id, domain.EMPLOYER_NOT_FOUND)
    row.state = domain.next_employer_state(row.state, action)
    now = utcnow()
    row.decided_at, row.decided_by, row.updated_at = now, actor.account_id, now
    if action == "reject":
        row.rejection_reason = reason
    uow.record(f"employer.{row.state}", subject=row.id, data=row)
    uow.audit(
        f"employer.{row.state}",
        ("employer", row.id),
        reason,
        {"credit_code": row.credit_code, "credit_code_checked": True},
    )
    uow.commit()
    return row
