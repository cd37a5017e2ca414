"""The four lists track themselves: the gateway's timer flags items past their due date and
reminds their unit through notify (`gateway/plan_items.py` says why per officer account)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from services.common.db import Database

from .accounts import OFFICER
from .models import Account, PlanItem

#: items flagged per run: a backlog is worked through over a few runs, each one short
BATCH = 100


def flag_overdue(db: Database, today: date) -> int:
    """Flag every item not done whose due date has passed and that is not flagged yet, and
    record one `plan_item.overdue` per active officer of its unit, in one transaction (a
    replica that flags the same item concurrently waits on the row lock and skips it)."""
    with db.unit_of_work() as uow:
        items = (
            uow.session.execute(
                sa.select(PlanItem)
                .where(
                    PlanItem.due_date < today,
                    PlanItem.status != "done",
                    PlanItem.overdue_since.is_(None),
                )
                .order_by(PlanItem.due_date, PlanItem.id)
                .limit(BATCH)
                .with_for_update(skip_locked=True)
            )
            .scalars()
            .all()
        )
        for item in items:
            item.overdue_since = today
            for officer_id in _officers_of(uow.session, item.unit):
                uow.record(
                    "plan_item.overdue",
                    subject=item.id,
                    data={
                        "item_id": item.id,
                        "officer_id": officer_id,
                        "unit": item.unit,
                        "title": item.title,
                        "due_date": item.due_date,
                    },
                )
        uow.commit()
    return len(items)


def _officers_of(session, unit: str) -> list[str]:
    return list(
        session.execute(
            sa.select(Account.id).where(
                Account.role == OFFICER, Account.unit == unit, Account.status == "active"
            )
        ).scalars()
    )
