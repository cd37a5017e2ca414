"""The events service's monitoring figures (监测评估) for the local days [since, until): what the
README's "Indicators" table lists."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.clock import clock

from .. import domain, showcases
from ..models import (
    Activity,
    CounsellingBooking,
    OutreachRequest,
    Registration,
    SlotBooking,
    SportsClub,
    Story,
    Venue,
    VenueSlot,
)
from ..vocabulary import (
    CATEGORIES,
    CHECKED_IN,
    CONFIRMED,
    COUNSELLING_COMPLETED,
    OUTREACH_HELD,
    SLOT_OPEN,
)


def indicator_figures(session: Session, since: date, until: date) -> dict:
    """Activities held (and per category) and cancelled, registrations, promotions, places
    taken and attended, the attendance rate, stories submitted and published."""
    period = domain.Period.of(since, until, clock.zone)

    def within(column):
        return sa.and_(column >= period.since, column < period.until)

    def how_many(query) -> int:
        return session.execute(query).scalar() or 0

    count = sa.func.count()
    held_in_period = sa.and_(
        Activity.state.in_(domain.HELD_ACTIVITY_STATES), within(Activity.starts_at)
    )
    held = dict(
        session.execute(
            sa.select(Activity.category, count).where(held_in_period).group_by(Activity.category)
        ).all()
    )
    attendance = dict(
        session.execute(
            sa.select(Registration.state, count)
            .join(Activity, Activity.id == Registration.activity_id)
            .where(held_in_period, Registration.state.in_(domain.HOLDS_PLACE))
            .group_by(Registration.state)
        ).all()
    )
    attended = attendance.get(CHECKED_IN, 0)
    places_taken = attended + attendance.get(CONFIRMED, 0)
    published = sa.select(count).where(
        Story.state.in_(domain.ONCE_PUBLISHED), within(Story.published_at)
    )
    return {
        "events.activities_held": sum(held.values()),
        **{f"events.activities_held.{c}": held.get(c, 0) for c in CATEGORIES},
        "events.activities_cancelled": how_many(
            sa.select(count).where(within(Activity.cancelled_at))
        ),
        "events.registrations": how_many(sa.select(count).where(within(Registration.queued_at))),
        "events.waitlist_promotions": how_many(
            sa.select(count).where(within(Registration.promoted_at))
        ),
        "events.places_taken": places_taken,
        "events.attended": attended,
        "events.attendance_rate": domain.attendance_rate(attended, places_taken),
        "events.stories_submitted": how_many(sa.select(count).where(within(Story.submitted_at))),
        "events.stories_published": how_many(published),
        **showcases.indicators(session, within, held_in_period),
        **circle_figures(session, period, within, how_many),
    }


def circle_figures(session: Session, period: domain.Period, within, how_many) -> dict:
    """The 15-minute circle's figures (三.4), counts only: venues on the map, slots offered and
    booked, clubs in the register, mental-health sessions requested and held (with their
    attendance), counselling booked and held. No figure is broken down by person."""
    count = sa.func.count()
    clubs = sa.select(count).where(
        SportsClub.registered_at < period.until,
        sa.or_(SportsClub.deregistered_at.is_(None), SportsClub.deregistered_at >= period.until),
    )
    slots_offered = sa.select(count).where(
        VenueSlot.state == SLOT_OPEN, within(VenueSlot.starts_at)
    )
    return {
        "events.venues_located": how_many(
            sa.select(count).where(Venue.latitude.is_not(None), Venue.created_at < period.until)
        ),
        "events.slots_offered": how_many(slots_offered),
        "events.slot_bookings": how_many(sa.select(count).where(within(SlotBooking.booked_at))),
        "events.sports_clubs": how_many(clubs),
        "events.outreach_requested": how_many(
            sa.select(count).where(within(OutreachRequest.requested_at))
        ),
        "events.outreach_held": how_many(
            sa.select(count).where(
                OutreachRequest.state == OUTREACH_HELD, within(OutreachRequest.held_at)
            )
        ),
        "events.outreach_attendance": how_many(
            sa.select(sa.func.coalesce(sa.func.sum(OutreachRequest.attendance), 0)).where(
                OutreachRequest.state == OUTREACH_HELD, within(OutreachRequest.held_at)
            )
        ),
        "events.counselling_booked": how_many(
            sa.select(count).where(within(CounsellingBooking.requested_at))
        ),
        "events.counselling_held": how_many(
            sa.select(count).where(
                CounsellingBooking.state == COUNSELLING_COMPLETED,
                within(CounsellingBooking.completed_at),
            )
        ),
    }
