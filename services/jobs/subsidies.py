"""Subsidy claims an employer makes and an officer decides (grant, or reject with a reason).

* the one-off hiring subsidy (一次性扩岗补助): a fixed amount for a hire of a recent graduate
  on a contract with social insurance, claimed by the employer that hired them, once per person
  ever (the claim's `person_key` is unique while it stands; a rejected claim frees it);
* the traineeship subsidy (见习补贴): the settled amount of a traineeship that ended, once.
"""

from __future__ import annotations

from collections.abc import Mapping

from services.common.actor import EMPLOYER, Actor
from services.common.clock import utcnow
from services.common.errors import Conflict, DomainError
from services.common.finance import ledger as finance
from services.common.models import new_id

from . import domain
from .messages import label
from .models import Application, SubsidyClaim, Traineeship
from .payments import LEDGER
from .policy import JobsPolicy
from .vocabulary import CLAIMED, DECLINED, GRANTED, HIRING, TRAINEESHIP_SUBSIDY

ONCE_PER_PERSON = "hiring_subsidy_once_per_person"
ONCE_PER_TRAINEESHIP = "traineeship_subsidy_claimed"
#: the budget programme each kind of claim is paid from (services/common/finance)
PROGRAMME_OF = {HIRING: "hiring_subsidy", TRAINEESHIP_SUBSIDY: "traineeship_subsidy"}


def claim(uow, actor: Actor, target: dict, policy: JobsPolicy) -> SubsidyClaim:
    """The employer claims the hiring subsidy for a hire (`application_id`) or the traineeship
    subsidy for a traineeship that ended (`traineeship_id`)."""
    if target.get("application_id"):
        standing = _opened_already(uow, actor, target["application_id"])
        if standing is not None:
            uow.commit()  # nothing changed; ends the transaction as `_open` would, row loaded
            return standing
        row = _hiring_claim(uow, actor, target["application_id"], policy)
    else:
        row = _traineeship_claim(uow, actor, target["traineeship_id"])
    return _open(uow, row, actor.account_id)


def _open(uow, row: SubsidyClaim, employer_id: str) -> SubsidyClaim:
    """A claim made: kept, told (`subsidy.claimed`) and committed."""
    row.id, row.employer_id, row.state, row.claimed_at = new_id(), employer_id, CLAIMED, utcnow()
    uow.repo.add(row)
    uow.repo.flush_unique(ONCE_PER_PERSON if row.kind == HIRING else ONCE_PER_TRAINEESHIP)
    uow.record("subsidy.claimed", subject=row.id, data=row)
    uow.commit()
    return row


def decide(
    uow,
    actor: Actor,
    claim_id: str,
    decision: dict,
    policy: JobsPolicy,
    verified_facts: Mapping[str, str] | None = None,
) -> SubsidyClaim:
    """An officer of the deciding unit grants or rejects a claim (a rejection with its
    reason); the employer is told, and the decision is audited in the same transaction. A
    grant commits the amount from this year's envelope of the programme and queues its payout
    to the employer (409 `budget_exhausted` when the envelope cannot hold it). A hiring
    subsidy is granted only on the person's verified facts (`verified_facts`, the values the
    gateway holds verified: 409 `facts_unverified` otherwise), and the audit entry says which
    facts the decision used and how each stood."""
    domain.check_decides(actor, policy)
    row = uow.repo.locked(SubsidyClaim, claim_id, domain.CLAIM_NOT_FOUND)
    new_state = domain.decide_subsidy(row.state, decision["decision"], decision.get("reason"))
    basis = _facts_basis(uow, row, verified_facts or {})
    if new_state == GRANTED:
        domain.check_facts_verified(basis)
    row.state = new_state
    row.reason = decision.get("reason")
    now = utcnow()
    row.decided_at, row.decided_by = now, actor.account_id
    if row.state == DECLINED:
        # a refused claim paid nothing: the person (or traineeship) may be claimed again
        row.person_key = row.traineeship_key = None
    decided = label(f"decision.{row.state}")
    uow.record(
        "subsidy.decided",
        subject=row.id,
        data={
            "subsidy_id": row.id,
            "kind": row.kind,
            "employer_id": row.employer_id,
            "person_id": row.person_id,
            "decision": row.state,
            "decision_label_zh": decided["zh-CN"],
            "decision_label_en": decided["en"],
            "amount_cny": row.amount_cny,
            "reason": row.reason,
            "decided_at": now,
        },
    )
    if row.state == GRANTED:
        finance.commit(uow, LEDGER, PROGRAMME_OF[row.kind], row.id, row.employer_id, row.amount_cny)
    uow.audit(
        f"subsidy.{row.state}",
        ("subsidy_claim", row.id),
        row.reason,
        {
            "kind": row.kind,
            "amount_cny": str(row.amount_cny),
            "person_id": row.person_id,
            # what a payment rested on: each fact it used and how it stood
            **({"facts": basis} if basis and row.state == GRANTED else {}),
        },
    )
    uow.commit()
    return row


