"""Notify's repository in memory, for its handler tests (`tests/unit/test_notify_handlers.py`):
the named queries of `services/notify/repository.py` that the handlers use, answered from the
rows the test added. The dispatcher's claims are not here: they are SQL the integration tests
prove, and no handler makes one.

Example::

    repo = FakeNotifyRepository()
    templates.seed(repo)                      # the decisions of the template files
    uow = FakeUnitOfWork(repo, EVENTS)
    routing.route(uow, event, NotifyPolicy(), {"email"})
"""

from __future__ import annotations

import json
import socket
from datetime import datetime

import sqlalchemy as sa

from services.common.clock import utcnow
from services.notify.domain import WITHHELD_ATTRIBUTE
from services.notify.models import (
    Delivery,
    ErasedPerson,
    Message,
    PartnerGrant,
    Preference,
    TemplateVersion,
    WebhookDelivery,
    WebhookSubscription,
)
from services.notify.purposes import purposes
from services.notify.vocabulary import PENDING, SKIPPED

from .fakes import FakeRepository


class FakeNotifyRepository(FakeRepository):
    """`NotifyRepository`'s named queries over rows in memory."""

    def _key_of(self, row):
        columns = sa.inspect(type(row)).primary_key
        if len(columns) > 1:  # a preference: (person, channel, category)
            return tuple(getattr(row, column.key) for column in columns)
        return super()._key_of(row)

    # -- templates ------------------------------------------------------------------------------

    def newest_template(self, source: str, event_type: str) -> TemplateVersion | None:
        versions = self.rows(
            TemplateVersion, lambda r: r.source == source and r.event_type == event_type
        )
        return max(versions, key=lambda r: r.version, default=None)

    def newest_templates(self) -> dict[tuple[str, str], TemplateVersion]:
        newest = {}
        for row in sorted(self.rows(TemplateVersion), key=lambda r: r.version):
            newest[(row.source, row.event_type)] = row
        return newest

    def categories(self) -> list[str]:
        return sorted({r.category for r in self.rows(TemplateVersion) if r.category is not None})

    # -- messages and preferences ---------------------------------------------------------------

    def opted_out(self, person_id: str) -> set[tuple[str, str]]:
        return {
            (r.channel, r.category)
            for r in self.rows(Preference, lambda r: r.person_id == person_id and not r.enabled)
        }

    def choices_unless_erased(self, person_id: str) -> set[tuple[str, str]] | None:
        return None if self.is_erased(person_id) else self.opted_out(person_id)

    def mark_inbox_read(self, person_id: str, at: datetime) -> int:
        unread = self.rows(
            Message, lambda m: m.person_id == person_id and m.in_inbox and m.read_at is None
        )
        for message in unread:
            message.read_at = at
        return len(unread)

    # -- webhooks -------------------------------------------------------------------------------

    def subscription_patterns(self) -> list[tuple[str, str, list[str]]]:
        return [
            (r.id, r.owner_id, json.loads(r.event_types)) for r in self.rows(WebhookSubscription)
        ]

    def finished_deliveries_in(self, subscription_id: str, since: datetime, until: datetime):
        return [
            (d.seq, d.event_type)
            for d in self.rows(
                WebhookDelivery,
                lambda d: (
                    d.subscription_id == subscription_id
                    and since <= d.event_time < until
                    and d.state != PENDING
                ),
            )
        ]

    def requeue_deliveries(self, seqs: list[int], now: datetime) -> int:
        return self._requeue(lambda d: d.seq in seqs, now)

    def delete_deliveries_of(self, subscription_id: str) -> None:
        for row in self.rows(WebhookDelivery, lambda d: d.subscription_id == subscription_id):
            self.delete(row)

    def webhook_delivery_of(self, subscription_id: str, delivery_id: str):
        found = self.rows(
            WebhookDelivery, lambda d: d.subscription_id == subscription_id and d.id == delivery_id
        )
        return found[0] if found else None

    def requeue_delivery(self, seq: int, now: datetime) -> int:
        return self._requeue(lambda d: d.seq == seq, now)

    def _requeue(self, where, now: datetime) -> int:
        finished = self.rows(WebhookDelivery, lambda d: where(d) and d.state != PENDING)
        for row in finished:
            row.state, row.attempts, row.next_attempt_at = PENDING, 0, now
            row.lease_until = row.delivered_at = None
            row.updated_at = now
        return len(finished)

    # -- partners' grants -----------------------------------------------------------------------

    def grant_of(self, partner_id: str, purpose: str, lock: bool = False):
        found = self.rows(
            PartnerGrant, lambda g: g.partner_id == partner_id and g.purpose == purpose
        )
        return found[0] if found else None

    def grants_of(self, partner_id: str) -> list[PartnerGrant]:
        return sorted(
            self.rows(PartnerGrant, lambda g: g.partner_id == partner_id), key=lambda g: g.purpose
        )

    def active_purposes_of(self, partner_id: str) -> set[str]:
        return self.active_purposes().get(partner_id, set())

    def active_purposes(self) -> dict[str, set[str]]:
        granted: dict[str, set[str]] = {}
        for row in self.rows(PartnerGrant, lambda g: g.revoked_at is None):
            granted.setdefault(row.partner_id, set()).add(row.purpose)
        return granted

    def grants_by_partner(self, partner_ids) -> dict[tuple[str, str], PartnerGrant]:
        return {
            (g.partner_id, g.purpose): g
            for g in self.rows(PartnerGrant, lambda g: g.partner_id in partner_ids)
        }

    def pending_deliveries_of_owner(self, owner_id: str) -> list[WebhookDelivery]:
        owned = {s.id for s in self.rows(WebhookSubscription, lambda s: s.owner_id == owner_id)}
        return self.rows(
            WebhookDelivery, lambda d: d.subscription_id in owned and d.state == PENDING
        )

    # -- erased persons (PIPL) ------------------------------------------------------------------

    def is_erased(self, person_id: str) -> bool:
        return self.get(ErasedPerson, person_id) is not None

    def any_erased(self, candidates: set[str]) -> bool:
        return any(self.get(ErasedPerson, c) for c in candidates if 0 < len(c) <= 36)

    def settle_pending_deliveries_of(self, person_id: str, reason: str, now: datetime) -> int:
        pending = self.rows(Delivery, lambda d: d.person_id == person_id and d.state == PENDING)
        for row in pending:
            row.state, row.reason, row.updated_at = SKIPPED, reason, now
            row.next_attempt_at = row.lease_until = None
        return len(pending)

    def empty_messages_of(self, person_id: str) -> int:
        messages = self.rows(Message, lambda m: m.person_id == person_id)
        for row in messages:
            row.person_id, row.in_inbox = None, False
            row.title_zh = row.title_en = row.body_zh = row.body_en = ""
        return len(messages)

    def unlink_deliveries_of(self, person_id: str, now: datetime) -> int:
        deliveries = self.rows(Delivery, lambda d: d.person_id == person_id)
        for row in deliveries:
            row.person_id = row.provider_id = None
            row.updated_at = now
        return len(deliveries)

    def delete_preferences_of(self, person_id: str) -> int:
        preferences = self.rows(Preference, lambda p: p.person_id == person_id)
        for row in preferences:
            self.delete(row)
        return len(preferences)

    def webhook_deliveries_naming(self, person_id: str) -> list[WebhookDelivery]:
        return self.rows(
            WebhookDelivery,
            lambda d: f'"{person_id}"' in d.payload and f'"{WITHHELD_ATTRIBUTE}"' not in d.payload,
        )

    def partner_deliveries_naming(self, person_id: str) -> list[tuple[WebhookDelivery, str]]:
        owners = {s.id: s.owner_id for s in self.rows(WebhookSubscription)}
        found = sorted(self.webhook_deliveries_naming(person_id), key=lambda d: d.event_time)
        return [(d, owners[d.subscription_id]) for d in found]


def grant(repo, partner_id: str, purpose: str, reference: str = "协议-1") -> PartnerGrant:
    """A purpose granted to the partner as an administrator would (`partners.grant`)."""
    known = purposes()[purpose]
    row = PartnerGrant(
        partner_id=partner_id,
        purpose=purpose,
        partner_name=f"partner {partner_id}",
        reference=reference,
        legal_basis_zh=known.legal_basis["zh-CN"],
        legal_basis_en=known.legal_basis["en"],
        granted_by="admin-1",
        granted_at=utcnow(),
    )
    repo.add(row)
    return row


def resolving(*addresses: str):
    """A stubbed resolver: every name resolves to `addresses` (getaddrinfo's answer)."""

    def resolve(host: str, port: int):
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in addresses
        ]

    return resolve


def never_dialled(address, timeout, source_address=None):
    raise AssertionError(f"{address} was dialled")
