"""The youth station through a real housing service: nights against bed capacity, the 7-night
cap over several bookings, check-in and out, the reaction to a hire in the district (consumed
from the jobs service's exchange), and two people racing for the last bed on PostgreSQL."""

from datetime import timedelta

import eventlet
import pytest

from services.common.clock import clock
from services.common.errors import DomainError
from tests.support import housing as support
from tests.support.housing import hired_event, person, publish_hired, unit_body
from tests.support.messaging import wait_for

# the housing service under test, on a virtual host of its own (tests/support/housing.py)
housing_amqp_uri = support.housing_amqp_uri
housing = support.housing


def station(housing, beds=2):
    return housing.officer().create_unit(unit=unit_body("station_bed", beds=beds, rooms=1))


def book(housing, facts, unit, first_night, nights):
    return housing.youth(facts).book_station(
        person=facts,
        booking={"unit_id": unit["id"], "first_night": first_night.isoformat(), "nights": nights},
    )


def booked_that_night(housing, unit, night) -> int:
    return housing.scalar(
        "SELECT count(*) FROM station_night WHERE unit_id = :u AND night = :n AND state = 'booked'",
        u=unit["id"],
        n=night,
    )


def test_seven_nights_over_several_bookings_then_a_clear_refusal(housing):
    unit, guest, today = station(housing), person(), clock.today()
    first = book(housing, guest, unit, today, 3)
    assert first["state"] == "confirmed" and [n["bed"] for n in first["nights"]] == [1, 1, 1]
    book(housing, guest, unit, today + timedelta(days=3), 4)
    with pytest.raises(DomainError) as capped:
        book(housing, guest, unit, today + timedelta(days=10), 1)
    assert (capped.value.status, capped.value.code) == (409, "station_cap")
    assert capped.value.messages["en"] == "At most 7 free nights per person: 7 booked, 1 requested"
    with pytest.raises(DomainError) as overlap:
        book(housing, guest, station(housing), today, 1)
    assert overlap.value.code == "station_night_taken"

    # cancelling gives nights back to the person's allowance and the beds to others
    cancelled = housing.youth(guest).cancel_station_booking(booking_id=first["id"])
    assert cancelled["state"] == "cancelled" and cancelled["nights_booked"] == 0
    assert booked_that_night(housing, unit, today) == 0
    assert book(housing, guest, unit, today + timedelta(days=10), 3)["nights_booked"] == 3


def test_beds_fill_night_by_night_and_check_out_frees_the_rest(housing):
    unit, today = station(housing, beds=1), clock.today()
    guest, late = person(), person()
    booking = book(housing, guest, unit, today, 3)
    with pytest.raises(DomainError) as full:
        book(housing, late, unit, today + timedelta(days=2), 2)
    assert full.value.code == "station_full"
    assert full.value.params == {"night": (today + timedelta(days=2)).isoformat()}
    nights = housing.rpc.housing.station_nights(
        unit_id=unit["id"], query={"first_night": today.isoformat(), "nights": 4}
    )["nights"]
    assert [n["free"] for n in nights] == [0, 0, 0, 1]

    officer = housing.officer()
    with pytest.raises(DomainError) as not_yet:
        officer.check_out_station(booking_id=booking["id"])
    assert not_yet.value.status == 409
    assert officer.check_in_station(booking_id=booking["id"])["state"] == "checked_in"
    out = officer.check_out_station(booking_id=booking["id"])
    assert out["state"] == "checked_out" and out["nights_booked"] == 1
    assert book(housing, late, unit, today + timedelta(days=1), 2)["state"] == "confirmed"
    with pytest.raises(DomainError) as youth_checks_in:
        housing.youth(guest).check_in_station(booking_id=booking["id"])
    assert youth_checks_in.value.status == 403


def test_a_hire_in_the_district_frees_future_nights_once_and_sends_a_hint(housing):
    unit, guest, today = station(housing, beds=1), person(), clock.today()
    booking = book(housing, guest, unit, today, 4)
    elsewhere = person()
    book(housing, elsewhere, station(housing), today, 2)

    publish_hired(housing.amqp_uri, hired_event(elsewhere["person_id"], in_district=False))
    event = hired_event(guest["person_id"])
    publish_hired(housing.amqp_uri, event)
    publish_hired(housing.amqp_uri, event)  # a redelivery changes nothing

    def freed():
        view = housing.youth(guest).get_station_booking(booking_id=booking["id"])
        return view if view["nights_booked"] == 1 else None

    view = wait_for(freed, timeout=20, interval=0.1, message="the future nights freed")
    assert view["state"] == "confirmed"
    assert [(n["night"], n["state"]) for n in view["nights"]] == [
        ((today + timedelta(days=i)).isoformat(), "booked" if i == 0 else "cancelled")
        for i in range(4)
    ]
    assert booked_that_night(housing, unit, today + timedelta(days=1)) == 0
    wait_for(
        lambda: housing.scalar("SELECT count(*) FROM inbox") == 2,
        timeout=10,
        message="both hires applied",
    )
    assert housing.event_types(subject=guest["person_id"]) == ["talenthint.sent"]
    assert housing.event_types(subject=booking["id"]) == [
        "stationbooking.confirmed",
        "stationbooking.cancelled",
    ]
    assert (
        housing.scalar(
            "SELECT count(*) FROM station_night WHERE person_id = :p AND state = 'booked'",
            p=elsewhere["person_id"],
        )
        == 2
    )
    assert housing.scalar("SELECT count(*) FROM talent_hint") == 1


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_two_people_racing_for_the_last_bed_one_gets_it_the_other_a_clear_answer(housing):
    unit, today = station(housing, beds=2), clock.today()

    def attempt(facts, night):
        try:
            return book(housing, facts, unit, night, 1)
        except DomainError as refusal:
            return refusal

    # the last bed of a night, two at once; then six people for a night's two beds
    for days_ahead, already_booked, racers, beds_left in ((1, 1, 2, 1), (2, 0, 6, 2)):
        night = today + timedelta(days=days_ahead)
        for _ in range(already_booked):
            book(housing, person(), unit, night, 1)
        pool = eventlet.GreenPool()
        results = list(pool.starmap(attempt, [(person(), night) for _ in range(racers)]))
        won = [r for r in results if isinstance(r, dict)]
        lost = [r for r in results if isinstance(r, DomainError)]
        assert len(won) == beds_left and len(lost) == racers - beds_left
        assert all((r.status, r.code) == (409, "station_full") for r in lost)
        assert all(r.messages["en"] == f"No bed is left on the night of {night}" for r in lost)
        assert booked_that_night(housing, unit, night) == 2
        beds = housing.scalar(
            "SELECT count(DISTINCT bed) FROM station_night WHERE unit_id = :u AND night = :n "
            "AND state = 'booked'",
            u=unit["id"],
            n=night,
        )
        assert beds == 2
