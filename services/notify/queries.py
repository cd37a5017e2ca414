"""The read side, on a reading session: a person's inbox, one message, "my dashboard",
preferences, the template decisions and their versions, webhook subscriptions and their
deliveries, and the indicators; and the views every answer is made of (the RPCs dump them with
the contract's schemas)."""

from __future__ import annotations

import json

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.actor import Actor
from services.common.pagination import DESC, keyset_page

from . import catalogue, inbox, webhooks
from .models import Delivery, Message, TemplateVersion, WebhookDelivery, WebhookSubscription
from .repository import NotifyRepository, in_inbox_of
from .templates import decision_of, known_fields
from .vocabulary import CHANNELS, DELIVERY_STATES, PENDING, WEBHOOK_STATES

# -- views -----------------------------------------------------------------------------------


def message_view(message: Message, locale: str, deliveries: list[Delivery] | None = None) -> dict:
    """A message in the reader's language; with its delivery on each channel when given."""
    english = locale == "en"
    view = {
        "id": message.id,
        "event_type": message.event_type,
        "category": message.category,
        "mandatory": message.mandatory,
        "title": message.title_en if english else message.title_zh,
        "body": message.body_en if english else message.body_zh,
        "created_at": message.created_at,
        "read_at": message.read_at,
        "link": f"/api/v1/me/messages/{message.id}",
    }
    if deliveries is not None:
        view["deliveries"] = [
            {
                "channel": d.channel,
                "state": d.state,
                "attempts": d.attempts,
                "reason": d.reason,
                "updated_at": d.updated_at,
                "delivered_at": d.delivered_at,
            }
            for d in sorted(deliveries, key=lambda d: CHANNELS.index(d.channel))
        ]
    return view


def template_view(source: str, event_type: str, row: TemplateVersion | None) -> dict:
    """A version of an event type's decision (version None: not decided yet)."""
    view = {"source": source, "event_type": event_type, "version": None, "sends": None}
    if row is None:
        return view
    template = decision_of(row)
    view.update(
        version=row.version,
        sends=row.sends,
        origin=row.origin,
        created_at=row.created_at,
        created_by=row.created_by,
        mandatory=row.mandatory,
    )
    if template is not None:
        view.update(template.as_entry())
        view.setdefault("channels", None)
        view.setdefault("sms_template", None)
    return view


