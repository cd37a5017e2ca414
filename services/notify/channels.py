"""A message on the external channels, email and SMS: each attempt's outcome, the retries of a
temporary failure, and the event every final outcome raises (`notification.delivered`,
`notification.failed`). The dispatcher (`dispatch.py`) sends; this module decides what an
attempt's outcome means. In-app deliveries are settled when the message is made (`inbox.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.common.clock import utcnow

from . import domain
from .models import Delivery, Message
from .policy import NotifyPolicy
from .vocabulary import DELIVERED, FAILED

#: the outcome of an attempt that will be tried again (for the sends metric)
RETRY = "retry"


@dataclass(frozen=True)
class ChannelItem:
    """A claimed delivery as the dispatcher sends it: the message in both languages (the
    person's language is known only at sending time) and the SMS template, if its own."""

    id: str
    message_id: str
    person_id: str
    channel: str
    request_id: str | None
    titles: dict[str, str]
    bodies: dict[str, str]
    sms_template: str | None


def record_attempt(
    uow,
    item: ChannelItem,
    state: str | None,
    reason: str | None,
    policy: NotifyPolicy,
    temporary: bool = False,
    provider_id: str | None = None,
) -> str | None:
    """Record an attempt: `state` delivered or skipped, or None when it failed, which is
    retried when `temporary` and the schedule allows, and fails for good otherwise. The
    outcome recorded (`retry` or the final state), or None when the person was erased while
    it was being sent: the erasure settled it, and nothing more is recorded."""
    now = utcnow()
    delivery = uow.repo.get(Delivery, item.id)
    if delivery is None or delivery.person_id is None:
        return None
    delivery.attempts += 1
    delivery.lease_until = None
    delivery.updated_at = now
    delivery.reason = reason
    if state is None:
        delay = _retry_delay(delivery, temporary, policy)
        if delay is not None:
            delivery.next_attempt_at = domain.after(now, delay)
            uow.commit()
            return RETRY
        state = FAILED
    delivery.state = state
    if state == DELIVERED:
        delivery.delivered_at = now
        delivery.provider_id = (provider_id or "")[:100] or None
    if state in (DELIVERED, FAILED):
        _report(uow, item, delivery, now)
    uow.commit()
    return state


def _retry_delay(delivery: Delivery, temporary: bool, policy: NotifyPolicy) -> float | None:
    if not temporary:
        return None
    return domain.next_attempt_delay(
        delivery.attempts, policy.channel_retry_delays, policy.retry_jitter
    )


def _report(uow, item: ChannelItem, delivery: Delivery, now: datetime) -> None:
    """`notification.delivered` or `notification.failed`: the final outcome, with ids and a
    reason code only (never an address)."""
    message = uow.repo.get(Message, item.message_id)
    uow.record(
        "notification.delivered" if delivery.state == DELIVERED else "notification.failed",
        subject=item.message_id,
        data={
            "message_id": item.message_id,
            "person_id": item.person_id,
            "channel": item.channel,
            "event_type": message.event_type,
            "category": message.category,
            "attempts": delivery.attempts,
            "reason": delivery.reason,
            "at": now,
        },
    )
