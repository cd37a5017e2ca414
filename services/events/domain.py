"""Activities, registrations, check-in, venues and stories: the rules, with no I/O.

Culture, tourism, sport and health activities (三.1–三.4) and youth mixers (二.2) are published by
the unit that organises them; young people register while places last, then join a waitlist
that moves up automatically when someone cancels; at the door the organiser scans each person's
one-time check-in code. Venues of the 15-minute fitness circle (15分钟健身圈, 三.4) keep their
opening hours, and the stories column (我的青春在XX, 三.1) publishes what the publicity
department (区委宣传部) approved.

Who may see and who may act follow one rule across the service: what the caller may not see
does not exist for them (404); what they may see but not change is refused (403).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from services.common.actor import OFFICER, YOUTH, Actor
from services.common.errors import (
    DomainError,
    Forbidden,
    IllegalTransition,
    InvalidInput,
    NotFound,
)
from services.common.validators import age_on

from .messages import MESSAGES
from .vocabulary import (
    CANCELLED,
    CHECKED_IN,
    CONFIRMED,
    DRAFT,
    FINISHED,
    PUBLISHED,
    REG_CANCELLED,
    REJECTED,
    STORY_ERASED,
    STORY_PUBLISHED,
    SUBMITTED,
    TAKEN_DOWN,
    WAITLISTED,
    parse_clock,
)
from .vocabulary import (
    STORY_STATES as STORY_STATES,  # a story's states, read with the rules that move it
)

# -- activities ----------------------------------------------------------------------------------

#: states of an activity that takes (or took) place
HELD_ACTIVITY_STATES = (PUBLISHED, FINISHED)

#: action → (states it may start from, state it leads to)
ACTIVITY_TRANSITIONS = {
    "publish": ((DRAFT,), PUBLISHED),
    "cancel": ((DRAFT, PUBLISHED), CANCELLED),
    "finish": ((PUBLISHED,), FINISHED),
}


def next_activity_state(state: str, action: str) -> str:
    allowed_from, target = ACTIVITY_TRANSITIONS[action]
    if state not in allowed_from:
        raise IllegalTransition(state, action)
    return target


def not_found(resource: str) -> NotFound:
    """A 404 whose message names the resource in the caller's language."""
    return NotFound(resource, messages=MESSAGES.render(f"not_found.{resource}"))


def check_may_publish(ends_at: datetime, now: datetime) -> None:
    if ends_at <= now:
        raise DomainError("activity_already_over", status=409)


def check_may_finish(starts_at: datetime, now: datetime) -> None:
    if now < starts_at:
        raise DomainError(
            "activity_not_started", status=409, params={"starts_at": starts_at.isoformat()}
        )


def organising_unit(actor: Actor, named_unit: str | None) -> str:
    """The unit a new activity belongs to: an officer's own (whatever they name), the one an
    administrator names (422 on `organiser_unit` when they name none)."""
    unit = actor.unit if actor.role == OFFICER else named_unit
    if unit is None:
        raise InvalidInput.for_field("organiser_unit", "required", MESSAGES)
    return unit


def check_may_see_activity(actor: Actor, state: str, organiser_unit: str) -> None:
    """A draft exists only for its organisers: officers of its unit and administrators."""
    if state == DRAFT and not actor.acts_for(organiser_unit):
        raise not_found("activity")


def check_may_manage(actor: Actor, organiser_unit: str) -> None:
    """Officers of the organising unit, and administrators, manage an activity."""
    if not actor.acts_for(organiser_unit):
        raise Forbidden("not_organiser", params={"unit": organiser_unit})


def check_may_manage_activity(actor: Actor, state: str, organiser_unit: str) -> None:
    """Someone else's draft does not exist (404); someone else's published activity is not
    theirs to change (403)."""
    check_may_see_activity(actor, state, organiser_unit)
    check_may_manage(actor, organiser_unit)


def draft_units(actor: Actor) -> tuple[str, ...] | None:
    """Units whose drafts the caller may list: None for all (an admin)."""
    if actor.is_admin:
        return None
    if actor.role == OFFICER and actor.unit:
        return (actor.unit,)
    raise Forbidden("drafts_for_organisers")


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


def age_at_activity(
    birth_date: date | None, age_today: int | None, starts_at: datetime, zone: tzinfo
) -> int | None:
    """The age a person will be on the activity's (local) day: the audience range applies to
    the person who comes, not to who they are the day they register. Without a birth date,
    the age the gateway gave."""
    if birth_date is None:
        return age_today
    return age_on(birth_date, starts_at.astimezone(zone).date())


