"""The youth station (青年驿站): free nights for job-seeking graduates, one bed a night, within
each person's cap; check-in and check-out by staff; nights given back when a guest cancels,
leaves early, or is hired in the district (`youthcity.jobs.application.hired`), when the person
also hears about talent apartments, once.

A booking locks its room's row while the room's beds are counted; the database's unique beds
per night and nights per person refuse an overbooking even so (`repository.add_stay`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from services.common.actor import Actor
from services.common.clock import clock, utcnow
from services.common.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from services.common.models import new_id

from . import domain
from .messages import MESSAGES
from .models import HousingUnit, StationBooking, StationNight, TalentHint
from .policy import HousingPolicy
from .vocabulary import (
    AVAILABLE,
    BOOKING_CANCELLED,
    BY_PERSON,
    CHECKED_IN,
    CHECKED_OUT,
    CHECKED_OUT_EARLY,
    CONFIRMED,
    HIRED_IN_DISTRICT,
    NIGHT_BOOKED,
    NIGHT_CANCELLED,
    STATION_BED,
    TALENT_APARTMENT,
)


@dataclass(frozen=True)
class Stay:
    """A booking with its nights (each with its bed and state), as guests and staff see it."""

    booking: StationBooking
    nights: list[StationNight]


def booking_data(booking: StationBooking, unit: HousingUnit, **extra) -> dict:
    """The data of a `stationbooking.*` event (`extra`: what was cancelled, and why)."""
    return {
        "booking_id": booking.id,
        "unit_id": unit.id,
        "person_id": booking.person_id,
        "state": booking.state,
        "unit_title": unit.title,
        "unit_address": unit.address,
        "first_night": booking.first_night,
        "last_night": booking.last_night,
        "nights_booked": booking.nights_booked,
        **extra,
    }


def _stay(uow, booking: StationBooking) -> Stay:
    return Stay(booking, uow.repo.nights_of([booking.id]).get(booking.id, []))


def graduation_of(person: dict) -> date | None:
    graduation = person.get("graduation_date")
    return date.fromisoformat(graduation) if isinstance(graduation, str) else graduation


def book(uow, person: dict, booking: dict, policy: HousingPolicy) -> Stay:
    """Book consecutive free nights for a job-seeking graduate, within the person's cap, the
    lowest free bed each night. A night the person already holds is 409
    `station_night_taken`; a full night 409 `station_full`, naming the night."""
    person_id = person["person_id"]
    nights = domain.nights_from(booking["first_night"], booking["nights"])
    graduation = graduation_of(person)
    domain.check_station_stay(
        nights, graduation, person.get("employment_status"), clock.today(), policy
    )
    not_a_station = InvalidInput.for_field("unit_id", "not_a_station", MESSAGES)
    unit = uow.repo.locked(HousingUnit, booking["unit_id"], not_a_station)
    if unit.kind != STATION_BED:
        raise not_a_station
    if unit.state != AVAILABLE:
        raise Conflict("unit_not_available", params={"state": unit.state})
    held = uow.repo.nights_held(person_id)
    clash = sorted(set(held) & set(nights))
    if clash:
        raise Conflict("station_night_taken", params={"night": clash[0].isoformat()})
    domain.check_night_cap(len(held), len(nights), policy)
    beds = domain.assign_beds(
        unit.beds, uow.repo.beds_taken(unit.id, nights[0], nights[-1]), nights
    )
    now = utcnow()
    row = StationBooking(
        id=new_id(),
        person_id=person_id,
        unit_id=unit.id,
        state=CONFIRMED,
        first_night=nights[0],
        last_night=nights[-1],
        nights_booked=len(nights),
        graduation_date=graduation,
        created_at=now,
        updated_at=now,
    )
    booked = [
        StationNight(
            id=new_id(),
            booking_id=row.id,
            unit_id=unit.id,
            person_id=person_id,
            night=night,
            bed=bed,
            state=NIGHT_BOOKED,
        )
        for night, bed in beds.items()
    ]
    uow.repo.add_stay(row, booked)
    uow.record("stationbooking.confirmed", subject=row.id, data=booking_data(row, unit))
    stay = _stay(uow, row)
    uow.commit()
    return stay


def _free_nights(uow, booking: StationBooking, after: date, reason: str) -> list[date]:
    """Give back the booking's nights after `after` and report them, if there were any; a
    booking left with no night is cancelled for `reason`."""
    nights = uow.repo.booked_nights_after(booking.id, after)
    if not nights:
        return []
    now = utcnow()
    for night in nights:
        night.state, night.cancelled_at = NIGHT_CANCELLED, now
    booking.nights_booked -= len(nights)
    booking.updated_at = now
    booking.state = domain.booking_state_after_freeing(booking.state, booking.nights_booked)
    if booking.state == BOOKING_CANCELLED:
        booking.cancelled_at, booking.cancel_reason = now, reason
    freed = sorted(night.night for night in nights)
    unit = uow.repo.get(HousingUnit, booking.unit_id)
    uow.record(
        "stationbooking.cancelled",
        subject=booking.id,
        data=booking_data(booking, unit, nights_cancelled=freed, reason=reason),
    )
    return freed


def cancel(uow, actor: Actor, booking_id: str) -> Stay:
    """The guest cancels before arriving: tonight and later nights are freed."""
    booking = uow.repo.locked(StationBooking, booking_id, NotFound("station booking"))
    actor.require_own(booking.person_id, NotFound("station booking"))
    _cancel(uow, booking)
    stay = _stay(uow, booking)
    uow.commit()
    return stay


def _cancel(uow, booking: StationBooking) -> None:
    domain.check_cancellable(booking.state)
    _free_nights(uow, booking, clock.today() - timedelta(days=1), BY_PERSON)
    if booking.state != BOOKING_CANCELLED:
        # only past nights were left (a no-show): the booking ends here
        booking.state, booking.cancelled_at = BOOKING_CANCELLED, utcnow()
        booking.cancel_reason = BY_PERSON


def cancel_upcoming_of(uow, person_id: str) -> None:
    """Cancel the person's stays not yet begun, their beds freed for other job seekers, in the
    caller's unit of work (an erasure: nobody will arrive for them)."""
    for booking in uow.repo.upcoming_stays_of(person_id):
        _cancel(uow, booking)


