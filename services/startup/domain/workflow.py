"""What every startup workflow shares: moving between states, who sees a record, who acts on
their own, and how a dashboard tells the next step in both languages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from services.common.actor import PARTNER, YOUTH, Actor
from services.common.errors import DomainError, IllegalTransition

Bilingual = dict[str, str]


def next_state(transitions: Mapping[str, tuple[tuple[str, ...], str]], state: str, action: str):
    """The state `action` leads to from `state`, or 409 when it may not be taken there."""
    allowed_from, target = transitions[action]
    if state not in allowed_from:
        raise IllegalTransition(state, action)
    return target


def check_may_see(
    actor: Actor,
    person_id: str,
    officer_units: Iterable[str],
    not_found: DomainError,
    partner_id: str | None = None,
) -> None:
    """The person themselves, an officer of a unit that handles it, its lending bank and admins
    see a record; for anyone else it does not exist (404, not 403: its existence is private)."""
    if actor.is_admin:
        return
    if actor.role == YOUTH and actor.is_self(person_id):
        return
    if actor.is_officer_of(*officer_units):
        return
    if actor.role == PARTNER and actor.is_self(partner_id):
        return
    raise not_found


def check_is_owner(actor: Actor, person_id: str, not_found: DomainError) -> None:
    """Only the person acts on their own application (withdraw, cancel); not even an admin
    withdraws for them, and to anyone else it does not exist."""
    if not actor.is_self(person_id):
        raise not_found
