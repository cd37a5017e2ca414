"""Farm-product showcases and live-commerce contests (青年助农平台, plan 三.3): activities of a
showcase category (`vocabulary.SHOWCASE_CATEGORIES`, 特色产品展览 and 直播带货比赛) take
entrants, and their organiser reports each entrant's sales.

A young person or a company enters a published showcase before it ends, once each, saying what
it shows and sells. Officers of the organising unit (and administrators) see the entrants and,
once the showcase has started, report an entrant's sales (the figure of the contest's platform
or the stall's till; a later report replaces an earlier one). The indicators count showcases
held, entrants, and the sales of showcases held in a period (`indicators`).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.actor import EMPLOYER, YOUTH, Actor
from services.common.clock import utcnow
from services.common.errors import Conflict, DomainError
from services.common.models import new_id
from services.common.pagination import ASC, keyset_page

from . import domain
from .contract import ShowcaseEntryView
from .models import Activity, ShowcaseEntry
from .vocabulary import PUBLISHED, SHOWCASE_CATEGORIES

ENTRY = ShowcaseEntryView()
ENTRANT_KIND = {YOUTH: "person", EMPLOYER: "company"}

# -- rules ---------------------------------------------------------------------------------------


def check_is_showcase(category: str) -> None:
    """Only showcases and live-commerce contests take entrants (409 `not_a_showcase`)."""
    if category not in SHOWCASE_CATEGORIES:
        raise DomainError("not_a_showcase", status=409)


def check_open_for_entry(state: str, ends_at: datetime, now: datetime) -> None:
    """Entries while the showcase is published and has not ended (409 `showcase_not_open`)."""
    if state != PUBLISHED or now >= ends_at:
        raise DomainError("showcase_not_open", status=409)


def check_started(starts_at: datetime, now: datetime) -> None:
    """Sales are reported once the showcase has started (409 `sales_before_showcase`)."""
    if now < starts_at:
        raise DomainError("sales_before_showcase", status=409)


# -- handlers ------------------------------------------------------------------------------------


def enter(uow, actor: Actor, activity_id: str, fields: dict) -> ShowcaseEntry:
    """A young person or a company enters a showcase, once."""
    actor.require_role(YOUTH, EMPLOYER)
    activity = uow.repo.locked(Activity, activity_id, domain.not_found("activity"))
    domain.check_may_see_activity(actor, activity.state, activity.organiser_unit)
    check_is_showcase(activity.category)
    now = utcnow()
    check_open_for_entry(activity.state, activity.ends_at, now)
    if uow.repo.showcase_entry_of(activity_id, actor.account_id) is not None:
        raise Conflict("showcase_already_entered")
    row = ShowcaseEntry(
        id=new_id(),
        activity_id=activity_id,
        entrant_id=actor.account_id,
        entrant_kind=ENTRANT_KIND[actor.role],
        products=fields["products"],
        entered_at=now,
    )
    uow.repo.add(row)
    uow.record("showcase.entered", subject=row.id, data=_event(row, activity))
    uow.commit()
    return row


def report_sales(uow, actor: Actor, activity_id: str, entry_id: str, report: dict):
    """The organiser reports an entrant's sales, once the showcase has started."""
    activity = uow.repo.locked(Activity, activity_id, domain.not_found("activity"))
    domain.check_may_manage_activity(actor, activity.state, activity.organiser_unit)
    row = uow.repo.get(ShowcaseEntry, entry_id)
    if row is None or row.activity_id != activity_id:
        raise domain.not_found("showcase_entry")
    check_started(activity.starts_at, utcnow())
    row.sales_cny, row.orders = report["sales_cny"], report["orders"]
    row.sales_reported_at = utcnow()
    uow.audit("showcase.sales_reported", ("showcase_entry", row.id), None, report)
    uow.record(
        "showcase.sales_reported",
        subject=row.id,
        data={**_event(row, activity), "sales_cny": row.sales_cny, "orders": row.orders},
    )
    uow.commit()
    return row


def _event(row: ShowcaseEntry, activity: Activity) -> dict:
    return {
        "entry_id": row.id,
        "activity_id": activity.id,
        "entrant_id": row.entrant_id,
        "entrant_kind": row.entrant_kind,
        "category": activity.category,
    }


# -- reads ---------------------------------------------------------------------------------------


def entrants(session: Session, actor: Actor, activity_id: str, query: dict) -> dict:
    """A showcase's entrants in the order they entered: all of them for its organisers, the
    caller's own entry for anyone else."""
    activity = session.get(Activity, activity_id)
    if activity is None:
        raise domain.not_found("activity")
    domain.check_may_see_activity(actor, activity.state, activity.organiser_unit)
    listed = sa.select(ShowcaseEntry).where(ShowcaseEntry.activity_id == activity_id)
    if not actor.acts_for(activity.organiser_unit):
        listed = listed.where(ShowcaseEntry.entrant_id == actor.account_id)
    order = [(ShowcaseEntry.entered_at, ASC), (ShowcaseEntry.id, ASC)]
    page = keyset_page(session, listed, order, query.get("after"), query["limit"])
    return {"items": ENTRY.dump(page.items, many=True), "next_cursor": page.next_cursor}


def indicators(session: Session, within, held_in_period) -> dict:
    """Showcases held (published or finished, starting in the period), entries made in the
    period, and the sales reported for the showcases held in the period."""
    showcase_held = sa.and_(held_in_period, Activity.category.in_(SHOWCASE_CATEGORIES))
    held = session.execute(sa.select(sa.func.count()).where(showcase_held)).scalar()
    entered = session.execute(
        sa.select(sa.func.count()).where(within(ShowcaseEntry.entered_at))
    ).scalar()
    sales = session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(ShowcaseEntry.sales_cny), 0))
        .join(Activity, Activity.id == ShowcaseEntry.activity_id)
        .where(showcase_held)
    ).scalar()
    return {
        "events.showcases_held": held or 0,
        "events.showcase_entrants": entered or 0,
        "events.showcase_sales_cny": float(sales or 0),
    }
