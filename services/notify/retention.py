"""Notify's retention policies, beside the messaging kit's (`services/common/retention.py`).

* `message`: a message older than `MESSAGE_RETENTION_DAYS` none of whose deliveries waits to be
  sent goes, its deliveries with it (they describe only that message);
* `webhook_delivery`: a settled (delivered or failed) webhook delivery older than
  `WEBHOOK_DELIVERY_RETENTION_DAYS` goes, its payload with it.

Both windows are counted from creation, the time the plan's indicators count them by, so a
period is either whole or gone (deploy/README.md, "Retention").
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.retention import RetentionPolicy, delete_keys

from .models import Delivery, Message, WebhookDelivery
from .vocabulary import PENDING


def _purge_messages(session: Session, metadata, cutoff: datetime, limit: int) -> int:
    waiting = sa.select(Delivery.id).where(
        Delivery.message_id == Message.id, Delivery.state == PENDING
    )
    ids = list(
        session.execute(
            sa.select(Message.id)
            .where(Message.created_at < cutoff, ~sa.exists(waiting))
            .limit(limit)
        ).scalars()
    )
    if ids:
        session.execute(sa.delete(Delivery).where(Delivery.message_id.in_(ids)))
        session.execute(sa.delete(Message).where(Message.id.in_(ids)))
    return len(ids)


def _purge_webhook_deliveries(session: Session, metadata, cutoff: datetime, limit: int) -> int:
    settled = sa.and_(WebhookDelivery.created_at < cutoff, WebhookDelivery.state != PENDING)
    table = WebhookDelivery.__table__
    return delete_keys(session, table, table.c.seq, settled, limit)


POLICIES = (
    RetentionPolicy("message", lambda s: s.message_retention_days, _purge_messages),
    RetentionPolicy(
        "webhook_delivery", lambda s: s.webhook_delivery_retention_days, _purge_webhook_deliveries
    ),
)
