"""How the events service's handlers reach their rows: the named queries they decide on.

Every change to an activity's places (register, cancel, promote, check in, cancel the activity,
an erasure) first takes the activity's row with `uow.repo.locked(Activity, id, ...)`
(`SELECT … FOR UPDATE` on PostgreSQL; SQLite serialises its writers), then reads here what it
decides on, so two replicas deciding at the same moment see each other's result and never hand
out more places than there are. The read side (lists, the dashboard, the indicators) is in
`queries/`, on a reading session.
"""

from __future__ import annotations

import sqlalchemy as sa

from services.common.repository import Repository

from .domain import ACTIVE_REGISTRATION
from .models import Activity, CounsellingBooking, Registration, SlotBooking, Story, VenueSlot
from .vocabulary import BOOKED, PUBLISHED, WAITLISTED


class EventsRepository(Repository):
    """The events service's rows, by the questions its workflows ask."""

    def registration_of(self, activity_id: str, person_id: str) -> Registration | None:
        """The person's registration for the activity (at most one, in any state)."""
        return self.session.execute(
            sa.select(Registration).where(
                Registration.activity_id == activity_id, Registration.person_id == person_id
            )
        ).scalar_one_or_none()

    def code_in_use(self, activity_id: str, code: str) -> bool:
        """Whether a registration of the activity already carries this check-in code."""
        return (
            self.session.execute(
                sa.select(Registration.id).where(
                    Registration.activity_id == activity_id, Registration.check_in_code == code
                )
            ).first()
            is not None
        )

    def registration_by_code(self, activity_id: str, code: str) -> Registration | None:
        """The registration of the activity whose check-in code was scanned."""
        return self.session.execute(
            sa.select(Registration).where(
                Registration.activity_id == activity_id, Registration.check_in_code == code
            )
        ).scalar_one_or_none()

    def registrations_in_play(self, activity_id: str) -> list[Registration]:
        """The activity's confirmed, waitlisted and checked-in registrations, in arrival order."""
        return list(
            self.session.execute(
                sa.select(Registration)
                .where(
                    Registration.activity_id == activity_id,
                    Registration.state.in_(ACTIVE_REGISTRATION),
                )
                .order_by(Registration.sequence)
            ).scalars()
        )

    def first_waitlisted(self, activity_id: str) -> Registration | None:
        """The first in the activity's waitlist (the earliest arrival), if anyone waits."""
        return self.session.execute(
            sa.select(Registration)
            .where(Registration.activity_id == activity_id, Registration.state == WAITLISTED)
            .order_by(Registration.sequence)
            .limit(1)
        ).scalar_one_or_none()

    def activity_ids_of(self, person_id: str) -> list[str]:
        """The activities the person registered for, in id order: the order an erasure locks
        them in, so two erasures, or an erasure and a registration, cannot deadlock."""
        return list(
            self.session.execute(
                sa.select(Registration.activity_id)
                .where(Registration.person_id == person_id)
                .order_by(Registration.activity_id)
            ).scalars()
        )

    def activities_open(self, now, limit: int) -> list[Activity]:
        """Published activities not yet over, soonest first, at most `limit`."""
        return list(
            self.session.execute(
                sa.select(Activity)
                .where(Activity.state == PUBLISHED, Activity.ends_at > now)
                .order_by(Activity.starts_at, Activity.id)
                .limit(limit)
            ).scalars()
        )

    def registrations_of(self, person_id: str) -> list[Registration]:
        """The person's registrations in activity order, read afresh (after the activities'
        locks, what another transaction just did is seen)."""
        return list(
            self.session.execute(
                sa.select(Registration)
                .where(Registration.person_id == person_id)
                .order_by(Registration.activity_id)
                .execution_options(populate_existing=True)
            ).scalars()
        )

    def stories_of(self, person_id: str) -> list[Story]:
        """The stories the person wrote, in any state."""
        return list(
            self.session.execute(sa.select(Story).where(Story.author_id == person_id)).scalars()
        )

    # -- the 15-minute circle (三.4) -------------------------------------------------------------

    def slot_booking_of(self, slot_id: str, person_id: str) -> SlotBooking | None:
        """The person's booking of the slot (at most one, in any state)."""
        return self.session.execute(
            sa.select(SlotBooking).where(
                SlotBooking.slot_id == slot_id, SlotBooking.person_id == person_id
            )
        ).scalar_one_or_none()

    def slot_bookings_held(self, person_id: str, now) -> int:
        """How many slots still ahead the person holds a booking for."""
        return (
            self.session.execute(
                sa.select(sa.func.count())
                .select_from(SlotBooking)
                .join(VenueSlot, VenueSlot.id == SlotBooking.slot_id)
                .where(
                    SlotBooking.person_id == person_id,
                    SlotBooking.state == BOOKED,
                    VenueSlot.starts_at > now,
                )
            ).scalar()
            or 0
        )

    def slot_bookings_of(self, person_id: str) -> list[SlotBooking]:
        """The person's slot bookings in slot order (the order an erasure locks the slots in)."""
        return list(
            self.session.execute(
                sa.select(SlotBooking)
                .where(SlotBooking.person_id == person_id)
                .order_by(SlotBooking.slot_id)
                .execution_options(populate_existing=True)
            ).scalars()
        )

    def counselling_of(self, person_id: str) -> list[CounsellingBooking]:
        """The person's counselling bookings, in any state."""
        return list(
            self.session.execute(
                sa.select(CounsellingBooking).where(CounsellingBooking.person_id == person_id)
            ).scalars()
        )
