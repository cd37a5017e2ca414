"""Webhook subscriptions for other government systems (社保, 信用, 统计 … 订阅端点): subscribing an
endpoint, queueing each matching event for it, recording every attempt (retries, disabling an
endpoint that keeps failing), rotating its secret, enabling it again, and replays.

Who may act: the partner account that owns a subscription, and an administrator; to anyone else
a subscription does not exist (404). The sending itself is the dispatcher's (`dispatch.py`).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from services.common import cloudevents
from services.common.actor import Actor
from services.common.clock import utcnow
from services.common.errors import Conflict, InvalidInput, NotFound
from services.common.models import new_id

from . import domain, purposes
from .contract import PARTNER_EXCHANGE_URL
from .egress import AddressRefused, Egress
from .messages import MESSAGES
from .models import WebhookDelivery, WebhookSubscription
from .policy import NotifyPolicy
from .repository import NotifyRepository
from .vocabulary import ACTIVE, DELIVERED, DISABLED, FAILED, PENDING

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WebhookItem:
    """A claimed delivery as the dispatcher sends it: where, what, and the secrets that sign."""

    seq: int
    id: str
    subscription_id: str
    url: str
    payload: str
    secrets: tuple[str, ...]


# -- subscriptions -------------------------------------------------------------------------


def own_subscription(
    repo: NotifyRepository, actor: Actor, subscription_id: str, lock: bool = False
) -> WebhookSubscription:
    """The subscription, if the actor owns it or is an administrator (else 404); locked for
    the unit of work when it is to change."""
    # a refusal of its own each time: a raised error keeps its traceback, so a shared one
    # would grow with every refusal for as long as the process runs
    not_found = NotFound("webhook")
    if lock:
        row = repo.locked(WebhookSubscription, subscription_id, not_found)
    else:
        row = repo.get(WebhookSubscription, subscription_id, not_found)
    actor.require_own(row.owner_id, not_found)
    return row


@dataclass(frozen=True)
class Outside:
    """What checking a subscription needs from the process: the way out to partners
    (`egress.Egress`, for its URL) and the first word of event types (for its patterns)."""

    egress: Egress
    type_prefix: str = "youthcity"


def check_url(url: str, egress: Egress) -> None:
    """`https` (plain `http` only where development allows it), and a name that resolves to
    global addresses only (`egress.py`). Refused names and names that do not resolve get the
    same answer, so registering URLs tells nothing about the platform's network. The one
    other URL is the broker's partner exchange (`partner_exchange.py`), which leaves nothing."""
    if url == PARTNER_EXCHANGE_URL:
        return
    try:
        egress.route(url)
    except AddressRefused as refused:
        log.info("webhook url refused", extra={"detail": refused.detail})
        if refused.detail.startswith("scheme_"):
            raise InvalidInput.for_field(
                "url", "webhook_url_scheme", MESSAGES, schemes=", ".join(egress.schemes())
            ) from None
        raise InvalidInput.for_field("url", "webhook_url_not_public", MESSAGES) from None


def check_patterns(repo: NotifyRepository, owner_id: str, patterns: list[str], prefix: str):
    """Every pattern within the purposes granted to the subscription's owner (PIPL art. 23):
    each catalogued type it matches is granted (`purposes.outside_grant`)."""
    granted = purposes.granted_types(repo.active_purposes_of(owner_id))
    outside = purposes.outside_grant(patterns, granted, prefix)
    if outside:
        raise InvalidInput.for_field(
            "event_types", "webhook_pattern_not_granted", MESSAGES, patterns=", ".join(outside)
        )


def _patterns_text(patterns: list[str]) -> str:
    return json.dumps(sorted(set(patterns)))


def create(uow, actor: Actor, data: dict, outside: Outside) -> WebhookSubscription:
    """Subscribe the calling partner system's endpoint, to event types within its grants; the
    row holds its new secret, which the answer shows this once."""
    check_patterns(uow.repo, actor.account_id, data["event_types"], outside.type_prefix)
    check_url(data["url"], outside.egress)
    now = utcnow()
    row = WebhookSubscription(
        id=new_id(),
        owner_id=actor.account_id,
        url=data["url"],
        event_types=_patterns_text(data["event_types"]),
        description=data.get("description"),
        state=ACTIVE,
        secret=domain.new_secret(),
        consecutive_failures=0,
        created_at=now,
        updated_at=now,
    )
    uow.repo.add(row)
    uow.audit("webhook.created", ("webhook", row.id), details={"url": row.url})
    uow.commit()
    return row


