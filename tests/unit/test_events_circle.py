"""The 15-minute circle (三.4) against a unit of work in memory: walking distance, venues'
coordinates, bookable slots and their capacity, the register of youth sports clubs, mental-health
outreach and counselling bookings (sensitive personal data) and a person's erasure of them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from marshmallow import ValidationError

from services.common.actor import Actor
from services.common.clock import clock, utcnow
from services.common.errors import DomainError
from services.events import circle, clubs, privacy, slots, venues, wellbeing
from services.events.contract import CounsellingInput, VenueFilter
from services.events.events import EVENTS
from services.events.models import CounsellingBooking, SlotBooking
from services.events.policy import EventsPolicy
from services.events.schemas import CounsellingChanged
from tests.support.fake_events import FakeEventsRepository, counselling, slot, venue
from tests.support.fakes import FakeUnitOfWork

POLICY = EventsPolicy()
KEEPER = Actor("k1", "officer", "education_sports")
HEALTH = Actor("h1", "officer", "health")
OTHER_UNIT = Actor("o2", "officer", "hrss")
ADMIN = Actor("a1", "admin")
COMPANY = Actor("e1", "employer")
ANNA, BO, CHEN = Actor("p1", "youth"), Actor("p2", "youth"), Actor("p3", "youth")
WEEKDAYS_8_TO_20 = [{"weekdays": [1, 2, 3, 4, 5], "opens": "08:00", "closes": "20:00"}]


@pytest.fixture(autouse=True)
def _a_fixed_now():
    """10:00 in the district on Tuesday 1 December 2026."""
    clock.travel_to(datetime(2026, 12, 1, 2, tzinfo=UTC))


def unit_of_work(*rows) -> FakeUnitOfWork:
    return FakeUnitOfWork(FakeEventsRepository(*rows), EVENTS)


def refused(code: str, call) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == code, caught.value
    return caught.value


def local(day: int, hour: int) -> datetime:
    """`hour` o'clock on `day` December 2026, district time."""
    return datetime(2026, 12, day, hour, tzinfo=clock.zone)


# -- walking distance ------------------------------------------------------------------------------


def test_a_degree_of_latitude_is_about_111_km_along_the_great_circle():
    assert circle.great_circle_m((30.0, 120.0), (31.0, 120.0)) == pytest.approx(111_195, rel=1e-4)


def test_fifteen_minutes_of_walking_reach_865_metres_as_the_crow_flies():
    walk = circle.Walk(POLICY.walking_speed_m_per_minute, POLICY.walking_detour_factor)
    assert walk.reach_m(15) == pytest.approx(865.4, abs=0.1)  # 15 × 75 m / 1.3
    assert walk.minutes(865.4) == pytest.approx(15, abs=0.01)


def test_the_search_box_holds_every_point_within_reach():
    south, north, west, east = circle.search_box((30.0, 120.0), 1000)
    for bearing_point in ((30.0089, 120.0), (29.9911, 120.0), (30.0, 120.0103), (30.0, 119.9897)):
        assert circle.great_circle_m((30.0, 120.0), bearing_point) < 1000
        assert south <= bearing_point[0] <= north and west <= bearing_point[1] <= east


def test_the_location_is_latitude_comma_longitude_and_minutes_need_it():
    assert VenueFilter().load({"near": "30.27,120.15", "minutes": "15"})["minutes"] == 15
    with pytest.raises(ValidationError) as caught:
        VenueFilter().load({"near": "120.15"})
    assert caught.value.messages == {"near": ["near_format"]}
    with pytest.raises(ValidationError) as caught:
        VenueFilter().load({"near": "95,120"})
    assert caught.value.messages == {"near": ["near_format"]}
    with pytest.raises(ValidationError) as caught:
        VenueFilter().load({"minutes": "15"})
    assert caught.value.messages == {"near": ["near_required"]}


