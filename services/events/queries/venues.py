"""Venues of the fitness circle as anyone sees them, each saying whether it is open now."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.clock import utcnow
from services.common.pagination import ASC, keyset_page

from .. import domain, views
from ..models import Venue


def get_venue(session: Session, venue_id: str) -> dict:
    venue = session.get(Venue, venue_id)
    if venue is None:
        raise domain.not_found("venue")
    return views.venue(venue, utcnow())


def list_venues(session: Session, filters: dict) -> dict:
    """Venues by area and kind, by name."""
    query = sa.select(Venue)
    if "area" in filters:
        query = query.where(Venue.area == filters["area"])
    if "kind" in filters:
        query = query.where(Venue.kind == filters["kind"])
    now = utcnow()
    page = keyset_page(
        session,
        query,
        [(Venue.name, ASC), (Venue.id, ASC)],
        filters.get("after"),
        filters["limit"],
    )
    return {"items": [views.venue(v, now) for v in page.items], "next_cursor": page.next_cursor}
