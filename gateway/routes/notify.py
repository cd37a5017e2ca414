"""Notify's routes: a person's inbox and preferences (`/api/v1/me/...`), message templates for
administrators (`/api/v1/admin/templates`), webhook subscriptions for other government systems
(`/api/v1/webhooks`), and the event catalogue (`/api/v1/asyncapi.json`)."""

from __future__ import annotations

from werkzeug.wrappers import Response

from services.common.config import settings_of
from services.common.encoding import dumps
from services.notify.asyncapi import build_asyncapi
from services.notify.contract import (
    InboxQuery,
    MessagePage,
    MessageView,
    PageQuery,
    PreferenceList,
    PreferenceUpdate,
    PreviewRequest,
    PreviewView,
    ReadAllView,
    ReplayRequest,
    ReplayView,
    SecretView,
    TemplateFilter,
    TemplateInput,
    TemplateList,
    TemplateView,
    WebhookCreated,
    WebhookDeliveryPage,
    WebhookDeliveryQuery,
    WebhookInput,
    WebhookPage,
    WebhookUpdate,
    WebhookView,
)

from ..accounts import ADMIN, PARTNER
from ..api import Call, Created, NoContent, PageResult, route
from .accounts import ANYONE_SIGNED_IN

SERVICE_ERRORS = (503, 504)
PARTNERS = (PARTNER, ADMIN)
TEMPLATE = "/api/v1/admin/templates/<source>/<event_type>"
WEBHOOK = "/api/v1/webhooks/<subscription_id>"


