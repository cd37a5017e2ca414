"""The audit trail: every officer decision, with who, when, what and why.

A decision (verify an employer, approve a post, allocate a unit, grant a subsidy, moderate a
story…) is recorded with `uow.audit(...)` in the same transaction as the decision itself, so the
two cannot disagree. Entries are only ever inserted; no route updates or deletes them, and
admins read them through each service's `audit_trail` RPC.

Example::

    uow.audit("employer.verified", subject=("employer", employer.id), reason=None,
              details={"credit_code_checked": True})
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .clock import utcnow
from .context import CallContext
from .pagination import DESC, keyset_page
from .types import UtcDateTime


def audit_table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        "audit_entry",
        metadata,
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("actor_id", sa.String(64)),
        sa.Column("actor_role", sa.String(16)),
        sa.Column("actor_unit", sa.String(40)),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("subject_type", sa.String(50), nullable=False),
        sa.Column("subject_id", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text()),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("request_id", sa.String(64)),
        sa.Index("ix_audit_entry_at", "at", "id"),
        sa.Index("ix_audit_entry_subject", "subject_type", "subject_id", "at"),
    )


def audit_row(
    context: CallContext, action: str, subject: tuple[str, str], reason: str | None, details: dict
) -> dict:
    subject_type, subject_id = subject
    return {
        "id": str(uuid.uuid4()),
        "at": utcnow(),
        "actor_id": context.actor_id,
        "actor_role": context.actor_role,
        "actor_unit": context.actor_unit,
        "action": action,
        "subject_type": subject_type,
        "subject_id": str(subject_id),
        "reason": reason,
        "details": json.dumps(details or {}, ensure_ascii=False, default=str),
        "request_id": context.request_id,
    }


def _view(row) -> dict:
    return {
        "id": row.id,
        "at": row.at.isoformat() if isinstance(row.at, datetime) else row.at,
        "actor_id": row.actor_id,
        "actor_role": row.actor_role,
        "actor_unit": row.actor_unit,
        "action": row.action,
        "subject_type": row.subject_type,
        "subject_id": row.subject_id,
        "reason": row.reason,
        "details": json.loads(row.details),
        "request_id": row.request_id,
    }


def audit_page(
    session: Session, table: sa.Table, filters: dict, after: str | None, limit: int
) -> dict:
    """Entries newest first, optionally of one subject, action or actor."""
    query = sa.select(table)
    for column in ("subject_type", "subject_id", "action", "actor_id"):
        if filters.get(column):
            query = query.where(table.c[column] == filters[column])
    page = keyset_page(
        session, query, [(table.c.at, DESC), (table.c.id, DESC)], after, limit, rows=True
    )
    return {"items": [_view(row) for row in page.items], "next_cursor": page.next_cursor}
