"""What crosses the notify service's boundaries besides the gateway's contract (`contract.py`,
whose request schemas and views it uses as they are): the data of the events it reads, the
period of its indicators, the dashboard's items, and the schemas its RPCs dump answers with."""

from __future__ import annotations

from datetime import date

from marshmallow import INCLUDE, Schema, ValidationError, fields

from services.common.clock import clock

from .contract import (
    GrantList,
    GrantView,
    Localised,
    MessageView,
    PreferenceList,
    PreviewView,
    PurposeList,
    ReadAllView,
    ReplayView,
    SecretView,
    TemplateList,
    TemplateView,
    WebhookCreated,
    WebhookDeliveryView,
    WebhookView,
)


class AnyEventData(Schema):
    """Notify reads events of every type; its templates say which fields they use."""

    class Meta:
        unknown = INCLUDE


class DayOrMoment(fields.AwareDateTime):
    """A district day (`2026-11-28`, from its midnight: what the gateway asks every service
    for) or an exact moment (tests narrow a period to minutes)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and len(value) == 10:
            try:
                return clock.start_of(date.fromisoformat(value))
            except ValueError as exc:
                raise ValidationError("not_date") from exc
        return super()._deserialize(value, attr, data, **kwargs)


class IndicatorPeriod(Schema):
    since = DayOrMoment(required=True)
    until = DayOrMoment(required=True)


class DashboardItem(Schema):
    """An unread message as "my dashboard" shows it, in both languages (the gateway's views
    join every service's items)."""

    kind = fields.String(required=True, metadata={"description": "notify.message"})
    id = fields.String(required=True)
    title = fields.Nested(Localised, required=True)
    state = fields.String(required=True, metadata={"description": "unread"})
    next_step = fields.String(allow_none=True)
    updated_at = fields.DateTime()
    link = fields.String()


def rpc_page(item_schema: type[Schema], name: str, **extra: fields.Field) -> type[Schema]:
    """A page as an RPC answers it: its items and the cursor of the next page (None on the
    last), which the gateway turns into the `next` link of the contract's page."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema), required=True),
            "next_cursor": fields.String(allow_none=True),
            **extra,
        },
        name=name,
    )


class Dashboard(Schema):
    items = fields.List(fields.Nested(DashboardItem), required=True)
    unread = fields.Integer(required=True)


# the schemas the RPCs dump their answers with
MESSAGE = MessageView()
INBOX_PAGE = rpc_page(MessageView, "InboxPage", unread=fields.Integer())()
READ_ALL = ReadAllView()
DASHBOARD = Dashboard()
PREFERENCES = PreferenceList()
TEMPLATE = TemplateView()
TEMPLATE_LIST = TemplateList()
PREVIEW = PreviewView()
WEBHOOK = WebhookView()
WEBHOOK_PAGE = rpc_page(WebhookView, "WebhookRpcPage")()
WEBHOOK_CREATED = WebhookCreated()
SECRET = SecretView()
WEBHOOK_DELIVERY_PAGE = rpc_page(WebhookDeliveryView, "WebhookDeliveryRpcPage")()
REPLAY = ReplayView()
PURPOSE_LIST = PurposeList()
GRANT = GrantView()
GRANT_LIST = GrantList()
