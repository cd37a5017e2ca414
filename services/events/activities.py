"""Activities (活动): culture, sport, health and youth mixers (联谊) a responsible unit organises.

Workflow `draft → published → cancelled | finished`: an activity is changed only as a draft (the
whole is checked again), published before it ends, cancelled with a reason that reaches every
registrant, finished once it has started. Officers of the organising unit, and administrators,
manage it (`domain.check_may_manage_activity`). An activity at a venue of the fitness circle
takes the venue's name and area and must fit its opening hours.
"""

from __future__ import annotations

from services.common.actor import Actor
from services.common.clock import clock, utcnow
from services.common.errors import IllegalTransition, InvalidInput
from services.common.models import new_id

from . import domain, registrations
from .contract import ActivityFields, ActivityInput
from .messages import MESSAGES
from .models import Activity, Venue
from .vocabulary import DRAFT


def _place_at_venue(uow, fields: dict) -> None:
    """An activity at a venue takes its name and area unless given, and must fit its hours."""
    venue_id = fields.get("venue_id")
    if venue_id is None:
        return
    venue = uow.repo.get(Venue, venue_id)
    if venue is None:
        raise InvalidInput.for_field("venue_id", "unknown_venue", MESSAGES)
    hours = domain.OpeningHours.from_data(venue.opening_hours)
    domain.check_venue_hosts(hours, fields["starts_at"], fields["ends_at"], clock.zone)
    fields["venue"] = fields.get("venue") or venue.name
    fields["area"] = fields.get("area") or venue.area


def create(uow, actor: Actor, fields: dict) -> Activity:
    """A draft activity of the calling officer's unit (an administrator names the unit)."""
    unit = domain.organising_unit(actor, fields.pop("organiser_unit", None))
    domain.check_may_manage(actor, unit)
    _place_at_venue(uow, fields)
    now = utcnow()
    row = Activity(
        id=new_id(),
        organiser_unit=unit,
        state=DRAFT,
        created_by=actor.account_id,
        created_at=now,
        updated_at=now,
        **fields,
    )
    uow.repo.add(row)
    uow.commit()
    return row


def update(uow, actor: Actor, activity_id: str, changes: dict) -> Activity:
    """Change a draft; the whole activity is checked again as if it were new."""
    activity = uow.repo.locked(Activity, activity_id, domain.not_found("activity"))
    domain.check_may_manage_activity(actor, activity.state, activity.organiser_unit)
    if activity.state != DRAFT:
        raise IllegalTransition(activity.state, "edit")
    current = ActivityFields().dump(activity)
    if "venue_id" in changes and changes["venue_id"] != activity.venue_id:
        # a new venue brings its own name and area unless the change names them
        current.pop("venue", None)
        current.pop("area", None)
    merged = {k: v for k, v in (current | ActivityFields().dump(changes)).items() if v is not None}
    fields = ActivityInput().load(merged)
    _place_at_venue(uow, fields)
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.updated_at = utcnow()
    uow.commit()
    return activity


def _published(activity: Activity) -> dict:
    return {
        "activity_id": activity.id,
        "title": activity.title,
        "category": activity.category,
        "organiser_unit": activity.organiser_unit,
        "venue_id": activity.venue_id,
        "area": activity.area,
        "starts_at": activity.starts_at,
        "ends_at": activity.ends_at,
        "capacity": activity.capacity,
    }


def publish(uow, actor: Actor, activity_id: str) -> Activity:
    """Open a draft to the public, before it ends (`activity.published`, audited)."""
    activity = uow.repo.locked(Activity, activity_id, domain.not_found("activity"))
    domain.check_may_manage_activity(actor, activity.state, activity.organiser_unit)
    activity.state = domain.next_activity_state(activity.state, "publish")
    now = utcnow()
    domain.check_may_publish(activity.ends_at, now)
    activity.published_at = activity.updated_at = now
    uow.record("activity.published", subject=activity.id, data=_published(activity))
    uow.audit("activity.published", ("activity", activity.id))
    uow.commit()
    return activity


def cancel(uow, actor: Actor, activity_id: str, reason: str) -> Activity:
    """Cancel an activity: every registration still in play ends with it, and each of its
    people is told why (one `registration.activity_cancelled` each, then `activity.cancelled`
    with how many it ended); audited with the reason."""
    activity = uow.repo.locked(Activity, activity_id, domain.not_found("activity"))
    domain.check_may_manage_activity(actor, activity.state, activity.organiser_unit)
    activity.state = domain.next_activity_state(activity.state, "cancel")
    now = utcnow()
    activity.cancelled_at = activity.updated_at = now
    activity.cancel_reason = reason
    affected = registrations.void_all(uow, activity, reason, now)
    uow.record(
        "activity.cancelled",
        subject=activity.id,
        data={
            "activity_id": activity.id,
            "category": activity.category,
            "organiser_unit": activity.organiser_unit,
            "reason": reason,
            "registrations_affected": affected,
            "cancelled_at": now,
        },
    )
    uow.audit(
        "activity.cancelled",
        ("activity", activity.id),
        reason,
        {"registrations_affected": affected},
    )
    uow.commit()
    return activity


def finish(uow, actor: Actor, activity_id: str, reason: str | None) -> Activity:
    """Close an activity that took place; its attendance is final (`activity.finished` with
    the places taken and the people who came, audited)."""
    activity = uow.repo.locked(Activity, activity_id, domain.not_found("activity"))
    domain.check_may_manage_activity(actor, activity.state, activity.organiser_unit)
    activity.state = domain.next_activity_state(activity.state, "finish")
    now = utcnow()
    domain.check_may_finish(activity.starts_at, now)
    activity.finished_at = activity.updated_at = now
    attendance = {"places_taken": activity.confirmed_count, "attended": activity.attended_count}
    uow.record(
        "activity.finished",
        subject=activity.id,
        data={
            "activity_id": activity.id,
            "category": activity.category,
            "organiser_unit": activity.organiser_unit,
            "finished_at": now,
            **attendance,
        },
    )
    uow.audit("activity.finished", ("activity", activity.id), reason, attendance)
    uow.commit()
    return activity
