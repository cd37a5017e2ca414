"""Activities and registrations: the rules, with no I/O.

Culture, tourism, sport and health activities (三.1–三.4) and youth mixers (二.2) are published by
the unit that organises them; young people register while places last, then join a waitlist
that moves up automatically when someone cancels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.common.errors import DomainError, Forbidden, IllegalTransition, NotFound

CATEGORIES = (
    "festival",
    "music_festival",
    "competition",
    "live_commerce_contest",
    "youth_mixer",
    "fitness",
    "mental_health",
    "training",
    "volunteering",
    "rural_revitalisation_training",
)

DRAFT, PUBLISHED, CANCELLED, FINISHED = "draft", "published", "cancelled", "finished"
ACTIVITY_STATES = (DRAFT, PUBLISHED, CANCELLED, FINISHED)

#: action → (states it may start from, state it leads to)
ACTIVITY_TRANSITIONS = {
    "publish": ((DRAFT,), PUBLISHED),
    "cancel": ((DRAFT, PUBLISHED), CANCELLED),
    "finish": ((PUBLISHED,), FINISHED),
}

CONFIRMED, WAITLISTED, REG_CANCELLED = "confirmed", "waitlisted", "cancelled"
REGISTRATION_STATES = (CONFIRMED, WAITLISTED, REG_CANCELLED)


def next_activity_state(state: str, action: str) -> str:
    allowed_from, target = ACTIVITY_TRANSITIONS[action]
    if state not in allowed_from:
        raise IllegalTransition(state, action)
    return target


@dataclass(frozen=True)
class Organiser:
    """Who acts on an activity: an officer of a unit, or an administrator."""

    account_id: str | None
    role: str | None
    unit: str | None

    def check_may_manage(self, organiser_unit: str) -> None:
        if self.role == "admin":
            return
        if self.role != "officer" or self.unit != organiser_unit:
            raise Forbidden("not_organiser", params={"unit": organiser_unit})


@dataclass(frozen=True)
class Audience:
    min_age: int | None
    max_age: int | None

    def refusal_for(self, age: int | None) -> DomainError | None:
        """Why a person of `age` may not register, or None."""
        if self.min_age is None and self.max_age is None:
            return None
        if age is None:
            return DomainError("age_unknown", status=422, field="age")
        if (self.min_age is not None and age < self.min_age) or (
            self.max_age is not None and age > self.max_age
        ):
            return DomainError(
                "age_out_of_range",
                status=422,
                field="age",
                params={
                    "age": age,
                    "min_age": self.min_age if self.min_age is not None else 0,
                    "max_age": self.max_age if self.max_age is not None else 150,
                },
            )
        return None


@dataclass(frozen=True)
class RegistrationWindow:
    opens_at: datetime | None
    closes_at: datetime | None

    def refusal_at(self, now: datetime) -> DomainError | None:
        if self.opens_at is not None and now < self.opens_at:
            return DomainError(
                "registration_not_open", status=409, params={"opens_at": self.opens_at.isoformat()}
            )
        if self.closes_at is not None and now > self.closes_at:
            return DomainError(
                "registration_closed", status=409, params={"closes_at": self.closes_at.isoformat()}
            )
        return None


def place_for_new_registration(
    state: str,
    capacity: int,
    confirmed: int,
    audience: Audience,
    window: RegistrationWindow,
    age: int | None,
    now: datetime,
) -> str:
    """`confirmed` while places last, `waitlisted` after; refuses outside the rules."""
    if state != PUBLISHED:
        raise DomainError("activity_not_open", status=409, params={"state": state})
    for refusal in (window.refusal_at(now), audience.refusal_for(age)):
        if refusal is not None:
            raise refusal
    return CONFIRMED if confirmed < capacity else WAITLISTED


def may_cancel_registration(actor_id: str | None, actor_role: str | None, person_id: str) -> None:
    """Only the person (or an administrator); for anyone else the registration does not exist."""
    if actor_role != "admin" and actor_id != person_id:
        raise NotFound("registration")