def test_a_venue_has_both_coordinates_or_neither():
    uow = unit_of_work()
    fields = {"name": "城南球场", "kind": "basketball_court", "area": "城南", "opening_hours": []}
    error = refused(
        "validation_failed",
        lambda: venues.register_venue(uow, KEEPER, fields | {"latitude": 30.2}, POLICY),
    )
    assert error.field == "longitude"
    row = venues.register_venue(
        uow, KEEPER, fields | {"latitude": 30.2, "longitude": 120.1}, POLICY
    )
    assert (row.latitude, row.longitude) == (30.2, 120.1)


# -- slots -----------------------------------------------------------------------------------------


def test_a_slot_lies_within_the_venues_opening_hours_in_district_time():
    ground = venue(WEEKDAYS_8_TO_20, kind="school_ground")
    uow = unit_of_work(ground)
    made = slots.publish_slot(
        uow,
        KEEPER,
        ground.id,
        {"starts_at": local(3, 18), "ends_at": local(3, 20), "capacity": 30},
        POLICY,
    )
    assert (made.capacity, made.booked_count, made.state) == (30, 0, "open")
    assert uow.event_types() == ["slot.published"]
    saturday = {"starts_at": local(5, 9), "ends_at": local(5, 11), "capacity": 30}
    error = refused(
        "validation_failed", lambda: slots.publish_slot(uow, KEEPER, ground.id, saturday, POLICY)
    )
    assert error.field == "starts_at"
    late = {"starts_at": local(3, 19), "ends_at": local(3, 21), "capacity": 30}
    refused("validation_failed", lambda: slots.publish_slot(uow, KEEPER, ground.id, late, POLICY))
    past = {"starts_at": local(1, 8), "ends_at": local(1, 9), "capacity": 30}
    refused("validation_failed", lambda: slots.publish_slot(uow, KEEPER, ground.id, past, POLICY))
    far = {"starts_at": local(3, 18) + timedelta(days=400), "capacity": 30}
    far["ends_at"] = far["starts_at"] + timedelta(hours=1)
    error = refused(
        "validation_failed", lambda: slots.publish_slot(uow, KEEPER, ground.id, far, POLICY)
    )
    assert error.errors[0]["code"] == "slot_too_far"
    endless = {"starts_at": local(3, 18), "ends_at": datetime(9999, 12, 31, tzinfo=UTC)}
    error = refused(
        "validation_failed",
        lambda: slots.publish_slot(uow, KEEPER, ground.id, endless | {"capacity": 3}, POLICY),
    )
    assert error.errors[0]["code"] == "slot_too_long"


def test_only_the_venue_keepers_publish_slots():
    ground = venue()
    uow = unit_of_work(ground)
    fields = {"starts_at": local(3, 18), "ends_at": local(3, 20), "capacity": 3}
    refused("not_venue_keeper", lambda: slots.publish_slot(uow, HEALTH, ground.id, fields, POLICY))


def test_places_in_a_slot_are_booked_while_they_last():
    ground = venue()
    evening = slot(ground, capacity=2)
    uow = unit_of_work(ground, evening)
    booking, _, _ = slots.book(uow, ANNA, evening.id, POLICY)
    slots.book(uow, BO, evening.id, POLICY)
    assert booking.state == "booked" and evening.booked_count == 2
    error = refused("slot_full", lambda: slots.book(uow, CHEN, evening.id, POLICY))
    assert error.status == 409
    refused("slot_already_booked", lambda: slots.book(uow, ANNA, evening.id, POLICY))
    assert uow.event_types() == ["slot_booking.booked", "slot_booking.booked"]
    assert uow.recorded[1].data["places_left"] == 0


