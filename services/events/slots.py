"""Bookable time slots of a venue (学校等体育场地向社会开放, 三.4) and young people's bookings.

Officers who keep the venues (`venue_units`) publish a venue's slots within its opening hours;
a young person books a place in a slot while places last and may give it up before it starts.
Every change of a slot's places locks the slot's row first (`uow.repo.locked`, `SELECT … FOR
UPDATE` on PostgreSQL) and reads the person's booking after the lock, so bookings made at the
same moment on two replicas never exceed the slot's capacity
(`tests/integration/test_events_on_postgres.py`).
"""

from __future__ import annotations

from datetime import timedelta

from services.common.actor import Actor
from services.common.clock import clock, utcnow
from services.common.models import new_id

from . import circle, domain
from .models import SlotBooking, Venue, VenueSlot
from .policy import EventsPolicy
from .vocabulary import BOOKED, BOOKING_CANCELLED, SLOT_OPEN


def booking_rules(policy: EventsPolicy) -> circle.SlotBookingRules:
    return circle.SlotBookingRules(
        policy.slot_booking_opens_days_before, policy.slot_bookings_held_max
    )


def booking_opens_at(slot: VenueSlot, policy: EventsPolicy):
    return slot.starts_at - timedelta(days=policy.slot_booking_opens_days_before)


def publish_slot(uow, actor: Actor, venue_id: str, fields: dict, policy: EventsPolicy) -> VenueSlot:
    """A slot of the venue, within its opening hours in district time (audited)."""
    domain.check_may_keep_venues(actor, policy.venue_units)
    venue = uow.repo.get(Venue, venue_id, domain.not_found("venue"))
    now = utcnow()
    circle.check_slot_fits(
        domain.OpeningHours.from_data(venue.opening_hours),
        fields["starts_at"],
        fields["ends_at"],
        now,
        clock.zone,
        policy.slot_days_ahead_max,
    )
    slot = VenueSlot(
        id=new_id(),
        venue_id=venue.id,
        starts_at=fields["starts_at"],
        ends_at=fields["ends_at"],
        capacity=fields["capacity"],
        booked_count=0,
        state=SLOT_OPEN,
        note=fields.get("note", ""),
        created_by=actor.account_id,
        created_at=now,
        updated_at=now,
    )
    uow.repo.add(slot)
    uow.audit("slot.published", ("venue_slot", slot.id), details={"venue_id": venue.id})
    uow.record(
        "slot.published",
        subject=slot.id,
        data={
            "slot_id": slot.id,
            "venue_id": venue.id,
            "starts_at": slot.starts_at,
            "ends_at": slot.ends_at,
            "capacity": slot.capacity,
        },
    )
    uow.commit()
    return slot


def _booking_event(booking: SlotBooking, slot: VenueSlot, venue: Venue) -> dict:
    return {
        "booking_id": booking.id,
        "slot_id": slot.id,
        "venue_id": venue.id,
        "person_id": booking.person_id,
        "state": booking.state,
        "starts_at": slot.starts_at,
        "venue": venue.name,
        "places_left": max(0, slot.capacity - slot.booked_count),
    }


def book(
    uow, actor: Actor, slot_id: str, policy: EventsPolicy
) -> tuple[SlotBooking, VenueSlot, Venue]:
    """A place in the slot for the calling young person while places last (409 `slot_full`
    after); a booking given up may be made again."""
    circle.check_may_book(actor)
    person_id = actor.person()
    slot = uow.repo.locked(VenueSlot, slot_id, domain.not_found("slot"))
    now = utcnow()
    existing = uow.repo.slot_booking_of(slot.id, person_id)
    refusal = booking_rules(policy).refusal(
        slot.state,
        slot.starts_at,
        slot.capacity,
        slot.booked_count,
        existing.state if existing else None,
        uow.repo.slot_bookings_held(person_id, now),
        now,
    )
    if refusal is not None:
        raise refusal
    booking = existing or SlotBooking(id=new_id(), slot_id=slot.id, person_id=person_id)
    booking.state, booking.booked_at, booking.updated_at = BOOKED, now, now
    booking.cancelled_at = booking.cancelled_by = None
    uow.repo.add(booking)
    slot.booked_count += 1
    slot.updated_at = now
    venue = uow.repo.get(Venue, slot.venue_id, domain.not_found("venue"))
    uow.record("slot_booking.booked", subject=booking.id, data=_booking_event(booking, slot, venue))
    uow.commit()
    return booking, slot, venue


def cancel_booking(
    uow, actor: Actor, booking_id: str, policy: EventsPolicy
) -> tuple[SlotBooking, VenueSlot, Venue]:
    """The person gives up their place before the slot starts; it is free for another."""
    found = uow.repo.get(SlotBooking, booking_id, domain.not_found("slot_booking"))
    actor.require_own(found.person_id, domain.not_found("slot_booking"))
    slot = uow.repo.locked(VenueSlot, found.slot_id, domain.not_found("slot"))
    booking = uow.repo.slot_booking_of(slot.id, found.person_id)  # afresh, after the lock
    now = utcnow()
    circle.check_slot_booking_cancellable(booking.state, slot.starts_at, now)
    _release(booking, slot, "person", now)
    venue = uow.repo.get(Venue, slot.venue_id, domain.not_found("venue"))
    uow.record(
        "slot_booking.cancelled", subject=booking.id, data=_booking_event(booking, slot, venue)
    )
    uow.commit()
    return booking, slot, venue


def _release(booking: SlotBooking, slot: VenueSlot, by: str, now) -> None:
    booking.state, booking.cancelled_at, booking.cancelled_by = BOOKING_CANCELLED, now, by
    booking.updated_at = now
    slot.booked_count = max(0, slot.booked_count - 1)
    slot.updated_at = now


def withdraw_person(uow, person_id: str) -> None:
    """An erased person's places in slots still ahead are freed (no event: its data would
    name the person; `person.anonymised` stands for it)."""
    now = utcnow()
    for found in uow.repo.slot_bookings_of(person_id):
        if found.state != BOOKED:
            continue
        slot = uow.repo.locked(VenueSlot, found.slot_id, domain.not_found("slot"))
        if slot.starts_at > now:
            _release(found, slot, "erasure", now)
