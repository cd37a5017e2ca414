"""How notify's handlers reach its rows: one named query per need (services/common/repository.py).

The dispatcher's claims live here too: a claim is a conditional update that sets `lease_until`,
so two replicas never send the same item at once, and one that dies leaves a claim that expires.
"""

from __future__ import annotations

import json
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from services.common.repository import Repository

from .domain import WITHHELD_ATTRIBUTE
from .models import (
    Delivery,
    ErasedPerson,
    Message,
    PartnerGrant,
    Preference,
    TemplateVersion,
    WebhookDelivery,
    WebhookSubscription,
)
from .vocabulary import ACTIVE, PENDING, SKIPPED


def free(column, now: datetime):
    """Not claimed, or claimed by a send whose lease has run out."""
    return sa.or_(column.is_(None), column < now)


def in_inbox_of(person_id: str):
    """The messages the person sees in their inbox."""
    return sa.and_(Message.person_id == person_id, Message.in_inbox.is_(True))


class NotifyRepository(Repository):
    """Notify's rows: template versions, messages and their deliveries, preferences, webhook
    subscriptions and deliveries, and the erased persons."""

    # -- templates ----------------------------------------------------------------------------

    def newest_template(self, source: str, event_type: str) -> TemplateVersion | None:
        """The version of the event type's decision in force (the newest), if any."""
        return self.session.execute(
            sa.select(TemplateVersion)
            .where(TemplateVersion.source == source, TemplateVersion.event_type == event_type)
            .order_by(TemplateVersion.version.desc())
            .limit(1)
        ).scalar_one_or_none()

    def newest_templates(self) -> dict[tuple[str, str], TemplateVersion]:
        """(source, event type) → the version in force, for every decided event type."""
        newest = {}
        for row in self.session.execute(
            sa.select(TemplateVersion).order_by(TemplateVersion.version)
        ).scalars():
            newest[(row.source, row.event_type)] = row  # the last one read is the newest
        return newest

    def categories(self) -> list[str]:
        """The message categories the templates use, sorted."""
        return sorted(
            self.session.execute(
                sa.select(TemplateVersion.category)
                .where(TemplateVersion.category.is_not(None))
                .distinct()
            ).scalars()
        )

    # -- messages and preferences -------------------------------------------------------------

    def opted_out(self, person_id: str) -> set[tuple[str, str]]:
        """The (channel, category) pairs the person turned off."""
        return {
            (row.channel, row.category)
            for row in self.session.execute(
                sa.select(Preference).where(
                    Preference.person_id == person_id, Preference.enabled.is_(False)
                )
            ).scalars()
        }

    def choices_unless_erased(self, person_id: str) -> set[tuple[str, str]] | None:
        """What making a message needs to know of its recipient, in one query: None when the
        person was erased, else the (channel, category) pairs they turned off (`opted_out`)."""
        who = sa.select(sa.literal(person_id, sa.String).label("person_id")).subquery()
        rows = self.session.execute(
            sa.select(ErasedPerson.person_id, Preference.channel, Preference.category)
            .select_from(who)
            .outerjoin(ErasedPerson, ErasedPerson.person_id == who.c.person_id)
            .outerjoin(
                Preference,
                sa.and_(Preference.person_id == who.c.person_id, Preference.enabled.is_(False)),
            )
        ).all()
        if rows[0][0] is not None:
            return None
        return {(channel, category) for _, channel, category in rows if channel is not None}

    def mark_inbox_read(self, person_id: str, at: datetime) -> int:
        """Mark every unread message of the person's inbox read; how many were."""
        return self.session.execute(
            sa.update(Message)
            .where(in_inbox_of(person_id), Message.read_at.is_(None))
            .values(read_at=at)
        ).rowcount

    # -- webhooks ------------------------------------------------------------------------------

    def subscription_patterns(self) -> list[tuple[str, str, list[str]]]:
        """Every subscription's id, owner and topic patterns (disabled ones too: their
        deliveries wait for them)."""
        return [
            (subscription_id, owner_id, json.loads(patterns))
            for subscription_id, owner_id, patterns in self.session.execute(
                sa.select(
                    WebhookSubscription.id,
                    WebhookSubscription.owner_id,
                    WebhookSubscription.event_types,
                )
            )
        ]

    def finished_deliveries_in(
        self, subscription_id: str, since: datetime, until: datetime
    ) -> list[tuple[int, str]]:
        """(seq, event type) of the subscription's finished deliveries of events in
        [since, until)."""
        return self.session.execute(
            sa.select(WebhookDelivery.seq, WebhookDelivery.event_type).where(
                WebhookDelivery.subscription_id == subscription_id,
                WebhookDelivery.event_time >= since,
                WebhookDelivery.event_time < until,
                WebhookDelivery.state != PENDING,
            )
        ).all()

    def requeue_deliveries(self, seqs: list[int], now: datetime) -> int:
        """Queue the finished deliveries `seqs` again."""
        return self._requeue(WebhookDelivery.seq.in_(seqs), now) if seqs else 0

    def delete_deliveries_of(self, subscription_id: str) -> None:
        self.session.execute(
            sa.delete(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription_id)
        )

    def webhook_delivery_of(self, subscription_id: str, delivery_id: str) -> WebhookDelivery | None:
        """The subscription's delivery with the `webhook-id` `delivery_id`, if it has one."""
        return self.session.execute(
            sa.select(WebhookDelivery).where(
                WebhookDelivery.subscription_id == subscription_id,
                WebhookDelivery.id == delivery_id,
            )
        ).scalar_one_or_none()

    def requeue_delivery(self, seq: int, now: datetime) -> int:
        """Queue one finished delivery again (a pending one is already queued)."""
        return self._requeue(WebhookDelivery.seq == seq, now)

    def _requeue(self, condition, now: datetime) -> int:
        return self.session.execute(
            sa.update(WebhookDelivery)
            .where(condition, WebhookDelivery.state != PENDING)
            .values(
                state=PENDING,
                attempts=0,
                next_attempt_at=now,
                lease_until=None,
                delivered_at=None,
                updated_at=now,
            )
        ).rowcount

    # -- partners' grants -----------------------------------------------------------------------

    def grant_of(self, partner_id: str, purpose: str, lock: bool = False) -> PartnerGrant | None:
        query = sa.select(PartnerGrant).where(
            PartnerGrant.partner_id == partner_id, PartnerGrant.purpose == purpose
        )
        return self.session.execute(query.with_for_update() if lock else query).scalar_one_or_none()

    def grants_of(self, partner_id: str) -> list[PartnerGrant]:
        """The partner's grants, revoked ones too, by purpose."""
        return list(
            self.session.execute(
                sa.select(PartnerGrant)
                .where(PartnerGrant.partner_id == partner_id)
                .order_by(PartnerGrant.purpose)
            ).scalars()
        )

    def active_purposes_of(self, partner_id: str) -> set[str]:
        return set(
            self.session.execute(
                sa.select(PartnerGrant.purpose).where(
                    PartnerGrant.partner_id == partner_id, PartnerGrant.revoked_at.is_(None)
                )
            ).scalars()
        )

    def active_purposes(self) -> dict[str, set[str]]:
        """partner id → the purposes it is granted now."""
        granted: dict[str, set[str]] = {}
        for partner_id, purpose in self.session.execute(
            sa.select(PartnerGrant.partner_id, PartnerGrant.purpose).where(
                PartnerGrant.revoked_at.is_(None)
            )
        ):
            granted.setdefault(partner_id, set()).add(purpose)
        return granted

    def grants_by_partner(self, partner_ids) -> dict[tuple[str, str], PartnerGrant]:
        """(partner id, purpose) → grant, for the partners named."""
        if not partner_ids:
            return {}
        rows = self.session.execute(
            sa.select(PartnerGrant).where(PartnerGrant.partner_id.in_(sorted(partner_ids)))
        ).scalars()
        return {(row.partner_id, row.purpose): row for row in rows}

    def pending_deliveries_of_owner(self, owner_id: str) -> list[WebhookDelivery]:
        """The deliveries still to go out to the partner's subscriptions."""
        return list(
            self.session.execute(
                sa.select(WebhookDelivery)
                .join(WebhookSubscription)
                .where(WebhookSubscription.owner_id == owner_id, WebhookDelivery.state == PENDING)
            ).scalars()
        )

    # -- the dispatcher's claims ----------------------------------------------------------------

    def claim_due_webhooks(self, now: datetime, until: datetime, limit: int) -> list[int]:
        """Claim (until `until`) up to `limit` due deliveries of active endpoints, each the
        head of its subscription and subject: no earlier delivery of theirs is pending."""
        earlier = aliased(WebhookDelivery)
        waiting_behind = (
            sa.select(earlier.seq)
            .where(
                earlier.subscription_id == WebhookDelivery.subscription_id,
                earlier.subject == WebhookDelivery.subject,
                earlier.state == PENDING,
                sa.or_(
                    earlier.event_time < WebhookDelivery.event_time,
                    sa.and_(
                        earlier.event_time == WebhookDelivery.event_time,
                        earlier.seq < WebhookDelivery.seq,
                    ),
                ),
            )
            .exists()
        )
        heads = (
            sa.select(WebhookDelivery.seq)
            .join(WebhookSubscription)
            .where(
                WebhookDelivery.state == PENDING,
                WebhookSubscription.state == ACTIVE,
                WebhookDelivery.next_attempt_at <= now,
                free(WebhookDelivery.lease_until, now),
                ~waiting_behind,
            )
            .order_by(WebhookDelivery.event_time, WebhookDelivery.seq)
            .limit(limit)
        )
        seqs = self.session.execute(heads).scalars().all()
        return self._claim(WebhookDelivery, WebhookDelivery.seq, seqs, now, until)

    def claim_due_deliveries(self, now: datetime, until: datetime, limit: int) -> list[str]:
        """Claim (until `until`) up to `limit` email and SMS deliveries due now."""
        due = (
            sa.select(Delivery.id)
            .where(
                Delivery.state == PENDING,
                Delivery.next_attempt_at <= now,
                free(Delivery.lease_until, now),
            )
            .order_by(Delivery.next_attempt_at)
            .limit(limit)
        )
        ids = self.session.execute(due).scalars().all()
        return self._claim(Delivery, Delivery.id, ids, now, until)

    def _claim(self, model, key, keys, now: datetime, until: datetime) -> list:
        claimed = []
        for value in keys:
            result = self.session.execute(
                sa.update(model)
                .where(key == value, model.state == PENDING, free(model.lease_until, now))
                .values(lease_until=until)
            )
            if result.rowcount == 1:  # another replica may have claimed it meanwhile
                claimed.append(value)
        return claimed

    def claimed_webhooks(
        self, seqs: list[int]
    ) -> list[tuple[WebhookDelivery, WebhookSubscription]]:
        """The claimed webhook deliveries with their subscriptions, in queue order."""
        return self.session.execute(
            sa.select(WebhookDelivery, WebhookSubscription)
            .join(WebhookSubscription)
            .where(WebhookDelivery.seq.in_(seqs))
            .order_by(WebhookDelivery.seq)
        ).all()

    def claimed_deliveries(self, ids: list[str]) -> list[tuple[Delivery, Message, str | None]]:
        """The claimed email and SMS deliveries with their messages and the SMS template code
        of the version that made each."""
        return self.session.execute(
            sa.select(Delivery, Message, TemplateVersion.sms_template)
            .join(Message, Message.id == Delivery.message_id)
            .outerjoin(TemplateVersion, TemplateVersion.id == Message.template_version_id)
            .where(Delivery.id.in_(ids))
        ).all()

    def next_due(self, now: datetime) -> list[datetime]:
        """When the next webhook delivery (of an active endpoint) and the next email or SMS
        fall due after `now`, of those there are."""
        moments = [
            self.session.execute(
                sa.select(sa.func.min(WebhookDelivery.next_attempt_at))
                .join(WebhookSubscription)
                .where(
                    WebhookDelivery.state == PENDING,
                    WebhookSubscription.state == ACTIVE,
                    WebhookDelivery.next_attempt_at > now,
                )
            ).scalar(),
            self.session.execute(
                sa.select(sa.func.min(Delivery.next_attempt_at)).where(
                    Delivery.state == PENDING, Delivery.next_attempt_at > now
                )
            ).scalar(),
        ]
        return [moment for moment in moments if moment]

    # -- erased persons (PIPL) -----------------------------------------------------------------

    def is_erased(self, person_id: str) -> bool:
        return self.session.get(ErasedPerson, person_id) is not None

    def any_erased(self, candidates: set[str]) -> bool:
        """Whether any of the strings is the id of an erased person."""
        ids = [c for c in candidates if 0 < len(c) <= 36]
        if not ids:
            return False
        found = self.session.execute(
            sa.select(ErasedPerson.person_id).where(ErasedPerson.person_id.in_(ids)).limit(1)
        ).first()
        return found is not None

    def settle_pending_deliveries_of(self, person_id: str, reason: str, now: datetime) -> int:
        """Settle the person's unsent deliveries as skipped for `reason`: nothing more goes out."""
        return self.session.execute(
            sa.update(Delivery)
            .where(Delivery.person_id == person_id, Delivery.state == PENDING)
            .values(
                state=SKIPPED, reason=reason, next_attempt_at=None, lease_until=None, updated_at=now
            )
        ).rowcount

    def empty_messages_of(self, person_id: str) -> int:
        """Empty the person's messages, take them out of the inbox and unlink them."""
        return self.session.execute(
            sa.update(Message)
            .where(Message.person_id == person_id)
            .values(
                person_id=None, title_zh="", title_en="", body_zh="", body_en="", in_inbox=False
            )
        ).rowcount

    def unlink_deliveries_of(self, person_id: str, now: datetime) -> int:
        """Remove the person's id and the provider's id from their deliveries."""
        return self.session.execute(
            sa.update(Delivery)
            .where(Delivery.person_id == person_id)
            .values(person_id=None, provider_id=None, updated_at=now)
        ).rowcount

    def delete_preferences_of(self, person_id: str) -> int:
        return self.session.execute(
            sa.delete(Preference).where(Preference.person_id == person_id)
        ).rowcount

    def webhook_deliveries_naming(self, person_id: str) -> list[WebhookDelivery]:
        """Webhook deliveries whose payload holds the string `person_id` and still carries its
        data. Reads every stored payload: erasures and exports are rare, and a payload has no
        column the person could be indexed by."""
        return (
            self.session.execute(sa.select(WebhookDelivery).where(_naming(person_id)))
            .scalars()
            .all()
        )

    def partner_deliveries_naming(self, person_id: str) -> list[tuple[WebhookDelivery, str]]:
        """The same deliveries with the partner each went to, by event time."""
        return self.session.execute(
            sa.select(WebhookDelivery, WebhookSubscription.owner_id)
            .join(WebhookSubscription)
            .where(_naming(person_id))
            .order_by(WebhookDelivery.event_time, WebhookDelivery.seq)
        ).all()


def _naming(person_id: str):
    return sa.and_(
        WebhookDelivery.payload.contains(f'"{person_id}"', autoescape=True),
        WebhookDelivery.payload.not_like(f'%"{WITHHELD_ATTRIBUTE}"%'),
    )