def check_in(uow, actor: Actor, booking_id: str) -> Stay:
    """Staff check a guest in, on or after the first night."""
    domain.require_staff(actor)
    booking = uow.repo.locked(StationBooking, booking_id, NotFound("station booking"))
    domain.check_check_in(booking.state, booking.first_night, clock.today())
    booking.state, booking.checked_in_at = CHECKED_IN, utcnow()
    booking.updated_at = booking.checked_in_at
    unit = uow.repo.get(HousingUnit, booking.unit_id)
    uow.record("stationbooking.checked_in", subject=booking.id, data=booking_data(booking, unit))
    stay = _stay(uow, booking)
    uow.commit()
    return stay


def check_out(uow, actor: Actor, booking_id: str) -> Stay:
    """Staff check a guest out; the nights after tonight go back to the station."""
    domain.require_staff(actor)
    booking = uow.repo.locked(StationBooking, booking_id, NotFound("station booking"))
    if booking.state != CHECKED_IN:
        raise IllegalTransition(booking.state, "check_out")
    _free_nights(uow, booking, clock.today(), CHECKED_OUT_EARLY)
    booking.state, booking.checked_out_at = CHECKED_OUT, utcnow()
    booking.updated_at = booking.checked_out_at
    unit = uow.repo.get(HousingUnit, booking.unit_id)
    uow.record("stationbooking.checked_out", subject=booking.id, data=booking_data(booking, unit))
    stay = _stay(uow, booking)
    uow.commit()
    return stay


def hired(uow, hire: dict) -> None:
    """A person hired in the district (the jobs service's `application.hired`): their nights
    after tonight are freed for other job seekers (tonight and the past stay), and they hear
    about talent apartments, once. In the inbox's unit of work, which commits."""
    if not hire["in_district"]:
        return
    person_id, today = hire["person_id"], clock.today()
    for booking in uow.repo.stays_beyond(person_id, today):
        _free_nights(uow, booking, today, HIRED_IN_DISTRICT)
    if uow.repo.get(TalentHint, person_id) is not None:
        return
    uow.repo.add(
        TalentHint(person_id=person_id, job_application_id=hire["application_id"], sent_at=utcnow())
    )
    uow.record(
        "talenthint.sent",
        subject=person_id,
        data={
            "person_id": person_id,
            "hint": TALENT_APARTMENT,
            "reason": HIRED_IN_DISTRICT,
            "job_application_id": hire["application_id"],
        },
    )