def test_a_place_given_up_is_free_for_the_next_person_and_may_be_booked_again():
    ground = venue()
    evening = slot(ground, capacity=1)
    uow = unit_of_work(ground, evening)
    booking, _, _ = slots.book(uow, ANNA, evening.id, POLICY)
    refused("not_found", lambda: slots.cancel_booking(uow, BO, booking.id, POLICY))
    slots.cancel_booking(uow, ANNA, booking.id, POLICY)
    assert (booking.state, booking.cancelled_by, evening.booked_count) == ("cancelled", "person", 0)
    refused(
        "slot_booking_already_cancelled",
        lambda: slots.cancel_booking(uow, ANNA, booking.id, POLICY),
    )
    slots.book(uow, BO, evening.id, POLICY)
    refused("slot_full", lambda: slots.book(uow, ANNA, evening.id, POLICY))


def test_booking_opens_a_week_ahead_and_a_person_holds_three_slots_at_most():
    ground = venue()
    far = slot(ground, starts_in=timedelta(days=8))
    soon = [slot(ground, starts_in=timedelta(days=d)) for d in (1, 2, 3, 4)]
    uow = unit_of_work(ground, far, *soon)
    refused("slot_booking_not_open", lambda: slots.book(uow, ANNA, far.id, POLICY))
    for row in soon[:3]:
        slots.book(uow, ANNA, row.id, POLICY)
    error = refused("slot_bookings_limit", lambda: slots.book(uow, ANNA, soon[3].id, POLICY))
    assert error.params == {"limit": 3}


def test_only_young_people_book_slots():
    ground = venue()
    evening = slot(ground)
    uow = unit_of_work(ground, evening)
    refused("role_not_allowed", lambda: slots.book(uow, KEEPER, evening.id, POLICY))


# -- clubs -----------------------------------------------------------------------------------------


def test_the_education_and_sports_bureau_keeps_the_club_register():
    uow = unit_of_work()
    fields = {
        "name": "青翼篮球俱乐部",
        "sports": ["basketball"],
        "area": "城南",
        "youth_members": 40,
    }
    refused("not_club_keeper", lambda: clubs.register_club(uow, HEALTH, fields, POLICY))
    club = clubs.register_club(uow, KEEPER, fields, POLICY)
    assert club.state == "registered"
    clubs.deregister_club(uow, KEEPER, club.id, "已注销登记", POLICY)
    assert (club.state, club.deregister_reason) == ("deregistered", "已注销登记")
    refused("illegal_transition", lambda: clubs.deregister_club(uow, KEEPER, club.id, "x", POLICY))
    assert uow.event_types() == ["club.registered", "club.deregistered"]


# -- mental health ---------------------------------------------------------------------------------

OUTREACH = {
    "setting": "enterprise",
    "organisation": "XX科技有限公司",
    "area": "城南",
    "topic": "职场压力",
    "audience_size": 60,
    "preferred_from": local(7, 0).date(),
    "preferred_until": local(18, 0).date(),
}


def test_a_company_requests_a_session_and_the_health_unit_schedules_and_holds_it():
    uow = unit_of_work()
    refused("role_not_allowed", lambda: wellbeing.request_outreach(uow, ANNA, OUTREACH))
    request = wellbeing.request_outreach(uow, COMPANY, OUTREACH)
    when = {"scheduled_at": local(10, 14), "place": "公司三楼会议室"}
    refused(
        "not_found",
        lambda: wellbeing.decide_outreach(uow, OTHER_UNIT, request.id, "schedule", when, POLICY),
    )
    refused(
        "not_health_officer",
        lambda: wellbeing.decide_outreach(uow, COMPANY, request.id, "schedule", when, POLICY),
    )
    wellbeing.decide_outreach(uow, HEALTH, request.id, "schedule", when, POLICY)
    wellbeing.decide_outreach(uow, HEALTH, request.id, "hold", {"attendance": 52}, POLICY)
    assert (request.state, request.attendance) == ("held", 52)
    assert uow.event_types() == ["outreach.requested", "outreach.scheduled", "outreach.held"]
    assert set(uow.recorded[-1].data) == {"request_id", "setting", "state", "attendance"}