@dataclass(frozen=True)
class RegistrationWindow:
    """When registration is open; without a closing time it stays open until the activity
    ends (people join a festival while it runs)."""

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


def registration_window(
    opens_at: datetime | None, closes_at: datetime | None, ends_at: datetime
) -> RegistrationWindow:
    return RegistrationWindow(opens_at, closes_at or ends_at)


# -- registrations -------------------------------------------------------------------------------

#: states that hold one of the activity's places
HOLDS_PLACE = (CONFIRMED, CHECKED_IN)
#: states of a registration still in play
ACTIVE_REGISTRATION = (CONFIRMED, WAITLISTED, CHECKED_IN)

#: who ended a registration: the person, the organiser by cancelling the activity, or the
#: person's erasure (PIPL) while the activity was still ahead
BY_PERSON, BY_ACTIVITY, BY_ERASURE = "person", "activity", "erasure"

REGISTRATION_TRANSITIONS = {
    "cancel": ((CONFIRMED, WAITLISTED), REG_CANCELLED),
    "promote": ((WAITLISTED,), CONFIRMED),
    "check_in": ((CONFIRMED,), CHECKED_IN),
    "void": (ACTIVE_REGISTRATION, REG_CANCELLED),
}


def next_registration_state(state: str, action: str) -> str:
    allowed_from, target = REGISTRATION_TRANSITIONS[action]
    if state not in allowed_from:
        raise IllegalTransition(state, action)
    return target


def check_may_register(
    state: str, audience: Audience, window: RegistrationWindow, age: int | None, now: datetime
) -> None:
    """Refuses outside the rules. Within them, a place while places last, else the waitlist:
    decided as the place is taken, on the activity's counters (`has_place`), not on what was
    read before."""
    refusal = registration_refusal(state, audience, window, age, now)
    if refusal is not None:
        raise refusal


def has_place(confirmed, capacity):
    """Whether a new registration takes a place (else it waits): while places last. Written
    so that it reads the same on numbers and on the activity's columns, where it is decided
    (`EventsRepository.take_place`)."""
    return confirmed < capacity


def activity_not_open(state: str) -> DomainError:
    """Registering for an activity that is not published (a draft, cancelled, finished)."""
    return DomainError("activity_not_open", status=409, params={"state": state})


def registration_refusal(
    state: str, audience: Audience, window: RegistrationWindow, age: int | None, now: datetime
) -> DomainError | None:
    """Why a person of `age` may not register now, or None: the activity is published, its
    registration open, and its audience takes the person (a full one still waitlists). The
    rule registering and the benefits finder (`programmes.py`) both apply."""
    if state != PUBLISHED:
        return activity_not_open(state)
    return window.refusal_at(now) or audience.refusal_for(age)


def check_may_register_again(existing_state: str | None) -> None:
    """One registration per person per activity; a cancelled one may be made again (at the
    back of the queue)."""
    if existing_state is not None and existing_state != REG_CANCELLED:
        raise already_registered()


def already_registered() -> DomainError:
    return DomainError("already_registered", status=409)


def check_registration_owner(actor: Actor, person_id: str | None) -> None:
    """A registration exists for its person (and an administrator); for anyone else it does
    not. An anonymised registration (no person) belongs to nobody."""
    actor.require_own(person_id, not_found("registration"))


def check_cancellable(state: str, ends_at: datetime, now: datetime) -> None:
    if state == REG_CANCELLED:
        raise DomainError("registration_already_cancelled", status=409)
    if state == CHECKED_IN:
        raise DomainError("registration_attended", status=409)
    if ends_at <= now:
        raise DomainError("activity_already_over", status=409)


def promotes_on_cancel(freed_place: bool, activity_state: str, ends_at: datetime, now: datetime):
    """A freed place goes to the waitlist while the activity is still ahead or running."""
    return freed_place and activity_state == PUBLISHED and now < ends_at


def withdrawn_on_erasure(state: str, activity_state: str, ends_at: datetime, now: datetime) -> bool:
    """An erased person's place or waitlist spot at an activity still ahead or running is given
    up: nobody can come on it any more, and the waitlist must move. What already happened (a
    check-in, a place at an activity that is over) stays as it was, so attendance counts hold."""
    return state in (CONFIRMED, WAITLISTED) and activity_state == PUBLISHED and now < ends_at