def _facts_basis(uow, row: SubsidyClaim, verified: Mapping[str, str]) -> dict[str, str]:
    """The profile facts the claim rests on (those of the hire, as recorded when it happened),
    each `verified` or `declared`; none for a traineeship's settled subsidy."""
    if row.kind != HIRING:
        return {}
    hire = uow.repo.get(Application, row.application_id, domain.APPLICATION_NOT_FOUND)
    used = {
        fact: value.isoformat() if hasattr(value, "isoformat") else value
        for fact in domain.HIRING_SUBSIDY_FACTS
        for value in (getattr(hire, fact),)
    }
    return domain.facts_basis(used, verified)


def _opened_already(uow, actor: Actor, application_id: str) -> SubsidyClaim | None:
    """The claim that stands for this very hire in the claimant's name: opened by the platform
    itself (免申即享, `claim_automatically`) or by an earlier request. The employer claiming it
    again is given that claim, not a refusal: it is the claim they asked for."""
    hire = uow.repo.get(Application, application_id, domain.APPLICATION_NOT_FOUND)
    standing = uow.repo.hiring_claim_standing_for(hire.person_id)
    if standing is None or actor.role != EMPLOYER:
        return None
    if (standing.application_id, standing.employer_id) != (hire.id, actor.account_id):
        return None
    return standing


def _hiring_claim(uow, actor: Actor, application_id: str, policy: JobsPolicy) -> SubsidyClaim:
    hire = uow.repo.locked(Application, application_id, domain.APPLICATION_NOT_FOUND)
    if actor.role != EMPLOYER:
        raise domain.APPLICATION_NOT_FOUND
    return hire_to_claim(uow, hire, actor.account_id, policy)


def hire_to_claim(uow, hire: Application, claimant_id: str, policy: JobsPolicy) -> SubsidyClaim:
    """The hiring-subsidy claim `claimant_id` makes for `hire`, or the refusal: the rule an
    employer's claim and the benefits finder (`programmes.py`) both apply."""
    domain.check_hiring_subsidy_claim(
        domain.Hire(
            hire.state, hire.employer_id, hire.graduate, hire.contract_with_social_insurance
        ),
        claimant_id,
    )
    if uow.repo.hiring_claim_standing_for(hire.person_id) is not None:
        raise Conflict(ONCE_PER_PERSON)
    return SubsidyClaim(
        kind=HIRING,
        person_id=hire.person_id,
        application_id=hire.id,
        amount_cny=policy.hiring_subsidy_cny,
        person_key=hire.person_id,
    )


def claim_automatically(uow, person_id: str, policy: JobsPolicy) -> SubsidyClaim | None:
    """免申即享: the hiring-subsidy claim for the person's latest hire opens itself, in the
    hiring employer's name, for 区人社局 to decide; None when the hire does not qualify or a
    claim already stands (so a repeated request changes nothing)."""
    hire = uow.repo.latest_hire_of(person_id, lock=True)
    if hire is None:
        return None
    try:
        row = hire_to_claim(uow, hire, hire.employer_id, policy)
    except DomainError:
        return None
    return _open(uow, row, hire.employer_id)


def _traineeship_claim(uow, actor: Actor, traineeship_id: str) -> SubsidyClaim:
    trainee = uow.repo.locked(Traineeship, traineeship_id, domain.TRAINEESHIP_NOT_FOUND)
    domain.check_traineeship_subsidy_claim(trainee.state, trainee.employer_id, actor.account_id)
    if uow.repo.traineeship_claim_standing_for(trainee.id) is not None:
        raise Conflict(ONCE_PER_TRAINEESHIP)
    return SubsidyClaim(
        kind=TRAINEESHIP_SUBSIDY,
        person_id=trainee.person_id,
        traineeship_id=trainee.id,
        amount_cny=trainee.subsidy_total_cny,
        traineeship_key=trainee.id,
    )
