"""The events service's repository in memory, and factories for its rows, for the service-layer
unit tests (`tests/unit/test_events_handlers.py`).

`FakeEventsRepository` answers the same named queries as `services/events/repository.py` from the
rows it holds; the factories build rows with every column a handler reads (a row made outside a
database gets no column defaults).

    repo = FakeEventsRepository(activity(capacity=1))
    uow = FakeUnitOfWork(repo, EVENTS)
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from services.common.clock import utcnow
from services.events.domain import ACTIVE_REGISTRATION, has_place
from services.events.models import (
    Activity,
    CounsellingBooking,
    Registration,
    ShowcaseEntry,
    SlotBooking,
    Story,
    Venue,
    VenueSlot,
)
from services.events.vocabulary import BOOKED, CONFIRMED, PUBLISHED, SUBMITTED, WAITLISTED
from tests.support.fakes import FakeRepository

ALWAYS_OPEN = [{"weekdays": [1, 2, 3, 4, 5, 6, 7], "opens": "00:00", "closes": "24:00"}]


class FakeEventsRepository(FakeRepository):
    """`EventsRepository`'s named queries over the rows in memory."""

    def _registrations(self, where) -> list[Registration]:
        return self.rows(Registration, where)

    def registration_of(self, activity_id: str, person_id: str) -> Registration | None:
        found = self._registrations(
            lambda r: r.activity_id == activity_id and r.person_id == person_id
        )
        return found[0] if found else None

    def take_place(self, activity_id: str, looks_full: bool = False) -> tuple | None:
        activity = self.get(Activity, activity_id)
        if activity is None or activity.state != PUBLISHED:
            return None
        activity.last_sequence += 1
        if has_place(activity.confirmed_count, activity.capacity):
            activity.confirmed_count += 1
            return CONFIRMED, activity.last_sequence, None
        activity.waitlisted_count += 1
        return WAITLISTED, activity.last_sequence, activity.waitlisted_count

    def code_in_use(self, activity_id: str, code: str) -> bool:
        return self.registration_by_code(activity_id, code) is not None

    def registration_by_code(self, activity_id: str, code: str) -> Registration | None:
        found = self._registrations(
            lambda r: r.activity_id == activity_id and r.check_in_code == code
        )
        return found[0] if found else None

    def registrations_in_play(self, activity_id: str) -> list[Registration]:
        found = self._registrations(
            lambda r: r.activity_id == activity_id and r.state in ACTIVE_REGISTRATION
        )
        return sorted(found, key=lambda r: r.sequence)

    def first_waitlisted(self, activity_id: str) -> Registration | None:
        found = self._registrations(
            lambda r: r.activity_id == activity_id and r.state == WAITLISTED
        )
        return min(found, key=lambda r: r.sequence, default=None)

    def activity_ids_of(self, person_id: str) -> list[str]:
        return sorted(
            r.activity_id for r in self._registrations(lambda r: r.person_id == person_id)
        )

    def activities_open(self, now, limit: int) -> list[Activity]:
        found = self.rows(Activity, lambda a: a.state == "published" and a.ends_at > now)
        return sorted(found, key=lambda a: (a.starts_at, a.id))[:limit]

    def registrations_of(self, person_id: str) -> list[Registration]:
        found = self._registrations(lambda r: r.person_id == person_id)
        return sorted(found, key=lambda r: r.activity_id)

    def stories_of(self, person_id: str) -> list[Story]:
        return self.rows(Story, lambda s: s.author_id == person_id)

    def showcase_entry_of(self, activity_id: str, entrant_id: str) -> ShowcaseEntry | None:
        found = self.rows(
            ShowcaseEntry, lambda e: e.activity_id == activity_id and e.entrant_id == entrant_id
        )
        return found[0] if found else None

    def showcase_entries_of(self, entrant_id: str) -> list[ShowcaseEntry]:
        return self.rows(ShowcaseEntry, lambda e: e.entrant_id == entrant_id)

    def slot_booking_of(self, slot_id: str, person_id: str) -> SlotBooking | None:
        found = self.rows(SlotBooking, lambda b: b.slot_id == slot_id and b.person_id == person_id)
        return found[0] if found else None

    def slot_bookings_held(self, person_id: str, now) -> int:
        slots = {s.id: s for s in self.rows(VenueSlot)}
        return len(
            self.rows(
                SlotBooking,
                lambda b: (
                    b.person_id == person_id
                    and b.state == BOOKED
                    and slots[b.slot_id].starts_at > now
                ),
            )
        )

    def slot_bookings_of(self, person_id: str) -> list[SlotBooking]:
        found = self.rows(SlotBooking, lambda b: b.person_id == person_id)
        return sorted(found, key=lambda b: b.slot_id)

    def counselling_of(self, person_id: str) -> list[CounsellingBooking]:
        return self.rows(CounsellingBooking, lambda c: c.person_id == person_id)


