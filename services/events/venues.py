"""Venues of the 15-minute fitness circle (15分钟健身圈, 三.4): fitness centres, courts, trails,
school grounds open to the public and youth homes, with their weekly opening hours and their
point on the map (GCJ-02, `vocabulary.DATUM`; both coordinates or neither).

Officers of the `venue_units` (区教体局 by default) and administrators keep the register; an
activity at a venue must fit its hours (`activities.py`). Changing a venue's hours leaves the
activities already planned there as they are.
"""

from __future__ import annotations

from services.common.actor import Actor
from services.common.clock import utcnow
from services.common.models import new_id

from . import circle, domain
from .models import Venue
from .policy import EventsPolicy


def register_venue(uow, actor: Actor, fields: dict, policy: EventsPolicy) -> Venue:
    """Register a venue of the fitness circle with its opening hours (audited)."""
    domain.check_may_keep_venues(actor, policy.venue_units)
    circle.check_coordinates(fields.get("latitude"), fields.get("longitude"))
    now = utcnow()
    row = Venue(
        id=new_id(),
        created_by=actor.account_id,
        created_at=now,
        updated_at=now,
        **fields,
    )
    uow.repo.add(row)
    uow.audit("venue.registered", ("venue", row.id), details={"name": row.name})
    uow.commit()
    return row


def update_venue(uow, actor: Actor, venue_id: str, fields: dict, policy: EventsPolicy) -> Venue:
    """Change a venue (its opening hours, say); audited with the fields changed."""
    domain.check_may_keep_venues(actor, policy.venue_units)
    venue = uow.repo.get(Venue, venue_id, domain.not_found("venue"))
    for name, value in fields.items():
        setattr(venue, name, value)
    circle.check_coordinates(venue.latitude, venue.longitude)
    venue.updated_at = utcnow()
    uow.audit("venue.updated", ("venue", venue.id), details={"fields": sorted(fields)})
    uow.commit()
    return venue
