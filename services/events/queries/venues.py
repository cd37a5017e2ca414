"""Venues of the fitness circle as anyone sees them, each saying whether it is open now."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.clock import utcnow
from services.common.pagination import ASC, keyset_page

from .. import circle, domain, views
from ..models import Venue
from ..policy import EventsPolicy
from ..vocabulary import parse_point


def get_venue(session: Session, venue_id: str) -> dict:
    venue = session.get(Venue, venue_id)
    if venue is None:
        raise domain.not_found("venue")
    return views.venue(venue, utcnow())


def list_venues(session: Session, filters: dict, policy: EventsPolicy) -> dict:
    """Venues by area and kind, by name; with `near`, those within `minutes` of walking,
    nearest first."""
    query = sa.select(Venue)
    if "area" in filters:
        query = query.where(Venue.area == filters["area"])
    if "kind" in filters:
        query = query.where(Venue.kind == filters["kind"])
    now = utcnow()
    if "near" in filters:
        return _within_walk(session, query, filters, policy, now)
    page = keyset_page(
        session,
        query,
        [(Venue.name, ASC), (Venue.id, ASC)],
        filters.get("after"),
        filters["limit"],
    )
    return {"items": [views.venue(v, now) for v in page.items], "next_cursor": page.next_cursor}


def _within_walk(session: Session, query, filters: dict, policy: EventsPolicy, now) -> dict:
    """The venues within `minutes` of walking from `near`, nearest first, at most `limit` (one
    page: the circle is small, so the answer has no next page). The database narrows to the
    circle's bounding box; the walk is computed here (`circle.Walk`)."""
    centre = parse_point(filters["near"])
    minutes = filters.get("minutes", policy.walking_minutes_default)
    walk = circle.Walk(policy.walking_speed_m_per_minute, policy.walking_detour_factor)
    south, north, west, east = circle.search_box(centre, walk.reach_m(minutes))
    rows = session.execute(
        query.where(Venue.latitude.between(south, north), Venue.longitude.between(west, east))
    ).scalars()
    found = []
    for venue in rows:
        straight = circle.great_circle_m(centre, (venue.latitude, venue.longitude))
        walking = walk.minutes(straight)
        if walking <= minutes:
            found.append((walking, straight, venue))
    found.sort(key=lambda item: (item[0], item[2].name, item[2].id))
    items = [
        views.venue(v, now) | {"walking_minutes": round(w, 1), "distance_m": round(d)}
        for w, d, v in found[: filters["limit"]]
    ]
    return {"items": items, "next_cursor": None}
