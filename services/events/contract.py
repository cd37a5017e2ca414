"""The events service's boundary: the request bodies, queries and views the gateway validates
and documents with, and the service validates its RPC arguments with again (so a caller other
than the gateway gets the same refusals).

Imports no domain code: the words it needs (categories, states, venue kinds) come from
`vocabulary.py`.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from services.common.fields import Money, MoneyView
from services.common.schemas import PageQuery, page_of, partial_schema

from .vocabulary import (
    ACTIVITY_STATES,
    CATEGORIES,
    CLUB_STATES,
    COUNSELLING_MODES,
    COUNSELLING_STATES,
    ENTRANT_KINDS,
    OUTREACH_SETTINGS,
    OUTREACH_STATES,
    REGISTRATION_STATES,
    SLOT_BOOKING_STATES,
    SLOT_STATES,
    STORY_STATES,
    VENUE_KINDS,
    parse_clock,
    parse_point,
)

# -- activities ----------------------------------------------------------------------------------


class ActivityFields(Schema):
    """An activity's own fields, checked for consistency (a PATCH is merged, then checked)."""

    title = fields.String(
        required=True, validate=validate.Length(min=1, max=200), metadata={"example": "青年音乐节"}
    )
    description = fields.String(validate=validate.Length(max=5000), load_default="")
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    venue_id = fields.String(
        validate=validate.Length(min=1, max=36),
        metadata={
            "description": "a fitness-circle venue hosting it: the venue's name and area are "
            "used unless given, and the venue must be open for the activity's time"
        },
    )
    venue = fields.String(
        validate=validate.Length(min=1, max=200),
        metadata={"description": "the place; required without `venue_id`"},
    )
    area = fields.String(
        validate=validate.Length(max=100), metadata={"description": "district area"}
    )
    starts_at = fields.AwareDateTime(
        required=True, metadata={"example": "2026-12-20T14:00:00+08:00"}
    )
    ends_at = fields.AwareDateTime(required=True)
    capacity = fields.Integer(required=True, validate=validate.Range(min=1, max=100_000))
    min_age = fields.Integer(validate=validate.Range(min=0, max=120))
    max_age = fields.Integer(validate=validate.Range(min=0, max=120))
    registration_opens_at = fields.AwareDateTime()
    registration_closes_at = fields.AwareDateTime(
        metadata={"description": "without it, registration stays open until the activity ends"}
    )

    @validates_schema
    def _consistent(self, data, **kwargs):
        if "starts_at" in data and "ends_at" in data and data["ends_at"] <= data["starts_at"]:
            raise ValidationError("ends_before_start", field_name="ends_at")
        if (
            data.get("min_age") is not None
            and data.get("max_age") is not None
            and data["min_age"] > data["max_age"]
        ):
            raise ValidationError("ages_reversed", field_name="max_age")
        opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
        if opens and closes and closes <= opens:
            raise ValidationError("window_reversed", field_name="registration_closes_at")


class ActivityInput(ActivityFields):
    """A new draft activity."""

    organiser_unit = fields.String(
        validate=validate.Length(min=1, max=40),
        metadata={
            "description": "an administrator names the organising unit; an officer's is their own"
        },
    )

    @validates_schema
    def _has_a_place(self, data, **kwargs):
        if not data.get("venue") and not data.get("venue_id"):
            raise ValidationError("venue_required", field_name="venue")


#: PATCH body of a draft: any field of the activity; the merged whole is validated again
ActivityChanges = partial_schema(ActivityFields, "ActivityChanges")


class ActivityFilter(PageQuery):
    category = fields.String(validate=validate.OneOf(CATEGORIES))
    area = fields.String(validate=validate.Length(max=100))
    venue_id = fields.String(validate=validate.Length(max=36))
    starts_from = fields.AwareDateTime(metadata={"description": "activities starting at or after"})
    starts_until = fields.AwareDateTime(
        metadata={"description": "activities starting at or before"}
    )
    state = fields.String(
        validate=validate.OneOf(ACTIVITY_STATES),
        load_default="published",
        metadata={"description": "`draft` only for officers (their unit's) and administrators"},
    )


class ActivityView(Schema):
    id = fields.String(required=True)
    title = fields.String()
    description = fields.String()
    category = fields.String()
    organiser_unit = fields.String()
    venue_id = fields.String(allow_none=True)
    venue = fields.String()
    area = fields.String(allow_none=True)
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    capacity = fields.Integer()
    min_age = fields.Integer(allow_none=True)
    max_age = fields.Integer(allow_none=True)
    registration_opens_at = fields.DateTime(allow_none=True)
    registration_closes_at = fields.DateTime(allow_none=True)
    state = fields.String()
    confirmed_count = fields.Integer(metadata={"description": "places taken"})
    waitlisted_count = fields.Integer()
    attended_count = fields.Integer(metadata={"description": "people checked in"})
    places_left = fields.Method("_places_left")
    published_at = fields.DateTime(allow_none=True)
    cancelled_at = fields.DateTime(allow_none=True)
    cancel_reason = fields.String(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)

    def _places_left(self, activity) -> int:
        return max(0, activity.capacity - activity.confirmed_count)


