"""Check-in (签到) at the door: the organiser scans a person's one-time code.

A confirmed place carries an 8-character code (no 0/O, 1/I), shown only to its person. An
officer of the organising unit scans it from `check_in_opens_minutes_before_start` before the
start until the end: the registration moves to `checked_in` and the activity counts one more
attendee. A code works once; a waitlisted or cancelled registration's code is void.
"""

from __future__ import annotations

from services.common.actor import Actor
from services.common.clock import utcnow

from . import domain
from .models import Activity, Registration
from .policy import EventsPolicy
from .registrations import registration_event


def scan(uow, actor: Actor, activity_id: str, code: str, policy: EventsPolicy) -> Registration:
    """Check in the registration whose code was scanned (`registration.checked_in`, without
    the code); the code as typed or scanned (case, spaces and dashes do not matter)."""
    code = domain.normalise_code(code)
    activity = uow.repo.locked(Activity, activity_id, domain.not_found("activity"))
    domain.check_may_manage_activity(actor, activity.state, activity.organiser_unit)
    registration = uow.repo.registration_by_code(activity.id, code)
    if registration is None:
        raise domain.not_found("check_in_code")
    now = utcnow()
    window = domain.CheckInWindow.of(
        activity.starts_at, activity.ends_at, policy.check_in_opens_minutes_before_start
    )
    registration.state = domain.check_in_state(
        activity.state, window, registration.state, registration.checked_in_at, now
    )
    registration.checked_in_at = registration.updated_at = now
    registration.checked_in_by = actor.account_id
    activity.attended_count += 1
    uow.record(
        "registration.checked_in",
        subject=registration.id,
        data=registration_event(registration, activity) | {"checked_in_at": now},
    )
    uow.commit()
    return registration