def _id() -> str:
    return str(uuid.uuid4())


def activity(
    state: str = PUBLISHED,
    capacity: int = 2,
    starts_in: timedelta = timedelta(days=10),
    lasts: timedelta = timedelta(hours=3),
    unit: str = "youth_league",
    **columns,
) -> Activity:
    """An activity of `unit` starting `starts_in` from the clock's now (negative: started)."""
    starts = utcnow() + starts_in
    values = {
        "id": _id(),
        "title": "青年音乐节",
        "description": "",
        "category": "music_festival",
        "organiser_unit": unit,
        "venue_id": None,
        "venue": "文化广场",
        "area": "城关街道",
        "starts_at": starts,
        "ends_at": starts + lasts,
        "capacity": capacity,
        "min_age": 14,
        "max_age": 35,
        "registration_opens_at": None,
        "registration_closes_at": None,
        "state": state,
        "confirmed_count": 0,
        "waitlisted_count": 0,
        "attended_count": 0,
        "last_sequence": 0,
        "created_at": utcnow(),
        "updated_at": utcnow(),
    }
    return Activity(**(values | columns))


def venue(opening_hours=None, **columns) -> Venue:
    values = {
        "id": _id(),
        "name": "城南篮球场",
        "kind": "basketball_court",
        "area": "城南街道",
        "address": "",
        "description": "",
        "opening_hours": ALWAYS_OPEN if opening_hours is None else opening_hours,
        "created_at": utcnow(),
        "updated_at": utcnow(),
    }
    return Venue(**(values | columns))


def story(author_id: str, state: str = SUBMITTED, **columns) -> Story:
    values = {
        "id": _id(),
        "author_id": author_id,
        "title": "返乡种茶的第三年",
        "body": "我叫林晓雨,回到家乡种茶已经三年了。",
        "byline": "茶园青年",
        "state": state,
        "submitted_at": utcnow(),
        "updated_at": utcnow(),
        "published_at": utcnow() if state == PUBLISHED else None,
    }
    return Story(**(values | columns))


def person() -> dict:
    """The facts the gateway passes about a registrant of 22 (no birth date)."""
    return {"person_id": _id(), "age": 22}


def slot(venue_row: Venue, capacity: int = 2, starts_in=timedelta(days=2), **columns) -> VenueSlot:
    """A slot of `venue_row` starting `starts_in` from the clock's now, lasting two hours."""
    starts = utcnow() + starts_in
    values = {
        "id": _id(),
        "venue_id": venue_row.id,
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "capacity": capacity,
        "booked_count": 0,
        "state": "open",
        "note": "",
        "created_at": utcnow(),
        "updated_at": utcnow(),
    }
    return VenueSlot(**(values | columns))


def counselling(person_id: str, state: str = "requested", **columns) -> CounsellingBooking:
    values = {
        "id": _id(),
        "person_id": person_id,
        "mode": "in_person",
        "preferred_at": None,
        "concern": "最近睡不好",
        "consent_version": "2026-12-v1",
        "consented_at": utcnow(),
        "state": state,
        "requested_at": utcnow(),
        "updated_at": utcnow(),
    }
    return CounsellingBooking(**(values | columns))
