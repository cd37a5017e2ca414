"""Eligibility and applications for a rental: the rules evaluated at once and explained rule by
rule, an officer's review (approval onto the kind's list in a preference group, or rejection
with a reason), and withdrawal by the applicant.

An applicant who fails a rule is rejected at submission with every reason (`automatic`); one
who passes waits for 区住建局's review. One open application per person and kind.
"""

from __future__ import annotations

import json

from services.common.actor import Actor
from services.common.clock import utcnow
from services.common.errors import NotFound
from services.common.models import new_id

from . import allocation, domain
from .models import HousingApplication
from .policy import HousingPolicy
from .vocabulary import APPROVED, REJECTED, SUBMITTED


def check_eligibility(person: dict, query: dict, policy: HousingPolicy) -> dict:
    """The explanation an application of `query["kind"]` would get now, rule by rule, from the
    person's profile facts and their declarations; stores nothing."""
    result = domain.evaluate(query["kind"], domain.Facts.of(person, query), policy)
    return {"kind": query["kind"], "eligible": result.eligible, "rules": result.explained()}


def decided_data(row: HousingApplication, automatic: bool) -> dict:
    """The data of `application.decided`, with the rules that failed."""
    return {
        "application_id": row.id,
        "person_id": row.person_id,
        "automatic": automatic,
        "failed_rules": domain.failed_rules(row.eligibility),
        "decided_at": row.decided_at,
        **domain.kind_labels(row.kind),
        **domain.decision_labels(row.decision),
    }


def submit(uow, person: dict, fields: dict, policy: HousingPolicy) -> HousingApplication:
    """Apply for a kind of rental. The rules are evaluated at once: an applicant who fails one
    is rejected with every reason; a second open application of the kind is 409
    `application_open`."""
    person_id, kind = person["person_id"], fields["kind"]
    facts = domain.Facts.of(person, fields)
    result = domain.evaluate(kind, facts, policy)
    now = utcnow()
    row = HousingApplication(
        id=new_id(),
        person_id=person_id,
        kind=kind,
        state=SUBMITTED,
        age=facts.age,
        degree=facts.degree,
        social_insurance_months=facts.social_insurance_months,
        owns_property=fields["owns_property_in_district"],
        on_payroll=fields["on_government_payroll"],
        household_size=fields["household_size"],
        eligible=result.eligible,
        eligibility=json.dumps(result.explained(), ensure_ascii=False),
        submitted_at=now,
        updated_at=now,
    )
    if not result.eligible:
        row.state, row.decision, row.decided_at = REJECTED, REJECTED, now
    uow.repo.add_application(row)
    uow.record(
        "application.submitted",
        subject=row.id,
        data={
            "application_id": row.id,
            "person_id": person_id,
            "eligible": result.eligible,
            "submitted_at": now,
            **domain.kind_labels(kind),
        },
    )
    if not result.eligible:
        uow.audit(
            "application.rejected",
            ("application", row.id),
            domain.RULES_FAILED,
            {"failed_rules": result.failed, "automatic": True},
        )
        uow.record("application.decided", subject=row.id, data=decided_data(row, True))
    uow.commit()
    return row


def decide(
    uow, actor: Actor, application_id: str, decision: dict, policy: HousingPolicy
) -> tuple[HousingApplication, int | None]:
    """An officer's review: approve (the applicant joins the kind's list in a preference group,
    the last of the policy's by default) or reject with a reason; in the audit trail. The
    application and, once approved, its place in line."""
    domain.require_staff(actor)
    verdict, reason = decision["decision"], decision.get("reason")
    domain.check_rejection_reason(verdict, reason)
    group = decision.get("preference_group", policy.preference_groups[-1])
    domain.check_preference_group(group, policy)
    now = utcnow()
    row = uow.repo.locked(HousingApplication, application_id, NotFound("application"))
    action = "approve" if verdict == APPROVED else "reject"
    target = domain.next_application_state(row.state, action)
    failed = domain.failed_rules(row.eligibility)
    if action == "approve":
        domain.check_approvable(row.eligible, failed)
        row.preference_group = group
    row.state, row.decision = target, verdict
    row.decided_at, row.decided_by, row.decision_reason = now, actor.account_id, reason
    row.updated_at = now
    uow.audit(
        f"application.{verdict}",
        ("application", row.id),
        reason,
        {"kind": row.kind, "preference_group": row.preference_group, "failed_rules": failed},
    )
    uow.record("application.decided", subject=row.id, data=decided_data(row, False))
    position = _waitlist(uow, row, policy) if action == "approve" else None
    uow.commit()
    return row, position


def _waitlist(uow, row: HousingApplication, policy: HousingPolicy) -> int | None:
    """Report an approved application on its kind's list, with its place in line (None on a
    lottery's list until the draw)."""
    uow.repo.flush()
    method = policy.allocation_for(row.kind)
    position = uow.repo.waitlist_positions(row.kind, method, [row.id]).get(row.id)
    uow.record(
        "application.waitlisted",
        subject=row.id,
        data={
            "application_id": row.id,
            "person_id": row.person_id,
            "method": method,
            "preference_group": row.preference_group,
            "position": position,
            **domain.kind_labels(row.kind),
        },
    )
    return position


def withdraw(uow, actor: Actor, application_id: str, policy: HousingPolicy) -> HousingApplication:
    """The applicant gives up; a pending offer is withdrawn and its unit goes on."""
    row = uow.repo.locked(HousingApplication, application_id, NotFound("application"))
    actor.require_own(row.person_id, NotFound("application"))
    _withdraw(uow, row, policy)
    uow.commit()
    return row


def withdraw_all_of(uow, person_id: str, policy: HousingPolicy) -> None:
    """Withdraw every open application of the person, in the caller's unit of work (an
    erasure: nobody will answer for them)."""
    for row in uow.repo.open_applications_of(person_id):
        _withdraw(uow, row, policy)


def _withdraw(uow, row: HousingApplication, policy: HousingPolicy) -> None:
    row.state = domain.next_application_state(row.state, "withdraw")
    row.updated_at = utcnow()
    allocation.withdraw_offer_of(uow, row, policy)
