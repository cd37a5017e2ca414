"""The events the events service publishes (on `events.events`)."""

from services.common.events import EventCatalog, EventSpec

from .schemas import ActivityPublished, RegistrationChanged

EVENTS = EventCatalog(
    "events",
    {
        "activity.published": EventSpec(
            ActivityPublished, "An activity opened to the public", "the activity id"
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
    },
)
