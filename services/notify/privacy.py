"""Notify's part in a person's data rights (PIPL): what it holds about them, and what is left
once they are erased.

**Held**: the messages made for the person (title and text in both languages, rendered from
events whose free text, a cancellation or rejection reason, may name people), each with its
deliveries on every channel (state, attempts, the provider's id of a sent email or SMS), and
the channel choices they made. Contact details are not held: the dispatcher asks the gateway
for them at sending time and drops them after the send, so there is no address or phone to
export or erase here.

**Erasure**:

* messages are personal content: their titles and texts are emptied and they leave the inbox;
  the emptied rows stay unlinked from the person (person id None) because the indicators count
  messages and deliveries by channel and state in past periods.
* deliveries lose the person id and the provider's id (with it, the provider could be asked
  for the address or phone a message went to); one not sent yet is settled as skipped
  (reason `erased`) so nothing more goes out.
* preferences are deleted.
* webhook deliveries of events that name the person lose their data (`domain.withhold_data`),
  whether sent or still pending: what reaches a partner system from now on, and what a replay
  sends, is the event without its data. The erasure notices themselves stay whole.
* the person's id goes into `erased_person`, so an event about them that arrives later (the
  services publish independently) recreates nothing: no message, and webhook copies without
  data.

Finding the webhook deliveries that name the person reads every stored payload: erasures are
rare, and a payload has no column the person could be indexed by.

Erasing twice finds nothing the second time (the rows no longer carry the person's id, and
withheld payloads are skipped).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from services.common.db import UnitOfWork

from . import domain
from .models import Delivery, ErasedPerson, Message, Preference, WebhookDelivery


def is_erased(session, person_id: str) -> bool:
    return session.get(ErasedPerson, person_id) is not None


def erased_among(session, candidates: set[str]) -> bool:
    """Whether any of the strings is the id of an erased person."""
    ids = [c for c in candidates if 0 < len(c) <= 36]
    if not ids:
        return False
    found = session.execute(
        sa.select(ErasedPerson.person_id).where(ErasedPerson.person_id.in_(ids)).limit(1)
    ).first()
    return found is not None


def export(session, person_id: str) -> dict:
    """Everything notify holds about the person."""
    messages = (
        session.execute(
            sa.select(Message)
            .where(Message.person_id == person_id)
            .order_by(Message.created_at, Message.id)
        )
        .scalars()
        .all()
    )
    deliveries: dict[str, list[Delivery]] = {}
    if messages:
        for delivery in session.execute(
            sa.select(Delivery).where(Delivery.person_id == person_id)
        ).scalars():
            deliveries.setdefault(delivery.message_id, []).append(delivery)
    preferences = session.execute(
        sa.select(Preference)
        .where(Preference.person_id == person_id)
        .order_by(Preference.channel, Preference.category)
    ).scalars()
    return {
        "messages": [
            {
                "id": m.id,
                "event_type": m.event_type,
                "category": m.category,
                "mandatory": m.mandatory,
                "title": {"zh-CN": m.title_zh, "en": m.title_en},
                "body": {"zh-CN": m.body_zh, "en": m.body_en},
                "in_inbox": m.in_inbox,
                "created_at": m.created_at,
                "read_at": m.read_at,
                "deliveries": [
                    {
                        "channel": d.channel,
                        "state": d.state,
                        "attempts": d.attempts,
                        "reason": d.reason,
                        "provider_id": d.provider_id,
                        "created_at": d.created_at,
                        "delivered_at": d.delivered_at,
                    }
                    for d in sorted(
                        deliveries.get(m.id, []), key=lambda d: domain.CHANNELS.index(d.channel)
                    )
                ],
            }
            for m in messages
        ],
        "preferences": [
            {
                "channel": p.channel,
                "category": p.category,
                "enabled": p.enabled,
                "updated_at": p.updated_at,
            }
            for p in preferences
        ],
    }


def _withhold_webhook_data(session, person_id: str) -> int:
    quoted = f'"{person_id}"'
    rows = session.execute(
        sa.select(WebhookDelivery).where(
            WebhookDelivery.payload.contains(quoted, autoescape=True),
            WebhookDelivery.payload.not_like(f'%"{domain.WITHHELD_ATTRIBUTE}"%'),
        )
    ).scalars()
    withheld = 0
    for row in rows:
        if domain.tells_of_erasure(row.event_type):
            continue
        row.payload = domain.withhold_data(row.payload)
        withheld += 1
    return withheld


def erase_person(uow: UnitOfWork, person_id: str, erasure_id: str, now: datetime) -> int:
    """Anonymise what notify holds about the person in `uow`; returns the records changed."""
    session = uow.session
    if not is_erased(session, person_id):
        session.add(ErasedPerson(person_id=person_id, erasure_id=erasure_id, erased_at=now))
    messages = session.execute(
        sa.update(Message)
        .where(Message.person_id == person_id)
        .values(person_id=None, title_zh="", title_en="", body_zh="", body_en="", in_inbox=False)
    ).rowcount
    session.execute(
        sa.update(Delivery)
        .where(Delivery.person_id == person_id, Delivery.state == domain.PENDING)
        .values(
            state=domain.SKIPPED,
            reason=domain.ERASED,
            next_attempt_at=None,
            lease_until=None,
            updated_at=now,
        )
    )
    deliveries = session.execute(
        sa.update(Delivery)
        .where(Delivery.person_id == person_id)
        .values(person_id=None, provider_id=None, updated_at=now)
    ).rowcount
    preferences = session.execute(
        sa.delete(Preference).where(Preference.person_id == person_id)
    ).rowcount
    return messages + deliveries + preferences + _withhold_webhook_data(session, person_id)
