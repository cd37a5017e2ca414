"""The boundary of the 15-minute circle (三.4): time slots and their bookings, the register of
youth sports clubs, mental-health outreach requests and counselling bookings. What the gateway
validates and documents with, and the service validates its RPC arguments with again.

Imports no domain code (the words come from `vocabulary.py`), like `contract.py`.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.common.schemas import PageQuery, page_of, partial_schema

from .vocabulary import (
    CLUB_STATES,
    COUNSELLING_MODES,
    COUNSELLING_STATES,
    OUTREACH_SETTINGS,
    OUTREACH_STATES,
    SLOT_BOOKING_STATES,
    SLOT_STATES,
)

# -- time slots ----------------------------------------------------------------------------------


class SlotInput(Schema):
    """A bookable time slot of a venue; it must lie within the venue's opening hours."""

    starts_at = fields.AwareDateTime(
        required=True, metadata={"example": "2026-12-12T18:00:00+08:00"}
    )
    ends_at = fields.AwareDateTime(required=True, metadata={"example": "2026-12-12T20:00:00+08:00"})
    capacity = fields.Integer(required=True, validate=validate.Range(min=1, max=10_000))
    note = fields.String(validate=validate.Length(max=300), load_default="")

    @validates_schema
    def _in_order(self, data, **kwargs):
        if "starts_at" in data and "ends_at" in data and data["ends_at"] <= data["starts_at"]:
            raise ValidationError("ends_before_start", field_name="ends_at")


class SlotFilter(PageQuery):
    starts_from = fields.AwareDateTime(metadata={"description": "slots starting at or after"})
    starts_until = fields.AwareDateTime(metadata={"description": "slots starting before"})


class SlotView(Schema):
    id = fields.String(required=True)
    venue_id = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    capacity = fields.Integer()
    booked_count = fields.Integer()
    places_left = fields.Method("_places_left")
    state = fields.String(validate=validate.OneOf(SLOT_STATES))
    note = fields.String()
    booking_opens_at = fields.DateTime(
        allow_none=True, metadata={"description": "when young people may start booking it"}
    )

    def _places_left(self, slot) -> int:
        return max(0, slot.capacity - slot.booked_count)


SlotPage = page_of(SlotView, "SlotPage")


class SlotSummary(Schema):
    id = fields.String()
    venue_id = fields.String()
    venue = fields.String(metadata={"description": "the venue's name"})
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    state = fields.String()


class SlotBookingView(Schema):
    """A person's booking of a slot."""

    id = fields.String(required=True)
    slot_id = fields.String()
    person_id = fields.String()
    state = fields.String(validate=validate.OneOf(SLOT_BOOKING_STATES))
    booked_at = fields.DateTime()
    cancelled_at = fields.DateTime(allow_none=True)
    cancelled_by = fields.String(allow_none=True)
    slot = fields.Nested(SlotSummary, allow_none=True)


SlotBookingPage = page_of(SlotBookingView, "SlotBookingPage")


# -- youth sports clubs --------------------------------------------------------------------------


class ClubInput(Schema):
    """A youth sports club (青少年体育俱乐部) entered in the register."""

    name = fields.String(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"example": "青翼篮球俱乐部"},
    )
    sports = fields.List(
        fields.String(validate=validate.Length(min=1, max=40)),
        required=True,
        validate=validate.Length(min=1, max=20),
        metadata={"example": ["basketball"]},
    )
    area = fields.String(required=True, validate=validate.Length(min=1, max=100))
    address = fields.String(validate=validate.Length(max=300), load_default="")
    registration_number = fields.String(
        validate=validate.Length(max=60),
        load_default="",
        metadata={"description": "its social-organisation registration number, if any"},
    )
    venue_id = fields.String(
        allow_none=True,
        validate=validate.Length(min=1, max=36),
        metadata={"description": "the fitness-circle venue it trains at"},
    )
    youth_members = fields.Integer(validate=validate.Range(min=0, max=100_000), load_default=0)
    description = fields.String(validate=validate.Length(max=5000), load_default="")


ClubChanges = partial_schema(ClubInput, "ClubChanges")


class ClubFilter(PageQuery):
    area = fields.String(validate=validate.Length(max=100))
    sport = fields.String(validate=validate.Length(max=40))
    state = fields.String(validate=validate.OneOf(CLUB_STATES), load_default="registered")


