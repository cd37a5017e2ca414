"""Webhook subscriptions for other government systems (`/api/v1/webhooks`, see
services/notify/README.md): a partner system subscribes an endpoint to event types and receives
each matching event signed the Standard Webhooks way; it follows and replays its deliveries.
Notify keeps the subscriptions and delivers; an administrator sees every subscription.

What a partner may subscribe to is what an administrator granted it: purposes
(`/api/v1/purposes`), each a set of event types with its legal basis, granted per partner
account (`/api/v1/partners/{partner_id}/purposes/{purpose}`).
"""

from __future__ import annotations

from services.common.db import Database
from services.common.errors import InvalidInput
from services.common.rpc import ClusterProxy
from services.notify.contract import (
    GrantInput,
    GrantList,
    GrantView,
    PageQuery,
    PurposeList,
    ReplayRequest,
    ReplayView,
    SecretView,
    WebhookCreated,
    WebhookDeliveryPage,
    WebhookDeliveryQuery,
    WebhookInput,
    WebhookPage,
    WebhookUpdate,
    WebhookView,
)
from services.notify.messages import MESSAGES

from ..accounts import ADMIN, PARTNER
from ..api import Call
from ..composition import Routes
from ..forward import BODY, QUERY, SERVICE_ERRORS
from ..models import Account

PARTNERS = (PARTNER, ADMIN)

routes = Routes(tags=["webhooks"])


# -- webhooks -------------------------------------------------------------------------

routes.forward(
    "create_webhook",
    "POST",
    "/api/v1/webhooks",
    summary="Subscribe an endpoint to events (Standard Webhooks)",
    roles=PARTNERS,
    body=WebhookInput,
    response=WebhookCreated,
    status=201,
    errors=(422,),
    description="Each matching event is POSTed as its CloudEvent in JSON with the headers "
    "webhook-id, webhook-timestamp and webhook-signature (v1,<base64 HMAC-SHA256 of "
    "id.timestamp.body> under the secret returned here, shown only now).",
    rpc="notify.create_webhook",
    arguments={"subscription": BODY},
    location="/api/v1/webhooks/{id}",
)

routes.forward(
    "list_webhooks",
    "GET",
    "/api/v1/webhooks",
    summary="My webhook subscriptions (an administrator sees all)",
    roles=PARTNERS,
    query=PageQuery,
    response=WebhookPage,
    paginated=True,
    rpc="notify.webhooks",
    arguments={"query": QUERY},
)

routes.forward(
    "get_webhook",
    "GET",
    "/api/v1/webhooks/<subscription_id>",
    summary="One webhook subscription",
    roles=PARTNERS,
    response=WebhookView,
    errors=(404,),
    rpc="notify.webhook",
)

routes.forward(
    "update_webhook",
    "PATCH",
    "/api/v1/webhooks/<subscription_id>",
    summary="Change a subscription's URL, event types or description",
    roles=PARTNERS,
    body=WebhookUpdate,
    response=WebhookView,
    errors=(404, 422),
    rpc="notify.update_webhook",
    arguments={"changes": BODY},
)

routes.forward(
    "delete_webhook",
    "DELETE",
    "/api/v1/webhooks/<subscription_id>",
    summary="Delete a subscription and its deliveries",
    roles=PARTNERS,
    status=204,
    errors=(404,),
    rpc="notify.delete_webhook",
)

routes.forward(
    "rotate_webhook_secret",
    "POST",
    "/api/v1/webhooks/<subscription_id>/secret/rotate",
    summary="Rotate the signing secret (the previous one keeps signing for an overlap)",
    roles=PARTNERS,
    response=SecretView,
    errors=(404,),
    rpc="notify.rotate_webhook_secret",
)

routes.forward(
    "enable_webhook",
    "POST",
    "/api/v1/webhooks/<subscription_id>/enable",
    summary="Enable a disabled endpoint; deliveries held meanwhile go out in order",
    roles=PARTNERS,
    response=WebhookView,
    errors=(404, 409),
    rpc="notify.enable_webhook",
)

routes.forward(
    "webhook_deliveries",
    "GET",
    "/api/v1/webhooks/<subscription_id>/deliveries",
    summary="A subscription's deliveries, newest first, with their attempts",
    roles=PARTNERS,
    query=WebhookDeliveryQuery,
    response=WebhookDeliveryPage,
    paginated=True,
    errors=(404,),
    rpc="notify.webhook_deliveries",
    arguments={"query": QUERY},
)

routes.forward(
    "replay_webhook_delivery",
    "POST",
    "/api/v1/webhooks/<subscription_id>/deliveries/<delivery_id>/replay",
    summary="Send one delivery again (same webhook-id, signed afresh)",
    roles=PARTNERS,
    response=ReplayView,
    errors=(404,),
    rpc="notify.replay_webhook_delivery",
)

routes.forward(
    "replay_webhook",
    "POST",
    "/api/v1/webhooks/<subscription_id>/replay",
    summary="Send again every delivery of the events of a time range",
    roles=PARTNERS,
    body=ReplayRequest,
    response=ReplayView,
    errors=(404, 422),
    rpc="notify.replay_webhook",
    arguments={"period": BODY},
)


# -- partners' purposes (PIPL arts. 6, 23) ----------------------------------------------

routes.forward(
    "list_purposes",
    "GET",
    "/api/v1/purposes",
    summary="The purposes partners may be granted, each a set of event types with its legal basis",
    roles=PARTNERS,
    response=PurposeList,
    rpc="notify.purposes",
)

routes.forward(
    "list_partner_grants",
    "GET",
    "/api/v1/partners/<partner_id>/purposes",
    summary="The purposes granted to a partner, revoked ones too (the partner itself, admin)",
    roles=PARTNERS,
    response=GrantList,
    errors=(404,),
    rpc="notify.partner_grants",
)


@routes.route(
    "PUT",
    "/api/v1/partners/<partner_id>/purposes/<purpose>",
    summary="Grant a partner a purpose: it may then subscribe to the purpose's event types",
    roles=(ADMIN,),
    body=GrantInput,
    response=GrantView,
    errors=(422, *SERVICE_ERRORS),
    description="The legal basis is recorded as the purpose states it now, with the agreement "
    "named in `reference`; the grant and who made it are in notify's audit trail.",
)
def grant_partner_purpose(
    call: Call, partner_id: str, purpose: str, *, db: Database, services: ClusterProxy
):
    # the account is the gateway's to check: notify knows no accounts
    with db.reading() as session:
        account = session.get(Account, partner_id)
    if account is None or account.role != PARTNER:
        raise InvalidInput.for_field("partner_id", "purpose_grantee_not_partner", MESSAGES)
    grant = {**call.body, "partner_name": account.display_name or account.username}
    return services.notify.grant_purpose(partner_id=partner_id, purpose=purpose, grant=grant)


routes.forward(
    "revoke_partner_purpose",
    "DELETE",
    "/api/v1/partners/<partner_id>/purposes/<purpose>",
    summary="Revoke a purpose: its event types are no longer queued, and pending ones withdrawn",
    roles=(ADMIN,),
    status=204,
    errors=(404,),
    rpc="notify.revoke_purpose",
)
