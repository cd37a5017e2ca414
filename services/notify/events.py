"""The events notify publishes (on `notify.events`). They carry ids and codes, never an email
address or a phone number."""

from marshmallow import Schema, fields

from services.common.events import EventCatalog, EventSpec
from services.common.privacy import PERSON_ANONYMISED


class NotificationOutcome(Schema):
    message_id = fields.String(required=True)
    person_id = fields.String(required=True)
    channel = fields.String(required=True, metadata={"description": "email or sms"})
    event_type = fields.String(required=True, metadata={"description": "the event it reported"})
    category = fields.String(required=True)
    attempts = fields.Integer(required=True)
    reason = fields.String(
        allow_none=True, metadata={"description": "why it failed (a code, no address)"}
    )
    at = fields.DateTime(required=True)


class MessageReceived(Schema):
    message_id = fields.String(required=True)
    person_id = fields.String(required=True, metadata={"description": "whose inbox"})
    event_type = fields.String(required=True, metadata={"description": "the event it reports"})
    category = fields.String(required=True)
    at = fields.DateTime(required=True)


class MessageRead(Schema):
    person_id = fields.String(required=True, metadata={"description": "whose inbox"})
    message_id = fields.String(
        allow_none=True, metadata={"description": "null when all their messages were marked"}
    )
    at = fields.DateTime(required=True)


class EndpointDisabled(Schema):
    subscription_id = fields.String(required=True)
    owner_id = fields.String(required=True, metadata={"description": "the partner account"})
    reason = fields.String(
        required=True, metadata={"description": "consecutive_failures, or gone (it answered 410)"}
    )
    consecutive_failures = fields.Integer(required=True)
    disabled_at = fields.DateTime(required=True)


EVENTS = EventCatalog(
    "notify",
    {
        "notification.delivered": EventSpec(
            NotificationOutcome,
            "A message went out by email or SMS (the provider accepted it)",
            "the message id",
        ),
        "notification.failed": EventSpec(
            NotificationOutcome,
            "A message could not go out by email or SMS, for good, with the reason",
            "the message id",
        ),
        "message.received": EventSpec(
            MessageReceived,
            "A message reached a person's inbox (the gateway drops the dashboard it keeps of them)",
            "the message id",
        ),
        "message.read": EventSpec(
            MessageRead,
            "A person read a message of their inbox, or marked all of them read",
            "the person id",
        ),
        "webhook.endpoint_disabled": EventSpec(
            EndpointDisabled,
            "A webhook endpoint was disabled after a run of failed deliveries (or a 410)",
            "the subscription id",
        ),
        "person.anonymised": PERSON_ANONYMISED,
    },
)
