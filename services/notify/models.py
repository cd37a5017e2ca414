"""Tables of the notify service. Contact details (emails, phones) are never stored here: the
dispatcher asks the gateway for them at sending time."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.models import service_metadata
from services.common.types import BigIntPK, UtcDateTime


class Base(DeclarativeBase):
    metadata = service_metadata()


class TemplateVersion(Base):
    """One version of the template decision for an event type (模板版本): a message, or none
    (`sends` false). The newest version is in force; versions are only ever added. `origin` says
    whether it was seeded from `templates/<source>.json` or written by an administrator."""

    __tablename__ = "template_version"
    __table_args__ = (sa.UniqueConstraint("source", "event_type", "version"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(40))
    event_type: Mapped[str] = mapped_column(sa.String(100))
    version: Mapped[int] = mapped_column()
    sends: Mapped[bool] = mapped_column()
    recipient: Mapped[str | None] = mapped_column(sa.String(100))
    category: Mapped[str | None] = mapped_column(sa.String(40))
    mandatory: Mapped[bool] = mapped_column(default=False)
    channels: Mapped[str | None] = mapped_column(sa.String(100))
    sms_template: Mapped[str | None] = mapped_column(sa.String(100))
    title_zh: Mapped[str | None] = mapped_column(sa.String(300))
    title_en: Mapped[str | None] = mapped_column(sa.String(300))
    body_zh: Mapped[str | None] = mapped_column(sa.Text())
    body_en: Mapped[str | None] = mapped_column(sa.Text())
    origin: Mapped[str] = mapped_column(sa.String(10))
    file_digest: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[str | None] = mapped_column(sa.String(64))


class Message(Base):
    """A message to a person, rendered in both languages from its event. `in_inbox` is false
    when the person opted out of in-app messages of its category (never for a mandatory one)."""

    __tablename__ = "message"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "person_id"),
        sa.Index("ix_message_inbox", "person_id", "created_at", "id"),
        sa.Index("ix_message_unread", "person_id", "read_at"),
        sa.Index("ix_message_created_at", "created_at"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    person_id: Mapped[str | None] = mapped_column(
        sa.String(36), doc="None once the person's data was erased: an emptied row, counted"
    )
    event_id: Mapped[str] = mapped_column(sa.String(64))
    event_type: Mapped[str] = mapped_column(sa.String(200))
    category: Mapped[str] = mapped_column(sa.String(40))
    mandatory: Mapped[bool] = mapped_column(default=False)
    title_zh: Mapped[str] = mapped_column(sa.String(300))
    title_en: Mapped[str] = mapped_column(sa.String(300))
    body_zh: Mapped[str] = mapped_column(sa.Text())
    body_en: Mapped[str] = mapped_column(sa.Text())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    in_inbox: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    template_version_id: Mapped[str | None] = mapped_column(sa.String(36))


class Delivery(Base):
    """A message on one channel (in-app, email, SMS): its state, attempts and, when it failed or
    was skipped, the reason (a code, never an address)."""

    __tablename__ = "delivery"
    __table_args__ = (
        sa.UniqueConstraint("message_id", "channel"),
        sa.Index("ix_delivery_due", "state", "next_attempt_at"),
        sa.Index("ix_delivery_created_at", "created_at"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    message_id: Mapped[str] = mapped_column(
        sa.String(36), sa.ForeignKey("message.id", ondelete="CASCADE")
    )
    person_id: Mapped[str | None] = mapped_column(
        sa.String(36), doc="None once the person's data was erased"
    )
    channel: Mapped[str] = mapped_column(sa.String(10))
    state: Mapped[str] = mapped_column(sa.String(10))
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    reason: Mapped[str | None] = mapped_column(sa.String(100))
    provider_id: Mapped[str | None] = mapped_column(sa.String(100))
    request_id: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class Preference(Base):
    """A person's choice for one channel and category; no row means the channel is on."""

    __tablename__ = "preference"

    person_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    category: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    enabled: Mapped[bool] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ErasedPerson(Base):
    """A person whose data was erased (PIPL): an event about them that arrives later (sent
    before the erasure, or by a service slower to erase) makes no message and reaches webhook
    subscribers without its data. Only the platform's id of the person is kept, as the gateway
    keeps it for the erased account."""

    __tablename__ = "erased_person"

    person_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    erasure_id: Mapped[str] = mapped_column(sa.String(36))
    erased_at: Mapped[datetime] = mapped_column(UtcDateTime())


