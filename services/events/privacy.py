"""The events service's part in a person's data rights (PIPL): what it holds about them, and
what is left once they are erased (the service takes part through `PersonalData`,
`services/common/privacy.py`).

**Held**: the person's registrations (with the age the decision was based on, the waitlist place
and the check-in code), the stories they wrote (title, text, byline, the moderator's reason),
their entries to showcases and live-commerce contests (what they sell, the sales reported),
their bookings of venues' time slots, and their counselling bookings (sensitive personal data,
PIPL art. 28: what they wrote, the consent they gave, the time and place the health unit set;
in this export, the person's own, and in no other).
Venues and activities are written by officers and hold nothing about a young person.

**Erasure** keeps every row the indicators count and unlinks it from the person:

* first (`registrations.withdraw_person`, the service's `release_person`), a place or waitlist
  spot at an activity still ahead is given up (`cancelled_by` "erasure") and the first on the
  waitlist moves up, as when a person cancels; no `registration.cancelled` is published for it
  (its data would have to name the person), `person.anonymised` stands for it.
* a registration loses its person id, age and check-in code; its state and times stay, so
  registrations, promotions, places taken and attendance of past periods do not change.
* a story loses its author, title, text, byline and the moderator's reason, and leaves the
  column and the moderation queue (state `erased`); its `submitted_at` and `published_at` stay,
  so the counts of stories submitted and published hold. A story is the person's own writing
  and may name them: keeping it without its author would still publish them.

* a showcase entry loses its entrant and product text; its sales and times stay, so entrants
  and sales of past periods do not change.
* a slot booking loses its person id (a place in a slot still ahead is freed first); a
  counselling booking loses its person id, what the person wrote, the place and the consent's
  record (one still ahead is cancelled first, `cancelled_by` "erasure"): their dates and states
  stay, so the counts of bookings and sessions hold, and nothing in them points to anyone.

Erasing twice finds nothing the second time (the rows no longer carry the person's id).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.clock import utcnow
from services.common.privacy import COUNTED_RETAINED, Erasure

from . import views
from .models import (
    CounsellingBooking,
    Registration,
    ShowcaseEntry,
    SlotBooking,
    Story,
    Venue,
    VenueSlot,
)
from .queries.registrations import with_activity
from .showcases import ENTRY
from .vocabulary import STORY_ERASED

#: what an erased story's title and text read (both columns are required)
ERASED_TEXT = ""


def export(service, session: Session, person_id: str) -> dict:
    """Everything held about the person: their registrations, each with its activity, the age
    it was decided on, the waitlist place and the check-in code, and their stories."""
    rows = session.execute(
        with_activity(person_id).order_by(Registration.queued_at, Registration.id)
    ).all()
    stories = (
        session.execute(
            sa.select(Story)
            .where(Story.author_id == person_id)
            .order_by(Story.submitted_at, Story.id)
        )
        .scalars()
        .all()
    )
    held = {
        "registrations": [
            # the code as stored, spent or not: an export hides nothing held
            views.own_registration(registration, activity, position)
            | {"age": registration.age, "check_in_code": registration.check_in_code}
            for registration, activity, position in rows
        ],
        "stories": views.STORY.dump(stories, many=True),
    }
    # the 15-minute circle's records (slot bookings, counselling) and showcase entries appear
    # when there are any
    more = {**_circle(session, person_id), "showcase_entries": _entries(session, person_id)}
    return held | {name: rows for name, rows in more.items() if rows}


def _entries(session: Session, person_id: str) -> list[dict]:
    """The person's entries to showcases and live-commerce contests, with the sales reported."""
    return ENTRY.dump(
        session.execute(
            sa.select(ShowcaseEntry)
            .where(ShowcaseEntry.entrant_id == person_id)
            .order_by(ShowcaseEntry.entered_at, ShowcaseEntry.id)
        )
        .scalars()
        .all(),
        many=True,
    )


def _circle(session: Session, person_id: str) -> dict:
    """The person's slot bookings (with their slot and venue) and counselling bookings (what
    they wrote, the consent they gave, the time and place set): this export is the only one
    that holds counselling."""
    return {
        "slot_bookings": [
            views.own_slot_booking(booking, slot, venue)
            for booking, slot, venue in session.execute(
                sa.select(SlotBooking, VenueSlot, Venue)
                .join(VenueSlot, VenueSlot.id == SlotBooking.slot_id)
                .join(Venue, Venue.id == VenueSlot.venue_id)
                .where(SlotBooking.person_id == person_id)
                .order_by(SlotBooking.booked_at, SlotBooking.id)
            ).all()
        ],
        "counselling_bookings": views.COUNSELLING.dump(
            session.execute(
                sa.select(CounsellingBooking)
                .where(CounsellingBooking.person_id == person_id)
                .order_by(CounsellingBooking.requested_at, CounsellingBooking.id)
            )
            .scalars()
            .all(),
            many=True,
        ),
    }


def anonymise(uow, person_id: str) -> Erasure:
    """Unlink the person's registrations and empty their stories, in the erasure's transaction
    (after `release_person` gave up their places ahead)."""
    now, erasure = utcnow(), Erasure()
    registrations = uow.repo.registrations_of(person_id)
    for registration in registrations:
        registration.person_id = registration.age = registration.check_in_code = None
        registration.updated_at = now
    erasure.count("registration", len(registrations), COUNTED_RETAINED)
    stories = uow.repo.stories_of(person_id)
    for story in stories:
        story.author_id = story.byline = story.decision_reason = None
        story.title = story.body = ERASED_TEXT
        story.state = STORY_ERASED
        story.updated_at = now
    erasure.count("story", len(stories), COUNTED_RETAINED)
    entries = uow.repo.showcase_entries_of(person_id)
    for entry in entries:
        entry.entrant_id, entry.products = None, ERASED_TEXT
    erasure.count("showcase_entry", len(entries), COUNTED_RETAINED)
    bookings = uow.repo.slot_bookings_of(person_id)
    for booking in bookings:
        booking.person_id, booking.updated_at = None, now
    erasure.count("slot_booking", len(bookings), COUNTED_RETAINED)
    counselling = uow.repo.counselling_of(person_id)
    for row in counselling:
        row.person_id = row.place = row.consent_version = row.consented_at = None
        row.concern, row.updated_at = ERASED_TEXT, now
    erasure.count("counselling_booking", len(counselling), COUNTED_RETAINED)
    return erasure
