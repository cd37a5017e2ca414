"""How the events service shows its rows: the views its answers are made of.

Who sees what is part of the view: a person sees their own registration with its check-in code
while the place is confirmed; the organiser's roster never shows a code; a story shows its
author, state and decision only to its author and the moderators; a venue says whether it is
open at the time of the answer.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from services.common.actor import Actor
from services.common.clock import clock

from . import domain
from .contract import (
    ActivityRegistrationView,
    ActivitySummary,
    ActivityView,
    ClubView,
    CounsellingView,
    OutreachView,
    RosterEntry,
    SlotBookingView,
    SlotView,
    StoryView,
    VenueView,
)
from .models import Activity, Registration, SlotBooking, Story, Venue, VenueSlot
from .vocabulary import CONFIRMED

ACTIVITY = ActivityView()
ACTIVITIES = ActivityView(many=True)
STORY = StoryView()
#: what anyone sees of a published story: never its author's account id
PUBLIC_STORY_FIELDS = ("id", "title", "body", "byline", "published_at")
_SUMMARY = ActivitySummary()
_VENUE = VenueView()


def own_registration(
    registration: Registration, activity: Activity | None, position: int | None = None
) -> dict:
    """The person's view of their registration: with the check-in code while it is valid."""
    view = ActivityRegistrationView().dump(registration)
    view["waitlist_position"] = position
    view["check_in_code"] = registration.check_in_code if registration.state == CONFIRMED else None
    view["activity"] = _SUMMARY.dump(activity) if activity is not None else None
    return view


def roster_entry(registration: Registration, position: int | None = None) -> dict:
    """A registration as the organiser sees it: ids, state, arrival order; never the code."""
    view = RosterEntry().dump(registration)
    view["waitlist_position"] = position
    return view


def venue(row: Venue, now: datetime) -> dict:
    """A venue, and whether it is open `now`."""
    view = _VENUE.dump(row)
    view["open_now"] = domain.OpeningHours.from_data(row.opening_hours).is_open_at(now, clock.zone)
    view["walking_minutes"] = view["distance_m"] = None  # with `?near=` only
    return view


def story(row: Story, reader: Actor, moderator_units: tuple[str, ...]) -> dict:
    """The whole story for its author and the moderators; the public fields for anyone else."""
    view = STORY.dump(row)
    if domain.moderates(reader, moderator_units) or reader.is_self(row.author_id):
        return view
    return {name: view[name] for name in PUBLIC_STORY_FIELDS}


# -- the 15-minute circle (三.4) -----------------------------------------------------------------

CLUB = ClubView()
OUTREACH = OutreachView()
#: a counselling booking: only ever dumped for its person or the health unit's officers
COUNSELLING = CounsellingView()
_SLOT = SlotView()
_SLOT_BOOKING = SlotBookingView()


def slot(row: VenueSlot, opens_days_before: int) -> dict:
    view = _SLOT.dump(row)
    view["booking_opens_at"] = (row.starts_at - timedelta(days=opens_days_before)).isoformat()
    return view


def own_slot_booking(booking: SlotBooking, slot_row: VenueSlot | None, venue_row) -> dict:
    view = _SLOT_BOOKING.dump(booking)
    view["slot"] = (
        {
            "id": slot_row.id,
            "venue_id": slot_row.venue_id,
            "venue": venue_row.name if venue_row is not None else None,
            "starts_at": slot_row.starts_at.isoformat(),
            "ends_at": slot_row.ends_at.isoformat(),
            "state": slot_row.state,
        }
        if slot_row is not None
        else None
    )
    return view
