"""What crosses the events service's boundaries: activity input, views, event data."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from .domain import ACTIVITY_STATES, CATEGORIES, REGISTRATION_STATES


class ActivityInput(Schema):
    title = fields.String(
        required=True, validate=validate.Length(min=1, max=200), metadata={"example": "青年音乐节"}
    )
    description = fields.String(validate=validate.Length(max=5000), load_default="")
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    venue = fields.String(required=True, validate=validate.Length(min=1, max=200))
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
    registration_closes_at = fields.AwareDateTime()
    organiser_unit = fields.String(
        validate=validate.Length(min=1, max=40),
        metadata={
            "description": "an administrator names the organising unit; an officer's is their own"
        },
    )

    @validates_schema
    def _consistent(self, data, **kwargs):
        if data["ends_at"] <= data["starts_at"]:
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


class ActivityFilter(Schema):
    category = fields.String(validate=validate.OneOf(CATEGORIES))
    area = fields.String(validate=validate.Length(max=100))
    starts_from = fields.AwareDateTime(metadata={"description": "activities starting at or after"})
    starts_until = fields.AwareDateTime(
        metadata={"description": "activities starting at or before"}
    )
    state = fields.String(validate=validate.OneOf(ACTIVITY_STATES), load_default="published")
    limit = fields.Integer(validate=validate.Range(min=1, max=100), load_default=20)
    after = fields.String()


class ActivityView(Schema):
    id = fields.String(required=True)
    title = fields.String()
    description = fields.String()
    category = fields.String()
    organiser_unit = fields.String()
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
    confirmed_count = fields.Integer()
    waitlisted_count = fields.Integer()
    places_left = fields.Method("_places_left")
    published_at = fields.DateTime(allow_none=True)

    def _places_left(self, activity) -> int:
        return max(0, activity.capacity - activity.confirmed_count)


class ActivityPage(Schema):
    items = fields.List(fields.Nested(ActivityView), required=True)
    next = fields.String(allow_none=True)


class RegistrationView(Schema):
    id = fields.String(required=True)
    activity_id = fields.String()
    person_id = fields.String()
    state = fields.String(validate=validate.OneOf(REGISTRATION_STATES))
    waitlist_position = fields.Integer(allow_none=True)
    queued_at = fields.DateTime()
    promoted_at = fields.DateTime(allow_none=True)
    cancelled_at = fields.DateTime(allow_none=True)


class RegistrationPage(Schema):
    items = fields.List(fields.Nested(RegistrationView), required=True)
    next = fields.String(allow_none=True)


class PageQuery(Schema):
    limit = fields.Integer(validate=validate.Range(min=1, max=100), load_default=20)
    after = fields.String()


# -- event data -------------------------------------------------------------------------------


class ActivityPublished(Schema):
    activity_id = fields.String(required=True)
    title = fields.String(required=True)
    category = fields.String(required=True)
    organiser_unit = fields.String(required=True)
    area = fields.String(allow_none=True)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    capacity = fields.Integer(required=True)


class RegistrationChanged(Schema):
    """A person's registration reached a state (confirmed, waitlisted, promoted, cancelled)."""

    registration_id = fields.String(required=True)
    activity_id = fields.String(required=True)
    person_id = fields.String(required=True)
    state = fields.String(required=True)
    activity_title = fields.String(required=True)
    starts_at = fields.DateTime(required=True)
    venue = fields.String(required=True)
