"""Registrations (报名): places while they last, then a waitlist in arrival order that moves up
when a place is freed.

A registration decides on the activity as read, with no lock, then takes its activity's next
arrival number, and a place while places last, in one conditional update of the activity's
counters (`EventsRepository.take_place`), the last thing before its commit: a crowd for one
activity waits on the row only for that update and the commit, never for the whole
registration, and the waitlist position a person is told is the order they move up in. Every
other change to places (cancel, promote, cancel the activity, an erasure) locks the row first
and sets the counters as read under that lock, so both kinds of writer keep them exact.

A confirmed place carries a one-time check-in code (`checkin.py` scans it). A place given up
(by its person, or by their erasure) goes to the first on the waitlist at once while the
activity has not ended; cancelling the activity ends every registration still in play
(`void_all`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError

from services.common.actor import Actor
from services.common.clock import clock, utcnow
from services.common.models import new_id

from . import domain
from .models import Activity, Registration
from .policy import EventsPolicy
from .vocabulary import CONFIRMED


def registration_event(
    registration: Registration, activity: Activity, position: int | None = None
) -> dict:
    """The data of a `registration.*` event: ids, the state and what the person is told of the
    activity (its title, time and venue); never a check-in code."""
    return {
        "registration_id": registration.id,
        "activity_id": activity.id,
        "person_id": registration.person_id,
        "state": registration.state,
        "activity_title": activity.title,
        "starts_at": activity.starts_at,
        "venue": activity.venue,
        "waitlist_position": position,
    }


def new_code(uow, activity_id: str, policy: EventsPolicy) -> str:
    """A check-in code no other registration of the activity has (the activity is locked)."""
    while True:
        code = domain.new_check_in_code(policy.check_in_code_length)
        if not uow.repo.code_in_use(activity_id, code):
            return code


def register(
    uow, actor: Actor, activity_id: str, facts: dict, policy: EventsPolicy
) -> tuple[Registration, Activity, int | None]:
    """Confirm a place while places last, else join the waitlist; one registration each (a
    cancelled one is made again, at the back of the line). Returns the registration, its
    activity and the waitlist position (None with a place)."""
    activity = uow.repo.get(Activity, activity_id, domain.not_found("activity"))
    domain.check_may_see_activity(actor, activity.state, activity.organiser_unit)
    person_id, now = facts["person_id"], utcnow()
    existing = uow.repo.registration_of(activity_id, person_id)
    domain.check_may_register_again(existing.state if existing else None)
    age = domain.age_at_activity(
        facts.get("birth_date"), facts.get("age"), activity.starts_at, clock.zone
    )
    domain.check_may_register(
        activity.state,
        domain.Audience(activity.min_age, activity.max_age),
        domain.registration_window(
            activity.registration_opens_at, activity.registration_closes_at, activity.ends_at
        ),
        age,
        now,
    )
    looks_full = not domain.has_place(activity.confirmed_count, activity.capacity)
    taken = uow.repo.take_place(activity_id, looks_full)  # the row is locked from here
    if taken is None:  # cancelled or finished since it was read
        activity = uow.repo.locked(Activity, activity_id, domain.not_found("activity"))
        raise domain.activity_not_open(activity.state)
    if existing is not None:
        # read again under its lock, taken after the activity's as every writer takes them: the
        # person's other attempt may have made it again meanwhile (undone with this one if so)
        existing = uow.repo.locked(Registration, existing.id, domain.not_found("registration"))
        domain.check_may_register_again(existing.state)
    state, sequence, position = taken
    registration = existing or Registration(
        id=new_id(), activity_id=activity_id, person_id=person_id
    )
    registration.state, registration.age = state, age
    registration.sequence, registration.queued_at = sequence, now
    registration.updated_at = now
    registration.promoted_at = registration.cancelled_at = None
    registration.cancelled_by = registration.checked_in_at = None
    registration.checked_in_by = None
    registration.check_in_code = new_code(uow, activity.id, policy) if state == CONFIRMED else None
    uow.repo.add(registration)
    try:
        uow.repo.flush()
    except IntegrityError as error:  # the same person's other attempt registered first
        raise domain.already_registered() from error
    uow.record(
        f"registration.{state}",
        subject=registration.id,
        data=registration_event(registration, activity, position),
    )
    uow.commit()
    return registration, activity, position


def cancel(
    uow, actor: Actor, registration_id: str, policy: EventsPolicy
) -> tuple[Registration, Activity]:
    """The person gives up their place or waitlist spot; a freed place goes to the first on
    the waitlist, who is told."""
    found = uow.repo.get(Registration, registration_id, domain.not_found("registration"))
    domain.check_registration_owner(actor, found.person_id)
    activity = uow.repo.locked(Activity, found.activity_id, domain.not_found("activity"))
    # read again after the activity's lock: what another transaction just did is seen
    registration = uow.repo.locked(Registration, registration_id, domain.not_found("registration"))
    now = utcnow()
    domain.check_cancellable(registration.state, activity.ends_at, now)
    freed_place = _give_up(registration, activity, now, domain.BY_PERSON)
    registration.updated_at = now
    uow.record(
        "registration.cancelled",
        subject=registration.id,
        data=registration_event(registration, activity),
    )
    if domain.promotes_on_cancel(freed_place, activity.state, activity.ends_at, now):
        promote_first(uow, activity, now, policy)
    uow.commit()
    return registration, activity


def _give_up(registration: Registration, activity: Activity, now: datetime, by: str) -> bool:
    """End a confirmed or waitlisted registration (`by` whom); whether it freed a place."""
    freed_place = registration.state == CONFIRMED
    if freed_place:
        activity.confirmed_count -= 1
    else:
        activity.waitlisted_count -= 1
    registration.state = domain.next_registration_state(registration.state, "cancel")
    registration.cancelled_at = now
    registration.cancelled_by = by
    return freed_place


def promote_first(uow, activity: Activity, now: datetime, policy: EventsPolicy) -> None:
    """Give the freed place to the first on the waitlist, with a check-in code of their own,
    and tell them (`registration.promoted`). Nothing when nobody waits."""
    first = uow.repo.first_waitlisted(activity.id)
    if first is None:
        return
    first.state = domain.next_registration_state(first.state, "promote")
    first.promoted_at = first.updated_at = now
    first.check_in_code = new_code(uow, activity.id, policy)
    activity.waitlisted_count -= 1
    activity.confirmed_count += 1
    uow.record("registration.promoted", subject=first.id, data=registration_event(first, activity))


def void_all(uow, activity: Activity, reason: str, now: datetime) -> int:
    """The activity was cancelled: every registration still in play ends with it, and each
    person is told why (one `registration.activity_cancelled` each). How many it ended."""
    affected = uow.repo.registrations_in_play(activity.id)
    for registration in affected:
        registration.state = domain.next_registration_state(registration.state, "void")
        registration.cancelled_at = registration.updated_at = now
        registration.cancelled_by = domain.BY_ACTIVITY
        uow.record(
            "registration.activity_cancelled",
            subject=registration.id,
            data=registration_event(registration, activity) | {"reason": reason},
        )
    activity.confirmed_count = activity.waitlisted_count = 0
    return len(affected)


def withdraw_person(uow, person_id: str, policy: EventsPolicy) -> None:
    """Before an erasure (PIPL): give up the person's places and waitlist spots at activities
    still ahead or running, since nobody can come on them any more, and move each waitlist up.
    What already happened (a check-in, a place at an activity that is over) stays as it was.
    No `registration.cancelled` is recorded: its data would name the person. Runs in the
    erasure's transaction; a second erasure finds nothing (the rows no longer name them)."""
    now = utcnow()
    activities = {
        activity_id: uow.repo.locked(Activity, activity_id, domain.not_found("activity"))
        for activity_id in uow.repo.activity_ids_of(person_id)
    }
    for registration in uow.repo.registrations_of(person_id):
        activity = activities[registration.activity_id]
        if not domain.withdrawn_on_erasure(
            registration.state, activity.state, activity.ends_at, now
        ):
            continue
        freed_place = _give_up(registration, activity, now, domain.BY_ERASURE)
        if domain.promotes_on_cancel(freed_place, activity.state, activity.ends_at, now):
            promote_first(uow, activity, now, policy)