ActivityPage = page_of(ActivityView, "ActivityPage")


class DecisionNote(Schema):
    """An officer's decision and why (kept in the audit trail)."""

    reason = fields.String(validate=validate.Length(max=1000), metadata={"example": "暴雨预警"})


class DecisionReason(Schema):
    """A decision that must say why: the reason reaches the people it affects."""

    reason = fields.String(
        required=True, validate=validate.Length(min=1, max=1000), metadata={"example": "暴雨预警"}
    )


# -- registrations and check-in ------------------------------------------------------------------


class ActivitySummary(Schema):
    id = fields.String()
    title = fields.String()
    venue = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    state = fields.String()


class ActivityRegistrationView(Schema):
    """A person's own registration, with the code they show at the door."""

    id = fields.String(required=True)
    activity_id = fields.String()
    person_id = fields.String()
    state = fields.String(validate=validate.OneOf(REGISTRATION_STATES))
    waitlist_position = fields.Integer(allow_none=True)
    check_in_code = fields.String(
        allow_none=True, metadata={"description": "while the place is confirmed; works once"}
    )
    queued_at = fields.DateTime()
    promoted_at = fields.DateTime(allow_none=True)
    checked_in_at = fields.DateTime(allow_none=True)
    cancelled_at = fields.DateTime(allow_none=True)
    cancelled_by = fields.String(allow_none=True)
    activity = fields.Nested(ActivitySummary, allow_none=True)


ActivityRegistrationPage = page_of(ActivityRegistrationView, "ActivityRegistrationPage")


class RosterQuery(PageQuery):
    state = fields.String(validate=validate.OneOf(REGISTRATION_STATES))


class RosterEntry(Schema):
    """A registration as the organiser sees it: never the person's check-in code."""

    id = fields.String(required=True)
    person_id = fields.String()
    state = fields.String()
    sequence = fields.Integer(metadata={"description": "arrival order"})
    waitlist_position = fields.Integer(allow_none=True)
    queued_at = fields.DateTime()
    promoted_at = fields.DateTime(allow_none=True)
    checked_in_at = fields.DateTime(allow_none=True)
    cancelled_at = fields.DateTime(allow_none=True)


RosterPage = page_of(RosterEntry, "RosterPage")


class CheckInInput(Schema):
    code = fields.String(
        required=True,
        validate=validate.Length(min=1, max=32),
        metadata={"description": "the code the person shows; case, spaces and dashes ignored"},
    )


# -- venues --------------------------------------------------------------------------------------


# -- showcases and live-commerce contests (青年助农平台, 三.3) -------------------------------------


class ShowcaseEntryInput(Schema):
    """An entrant's stall or live-commerce entry: what it shows and sells."""

    products = fields.String(
        required=True,
        validate=validate.Length(min=1, max=2000),
        metadata={"example": "高山绿茶、土蜂蜜(直播带货)"},
    )


class SalesReportInput(Schema):
    """The organiser's report of an entrant's sales at the showcase or contest."""

    sales_cny = Money(required=True, metadata={"example": "12800.00"})
    orders = fields.Integer(required=True, validate=validate.Range(min=0, max=10_000_000))


class ShowcaseEntryView(Schema):
    id = fields.String(required=True)
    activity_id = fields.String()
    entrant_id = fields.String(allow_none=True, metadata={"description": "the entrant's account"})
    entrant_kind = fields.String(validate=validate.OneOf(ENTRANT_KINDS))
    products = fields.String()
    entered_at = fields.DateTime()
    sales_cny = MoneyView(allow_none=True)
    orders = fields.Integer(allow_none=True)
    sales_reported_at = fields.DateTime(allow_none=True)


ShowcaseEntryPage = page_of(ShowcaseEntryView, "ShowcaseEntryPage")


class OpeningPeriodField(Schema):
    weekdays = fields.List(
        fields.Integer(validate=validate.Range(min=1, max=7, error="weekday_range")),
        required=True,
        validate=validate.Length(min=1, max=7),
        metadata={"description": "ISO weekdays: 1 Monday … 7 Sunday", "example": [1, 2, 3, 4, 5]},
    )
    opens = fields.String(required=True, metadata={"example": "06:00"})
    closes = fields.String(required=True, metadata={"example": "22:00", "description": "24:00 ok"})

    @validates("opens")
    def _opens(self, value, **kwargs):
        _clock(value)

    @validates("closes")
    def _closes(self, value, **kwargs):
        _clock(value)

    @validates_schema
    def _in_order(self, data, **kwargs):
        try:
            if parse_clock(data["opens"]) >= parse_clock(data["closes"]):
                raise ValidationError("closes_before_opens", field_name="closes")
        except (KeyError, ValueError):
            return  # the field's own error says it