def update(
    uow, actor: Actor, subscription_id: str, changes: dict, outside: Outside
) -> WebhookSubscription:
    """Change the endpoint's URL, topic patterns or description (only those given); patterns
    stay within the owner's grants, whoever changes them."""
    row = own_subscription(uow.repo, actor, subscription_id, lock=True)
    if "event_types" in changes:
        check_patterns(uow.repo, row.owner_id, changes["event_types"], outside.type_prefix)
    if "url" in changes:
        check_url(changes["url"], outside.egress)
    if "url" in changes:
        row.url = changes["url"]
    if "event_types" in changes:
        row.event_types = _patterns_text(changes["event_types"])
    if "description" in changes:
        row.description = changes["description"]
    row.updated_at = utcnow()
    uow.audit("webhook.changed", ("webhook", row.id), details=sorted(changes))
    uow.commit()
    return row


def delete(uow, actor: Actor, subscription_id: str) -> None:
    """The subscription and its deliveries go; nothing more is sent to it."""
    row = own_subscription(uow.repo, actor, subscription_id, lock=True)
    uow.repo.delete_deliveries_of(row.id)
    uow.repo.delete(row)
    uow.audit("webhook.deleted", ("webhook", subscription_id))
    uow.commit()


def rotate_secret(
    uow, actor: Actor, subscription_id: str, policy: NotifyPolicy
) -> WebhookSubscription:
    """A new secret at once; the previous one keeps signing too for the policy's overlap, so
    the subscriber can switch without losing a delivery."""
    now = utcnow()
    row = own_subscription(uow.repo, actor, subscription_id, lock=True)
    row.previous_secret = row.secret
    row.previous_secret_expires_at = now + timedelta(hours=policy.webhook_secret_overlap_hours)
    row.secret = domain.new_secret()
    row.updated_at = now
    uow.audit("webhook.secret_rotated", ("webhook", row.id))
    uow.commit()
    return row


def enable(uow, actor: Actor, subscription_id: str) -> WebhookSubscription:
    """Enable a disabled endpoint (409 for one that is not): the deliveries queued meanwhile
    go out again, in order."""
    row = own_subscription(uow.repo, actor, subscription_id, lock=True)
    if row.state != DISABLED:
        raise Conflict("webhook_not_disabled")
    row.state, row.consecutive_failures = ACTIVE, 0
    row.disabled_at = row.disabled_reason = None
    row.updated_at = utcnow()
    uow.audit("webhook.enabled", ("webhook", row.id))
    uow.commit()
    return row


def disable(uow, subscription: WebhookSubscription, reason: str, now: datetime) -> None:
    """Disable an endpoint and report it (its owner gets a notice through the template of
    `webhook.endpoint_disabled`). Its pending deliveries wait until it is enabled again."""
    subscription.state = DISABLED
    subscription.disabled_at = now
    subscription.disabled_reason = reason
    subscription.updated_at = now
    uow.record(
        "webhook.endpoint_disabled",
        subject=subscription.id,
        data={
            "subscription_id": subscription.id,
            "owner_id": subscription.owner_id,
            "reason": reason,
            "consecutive_failures": subscription.consecutive_failures,
            "disabled_at": now,
        },
    )
    log.warning(
        "webhook endpoint disabled", extra={"subscription_id": subscription.id, "reason": reason}
    )


# -- replays ---------------------------------------------------------------------------------


def replay_delivery(uow, actor: Actor, subscription_id: str, delivery_id: str) -> int:
    """Send one delivery again (same `webhook-id`, freshly signed); 0 when it is still pending
    or its type is no longer granted to the partner."""
    row = own_subscription(uow.repo, actor, subscription_id)
    delivery = uow.repo.webhook_delivery_of(row.id, delivery_id)
    if delivery is None:
        raise NotFound("delivery")
    granted = uow.repo.active_purposes_of(row.owner_id)
    replayed = 0
    if purposes.purpose_for(delivery.event_type, granted) is not None:
        replayed = uow.repo.requeue_delivery(delivery.seq, utcnow())
    uow.audit("webhook.replayed", ("webhook", row.id), details={"delivery": delivery_id})
    uow.commit()
    return replayed


def replay_period(uow, actor: Actor, subscription_id: str, period: dict) -> int:
    """Send again every delivery of the events whose time is in [since, until), of the types
    still granted to the partner."""
    row = own_subscription(uow.repo, actor, subscription_id)
    since, until = period["since"], period["until"]
    granted = uow.repo.active_purposes_of(row.owner_id)
    seqs = [
        seq
        for seq, event_type in uow.repo.finished_deliveries_in(row.id, since, until)
        if purposes.purpose_for(event_type, granted) is not None
    ]
    replayed = uow.repo.requeue_deliveries(seqs, utcnow())
    uow.audit(
        "webhook.replayed",
        ("webhook", row.id),
        details={"since": since, "until": until, "count": replayed},
    )
    uow.commit()
    return replayed


