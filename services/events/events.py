"""The events the events service publishes (on `events.events`, type `youthcity.events.<type>`).

They carry ids, an activity's title, time and venue (written by its organiser); never a
person's name, ID number or phone, never a check-in code, and never a story's title or text
(its author wrote them, and they may name people).
"""

from services.common.events import EventCatalog, EventSpec
from services.common.privacy import PERSON_ANONYMISED

from .schemas import (
    ActivityCancelled,
    ActivityFinished,
    ActivityPublished,
    ClubChanged,
    CounsellingChanged,
    OutreachChanged,
    RegistrationChanged,
    RegistrationCheckedIn,
    RegistrationVoided,
    ShowcaseEntered,
    ShowcaseSalesReported,
    SlotBookingChanged,
    SlotPublished,
    StoryDecided,
    StoryEvent,
)

EVENTS = EventCatalog(
    "events",
    {
        "activity.published": EventSpec(
            ActivityPublished, "An activity opened to the public", "the activity id"
        ),
        "activity.cancelled": EventSpec(
            ActivityCancelled,
            "The organiser cancelled an activity; each registration it ended follows as "
            "registration.activity_cancelled",
            "the activity id",
        ),
        "activity.finished": EventSpec(
            ActivityFinished,
            "The organiser closed an activity that took place, with its attendance",
            "the activity id",
        ),
        "registration.confirmed": EventSpec(
            RegistrationChanged, "A person has a place at an activity", "the registration id"
        ),
        "registration.waitlisted": EventSpec(
            RegistrationChanged,
            "An activity was full; the person is on its waitlist",
            "the registration id",
        ),
        "registration.promoted": EventSpec(
            RegistrationChanged,
            "A place freed up and a waitlisted person has it now",
            "the registration id",
        ),
        "registration.cancelled": EventSpec(
            RegistrationChanged,
            "A person gave up their place or waitlist spot",
            "the registration id",
        ),
        "registration.activity_cancelled": EventSpec(
            RegistrationVoided,
            "The activity was cancelled: this person's registration ends with it (one event "
            "per registrant, so each is told)",
            "the registration id",
        ),
        "registration.checked_in": EventSpec(
            RegistrationCheckedIn,
            "The organiser scanned the person's one-time code: they came",
            "the registration id",
        ),
        "showcase.entered": EventSpec(
            ShowcaseEntered,
            "A young person or a company entered a farm-product showcase or a live-commerce "
            "contest (青年助农平台)",
            "the entry id",
        ),
        "showcase.sales_reported": EventSpec(
            ShowcaseSalesReported,
            "The organiser reported an entrant's sales at the showcase or contest",
            "the entry id",
        ),
        "story.submitted": EventSpec(
            StoryEvent, "A young person submitted a story to the column", "the story id"
        ),
        "story.published": EventSpec(
            StoryEvent, "A moderator approved a story; the column shows it", "the story id"
        ),
        "story.rejected": EventSpec(
            StoryDecided, "A moderator rejected a story, with the reason", "the story id"
        ),
        "story.taken_down": EventSpec(
            StoryDecided,
            "A moderator removed a published story from the column, with the reason",
            "the story id",
        ),
        "slot.published": EventSpec(
            SlotPublished, "A venue offers a bookable time slot (三.4)", "the slot id"
        ),
        "slot_booking.booked": EventSpec(
            SlotBookingChanged, "A young person booked a place in a venue's slot", "the booking id"
        ),
        "slot_booking.cancelled": EventSpec(
            SlotBookingChanged, "A young person gave up their place in a slot", "the booking id"
        ),
        "club.registered": EventSpec(
            ClubChanged, "A youth sports club entered the register", "the club id"
        ),
        "club.deregistered": EventSpec(
            ClubChanged, "A youth sports club was taken off the register", "the club id"
        ),
        **{
            f"outreach.{state}": EventSpec(
                OutreachChanged,
                f"A mental-health session request was {state} (ids and counts only)",
                "the request id",
            )
            for state in ("requested", "scheduled", "declined", "held", "withdrawn")
        },
        **{
            f"counselling.{state}": EventSpec(
                CounsellingChanged,
                f"A counselling booking was {state}: its id and state only, never the person",
                "the booking id",
            )
            for state in ("requested", "scheduled", "completed", "cancelled")
        },
        "person.anonymised": PERSON_ANONYMISED,
    },
)