class ClubView(Schema):
    id = fields.String(required=True)
    name = fields.String()
    sports = fields.List(fields.String())
    area = fields.String()
    address = fields.String()
    registration_number = fields.String()
    venue_id = fields.String(allow_none=True)
    youth_members = fields.Integer()
    description = fields.String()
    state = fields.String(validate=validate.OneOf(CLUB_STATES))
    registered_at = fields.DateTime()
    deregistered_at = fields.DateTime(allow_none=True)
    deregister_reason = fields.String(allow_none=True)


ClubPage = page_of(ClubView, "ClubPage")


# -- mental-health outreach (心理健康进企业、进村、进机关) -----------------------------------------


class OutreachInput(Schema):
    """A company's, a village's or an office's request for a mental-health session."""

    setting = fields.String(
        required=True,
        validate=validate.OneOf(OUTREACH_SETTINGS),
        metadata={"description": "enterprise (进企业), village (进村/社区) or office (进机关)"},
    )
    organisation = fields.String(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "the company, village or office", "example": "XX科技有限公司"},
    )
    area = fields.String(validate=validate.Length(max=100), load_default="")
    topic = fields.String(
        validate=validate.Length(max=2000),
        load_default="",
        metadata={"description": "what the session should cover; name no one"},
    )
    audience_size = fields.Integer(required=True, validate=validate.Range(min=1, max=10_000))
    preferred_from = fields.Date(required=True)
    preferred_until = fields.Date(required=True)

    @validates_schema
    def _in_order(self, data, **kwargs):
        if (
            "preferred_from" in data
            and "preferred_until" in data
            and data["preferred_until"] < data["preferred_from"]
        ):
            raise ValidationError("preferred_reversed", field_name="preferred_until")


class OutreachFilter(PageQuery):
    state = fields.String(validate=validate.OneOf(OUTREACH_STATES))


class ScheduleInput(Schema):
    """When and where the health unit holds the session."""

    scheduled_at = fields.AwareDateTime(
        required=True, metadata={"example": "2026-12-15T14:30:00+08:00"}
    )
    place = fields.String(required=True, validate=validate.Length(min=1, max=300))


class HeldInput(Schema):
    attendance = fields.Integer(required=True, validate=validate.Range(min=0, max=100_000))


class OutreachView(Schema):
    id = fields.String(required=True)
    setting = fields.String(validate=validate.OneOf(OUTREACH_SETTINGS))
    organisation = fields.String()
    area = fields.String()
    topic = fields.String()
    audience_size = fields.Integer()
    preferred_from = fields.Date()
    preferred_until = fields.Date()
    requested_by = fields.String()
    state = fields.String(validate=validate.OneOf(OUTREACH_STATES))
    scheduled_at = fields.DateTime(allow_none=True)
    place = fields.String(allow_none=True)
    decision_reason = fields.String(allow_none=True)
    held_at = fields.DateTime(allow_none=True)
    attendance = fields.Integer(allow_none=True)
    requested_at = fields.DateTime()


OutreachPage = page_of(OutreachView, "OutreachPage")


# -- counselling (心理咨询预约; sensitive personal data, PIPL art. 28) --------------------------


class CounsellingInput(Schema):
    """A person's counselling booking, with their separate consent."""

    mode = fields.String(required=True, validate=validate.OneOf(COUNSELLING_MODES))
    preferred_at = fields.AwareDateTime(allow_none=True)
    concern = fields.String(
        validate=validate.Length(max=2000),
        load_default="",
        metadata={"description": "what you would like to talk about (optional)"},
    )
    consent = fields.Boolean(
        required=True,
        metadata={
            "description": "the separate consent (单独同意, PIPL art. 29) to the processing of "
            "this health information by the health unit; must be true"
        },
    )


class CounsellingFilter(PageQuery):
    state = fields.String(validate=validate.OneOf(COUNSELLING_STATES))


class CounsellingView(Schema):
    """Shown to its person and the health unit's officers only."""

    id = fields.String(required=True)
    person_id = fields.String(allow_none=True)
    mode = fields.String(validate=validate.OneOf(COUNSELLING_MODES))
    preferred_at = fields.DateTime(allow_none=True)
    concern = fields.String()
    consent_version = fields.String(allow_none=True)
    consented_at = fields.DateTime(allow_none=True)
    state = fields.String(validate=validate.OneOf(COUNSELLING_STATES))
    scheduled_at = fields.DateTime(allow_none=True)
    place = fields.String(allow_none=True)
    completed_at = fields.DateTime(allow_none=True)
    cancelled_at = fields.DateTime(allow_none=True)
    cancelled_by = fields.String(allow_none=True)
    requested_at = fields.DateTime()


CounsellingPage = page_of(CounsellingView, "CounsellingPage")
