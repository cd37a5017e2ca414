"""What crosses the notify service's boundaries."""

from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields, validate


class AnyEventData(Schema):
    """Notify reads events of every type; its templates say which fields they use."""

    class Meta:
        unknown = INCLUDE


class MessageView(Schema):
    id = fields.String(required=True)
    event_type = fields.String()
    category = fields.String()
    mandatory = fields.Boolean()
    title = fields.String(metadata={"description": "in the caller's language"})
    body = fields.String(metadata={"description": "in the caller's language"})
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)


class MessagePage(Schema):
    items = fields.List(fields.Nested(MessageView), required=True)
    next = fields.String(allow_none=True)
    unread = fields.Integer(metadata={"description": "unread messages in the whole inbox"})


class InboxQuery(Schema):
    unread_only = fields.Boolean(load_default=False)
    limit = fields.Integer(validate=validate.Range(min=1, max=100), load_default=20)
    after = fields.String()
