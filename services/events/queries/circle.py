"""The 15-minute circle's read side (三.4): a venue's slots, a person's slot bookings, the club
register, outreach requests and counselling bookings, each shown only to whom may see it (a
counselling booking: its person and the health unit's officers)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.actor import Actor
from services.common.errors import Forbidden
from services.common.pagination import ASC, DESC, keyset_page

from .. import circle, domain, views
from ..models import CounsellingBooking, OutreachRequest, SlotBooking, SportsClub, Venue, VenueSlot
from ..policy import EventsPolicy
from ..vocabulary import SLOT_OPEN


def venue_slots(session: Session, venue_id: str, filters: dict, policy: EventsPolicy) -> dict:
    """A venue's open slots, soonest first."""
    if session.get(Venue, venue_id) is None:
        raise domain.not_found("venue")
    query = sa.select(VenueSlot).where(VenueSlot.venue_id == venue_id, VenueSlot.state == SLOT_OPEN)
    if "starts_from" in filters:
        query = query.where(VenueSlot.starts_at >= filters["starts_from"])
    if "starts_until" in filters:
        query = query.where(VenueSlot.starts_at < filters["starts_until"])
    page = keyset_page(
        session,
        query,
        [(VenueSlot.starts_at, ASC), (VenueSlot.id, ASC)],
        filters.get("after"),
        filters["limit"],
    )
    return {
        "items": [views.slot(s, policy.slot_booking_opens_days_before) for s in page.items],
        "next_cursor": page.next_cursor,
    }


def slot_bookings_of(session: Session, person_id: str, after: str | None, limit: int) -> dict:
    """A person's slot bookings, newest first, each with its slot and venue."""
    query = (
        sa.select(SlotBooking, VenueSlot, Venue)
        .join(VenueSlot, VenueSlot.id == SlotBooking.slot_id)
        .join(Venue, Venue.id == VenueSlot.venue_id)
        .where(SlotBooking.person_id == person_id)
    )
    page = keyset_page(
        session,
        query,
        [(SlotBooking.booked_at, DESC), (SlotBooking.id, DESC)],
        after,
        limit,
        key=lambda row: (row[0].booked_at, row[0].id),
        rows=True,
    )
    return {
        "items": [views.own_slot_booking(b, s, v) for b, s, v in page.items],
        "next_cursor": page.next_cursor,
    }


def get_club(session: Session, club_id: str) -> dict:
    club = session.get(SportsClub, club_id)
    if club is None:
        raise domain.not_found("club")
    return views.CLUB.dump(club)


def list_clubs(session: Session, filters: dict) -> dict:
    """The register, by name: registered clubs (or those taken off), by area and sport."""
    query = sa.select(SportsClub).where(SportsClub.state == filters["state"])
    if "area" in filters:
        query = query.where(SportsClub.area == filters["area"])
    page = keyset_page(
        session,
        query,
        [(SportsClub.name, ASC), (SportsClub.id, ASC)],
        filters.get("after"),
        filters["limit"],
    )
    items = page.items
    if "sport" in filters:  # a JSON list: filtered here, within the page
        items = [c for c in items if filters["sport"] in (c.sports or [])]
    return {"items": views.CLUB.dump(items, many=True), "next_cursor": page.next_cursor}


def get_outreach(session: Session, actor: Actor, request_id: str, policy: EventsPolicy) -> dict:
    row = session.get(OutreachRequest, request_id)
    if row is None:
        raise domain.not_found("outreach")
    circle.check_may_read_outreach(actor, row.requested_by, policy.health_units)
    return views.OUTREACH.dump(row)


def list_outreach(session: Session, actor: Actor, filters: dict, policy: EventsPolicy) -> dict:
    """The health unit's queue (every request, oldest first), or a requester's own."""
    query = sa.select(OutreachRequest)
    if not circle.is_health_officer(actor, policy.health_units):
        if not actor.account_id or actor.role not in ("employer", "officer"):
            raise Forbidden("not_health_officer", params={"units": ", ".join(policy.health_units)})
        query = query.where(OutreachRequest.requested_by == actor.account_id)
    if "state" in filters:
        query = query.where(OutreachRequest.state == filters["state"])
    page = keyset_page(
        session,
        query,
        [(OutreachRequest.requested_at, ASC), (OutreachRequest.id, ASC)],
        filters.get("after"),
        filters["limit"],
    )
    return {"items": views.OUTREACH.dump(page.items, many=True), "next_cursor": page.next_cursor}


def get_counselling(session: Session, actor: Actor, booking_id: str, policy: EventsPolicy) -> dict:
    row = session.get(CounsellingBooking, booking_id)
    if row is None:
        raise domain.not_found("counselling")
    circle.check_may_read_counselling(actor, row.person_id, policy.health_units)
    return views.COUNSELLING.dump(row)


def counselling_queue(session: Session, actor: Actor, filters: dict, policy: EventsPolicy) -> dict:
    """The health unit's counselling bookings, oldest first: its officers only."""
    circle.check_health_officer(actor, policy.health_units)
    query = sa.select(CounsellingBooking).where(CounsellingBooking.person_id.is_not(None))
    if "state" in filters:
        query = query.where(CounsellingBooking.state == filters["state"])
    return _counselling_page(session, query, filters.get("after"), filters["limit"])


def counselling_of(session: Session, person_id: str, after: str | None, limit: int) -> dict:
    """A person's own counselling bookings, oldest first."""
    query = sa.select(CounsellingBooking).where(CounsellingBooking.person_id == person_id)
    return _counselling_page(session, query, after, limit)


def _counselling_page(session: Session, query, after: str | None, limit: int) -> dict:
    page = keyset_page(
        session,
        query,
        [(CounsellingBooking.requested_at, ASC), (CounsellingBooking.id, ASC)],
        after,
        limit,
    )
    return {
        "items": views.COUNSELLING.dump(page.items, many=True),
        "next_cursor": page.next_cursor,
    }