class NotifyRoutes:
    _asyncapi_cache: bytes | None = None

    # -- inbox ----------------------------------------------------------------------------

    @route(
        "GET",
        "/api/v1/me/messages",
        summary="My messages, newest first, with the unread count",
        tags=["notify"],
        roles=ANYONE_SIGNED_IN,
        query=InboxQuery,
        response=MessagePage,
        paginated=True,
        errors=SERVICE_ERRORS,
    )
    def my_messages(self, call: Call):
        page = self.services.notify.inbox(person_id=call.account_id, query=call.query)
        return PageResult(page["items"], page.get("next_cursor"), {"unread": page["unread"]})

    @route(
        "GET",
        "/api/v1/me/messages/<message_id>",
        summary="One of my messages, with its delivery on each channel",
        tags=["notify"],
        roles=ANYONE_SIGNED_IN,
        response=MessageView,
        errors=(404, *SERVICE_ERRORS),
    )
    def my_message(self, call: Call, message_id: str):
        return self.services.notify.message(message_id=message_id)

    @route(
        "POST",
        "/api/v1/me/messages/<message_id>/read",
        summary="Mark a message read",
        tags=["notify"],
        roles=ANYONE_SIGNED_IN,
        response=MessageView,
        errors=(404, *SERVICE_ERRORS),
    )
    def mark_message_read(self, call: Call, message_id: str):
        return self.services.notify.mark_read(message_id=message_id)

    @route(
        "POST",
        "/api/v1/me/messages/read",
        summary="Mark all my messages read",
        tags=["notify"],
        roles=ANYONE_SIGNED_IN,
        response=ReadAllView,
        errors=SERVICE_ERRORS,
    )
    def mark_all_messages_read(self, call: Call):
        return self.services.notify.mark_all_read(person_id=call.account_id)

    @route(
        "GET",
        "/api/v1/me/preferences",
        summary="My notification preferences: each channel and category, on or off",
        tags=["notify"],
        roles=ANYONE_SIGNED_IN,
        response=PreferenceList,
        errors=SERVICE_ERRORS,
    )
    def my_preferences(self, call: Call):
        return self.services.notify.preferences(person_id=call.account_id)

    @route(
        "PUT",
        "/api/v1/me/preferences",
        summary="Turn channels on or off per category",
        tags=["notify"],
        roles=ANYONE_SIGNED_IN,
        body=PreferenceUpdate,
        response=PreferenceList,
        errors=(422, *SERVICE_ERRORS),
        description="Only the entries given change. Mandatory messages (an offer deadline, a "
        "cancelled activity) reach the inbox even with in-app turned off.",
    )
    def set_my_preferences(self, call: Call):
        return self.services.notify.set_preferences(
            person_id=call.account_id, preferences=call.body
        )

    # -- templates ------------------------------------------------------------------------

    @route(
        "GET",
        "/api/v1/admin/templates",
        summary="The template decision in force for every event type",
        tags=["notify", "admin"],
        roles=(ADMIN,),
        query=TemplateFilter,
        response=TemplateList,
        errors=SERVICE_ERRORS,
    )
    def list_templates(self, call: Call):
        return self.services.notify.templates(filters=call.query)

    @route(
        "GET",
        f"{TEMPLATE}/versions",
        summary="Every version of an event type's template decision, newest first",
        tags=["notify", "admin"],
        roles=(ADMIN,),
        response=TemplateList,
        errors=(404, *SERVICE_ERRORS),
    )
    def template_versions(self, call: Call, source: str, event_type: str):
        return self.services.notify.template_versions(source=source, event_type=event_type)

    @route(
        "PUT",
        TEMPLATE,
        summary="Write a new version of an event type's template decision",
        tags=["notify", "admin"],
        roles=(ADMIN,),
        body=TemplateInput,
        response=TemplateView,
        errors=(404, 409, 422, *SERVICE_ERRORS),
        description="In force at once for the events that follow. Placeholders must be fields "
        "of the event's data (see /api/v1/asyncapi.json); `sends: false` means no message.",
    )
    def put_template(self, call: Call, source: str, event_type: str):
        return self.services.notify.put_template(
            source=source, event_type=event_type, template=call.body
        )

    @route(
        "POST",
        f"{TEMPLATE}/preview",
        summary="Render a template (a draft, or the one in force) in both languages",
        tags=["notify", "admin"],
        roles=(ADMIN,),
        body=PreviewRequest,
        response=PreviewView,
        errors=(404, 409, 422, *SERVICE_ERRORS),
    )
    def preview_template(self, call: Call, source: str, event_type: str):
        return self.services.notify.preview_template(
            source=source, event_type=event_type, preview=call.body
        )

    # -- webhooks -------------------------------------------------------------------------

    @route(
        "POST",
        "/api/v1/webhooks",
        summary="Subscribe an endpoint to events (Standard Webhooks)",
        tags=["webhooks"],
        roles=PARTNERS,
        body=WebhookInput,
        response=WebhookCreated,
        status=201,
        errors=(422, *SERVICE_ERRORS),
        description="Each matching event is POSTed as its CloudEvent in JSON with the headers "
        "webhook-id, webhook-timestamp and webhook-signature (v1,<base64 HMAC-SHA256 of "
        "id.timestamp.body> under the secret returned here, shown only now).",
    )
    def create_webhook(self, call: Call):
        created = self.services.notify.create_webhook(subscription=call.body)
        return Created(created, f"/api/v1/webhooks/{created['id']}")

    @route(
        "GET",
        "/api/v1/webhooks",
        summary="My webhook subscriptions (an administrator sees all)",
        tags=["webhooks"],
        roles=PARTNERS,
        query=PageQuery,
        response=WebhookPage,
        paginated=True,
        errors=SERVICE_ERRORS,
    )
    def list_webhooks(self, call: Call):
        return PageResult.of(self.services.notify.webhooks(query=call.query))

    @route(
        "GET",
        WEBHOOK,
        summary="One webhook subscription",
        tags=["webhooks"],
        roles=PARTNERS,
        response=WebhookView,
        errors=(404, *SERVICE_ERRORS),
    )
    def get_webhook(self, call: Call, subscription_id: str):
        return self.services.notify.webhook(subscription_id=subscription_id)

    @route(
        "PATCH",
        WEBHOOK,
        summary="Change a subscription's URL, event types or description",
        tags=["webhooks"],
        roles=PARTNERS,
        body=WebhookUpdate,
        response=WebhookView,
        errors=(404, 422, *SERVICE_ERRORS),
    )
    def update_webhook(self, call: Call, subscription_id: str):
        return self.services.notify.update_webhook(
            subscription_id=subscription_id, changes=call.body
        )

    @route(
        "DELETE",
        WEBHOOK,
        summary="Delete a subscription and its deliveries",
        tags=["webhooks"],
        roles=PARTNERS,
        status=204,
        errors=(404, *SERVICE_ERRORS),
    )
    def delete_webhook(self, call: Call, subscription_id: str):
        self.services.notify.delete_webhook(subscription_id=subscription_id)
        return NoContent

    @route(
        "POST",
        f"{WEBHOOK}/secret/rotate",
        summary="Rotate the signing secret (the previous one keeps signing for an overlap)",
        tags=["webhooks"],
        roles=PARTNERS,
        response=SecretView,
        errors=(404, *SERVICE_ERRORS),
    )
    def rotate_webhook_secret(self, call: Call, subscription_id: str):
        return self.services.notify.rotate_webhook_secret(subscription_id=subscription_id)

    @route(
        "POST",
        f"{WEBHOOK}/enable",
        summary="Enable a disabled endpoint; deliveries held meanwhile go out in order",
        tags=["webhooks"],
        roles=PARTNERS,
        response=WebhookView,
        errors=(404, 409, *SERVICE_ERRORS),
    )
    def enable_webhook(self, call: Call, subscription_id: str):
        return self.services.notify.enable_webhook(subscription_id=subscription_id)

    @route(
        "GET",
        f"{WEBHOOK}/deliveries",
        summary="A subscription's deliveries, newest first, with their attempts",
        tags=["webhooks"],
        roles=PARTNERS,
        query=WebhookDeliveryQuery,
        response=WebhookDeliveryPage,
        paginated=True,
        errors=(404, *SERVICE_ERRORS),
    )
    def webhook_deliveries(self, call: Call, subscription_id: str):
        return PageResult.of(
            self.services.notify.webhook_deliveries(
                subscription_id=subscription_id, query=call.query
            )
        )

    @route(
        "POST",
        f"{WEBHOOK}/deliveries/<delivery_id>/replay",
        summary="Send one delivery again (same webhook-id, signed afresh)",
        tags=["webhooks"],
        roles=PARTNERS,
        response=ReplayView,
        errors=(404, *SERVICE_ERRORS),
    )
    def replay_webhook_delivery(self, call: Call, subscription_id: str, delivery_id: str):
        return self.services.notify.replay_webhook_delivery(
            subscription_id=subscription_id, delivery_id=delivery_id
        )

    @route(
        "POST",
        f"{WEBHOOK}/replay",
        summary="Send again every delivery of the events of a time range",
        tags=["webhooks"],
        roles=PARTNERS,
        body=ReplayRequest,
        response=ReplayView,
        errors=(404, 422, *SERVICE_ERRORS),
    )
    def replay_webhook(self, call: Call, subscription_id: str):
        return self.services.notify.replay_webhook(
            subscription_id=subscription_id, period=call.body
        )

    # -- the event catalogue --------------------------------------------------------------

    @route(
        "GET",
        "/api/v1/asyncapi.json",
        summary="The event catalogue: an AsyncAPI 3 document of every event type",
        tags=["meta", "webhooks"],
        response_content_type="application/json",
    )
    def asyncapi(self, call: Call):
        cls = type(self)
        if cls._asyncapi_cache is None:
            prefix = settings_of(self.api.container).event_type_prefix
            cls._asyncapi_cache = dumps(build_asyncapi(prefix))
        return Response(cls._asyncapi_cache, content_type="application/json")