def test_a_declined_request_says_why():
    uow = unit_of_work()
    request = wellbeing.request_outreach(uow, COMPANY, OUTREACH)
    refused(
        "validation_failed",
        lambda: wellbeing.decide_outreach(uow, HEALTH, request.id, "decline", {}, POLICY),
    )
    wellbeing.decide_outreach(uow, HEALTH, request.id, "decline", {"reason": "本月已排满"}, POLICY)
    assert request.state == "declined"


def test_counselling_needs_the_separate_consent():
    uow = unit_of_work()
    fields = CounsellingInput().load({"mode": "online", "consent": False})
    error = refused(
        "validation_failed", lambda: wellbeing.book_counselling(uow, ANNA, fields, POLICY)
    )
    assert error.field == "consent"
    with pytest.raises(ValidationError):
        CounsellingInput().load({"mode": "online"})
    row = wellbeing.book_counselling(uow, ANNA, fields | {"consent": True}, POLICY)
    assert row.consent_version == POLICY.counselling_consent_version
    assert row.consented_at is not None


def test_a_counselling_booking_exists_for_its_person_and_the_health_unit_only():
    row = counselling("p1")
    uow = unit_of_work(row)
    for stranger in (ADMIN, OTHER_UNIT, BO, KEEPER):
        refused(
            "not_found",
            lambda a=stranger: circle.check_may_read_counselling(
                a, row.person_id, POLICY.health_units
            ),
        )
        refused(
            "not_found",
            lambda a=stranger: wellbeing.decide_counselling(uow, a, row.id, "cancel", {}, POLICY),
        )
    circle.check_may_read_counselling(ANNA, row.person_id, POLICY.health_units)
    circle.check_may_read_counselling(HEALTH, row.person_id, POLICY.health_units)
    refused(
        "not_health_officer",
        lambda: wellbeing.decide_counselling(
            uow, ANNA, row.id, "schedule", {"scheduled_at": local(3, 15), "place": "x"}, POLICY
        ),
    )
    wellbeing.decide_counselling(
        uow, HEALTH, row.id, "schedule", {"scheduled_at": local(3, 15), "place": "青年之家"}, POLICY
    )
    wellbeing.decide_counselling(uow, HEALTH, row.id, "complete", {}, POLICY)
    assert row.state == "completed" and row.handled_by == "h1"


def test_counselling_events_carry_the_booking_id_and_state_only():
    uow = unit_of_work()
    fields = {"mode": "phone", "concern": "最近睡不好", "consent": True}
    row = wellbeing.book_counselling(uow, ANNA, fields, POLICY)
    wellbeing.decide_counselling(uow, ANNA, row.id, "cancel", {}, POLICY)
    assert uow.event_types() == ["counselling.requested", "counselling.cancelled"]
    for event in uow.recorded:
        assert event.data == {"booking_id": row.id, "state": event.data["state"]}
    assert set(CounsellingChanged().fields) == {"booking_id", "state"}
    assert row.cancelled_by == "person"
    assert uow.audited == []  # an audit entry by the person would name them


# -- erasure ---------------------------------------------------------------------------------------


def test_an_erasure_frees_slots_ahead_and_empties_counselling():
    ground = venue()
    evening = slot(ground, capacity=1)
    ahead, held = counselling("p1"), counselling("p1", state="completed", completed_at=utcnow())
    uow = unit_of_work(ground, evening, ahead, held)
    slots.book(uow, ANNA, evening.id, POLICY)
    slots.withdraw_person(uow, "p1")
    wellbeing.withdraw_person(uow, "p1")
    erasure = privacy.anonymise(uow, "p1")
    assert erasure.records == 3
    assert evening.booked_count == 0
    (booking,) = uow.repo.rows(SlotBooking)
    assert (booking.state, booking.cancelled_by, booking.person_id) == (
        "cancelled",
        "erasure",
        None,
    )
    assert (ahead.state, ahead.cancelled_by) == ("cancelled", "erasure")
    for row in uow.repo.rows(CounsellingBooking):
        assert (row.person_id, row.concern, row.consent_version) == (None, "", None)
    assert held.state == "completed" and held.completed_at is not None
