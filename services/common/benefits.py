"""The shape of a programme in the policy catalogue (政策目录) and of a person's verdict on it.

Each domain service owns its programmes (`services/<name>/programmes.py`): their names, the
unit responsible, the plan's clause, the amount from the service's policy, and a check that
runs THE SAME rule the service applies when the person applies (never a second copy). This
module holds only what they share: the entry's fields, a rule's outcome, the verdict, and the
turning of a refusal the service would raise into a reason. Nothing domain-specific.

A verdict is one of:

* `eligible`: every rule passes (rules the person declares on applying, e.g. owning no property
  in the district, are listed as `declaration`: the programme is theirs if they declare it);
* `not_eligible`: a rule fails on a fact the person has given;
* `fact_missing`: a rule fails only because a fact is not given (declaring it may help).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .actor import SYSTEM, Actor
from .errors import DomainError
from .i18n import Catalog, Rendered

ELIGIBLE, NOT_ELIGIBLE, FACT_MISSING = "eligible", "not_eligible", "fact_missing"
VERDICTS = (ELIGIBLE, NOT_ELIGIBLE, FACT_MISSING)

#: a rule's state: passed, failed, or a declaration the applicant makes when applying
PASSED, FAILED, DECLARATION = "passed", "failed", "declaration"


@dataclass(frozen=True)
class RuleCheck:
    """One rule of a programme for one person: its outcome, the profile facts it used, and
    why, in both languages. `missing` names the facts whose absence made it fail."""

    rule: str
    state: str
    reason: Rendered
    facts: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "state": self.state,
            "reason": self.reason,
            "facts": list(self.facts),
            "missing": list(self.missing),
        }


def verdict(eligible: bool, checks: Sequence[RuleCheck]) -> str:
    """The programme's verdict: the service's own decision (`eligible`), and, when it says
    no, whether only missing facts stand in the way."""
    if eligible:
        return ELIGIBLE
    failed = [check for check in checks if check.state == FAILED]
    if failed and all(check.missing for check in failed):
        return FACT_MISSING
    return NOT_ELIGIBLE


def missing_of(person: Mapping, facts: Iterable[str]) -> tuple[str, ...]:
    """The facts among `facts` the person's profile does not give."""
    return tuple(fact for fact in facts if person.get(fact) is None)


def refusal_check(
    rule: str,
    refusal: DomainError | None,
    passed: Rendered,
    catalog: Catalog,
    person: Mapping,
    facts: Sequence[str] = (),
) -> RuleCheck:
    """The outcome of a rule written as a check that raises (or returns) the service's refusal:
    passed with `passed` as its reason, or failed with the refusal's own message."""
    if refusal is None:
        return RuleCheck(rule, PASSED, passed, tuple(facts))
    missing = missing_of(person, facts)
    return RuleCheck(rule, FAILED, refusal.render(catalog), tuple(facts), missing)


def refusal_of(check: Callable[[], object]) -> DomainError | None:
    """Runs a service's check; the refusal it raises, or None when it passes."""
    try:
        check()
    except DomainError as refused:
        return refused
    return None


@dataclass(frozen=True)
class Programme:
    """A programme in the catalogue, as the public policy pages show it.

    `conditions` are the rules in words, filled with the policy's numbers; `amount` is what it
    gives (from the policy); `automatic` (免申即享) means the platform opens the application
    itself when a person becomes eligible, for an officer to confirm."""

    key: str
    service: str
    name: Rendered
    unit: str
    legal_source: Rendered
    conditions: tuple[Rendered, ...]
    amount: Rendered
    facts: tuple[str, ...]
    apply_at: str
    automatic: bool = False
    why_automatic: Rendered | None = None
    declarations: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "service": self.service,
            "name": self.name,
            "unit": self.unit,
            "legal_source": self.legal_source,
            "conditions": list(self.conditions),
            "amount": self.amount,
            "facts": list(self.facts),
            "declarations": list(self.declarations),
            "apply_at": self.apply_at,
            "automatic": self.automatic,
            "why_automatic": self.why_automatic,
        }


def answer(programme: Programme, eligible: bool, checks: Sequence[RuleCheck], **extra) -> dict:
    """A person's verdict on a programme with each rule's outcome (the RPC's answer)."""
    return {
        "key": programme.key,
        "service": programme.service,
        "name": programme.name,
        "unit": programme.unit,
        "amount": programme.amount,
        "automatic": programme.automatic,
        "facts": list(programme.facts),
        "apply_at": programme.apply_at,
        "verdict": verdict(eligible, checks),
        "rules": [check.as_dict() for check in checks],
        **extra,
    }


def benefit_subject(actor: Actor, person: Mapping) -> str:
    """Whose benefits a call asks about: the caller's own, or, for the platform's own work
    (re-evaluating a person after a fact changed), the person named."""
    if actor.role == SYSTEM and person.get("person_id"):
        return person["person_id"]
    return actor.person(person.get("person_id"))