# -- check-in ------------------------------------------------------------------------------------

#: no 0/O, 1/I: a code read aloud or typed from a screen is not mistaken
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def new_check_in_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(code: str) -> str:
    """What the organiser typed or scanned: case, spaces and dashes do not matter."""
    return re.sub(r"[\s\-]", "", code or "").upper()


@dataclass(frozen=True)
class CheckInWindow:
    """Codes are scanned from a while before the start until the end."""

    opens_at: datetime
    closes_at: datetime

    @classmethod
    def of(cls, starts_at: datetime, ends_at: datetime, minutes_before: int) -> CheckInWindow:
        return cls(starts_at - timedelta(minutes=minutes_before), ends_at)


def check_in_state(
    activity_state: str,
    window: CheckInWindow,
    registration_state: str,
    checked_in_at: datetime | None,
    now: datetime,
) -> str:
    """The registration's state after its code is scanned now; a code works once."""
    if activity_state != PUBLISHED:
        raise DomainError("activity_not_open", status=409, params={"state": activity_state})
    if now < window.opens_at:
        raise DomainError(
            "check_in_not_open", status=409, params={"opens_at": window.opens_at.isoformat()}
        )
    if now > window.closes_at:
        raise DomainError(
            "check_in_closed", status=409, params={"closes_at": window.closes_at.isoformat()}
        )
    if registration_state == CHECKED_IN:
        raise DomainError(
            "check_in_code_used",
            status=409,
            params={"checked_in_at": checked_in_at.isoformat() if checked_in_at else ""},
        )
    if registration_state != CONFIRMED:
        raise DomainError("check_in_code_void", status=409, params={"state": registration_state})
    return CHECKED_IN


# -- venues --------------------------------------------------------------------------------------

MINUTES_A_DAY = 24 * 60


@dataclass(frozen=True)
class OpeningPeriod:
    """Open from `opens` to `closes` (minutes after midnight) on each ISO weekday listed."""

    weekdays: tuple[int, ...]
    opens: int
    closes: int

    def contains(self, weekday: int, minute: int, *, as_end: bool = False) -> bool:
        if weekday not in self.weekdays:
            return False
        return self.opens < minute <= self.closes if as_end else self.opens <= minute < self.closes


@dataclass(frozen=True)
class OpeningHours:
    """A venue's weekly opening hours (营业/开放时间). A period past midnight is two periods."""

    periods: tuple[OpeningPeriod, ...]

    @classmethod
    def from_data(cls, data: Iterable[Mapping]) -> OpeningHours:
        return cls(
            tuple(
                OpeningPeriod(
                    tuple(sorted(item["weekdays"])),
                    parse_clock(item["opens"]),
                    parse_clock(item["closes"]),
                )
                for item in data
            )
        )

    def _open(self, weekday: int, minute: int, *, as_end: bool = False) -> bool:
        return any(p.contains(weekday, minute, as_end=as_end) for p in self.periods)

    def is_open_at(self, moment: datetime, zone: tzinfo) -> bool:
        local = moment.astimezone(zone)
        return self._open(local.isoweekday(), _minute_of(local))

    def covers(self, starts_at: datetime, ends_at: datetime, zone: tzinfo) -> bool:
        """The venue is open when the activity starts and when it ends; an activity within one
        day must fit inside one opening period of that day."""
        start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
        start_minute = _minute_of(start)
        end_day, end_weekday, end_minute = end.date(), end.isoweekday(), _minute_of(end)
        if end_minute == 0:  # an end at midnight is the day before's 24:00
            end_day, end_weekday, end_minute = (
                end_day - timedelta(days=1),
                (end_weekday - 2) % 7 + 1,
                MINUTES_A_DAY,
            )
        if end_day == start.date():
            return any(
                start.isoweekday() in p.weekdays
                and p.opens <= start_minute
                and end_minute <= p.closes
                for p in self.periods
            )
        return self._open(start.isoweekday(), start_minute) and self._open(
            end_weekday, end_minute, as_end=True
        )


def _minute_of(local: datetime) -> int:
    return local.hour * 60 + local.minute


def check_venue_hosts(
    hours: OpeningHours, starts_at: datetime, ends_at: datetime, zone: tzinfo
) -> None:
    if not hours.covers(starts_at, ends_at, zone):
        raise InvalidInput.for_field("starts_at", "venue_closed", MESSAGES)


