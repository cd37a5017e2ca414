"""How the events service's handlers reach their rows: the named queries they decide on.

Every change to an activity's places but a registration (cancel, promote, check in, cancel
the activity, an erasure) first takes the activity's row with `uow.repo.locked(Activity, id,
...)` (`SELECT … FOR UPDATE` on PostgreSQL; SQLite serialises its writers), then reads here
what it decides on, so two replicas deciding at the same moment see each other's result and
never hand out more places than there are. A registration, the crowd's path, decides with no
lock and takes its place or waitlist number last, with one conditional `UPDATE` of the
activity's counters (`take_place`): the row is locked only from there to the commit, and the
counters stay exact because every writer changes them under the row's lock.

The read side (lists, the dashboard, the indicators) is in `queries/`, on a reading session.
"""

from __future__ import annotations

import sqlalchemy as sa

from services.common.repository import Repository

from .domain import ACTIVE_REGISTRATION, has_place
from .models import (
    Activity,
    CounsellingBooking,
    Registration,
    ShowcaseEntry,
    SlotBooking,
    Story,
    VenueSlot,
)
from .vocabulary import BOOKED, CONFIRMED, PUBLISHED, WAITLISTED


class EventsRepository(Repository):
    """The events service's rows, by the questions its workflows ask."""

    def registration_of(self, activity_id: str, person_id: str) -> Registration | None:
        """The person's registration for the activity (at most one, in any state)."""
        return self.session.execute(
            sa.select(Registration).where(
                Registration.activity_id == activity_id, Registration.person_id == person_id
            )
        ).scalar_one_or_none()

    def take_place(self, activity_id: str, looks_full: bool = False) -> tuple | None:
        """The next arrival number of a published activity, with a place while places last
        (`confirmed_count < capacity`), else the next waitlist position: (state, sequence,
        waitlist position or None). Each attempt is one conditional `UPDATE … RETURNING`,
        decided on the row as it is once locked (PostgreSQL re-reads a row it waited for), so
        no place is handed out twice and the numbers follow the order the row was taken in.
        The waitlist is tried first when the activity `looks_full` as last read (most of a
        crowd: one statement instead of two). None when the activity is not (any longer)
        published. The row stays locked until the unit of work ends: take it last."""
        activity = Activity.__table__
        published = (activity.c.id == activity_id) & (activity.c.state == PUBLISHED)
        free = has_place(activity.c.confirmed_count, activity.c.capacity)
        next_number = activity.c.last_sequence + 1

        def place():
            taken = self.session.execute(
                sa.update(activity)
                .where(published, free)
                .values(confirmed_count=activity.c.confirmed_count + 1, last_sequence=next_number)
                .returning(activity.c.last_sequence)
            ).scalar_one_or_none()
            return None if taken is None else (CONFIRMED, taken, None)

        def wait():
            taken = self.session.execute(
                sa.update(activity)
                .where(published, sa.not_(free))
                .values(waitlisted_count=activity.c.waitlisted_count + 1, last_sequence=next_number)
                .returning(activity.c.last_sequence, activity.c.waitlisted_count)
            ).one_or_none()
            return None if taken is None else (WAITLISTED, taken[0], taken[1])

        attempts = (wait, place) if looks_full else (place, wait)
        while True:
            for attempt in attempts:
                taken = attempt()
                if taken is not None:
                    return taken
            # neither: the activity is no longer published, or places changed in between
            state = self.session.execute(
                sa.select(activity.c.state).where(activity.c.id == activity_id)
            ).scalar_one_or_none()
            if state != PUBLISHED:
                return None

    def showcase_entry_of(self, activity_id: str, entrant_id: str) -> ShowcaseEntry | None:
        """The entrant's entry to the showcase (at most one)."""
        return self.session.execute(
            sa.select(ShowcaseEntry).where(
                ShowcaseEntry.activity_id == activity_id, ShowcaseEntry.entrant_id == entrant_id
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

    def showcase_entries_of(self, entrant_id: str) -> list[ShowcaseEntry]:
        """The entrant's showcase entries."""
        return list(
            self.session.execute(
                sa.select(ShowcaseEntry).where(ShowcaseEntry.entrant_id == entrant_id)
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
