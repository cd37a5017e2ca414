"""Home-purchase subsidies (购房补贴) and housing-fund use (住房公积金使用): applications checked
against their own rule lists at once (one that fails a rule is refused with every reason), and
an officer's decision: an amount granted up to the one requested, or a refusal with a reason.
The amount asked is bounded by the policy's schedule (by household size for the purchase
subsidy, a cap for housing-fund use), and a purchase subsidy is once per person.
"""

from __future__ import annotations

import json

from services.common.actor import Actor
from services.common.clock import utcnow
from services.common.errors import NotFound
from services.common.models import new_id

from . import domain
from .models import SubsidyApplication
from .policy import HousingPolicy
from .vocabulary import GRANTED, REFUSED, SUBMITTED


def subsidy_data(subsidy: SubsidyApplication) -> dict:
    """The event data of a subsidy application; once decided, with the decision's labels and
    the amount granted."""
    data = {
        "subsidy_id": subsidy.id,
        "person_id": subsidy.person_id,
        "kind": subsidy.kind,
        "amount_requested_cny": subsidy.amount_requested_cny,
        "eligible": subsidy.eligible,
    }
    if subsidy.state in (GRANTED, REFUSED):
        labels = domain.kind_labels(subsidy.kind)
        data |= {
            **domain.decision_labels(subsidy.state),
            "kind_zh": labels["kind_zh"],
            "kind_en": labels["kind_en"],
            "amount_granted_cny": subsidy.amount_granted_cny,
            "decided_at": subsidy.decided_at,
        }
    return data


def submit(uow, person: dict, fields: dict, policy: HousingPolicy) -> SubsidyApplication:
    """A subsidy application, evaluated at once against its kind's rules."""
    household = fields.get("household_size", 1)
    domain.check_subsidy_amount(fields["kind"], fields["amount_requested_cny"], household, policy)
    facts = domain.Facts.of(person, fields)
    result = domain.evaluate(fields["kind"], facts, policy)
    now = utcnow()
    row = SubsidyApplication(
        id=new_id(),
        person_id=person["person_id"],
        kind=fields["kind"],
        state=SUBMITTED if result.eligible else REFUSED,
        amount_requested_cny=fields["amount_requested_cny"],
        household_size=household,
        person_key=domain.subsidy_person_key(fields["kind"], person["person_id"])
        if result.eligible
        else None,
        property_address=fields.get("property_address"),
        contract_date=fields.get("contract_date"),
        age=facts.age,
        degree=facts.degree,
        social_insurance_months=facts.social_insurance_months,
        on_payroll=fields["on_government_payroll"],
        eligible=result.eligible,
        eligibility=json.dumps(result.explained(), ensure_ascii=False),
        submitted_at=now,
    )
    if not result.eligible:
        row.decided_at, row.decision_reason = now, domain.RULES_FAILED
    uow.repo.add_subsidy(row)
    uow.record("subsidy.submitted", subject=row.id, data=subsidy_data(row))
    if not result.eligible:
        uow.audit(
            "subsidy.refused",
            ("subsidy", row.id),
            domain.RULES_FAILED,
            {"failed_rules": result.failed, "automatic": True},
        )
        uow.record("subsidy.decided", subject=row.id, data=subsidy_data(row))
    uow.commit()
    return row


def decide(uow, actor: Actor, subsidy_id: str, decision: dict) -> SubsidyApplication:
    """An officer grants (an amount up to the one requested, to an eligible applicant) or
    refuses with a reason; in the audit trail."""
    domain.require_staff(actor)
    now = utcnow()
    row = uow.repo.locked(SubsidyApplication, subsidy_id, NotFound("subsidy application"))
    verdict, amount = decision["decision"], decision.get("amount_granted_cny")
    domain.check_subsidy_decision(
        row.state, verdict, amount, row.amount_requested_cny, decision.get("reason")
    )
    if verdict == GRANTED:
        domain.check_approvable(row.eligible, domain.failed_rules(row.eligibility))
        row.amount_granted_cny = amount
    row.state, row.decided_at, row.decided_by = verdict, now, actor.account_id
    if verdict == REFUSED:
        row.person_key = None  # nothing was paid: the person may apply again
    row.decision_reason = decision.get("reason")
    uow.audit(
        f"subsidy.{verdict}",
        ("subsidy", row.id),
        decision.get("reason"),
        {"kind": row.kind, "amount_granted_cny": amount},
    )
    uow.record("subsidy.decided", subject=row.id, data=subsidy_data(row))
    uow.commit()
    return row
