"""Who acts: the account the gateway authenticated, its role and, for an officer, its unit.

Every service decides "may this caller do this?" with the same `Actor` and the same refusals:
a role that may not act is a 403 `role_not_allowed`; an officer of another unit a 403
`not_responsible_unit`; someone else's resource a 404 (it does not exist for them). What a role
means in a domain (who moderates stories, who organises an activity) is the service's rule,
written with these checks.

Example::

    actor = self.caller.actor
    actor.require_officer_of(policy.loan_unit)          # 区人社局 decides loans
    actor.require_own(loan.person_id, LOAN_NOT_FOUND)   # a young person sees only their own
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import DomainError, Forbidden

YOUTH, EMPLOYER, OFFICER, ADMIN, PARTNER, SYSTEM = (
    "youth",
    "employer",
    "officer",
    "admin",
    "partner",
    "system",
)


@dataclass(frozen=True)
class Actor:
    """The caller of a command or query, as its call context names it."""

    account_id: str | None
    role: str | None
    unit: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    def is_officer_of(self, *units: str) -> bool:
        """An officer of one of `units`."""
        return self.role == OFFICER and self.unit in units

    def acts_for(self, unit: str) -> bool:
        """An officer of `unit`, or an administrator: who manages what the unit owns."""
        return self.is_admin or self.is_officer_of(unit)

    def is_self(self, person_id: str | None) -> bool:
        return person_id is not None and self.account_id == person_id

    def require_role(self, *roles: str) -> None:
        """Only callers of `roles` (403 `role_not_allowed` naming them)."""
        if self.role not in roles:
            raise Forbidden("role_not_allowed", params={"roles": ", ".join(roles)})

    def require_officer_of(self, unit: str, admin_may: bool = False) -> None:
        """Only an officer of the responsible `unit` (and an administrator, where `admin_may`)
        decides this (403 `not_responsible_unit` naming the unit)."""
        if admin_may and self.is_admin:
            return
        if not self.is_officer_of(unit):
            raise Forbidden("not_responsible_unit", params={"unit": unit})

    def person(self, claimed: str | None = None) -> str:
        """The person a call about "my" data is about: the caller, as the signed call context
        names them, never an argument. A `claimed` id (an argument naming a person, or the
        `person_id` of the facts sent with the call) that is not the caller is refused
        (403 `not_the_caller`)."""
        if not self.account_id or (claimed is not None and claimed != self.account_id):
            raise Forbidden("not_the_caller")
        return self.account_id

    def require_own(self, person_id: str | None, not_found: DomainError) -> None:
        """Only the person acts on their own resource (and an administrator); to anyone else it
        does not exist (`not_found`, a 404)."""
        if not (self.is_self(person_id) or self.is_admin):
            raise not_found
