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

The service takes part through `services.common.privacy.PersonalData`: `release` settles what
waits to be sent, `anonymise` does the rest, and `answer` (the mixin's "after anonymising")
remembers the person and answers the gateway. Notify keeps no audit entry of an erasure (the
gateway's trail has it): one would keep the person's id in notify's database, where only
`erased_person` may.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.clock import utcnow
from services.common.privacy import COUNTED_RETAINED, Erasure, anonymised

from . import domain
from .models import Delivery, ErasedPerson, Message, Preference
from .repository import NotifyRepository
from .vocabulary import CHANNELS


def export(service, session: Session, person_id: str) -> dict:
    """Everything notify holds about the person: their messages (in the inbox or not, both
    languages) with their deliveries, their preferences, and the events about them that went
    (or are to go) to partners, with the partner, purpose and legal basis of each (PIPL
    art. 45). No contact details: none are kept."""
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
    exported = {
        "messages": [_exported_message(m, deliveries.get(m.id, [])) for m in messages],
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
    shared = shared_with_partners(NotifyRepository(session), person_id)
    if shared:  # absent for the many people no partner heard of
        exported["shared_with_partners"] = shared
    return exported


def shared_with_partners(repo: NotifyRepository, person_id: str) -> list[dict]:
    """Each webhook delivery of an event naming the person: to which partner, under which
    purpose and legal basis (as recorded on the grant), and whether it went out. Erasure
    notices are left out: they carry ids only and tell partners to erase the person too."""
    rows = [
        (delivery, owner_id)
        for delivery, owner_id in repo.partner_deliveries_naming(person_id)
        if not domain.tells_of_erasure(delivery.event_type)
    ]
    grants = repo.grants_by_partner({owner_id for _, owner_id in rows})
    shared = []
    for delivery, owner_id in rows:
        grant = grants.get((owner_id, delivery.purpose or ""))
        shared.append(
            {
                "partner_id": owner_id,
                "partner_name": grant.partner_name if grant else None,
                "purpose": delivery.purpose,
                "legal_basis": (
                    {"zh-CN": grant.legal_basis_zh, "en": grant.legal_basis_en} if grant else None
                ),
                "event_type": delivery.event_type,
                "event_time": delivery.event_time,
                "state": delivery.state,
                "delivered_at": delivery.delivered_at,
            }
        )
    return shared


def _exported_message(message: Message, deliveries: list[Delivery]) -> dict:
    return {
        "id": message.id,
        "event_type": message.event_type,
        "category": message.category,
        "mandatory": message.mandatory,
        "title": {"zh-CN": message.title_zh, "en": message.title_en},
        "body": {"zh-CN": message.body_zh, "en": message.body_en},
        "in_inbox": message.in_inbox,
        "created_at": message.created_at,
        "read_at": message.read_at,
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
            for d in sorted(deliveries, key=lambda d: CHANNELS.index(d.channel))
        ],
    }


def release(uow, person_id: str) -> None:
    """Settle the person's deliveries not sent yet as skipped (reason `erased`): nothing more
    goes out to them."""
    uow.repo.settle_pending_deliveries_of(person_id, domain.ERASED, utcnow())


def anonymise(uow, person_id: str) -> Erasure:
    """Empty the person's messages, unlink their deliveries, delete their preferences and
    withhold the data of webhook deliveries naming them, in the caller's transaction; running
    it again changes nothing."""
    erasure = Erasure()
    erasure.count("message", uow.repo.empty_messages_of(person_id), COUNTED_RETAINED)
    erasure.count("delivery", uow.repo.unlink_deliveries_of(person_id, utcnow()), COUNTED_RETAINED)
    erasure.count("preference", uow.repo.delete_preferences_of(person_id))
    erasure.count("webhook_delivery", _withhold_webhook_data(uow.repo, person_id))
    return erasure


def _withhold_webhook_data(repo, person_id: str) -> int:
    withheld = 0
    for row in repo.webhook_deliveries_naming(person_id):
        if domain.tells_of_erasure(row.event_type):
            continue  # erasure notices stay whole: partners need them to erase too
        row.payload = domain.withhold_data(row.payload)
        withheld += 1
    return withheld


def answer(uow, event, erasure: Erasure) -> None:
    """Remember the person as erased, so that an event about them arriving later makes no
    message and reaches subscribers without its data, and answer the gateway
    (`person.anonymised`, every time: it may have missed the first)."""
    person_id = event.data["person_id"]
    if not uow.repo.is_erased(person_id):
        uow.repo.add(
            ErasedPerson(
                person_id=person_id, erasure_id=event.data["erasure_id"], erased_at=utcnow()
            )
        )
    uow.record("person.anonymised", subject=person_id, data=anonymised(event, erasure.records))