def _clock(value: str) -> None:
    try:
        parse_clock(value)
    except ValueError as exc:
        raise ValidationError("clock_format") from exc


class VenueInput(Schema):
    name = fields.String(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"example": "滨河健身步道"},
    )
    kind = fields.String(required=True, validate=validate.OneOf(VENUE_KINDS))
    area = fields.String(required=True, validate=validate.Length(min=1, max=100))
    address = fields.String(validate=validate.Length(max=300), load_default="")
    description = fields.String(validate=validate.Length(max=5000), load_default="")
    opening_hours = fields.List(
        fields.Nested(OpeningPeriodField),
        required=True,
        validate=validate.Length(max=21),
        metadata={"description": "weekly periods; an empty list: closed until further notice"},
    )
    latitude = fields.Float(
        allow_none=True,
        validate=validate.Range(min=-90, max=90),
        metadata={"description": "GCJ-02 (as Chinese maps show it), decimal degrees"},
    )
    longitude = fields.Float(
        allow_none=True,
        validate=validate.Range(min=-180, max=180),
        metadata={"description": "GCJ-02, decimal degrees; given with `latitude`"},
    )


VenueChanges = partial_schema(VenueInput, "VenueChanges")


class VenueFilter(PageQuery):
    area = fields.String(validate=validate.Length(max=100))
    kind = fields.String(validate=validate.OneOf(VENUE_KINDS))
    near = fields.String(
        metadata={
            "description": "`latitude,longitude` (GCJ-02): only the venues within `minutes` of "
            "walking, nearest first, each with `walking_minutes` and `distance_m`",
            "example": "30.2741,120.1551",
        }
    )
    minutes = fields.Integer(
        validate=validate.Range(min=1, max=120),
        metadata={
            "description": "walking minutes with `near` (15 unless given): great-circle "
            "distance × the policy's detour factor at its walking speed (services/events README)"
        },
    )

    @validates("near")
    def _near(self, value, **kwargs):
        try:
            parse_point(value)
        except ValueError as exc:
            raise ValidationError("near_format") from exc

    @validates_schema
    def _minutes_need_near(self, data, **kwargs):
        if "minutes" in data and "near" not in data:
            raise ValidationError("near_required", field_name="near")


class VenueView(Schema):
    id = fields.String(required=True)
    name = fields.String()
    kind = fields.String()
    area = fields.String()
    address = fields.String()
    description = fields.String()
    opening_hours = fields.List(fields.Nested(OpeningPeriodField))
    open_now = fields.Boolean(metadata={"description": "open at the time of the answer"})
    latitude = fields.Float(allow_none=True)
    longitude = fields.Float(allow_none=True)
    datum = fields.Constant("GCJ-02", metadata={"description": "the coordinates' datum"})
    walking_minutes = fields.Float(
        allow_none=True, metadata={"description": "with `?near=`: estimated walk, minutes"}
    )
    distance_m = fields.Integer(
        allow_none=True, metadata={"description": "with `?near=`: great-circle metres"}
    )
    updated_at = fields.DateTime()


VenuePage = page_of(VenueView, "VenuePage")


# -- stories -------------------------------------------------------------------------------------


class StoryInput(Schema):
    title = fields.String(
        required=True,
        validate=validate.Length(min=1, max=100),
        metadata={"example": "返乡种茶的第三年"},
    )
    body = fields.String(required=True, validate=validate.Length(min=20, max=20_000))
    byline = fields.String(
        validate=validate.Length(min=1, max=60),
        metadata={"description": "how to credit the author when published (a pen name)"},
    )


class StoryFilter(PageQuery):
    state = fields.String(
        validate=validate.OneOf(STORY_STATES),
        load_default="published",
        metadata={"description": "anything but `published` only for the column's moderators"},
    )


class StoryView(Schema):
    """A story; `author_id`, `state` and the decision are shown to its author and moderators."""

    id = fields.String(required=True)
    title = fields.String()
    body = fields.String()
    byline = fields.String(allow_none=True)
    published_at = fields.DateTime(allow_none=True)
    author_id = fields.String()
    state = fields.String()
    submitted_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)
    decision_reason = fields.String(allow_none=True)


StoryPage = page_of(StoryView, "StoryPage")


# -- the 15-minute circle (三.4): time slots ----------------------------------------------------


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