def subscription_view(row: WebhookSubscription) -> dict:
    """A subscription without its secrets."""
    return {
        "id": row.id,
        "owner_id": row.owner_id,
        "url": row.url,
        "event_types": json.loads(row.event_types),
        "description": row.description,
        "state": row.state,
        "consecutive_failures": row.consecutive_failures,
        "disabled_at": row.disabled_at,
        "disabled_reason": row.disabled_reason,
        "previous_secret_expires_at": row.previous_secret_expires_at,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def webhook_delivery_view(row: WebhookDelivery) -> dict:
    return {
        "id": row.id,
        "event_id": row.event_id,
        "event_type": row.event_type,
        "subject": row.subject,
        "event_time": row.event_time,
        "state": row.state,
        "attempts": row.attempts,
        "failed_attempts": row.failed_attempts,
        "last_status": row.last_status,
        "last_error": row.last_error,
        "next_attempt_at": row.next_attempt_at if row.state == PENDING else None,
        "created_at": row.created_at,
        "delivered_at": row.delivered_at,
    }


# -- inbox -----------------------------------------------------------------------------------


def unread(session: Session, person_id: str) -> int:
    return session.execute(
        sa.select(sa.func.count()).where(in_inbox_of(person_id), Message.read_at.is_(None))
    ).scalar()


def inbox_page(session: Session, person_id: str, args: dict, locale: str) -> dict:
    """The person's inbox, newest first (only the unread with `unread_only`), and the count of
    unread messages in all of it."""
    select = sa.select(Message).where(in_inbox_of(person_id))
    if args["unread_only"]:
        select = select.where(Message.read_at.is_(None))
    page = keyset_page(
        session,
        select,
        [(Message.created_at, DESC), (Message.id, DESC)],
        args.get("after"),
        args["limit"],
    )
    return {
        "items": [message_view(m, locale) for m in page.items],
        "next_cursor": page.next_cursor,
        "unread": unread(session, person_id),
    }


def message(session: Session, actor: Actor, message_id: str, locale: str) -> dict:
    """One of the actor's messages, with its state on every channel."""
    found = inbox.own_message(NotifyRepository(session), actor, message_id)
    deliveries = (
        session.execute(sa.select(Delivery).where(Delivery.message_id == found.id)).scalars().all()
    )
    return message_view(found, locale, deliveries)


def dashboard(session: Session, person_id: str, items: int) -> dict:
    """The person's newest unread messages (at most `items`) for "my dashboard", and the
    unread count."""
    rows = (
        session.execute(
            sa.select(Message)
            .where(in_inbox_of(person_id), Message.read_at.is_(None))
            .order_by(Message.created_at.desc(), Message.id.desc())
            .limit(items)
        )
        .scalars()
        .all()
    )
    return {
        "items": [
            {
                "kind": "notify.message",
                "id": m.id,
                "title": {"zh-CN": m.title_zh, "en": m.title_en},
                "state": "unread",
                "next_step": None,
                "updated_at": m.created_at,
                "link": f"/api/v1/me/messages/{m.id}",
            }
            for m in rows
        ],
        "unread": unread(session, person_id),
    }


def preferences(session: Session, person_id: str) -> dict:
    """Every channel × category the templates use, on unless the person turned it off."""
    repo = NotifyRepository(session)
    off = repo.opted_out(person_id)
    return {
        "items": [
            {"channel": channel, "category": category, "enabled": (channel, category) not in off}
            for category in repo.categories()
            for channel in CHANNELS
        ]
    }


# -- templates -------------------------------------------------------------------------------


def templates(session: Session, source: str | None) -> dict:
    """The decision in force for every event type of every catalogue (of one source, when
    given)."""
    newest = NotifyRepository(session).newest_templates()
    return {
        "items": [
            template_view(name, event_type, newest.get((name, event_type)))
            for name, catalog in sorted(catalogue.catalogues().items())
            if not source or name == source
            for event_type in sorted(catalog.specs)
        ]
    }


def template_versions(session: Session, source: str, event_type: str) -> dict:
    """Every version of an event type's decision, newest first (404 for an unknown type)."""
    known_fields(source, event_type)
    rows = session.execute(
        sa.select(TemplateVersion)
        .where(TemplateVersion.source == source, TemplateVersion.event_type == event_type)
        .order_by(TemplateVersion.version.desc())
    ).scalars()
    return {"items": [template_view(source, event_type, row) for row in rows]}


# -- webhooks --------------------------------------------------------------------------------


def subscriptions(session: Session, actor: Actor, args: dict) -> dict:
    """The actor's subscriptions (an administrator's: all), newest first."""
    select = sa.select(WebhookSubscription)
    if not actor.is_admin:
        select = select.where(WebhookSubscription.owner_id == actor.account_id)
    page = keyset_page(
        session,
        select,
        [(WebhookSubscription.created_at, DESC), (WebhookSubscription.id, DESC)],
        args.get("after"),
        args["limit"],
    )
    return {
        "items": [subscription_view(row) for row in page.items],
        "next_cursor": page.next_cursor,
    }


def subscription(session: Session, actor: Actor, subscription_id: str) -> dict:
    return subscription_view(
        webhooks.own_subscription(NotifyRepository(session), actor, subscription_id)
    )


def webhook_deliveries(session: Session, actor: Actor, subscription_id: str, args: dict) -> dict:
    """A subscription's deliveries, newest first (of one state, when given)."""
    row = webhooks.own_subscription(NotifyRepository(session), actor, subscription_id)
    select = sa.select(WebhookDelivery).where(WebhookDelivery.subscription_id == row.id)
    if args.get("state"):
        select = select.where(WebhookDelivery.state == args["state"])
    page = keyset_page(
        session, select, [(WebhookDelivery.seq, DESC)], args.get("after"), args["limit"]
    )
    return {
        "items": [webhook_delivery_view(d) for d in page.items],
        "next_cursor": page.next_cursor,
    }


# -- indicators ------------------------------------------------------------------------------


def indicators(session: Session, start, end) -> dict:
    """Counts for [start, end), by creation time: `notify.messages` (messages made),
    `notify.messages.<channel>.<state>` (each message on each channel, by its state now),
    `notify.webhooks.deliveries` and `notify.webhooks.<state>`, `notify.webhooks.
    failed_attempts`, and `notify.webhooks.endpoints_disabled`."""
    result = {"notify.messages": 0, "notify.webhooks.deliveries": 0}
    result.update(
        {f"notify.messages.{c}.{s}": 0 for c in CHANNELS for s in DELIVERY_STATES},
    )
    result.update({f"notify.webhooks.{state}": 0 for state in WEBHOOK_STATES})
    result["notify.messages"] = session.execute(
        sa.select(sa.func.count()).where(Message.created_at >= start, Message.created_at < end)
    ).scalar()
    for channel, state, count in session.execute(
        sa.select(Delivery.channel, Delivery.state, sa.func.count())
        .where(Delivery.created_at >= start, Delivery.created_at < end)
        .group_by(Delivery.channel, Delivery.state)
    ):
        result[f"notify.messages.{channel}.{state}"] = count
    result.update(_webhook_counts(session, start, end))
    result["notify.webhooks.endpoints_disabled"] = session.execute(
        sa.select(sa.func.count()).where(
            WebhookSubscription.disabled_at >= start, WebhookSubscription.disabled_at < end
        )
    ).scalar()
    return result


def _webhook_counts(session: Session, start, end) -> dict:
    counts = {"notify.webhooks.deliveries": 0}
    failed_attempts = 0
    for state, count, failures in session.execute(
        sa.select(
            WebhookDelivery.state,
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(WebhookDelivery.failed_attempts), 0),
        )
        .where(WebhookDelivery.created_at >= start, WebhookDelivery.created_at < end)
        .group_by(WebhookDelivery.state)
    ):
        counts[f"notify.webhooks.{state}"] = count
        counts["notify.webhooks.deliveries"] += count
        failed_attempts += int(failures)
    counts["notify.webhooks.failed_attempts"] = failed_attempts
    return counts
