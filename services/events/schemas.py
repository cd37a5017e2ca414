"""The events service's own schemas: the facts the gateway passes about a registrant, the period
of the indicators, and the data of the events it publishes (catalogue in `events.py`).

What the gateway validates and shows is the contract (`contract.py`).
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.common.fields import MoneyView


class Registrant(Schema):
    """What the gateway tells the service about the person registering: no name, no ID."""

    person_id = fields.String(required=True, validate=validate.Length(min=1, max=36))
    age = fields.Integer(allow_none=True)
    birth_date = fields.Date(allow_none=True)


class IndicatorPeriod(Schema):
    since = fields.Date(required=True)
    until = fields.Date(required=True)


# -- event data ----------------------------------------------------------------------------------


class ActivityPublished(Schema):
    activity_id = fields.String(required=True)
    title = fields.String(required=True)
    category = fields.String(required=True)
    organiser_unit = fields.String(required=True)
    venue_id = fields.String(allow_none=True)
    area = fields.String(allow_none=True)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    capacity = fields.Integer(required=True)


class ActivityCancelled(Schema):
    activity_id = fields.String(required=True)
    category = fields.String(required=True)
    organiser_unit = fields.String(required=True)
    reason = fields.String(required=True)
    registrations_affected = fields.Integer(
        required=True, metadata={"description": "each also gets registration.activity_cancelled"}
    )
    cancelled_at = fields.DateTime(required=True)


class ActivityFinished(Schema):
    activity_id = fields.String(required=True)
    category = fields.String(required=True)
    organiser_unit = fields.String(required=True)
    places_taken = fields.Integer(required=True)
    attended = fields.Integer(required=True)
    finished_at = fields.DateTime(required=True)


class RegistrationChanged(Schema):
    """A person's registration reached a state (confirmed, waitlisted, promoted, cancelled)."""

    registration_id = fields.String(required=True)
    activity_id = fields.String(required=True)
    person_id = fields.String(required=True)
    state = fields.String(required=True)
    activity_title = fields.String(required=True)
    starts_at = fields.DateTime(required=True)
    venue = fields.String(required=True)
    waitlist_position = fields.Integer(allow_none=True)


class RegistrationVoided(RegistrationChanged):
    """The activity was cancelled: the registration ends with it, and the person is told why."""

    reason = fields.String(required=True)


class RegistrationCheckedIn(RegistrationChanged):
    checked_in_at = fields.DateTime(required=True)


class ShowcaseEntered(Schema):
    """An entrant (a young person's or a company's account) joined a showcase or contest; no
    product text (the entrant wrote it)."""

    entry_id = fields.String(required=True)
    activity_id = fields.String(required=True)
    entrant_id = fields.String(required=True)
    entrant_kind = fields.String(required=True)
    category = fields.String(required=True)


class ShowcaseSalesReported(ShowcaseEntered):
    sales_cny = MoneyView(required=True)
    orders = fields.Integer(required=True)


class StoryEvent(Schema):
    """A story's step. No title or text: the author wrote them and they may name people."""

    story_id = fields.String(required=True)
    author_id = fields.String(required=True)
    state = fields.String(required=True)
    submitted_at = fields.DateTime(required=True)
    published_at = fields.DateTime(allow_none=True)


class StoryDecided(StoryEvent):
    """Rejected or taken down, with the moderator's reason for the author."""

    reason = fields.String(required=True)


# -- the 15-minute circle (三.4) -----------------------------------------------------------------


class SlotPublished(Schema):
    slot_id = fields.String(required=True)
    venue_id = fields.String(required=True)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    capacity = fields.Integer(required=True)


class SlotBookingChanged(Schema):
    """A person booked a slot or gave it up: ids, the slot's time and venue, never more."""

    booking_id = fields.String(required=True)
    slot_id = fields.String(required=True)
    venue_id = fields.String(required=True)
    person_id = fields.String(required=True)
    state = fields.String(required=True)
    starts_at = fields.DateTime(required=True)
    venue = fields.String(required=True)
    places_left = fields.Integer(required=True)


class ClubChanged(Schema):
    """A club entered in or taken off the register (an organisation: no person)."""

    club_id = fields.String(required=True)
    name = fields.String(required=True)
    area = fields.String(required=True)
    state = fields.String(required=True)


class OutreachChanged(Schema):
    """A mental-health session request's step: ids, the setting and counts, no details."""

    request_id = fields.String(required=True)
    setting = fields.String(required=True)
    state = fields.String(required=True)
    attendance = fields.Integer(allow_none=True)


class CounsellingChanged(Schema):
    """A counselling booking's step: its id and state only. No person id, no time, no place,
    nothing the person wrote: who books counselling is sensitive (PIPL art. 28)."""

    booking_id = fields.String(required=True)
    state = fields.String(required=True)