def check_may_keep_venues(actor: Actor, venue_units: tuple[str, ...]) -> None:
    """Officers of the `venue_units` (区教体局 by default) and administrators keep the register
    of venues."""
    if actor.is_admin or actor.is_officer_of(*venue_units):
        return
    raise Forbidden("not_venue_keeper", params={"units": ", ".join(venue_units)})


# -- stories -------------------------------------------------------------------------------------

#: states of a story that was in the column once (counted as published in its period); an
#: erased story keeps its `published_at`, so the count of the past holds after an erasure
ONCE_PUBLISHED = (STORY_PUBLISHED, TAKEN_DOWN, STORY_ERASED)

#: action → (states it may start from, state it leads to, whether a reason is required)
STORY_TRANSITIONS = {
    "approve": ((SUBMITTED,), STORY_PUBLISHED, False),
    "reject": ((SUBMITTED,), REJECTED, True),
    "take_down": ((STORY_PUBLISHED,), TAKEN_DOWN, True),
}


def moderates(actor: Actor, moderator_units: tuple[str, ...]) -> bool:
    """Officers of the `story_moderator_units` (区委宣传部 by default) moderate the column, and
    only they: an administrator is not one of them."""
    return actor.is_officer_of(*moderator_units)


def check_may_read_story(
    actor: Actor, state: str, author_id: str | None, moderator_units: tuple[str, ...]
) -> None:
    """A published story is public; any other exists for its author and moderators (an erased
    story has no author)."""
    if state != STORY_PUBLISHED and not (
        moderates(actor, moderator_units) or actor.is_self(author_id)
    ):
        raise not_found("story")


def check_may_moderate(actor: Actor, moderator_units: tuple[str, ...]) -> None:
    if not moderates(actor, moderator_units):
        raise Forbidden("not_story_moderator", params={"units": ", ".join(moderator_units)})


def check_may_list_stories(actor: Actor, state: str, moderator_units: tuple[str, ...]) -> None:
    """Anyone reads the column; the queue and what was rejected or taken down, moderators."""
    if state != STORY_PUBLISHED:
        check_may_moderate(actor, moderator_units)


def check_moderation_action(action: str) -> None:
    """approve, reject or take_down; anything else is a 422 on `action`."""
    if action not in STORY_TRANSITIONS:
        raise InvalidInput.for_field("action", "invalid", MESSAGES)


def moderate(state: str, action: str, reason: str | None) -> str:
    allowed_from, target, needs_reason = STORY_TRANSITIONS[action]
    if state not in allowed_from:
        raise IllegalTransition(state, action)
    if needs_reason and not (reason or "").strip():
        raise InvalidInput.for_field("reason", "reason_required", MESSAGES)
    return target


def check_may_submit_story(actor: Actor) -> None:
    """The column is young people's own writing."""
    if actor.role != YOUTH:
        raise Forbidden("stories_by_young_people")


# -- dashboard and indicators --------------------------------------------------------------------


def registration_next_step(
    state: str,
    waitlist_position: int | None,
    check_in_code: str | None,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
    zone: tzinfo,
) -> dict | None:
    """What the person does next about a registration, in both languages, or None."""
    if ends_at <= now:
        return None
    when = starts_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    if state == CONFIRMED:
        return MESSAGES.render("next_step.show_code", {"code": check_in_code, "when": when})
    if state == WAITLISTED:
        return MESSAGES.render("next_step.waitlisted", {"position": waitlist_position})
    return None


def story_next_step(state: str, reason: str | None) -> dict | None:
    if state == SUBMITTED:
        return MESSAGES.render("next_step.story_submitted")
    if state in (REJECTED, TAKEN_DOWN):
        return MESSAGES.render(f"next_step.story_{state}", {"reason": reason or ""})
    return None


@dataclass(frozen=True)
class Period:
    """[since, until) in whole local days."""

    since: datetime
    until: datetime

    @classmethod
    def of(cls, since: date, until: date, zone: tzinfo) -> Period:
        if until <= since:
            raise InvalidInput.for_field("until", "period_reversed", MESSAGES)
        return cls(
            datetime.combine(since, time(), tzinfo=zone),
            datetime.combine(until, time(), tzinfo=zone),
        )


def attendance_rate(attended: int, places_taken: int) -> float:
    """Share of taken places whose holder came; 0 when no place was taken."""
    return round(attended / places_taken, 4) if places_taken else 0.0