class WebhookSubscription(Base):
    """Another government system's endpoint (订阅端点): the event types it wants (AMQP topic
    patterns) and the secret deliveries are signed with; after a rotation the previous secret
    signs too until `previous_secret_expires_at`."""

    __tablename__ = "webhook_subscription"
    __table_args__ = (sa.Index("ix_webhook_subscription_owner", "owner_id", "created_at", "id"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    owner_id: Mapped[str] = mapped_column(sa.String(36))
    url: Mapped[str] = mapped_column(sa.String(2000))
    event_types: Mapped[str] = mapped_column(sa.Text())
    description: Mapped[str | None] = mapped_column(sa.String(300))
    state: Mapped[str] = mapped_column(sa.String(10))
    secret: Mapped[str] = mapped_column(sa.String(100))
    previous_secret: Mapped[str | None] = mapped_column(sa.String(100))
    previous_secret_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    disabled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    disabled_reason: Mapped[str | None] = mapped_column(sa.String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class WebhookDelivery(Base):
    """One event for one subscription. A delivery waits while an earlier one (by the event's
    time, then `seq`) of the same subscription and subject is pending, so each subject's events
    arrive in the order their service recorded them."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        sa.UniqueConstraint("subscription_id", "event_id"),
        sa.Index("ix_webhook_delivery_list", "subscription_id", "seq"),
        sa.Index("ix_webhook_delivery_order", "subscription_id", "subject", "state", "event_time"),
        sa.Index("ix_webhook_delivery_due", "state", "next_attempt_at"),
        sa.Index("ix_webhook_delivery_created_at", "created_at"),
    )

    seq: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(sa.String(40), unique=True)
    subscription_id: Mapped[str] = mapped_column(
        sa.String(36), sa.ForeignKey("webhook_subscription.id", ondelete="CASCADE")
    )
    event_id: Mapped[str] = mapped_column(sa.String(64))
    event_type: Mapped[str] = mapped_column(sa.String(200))
    subject: Mapped[str] = mapped_column(sa.String(200))
    event_time: Mapped[datetime] = mapped_column(UtcDateTime())
    payload: Mapped[str] = mapped_column(sa.Text())
    state: Mapped[str] = mapped_column(sa.String(10))
    attempts: Mapped[int] = mapped_column(default=0)
    failed_attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_status: Mapped[int | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(sa.String(100))
    purpose: Mapped[str | None] = mapped_column(
        sa.String(40), doc="the granted purpose the event went out under (PIPL art. 23)"
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class PartnerGrant(Base):
    """A purpose an administrator granted a partner (数据提供目的授权): the partner may receive
    the purpose's event types (`purposes.json`), under the legal basis recorded here as it
    read when granted, and under the agreement `reference` names. A revoked grant stays, with
    who revoked it and when, so the person's export can still name the partner; granting it
    again makes it active anew. Every change is in the audit trail too."""

    __tablename__ = "partner_grant"

    partner_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    purpose: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    partner_name: Mapped[str] = mapped_column(sa.String(200))
    reference: Mapped[str] = mapped_column(sa.String(200))
    legal_basis_zh: Mapped[str] = mapped_column(sa.Text())
    legal_basis_en: Mapped[str] = mapped_column(sa.Text())
    granted_by: Mapped[str] = mapped_column(sa.String(36))
    granted_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_by: Mapped[str | None] = mapped_column(sa.String(36))
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