# -- deliveries ------------------------------------------------------------------------------


def queue_for_subscribers(uow, event, policy: NotifyPolicy) -> bool:
    """A delivery of the event for every subscription whose patterns match its type and whose
    owner is granted a purpose covering it, recorded with that purpose (disabled endpoints
    too: theirs wait). Each waits `webhook_order_window_seconds` after the event, so an earlier
    event of its subject still being applied is queued first. Whether any was."""
    matching = [
        (subscription_id, owner_id)
        for subscription_id, owner_id, patterns in uow.repo.subscription_patterns()
        if domain.subscribed(patterns, event.type)
    ]
    if not matching:
        return False
    granted = uow.repo.active_purposes()
    wanted = [
        (subscription_id, purpose)
        for subscription_id, owner_id in matching
        if (purpose := purposes.purpose_for(event.type, granted.get(owner_id, ()))) is not None
    ]
    if not wanted:
        return False
    payload = _payload(uow.repo, event)
    now = utcnow()
    due = max(now, event.time + timedelta(seconds=policy.webhook_order_window_seconds))
    for subscription_id, purpose in wanted:
        uow.repo.add(
            WebhookDelivery(
                id=domain.new_delivery_id(),
                subscription_id=subscription_id,
                purpose=purpose,
                event_id=event.id,
                event_type=event.type,
                subject=event.subject or "",
                event_time=event.time,
                payload=payload,
                state=PENDING,
                attempts=0,
                failed_attempts=0,
                next_attempt_at=due,
                created_at=now,
                updated_at=now,
            )
        )
    return True


def _payload(repo: NotifyRepository, event) -> str:
    """The CloudEvent as subscribers receive it: without the acting officer's id (`actorid`:
    partners learn what was decided, not which officer decided it), and without its data when
    it names an erased person, unless it is an erasure notice, which partners need whole."""
    payload = cloudevents.encode(
        event_id=event.id,
        service=event.source_service,
        event_type=event.type,
        time=event.time,
        subject=event.subject,
        data_json=json.dumps(event.data, ensure_ascii=False, separators=(",", ":")),
        request_id=event.request_id,
        actor_id=None,
    ).decode()
    if not domain.tells_of_erasure(event.type) and repo.any_erased(domain.strings_in(event.data)):
        # sent before the person's erasure, or by a service slower to erase
        return domain.withhold_data(payload)
    return payload


def record_attempt(
    uow,
    item: WebhookItem,
    outcome: domain.AttemptOutcome,
    status: int | None,
    policy: NotifyPolicy,
) -> None:
    """Record one attempt's outcome: delivered; retried on the schedule (or after the
    subscriber's `Retry-After`, capped by it); or failed. A run of failures, or a 410,
    disables the endpoint."""
    now = utcnow()
    delivery = uow.repo.get(WebhookDelivery, item.seq)
    try:
        subscription = uow.repo.locked(
            WebhookSubscription, item.subscription_id, NotFound("webhook")
        )
    except NotFound:
        subscription = None
    if delivery is None or subscription is None:  # deleted meanwhile: nothing to record
        return
    _settle(delivery, outcome, status, now, policy)
    subscription.consecutive_failures = domain.failures_after(
        subscription.consecutive_failures, outcome
    )
    reason = domain.disable_reason(
        subscription.consecutive_failures, outcome, policy.webhook_disable_after_failures
    )
    if reason and subscription.state == ACTIVE:
        disable(uow, subscription, reason, now)
    uow.commit()
    log.info(
        "webhook attempt",
        extra={
            "delivery_id": item.id,
            "subscription_id": item.subscription_id,
            "outcome": outcome.kind,
            "reason": outcome.reason,
        },
    )


def _settle(
    delivery: WebhookDelivery,
    outcome: domain.AttemptOutcome,
    status: int | None,
    now: datetime,
    policy: NotifyPolicy,
) -> None:
    delivery.attempts += 1
    delivery.lease_until = None
    delivery.last_status = status
    delivery.updated_at = now
    if outcome.kind == "delivered":
        delivery.state, delivery.delivered_at, delivery.last_error = DELIVERED, now, None
        return
    delivery.failed_attempts += 1
    delivery.last_error = outcome.reason
    delay = None
    if outcome.kind == "retry":
        delay = domain.next_attempt_delay(
            delivery.attempts, policy.webhook_retry_delays, policy.retry_jitter
        )
        if delay is not None and outcome.retry_after is not None:
            delay = min(outcome.retry_after, max(policy.webhook_retry_delays))
    if delay is None:
        delivery.state = FAILED
    else:
        delivery.next_attempt_at = domain.after(now, delay)
