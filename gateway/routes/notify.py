"""Notify's routes (see services/notify/README.md): a person's inbox and preferences
(`/api/v1/me/...`), message templates for administrators (`/api/v1/admin/templates`), and the
event catalogue (`/api/v1/asyncapi.json`). Webhook subscriptions are in `webhooks.py`."""

from __future__ import annotations

import functools

from werkzeug.wrappers import Response

from services.common.encoding import dumps
from services.common.rpc import ClusterProxy
from services.notify.asyncapi import build_asyncapi
from services.notify.contract import (
    InboxQuery,
    MessagePage,
    MessageView,
    PreferenceList,
    PreferenceUpdate,
    PreviewRequest,
    PreviewView,
    ReadAllView,
    TemplateFilter,
    TemplateInput,
    TemplateList,
    TemplateView,
)

from ..accounts import ADMIN, ANYONE_SIGNED_IN
from ..api import Call, PageResult
from ..composition import Routes
from ..forward import BODY, CALLER, QUERY, SERVICE_ERRORS
from ..settings import GatewaySettings

routes = Routes(tags=["notify"])


# -- inbox ----------------------------------------------------------------------------


@routes.route(
    "GET",
    "/api/v1/me/messages",
    summary="My messages, newest first, with the unread count",
    roles=ANYONE_SIGNED_IN,
    query=InboxQuery,
    response=MessagePage,
    paginated=True,
    errors=SERVICE_ERRORS,
)
def my_messages(call: Call, *, services: ClusterProxy):
    page = services.notify.inbox(person_id=call.account_id, query=call.query)
    return PageResult(page["items"], page.get("next_cursor"), {"unread": page["unread"]})


routes.forward(
    "my_message",
    "GET",
    "/api/v1/me/messages/<message_id>",
    summary="One of my messages, with its delivery on each channel",
    roles=ANYONE_SIGNED_IN,
    response=MessageView,
    errors=(404,),
    rpc="notify.message",
)

routes.forward(
    "mark_message_read",
    "POST",
    "/api/v1/me/messages/<message_id>/read",
    summary="Mark a message read",
    roles=ANYONE_SIGNED_IN,
    response=MessageView,
    errors=(404,),
    rpc="notify.mark_read",
)

routes.forward(
    "mark_all_messages_read",
    "POST",
    "/api/v1/me/messages/read",
    summary="Mark all my messages read",
    roles=ANYONE_SIGNED_IN,
    response=ReadAllView,
    rpc="notify.mark_all_read",
    arguments={"person_id": CALLER},
)

routes.forward(
    "my_preferences",
    "GET",
    "/api/v1/me/preferences",
    summary="My notification preferences: each channel and category, on or off",
    roles=ANYONE_SIGNED_IN,
    response=PreferenceList,
    rpc="notify.preferences",
    arguments={"person_id": CALLER},
)

routes.forward(
    "set_my_preferences",
    "PUT",
    "/api/v1/me/preferences",
    summary="Turn channels on or off per category",
    roles=ANYONE_SIGNED_IN,
    body=PreferenceUpdate,
    response=PreferenceList,
    errors=(422,),
    description="Only the entries given change. Mandatory messages (an offer deadline, a "
    "cancelled activity) reach the inbox even with in-app turned off.",
    rpc="notify.set_preferences",
    arguments={"person_id": CALLER, "preferences": BODY},
)

# -- templates ------------------------------------------------------------------------

routes.forward(
    "list_templates",
    "GET",
    "/api/v1/admin/templates",
    summary="The template decision in force for every event type",
    tags=["notify", "admin"],
    roles=(ADMIN,),
    query=TemplateFilter,
    response=TemplateList,
    rpc="notify.templates",
    arguments={"filters": QUERY},
)

routes.forward(
    "template_versions",
    "GET",
    "/api/v1/admin/templates/<source>/<event_type>/versions",
    summary="Every version of an event type's template decision, newest first",
    tags=["notify", "admin"],
    roles=(ADMIN,),
    response=TemplateList,
    errors=(404,),
    rpc="notify.template_versions",
)

routes.forward(
    "put_template",
    "PUT",
    "/api/v1/admin/templates/<source>/<event_type>",
    summary="Write a new version of an event type's template decision",
    tags=["notify", "admin"],
    roles=(ADMIN,),
    body=TemplateInput,
    response=TemplateView,
    errors=(404, 409, 422),
    description="In force at once for the events that follow. Placeholders must be fields "
    "of the event's data (see /api/v1/asyncapi.json); `sends: false` means no message.",
    rpc="notify.put_template",
    arguments={"template": BODY},
)

routes.forward(
    "preview_template",
    "POST",
    "/api/v1/admin/templates/<source>/<event_type>/preview",
    summary="Render a template (a draft, or the one in force) in both languages",
    tags=["notify", "admin"],
    roles=(ADMIN,),
    body=PreviewRequest,
    response=PreviewView,
    errors=(404, 409, 422),
    rpc="notify.preview_template",
    arguments={"preview": BODY},
)

# -- the event catalogue --------------------------------------------------------------


@routes.route(
    "GET",
    "/api/v1/asyncapi.json",
    summary="The event catalogue: an AsyncAPI 3 document of every event type",
    tags=["meta", "webhooks"],
    response_content_type="application/json",
)
def asyncapi(call: Call, *, settings: GatewaySettings):
    return Response(_asyncapi_document(settings.event_type_prefix), content_type="application/json")


@functools.cache
def _asyncapi_document(prefix: str) -> bytes:
    """Built once: the catalogue changes only with the code (and the types' prefix)."""
    return dumps(build_asyncapi(prefix))
