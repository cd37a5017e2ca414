"""Activities as the public, their organisers and a venue's page see them, and the organiser's
roster of an activity."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.actor import Actor
from services.common.pagination import ASC, keyset_page

from .. import domain, views
from ..models import Activity, Registration, Venue
from ..vocabulary import DRAFT
from .registrations import waitlist_position


def get_activity(session: Session, actor: Actor, activity_id: str) -> dict:
    """An activity; a draft only for its organisers."""
    activity = session.get(Activity, activity_id)
    if activity is None:
        raise domain.not_found("activity")
    domain.check_may_see_activity(actor, activity.state, activity.organiser_unit)
    return views.ACTIVITY.dump(activity)


def list_activities(
    session: Session, actor: Actor, filters: dict, venue_id: str | None = None
) -> dict:
    """Activities in one state (published by default; drafts only the caller's unit's, all
    for an administrator) by category, area, venue and start, soonest first."""
    state = filters["state"]
    query = sa.select(Activity).where(Activity.state == state)
    if state == DRAFT:
        units = domain.draft_units(actor)
        if units is not None:
            query = query.where(Activity.organiser_unit.in_(units))
    venue_id = venue_id or filters.get("venue_id")
    if venue_id:
        query = query.where(Activity.venue_id == venue_id)
    if "category" in filters:
        query = query.where(Activity.category == filters["category"])
    if "area" in filters:
        query = query.where(Activity.area == filters["area"])
    if "starts_from" in filters:
        query = query.where(Activity.starts_at >= filters["starts_from"])
    if "starts_until" in filters:
        query = query.where(Activity.starts_at <= filters["starts_until"])
    page = keyset_page(
        session,
        query,
        [(Activity.starts_at, ASC), (Activity.id, ASC)],
        filters.get("after"),
        filters["limit"],
    )
    return {"items": views.ACTIVITIES.dump(page.items), "next_cursor": page.next_cursor}


def venue_activities(session: Session, actor: Actor, venue_id: str, filters: dict) -> dict:
    """The activities a venue hosts (published by default), soonest first."""
    if session.get(Venue, venue_id) is None:
        raise domain.not_found("venue")
    return list_activities(session, actor, filters, venue_id=venue_id)


def roster(session: Session, actor: Actor, activity_id: str, query: dict) -> dict:
    """The organiser's roster of an activity in arrival order: ids and states, no codes."""
    activity = session.get(Activity, activity_id)
    if activity is None:
        raise domain.not_found("activity")
    domain.check_may_manage_activity(actor, activity.state, activity.organiser_unit)
    select = sa.select(Registration, waitlist_position()).where(
        Registration.activity_id == activity_id
    )
    if "state" in query:
        select = select.where(Registration.state == query["state"])
    page = keyset_page(
        session,
        select,
        [(Registration.sequence, ASC), (Registration.id, ASC)],
        query.get("after"),
        query["limit"],
        key=lambda row: (row[0].sequence, row[0].id),
        rows=True,
    )
    return {
        "items": [views.roster_entry(r, position) for r, position in page.items],
        "next_cursor": page.next_cursor,
    }
