"""Housing's workflows at the service layer, continued: youth-station stays (booking, the cap,
full nights, cancelling, check-in and check-out, nights freed by a hire in the district),
purchase subsidies, and what an erasure closes first. In memory, no broker, no database.
"""

from datetime import timedelta
from decimal import Decimal

import pytest

from services.common.clock import clock
from services.common.errors import Conflict, Forbidden, IllegalTransition, InvalidInput, NotFound
from services.common.repository import Repository
from services.housing import allocation, privacy, station, subsidies
from services.housing.models import (
    HousingApplication,
    HousingUnit,
    StationBooking,
    SubsidyApplication,
    TalentHint,
)
from services.housing.policy import HousingPolicy
from services.housing.repository import HousingRepository
from services.housing.vocabulary import (
    BOOKING_CANCELLED,
    CHECKED_IN,
    CHECKED_OUT,
    CONFIRMED,
    NIGHT_BOOKED,
    NIGHT_CANCELLED,
    STATION_BED,
    TALENT_APARTMENT,
)
from tests.support.fake_housing import (
    OFFICER,
    FakeHousingRepository,
    graduate,
    housing_unit,
    unit_of_work,
    waiting_application,
    youth,
)

POLICY = HousingPolicy()


def room(beds: int = 2, unit_id: str = "room-1") -> FakeHousingRepository:
    return FakeHousingRepository(housing_unit(unit_id, STATION_BED, beds=beds))


def stay(repo, person: str, nights: int, days_ahead: int = 0, unit_id: str = "room-1"):
    first = clock.today() + timedelta(days=days_ahead)
    booking = {"unit_id": unit_id, "first_night": first, "nights": nights}
    return station.book(unit_of_work(repo), graduate(person), booking, POLICY)


def hire(person: str, in_district: bool = True) -> dict:
    """The data of the jobs service's `application.hired`, as the consumer loads it."""
    return {"application_id": f"job-app-{person}", "person_id": person, "in_district": in_district}


# -- booking ---------------------------------------------------------------------------------


def test_a_graduate_books_free_nights_on_the_lowest_free_bed_each_night():
    repo = room(beds=2)
    stay(repo, "p-1", 1, days_ahead=1)
    uow = unit_of_work(repo)
    booking = {"unit_id": "room-1", "first_night": clock.today(), "nights": 3}
    booked = station.book(uow, graduate("p-2"), booking, POLICY)
    assert (booked.booking.state, booked.booking.nights_booked) == (CONFIRMED, 3)
    assert [(n.night - clock.today(), n.bed) for n in booked.nights] == [
        (timedelta(days=0), 1),
        (timedelta(days=1), 2),
        (timedelta(days=2), 1),
    ]
    assert uow.committed and uow.event_types() == ["stationbooking.confirmed"]
    assert uow.recorded[0].data["nights_booked"] == 3


def test_a_second_booking_past_the_cap_is_refused_and_records_nothing():
    repo = room()
    stay(repo, "p-1", 5)
    uow = unit_of_work(repo)
    booking = {"unit_id": "room-1", "first_night": clock.today() + timedelta(days=5), "nights": 3}
    with pytest.raises(Conflict) as capped:
        station.book(uow, graduate("p-1"), booking, POLICY)
    assert capped.value.code == "station_cap"
    assert capped.value.params == {"cap": 7, "used": 5, "requested": 3}
    assert uow.recorded == [] and not uow.committed
    assert len(repo.rows(StationBooking)) == 1


def test_a_full_night_is_refused_naming_it():
    repo = room(beds=1)
    stay(repo, "p-1", 1, days_ahead=2)
    with pytest.raises(Conflict) as full:
        stay(repo, "p-2", 3)
    night = (clock.today() + timedelta(days=2)).isoformat()
    assert (full.value.code, full.value.params) == ("station_full", {"night": night})


def test_a_night_the_person_already_holds_elsewhere_is_refused():
    repo = room()
    repo.add(housing_unit("room-2", STATION_BED, beds=2))
    stay(repo, "p-1", 2)
    with pytest.raises(Conflict) as taken:
        stay(repo, "p-1", 2, days_ahead=1, unit_id="room-2")
    night = (clock.today() + timedelta(days=1)).isoformat()
    assert (taken.value.code, taken.value.params) == ("station_night_taken", {"night": night})


def test_only_station_rooms_in_service_take_bookings():
    repo = room()
    repo.add(housing_unit("flat-1", TALENT_APARTMENT))
    with pytest.raises(InvalidInput) as not_a_station:
        stay(repo, "p-1", 1, unit_id="flat-1")
    assert not_a_station.value.errors[0]["code"] == "not_a_station"
    with pytest.raises(InvalidInput):
        stay(repo, "p-1", 1, unit_id="no-such-room")
    repo.get(HousingUnit, "room-1").state = "maintenance"
    with pytest.raises(Conflict) as closed:
        stay(repo, "p-1", 1)
    assert closed.value.code == "unit_not_available"


def test_the_employed_and_those_far_from_graduation_stay_elsewhere():
    repo = room()
    booking = {"unit_id": "room-1", "first_night": clock.today(), "nights": 1}
    with pytest.raises(InvalidInput) as employed:
        station.book(
            unit_of_work(repo), graduate("p-1", employment_status="employed"), booking, POLICY
        )
    assert employed.value.errors[0]["code"] == "station_job_seekers_only"
    long_ago = (clock.today() - timedelta(days=3 * 366)).isoformat()
    with pytest.raises(InvalidInput) as window:
        station.book(unit_of_work(repo), graduate("p-1", graduation_date=long_ago), booking, POLICY)
    assert window.value.errors[0]["code"] == "station_graduation_window"


# -- cancelling, check-in and check-out ------------------------------------------------------


def test_cancelling_before_arrival_frees_every_night_for_other_job_seekers():
    repo = room(beds=1)
    booked = stay(repo, "p-1", 3, days_ahead=1)
    uow = unit_of_work(repo)
    cancelled = station.cancel(uow, youth("p-1"), booked.booking.id)
    assert (cancelled.booking.state, cancelled.booking.cancel_reason) == (
        BOOKING_CANCELLED,
        "person",
    )
    assert {n.state for n in cancelled.nights} == {NIGHT_CANCELLED}
    assert uow.event_types() == ["stationbooking.cancelled"]
    assert len(uow.recorded[0].data["nights_cancelled"]) == 3
    assert stay(repo, "p-2", 3, days_ahead=1).booking.state == CONFIRMED


def test_only_the_guest_cancels_and_only_before_arriving():
    repo = room()
    booked = stay(repo, "p-1", 2)
    with pytest.raises(NotFound):
        station.cancel(unit_of_work(repo), youth("p-2"), booked.booking.id)
    station.check_in(unit_of_work(repo), OFFICER, booked.booking.id)
    with pytest.raises(IllegalTransition):
        station.cancel(unit_of_work(repo), youth("p-1"), booked.booking.id)


def test_only_staff_check_guests_in_and_not_before_the_first_night():
    repo = room()
    later = stay(repo, "p-1", 1, days_ahead=2)
    with pytest.raises(Forbidden):
        station.check_in(unit_of_work(repo), youth("p-1"), later.booking.id)
    with pytest.raises(Conflict) as early:
        station.check_in(unit_of_work(repo), OFFICER, later.booking.id)
    assert early.value.code == "check_in_too_early"


def test_checking_out_early_gives_back_the_nights_after_tonight():
    repo = room()
    booked = stay(repo, "p-1", 4)
    uow = unit_of_work(repo)
    assert station.check_in(uow, OFFICER, booked.booking.id).booking.state == CHECKED_IN
    assert uow.event_types() == ["stationbooking.checked_in"]
    uow = unit_of_work(repo)
    left = station.check_out(uow, OFFICER, booked.booking.id)
    assert (left.booking.state, left.booking.nights_booked) == (CHECKED_OUT, 1)
    assert [n.state for n in left.nights] == [NIGHT_BOOKED] + [NIGHT_CANCELLED] * 3
    assert uow.event_types() == ["stationbooking.cancelled", "stationbooking.checked_out"]
    assert uow.recorded[0].data["reason"] == "checked_out_early"
    with pytest.raises(IllegalTransition):
        station.check_out(unit_of_work(repo), OFFICER, booked.booking.id)


# -- hired in the district -------------------------------------------------------------------


def test_a_hire_in_the_district_frees_future_nights_and_sends_one_talent_hint():
    repo = room()
    booked = stay(repo, "p-1", 4)
    uow = unit_of_work(repo)
    station.hired(uow, hire("p-1"))
    assert booked.booking.nights_booked == 1 and booked.booking.state == CONFIRMED
    assert uow.event_types() == ["stationbooking.cancelled", "talenthint.sent"]
    assert uow.recorded[0].data["reason"] == "hired_in_district"
    assert len(uow.recorded[0].data["nights_cancelled"]) == 3
    assert uow.recorded[1].data == {
        "person_id": "p-1",
        "hint": "talent_apartment",
        "reason": "hired_in_district",
        "job_application_id": "job-app-p-1",
    }
    again = unit_of_work(repo)
    station.hired(again, hire("p-1"))
    assert again.recorded == [] and len(repo.rows(TalentHint)) == 1


def test_a_hire_outside_the_district_changes_nothing():
    repo = room()
    booked = stay(repo, "p-1", 4)
    uow = unit_of_work(repo)
    station.hired(uow, hire("p-1", in_district=False))
    assert uow.recorded == [] and booked.booking.nights_booked == 4


# -- subsidies -------------------------------------------------------------------------------


def subsidy_fields(**fields) -> dict:
    return {
        "kind": "purchase_subsidy",
        "amount_requested_cny": Decimal("50000.00"),
        "property_address": "XX区幸福路8号",
        "on_government_payroll": False,
        **fields,
    }


def test_a_subsidy_failing_a_rule_is_refused_at_once_with_its_reason():
    uow = unit_of_work(FakeHousingRepository())
    row = subsidies.submit(uow, graduate("p-1"), subsidy_fields(on_government_payroll=True), POLICY)
    assert (row.state, row.decision_reason) == ("refused", "eligibility rules failed")
    assert uow.event_types() == ["subsidy.submitted", "subsidy.decided"]
    assert uow.recorded[1].data["decision"] == "refused"
    assert uow.audited[0][3] == {"failed_rules": ["not_on_payroll"], "automatic": True}


def test_an_officer_grants_up_to_the_amount_requested_or_refuses_with_a_reason():
    repo = FakeHousingRepository()
    row = subsidies.submit(unit_of_work(repo), graduate("p-1"), subsidy_fields(), POLICY)
    assert row.state == "submitted"
    too_much = {"decision": "granted", "amount_granted_cny": Decimal("60000.00")}
    with pytest.raises(InvalidInput) as refused:
        subsidies.decide(unit_of_work(repo), OFFICER, row.id, too_much)
    assert refused.value.errors[0]["code"] == "amount_too_high"
    with pytest.raises(InvalidInput):
        subsidies.decide(unit_of_work(repo), OFFICER, row.id, {"decision": "refused"})
    uow = unit_of_work(repo)
    granted = {"decision": "granted", "amount_granted_cny": Decimal("30000.00")}
    subsidies.decide(uow, OFFICER, row.id, granted)
    assert (row.state, row.amount_granted_cny, row.decided_by) == (
        "granted",
        Decimal("30000.00"),
        OFFICER.account_id,
    )
    assert uow.recorded[0].data["amount_granted_cny"] == "30000.00"
    assert uow.audited[0][0] == "subsidy.granted"
    with pytest.raises(IllegalTransition):
        subsidies.decide(unit_of_work(repo), OFFICER, row.id, granted)


def test_a_purchase_subsidy_is_bounded_by_the_household_schedule_and_paid_once_per_person():
    repo = FakeHousingRepository()
    above = subsidy_fields(amount_requested_cny=Decimal("50000.01"))
    with pytest.raises(InvalidInput) as refused:
        subsidies.submit(unit_of_work(repo), graduate("p-1"), above, POLICY)
    [error] = refused.value.errors
    assert (error["field"], error["code"]) == ("amount_requested_cny", "amount_above_schedule")
    assert "50000" in error["messages"]["en"] and repo.rows(SubsidyApplication) == []
    family = subsidy_fields(amount_requested_cny=Decimal("80000"), household_size=5)
    row = subsidies.submit(unit_of_work(repo), graduate("p-1"), family, POLICY)
    assert (row.state, row.household_size) == ("submitted", 5)

    with pytest.raises(Conflict) as twice:
        subsidies.submit(unit_of_work(repo), graduate("p-1"), subsidy_fields(), POLICY)
    assert twice.value.code == "subsidy_once_per_person"
    refusal = {"decision": "refused", "reason": "合同未备案"}
    subsidies.decide(unit_of_work(repo), OFFICER, row.id, refusal)
    again = subsidies.submit(unit_of_work(repo), graduate("p-1"), subsidy_fields(), POLICY)
    assert again.state == "submitted"
    fund = subsidy_fields(kind="housing_fund", amount_requested_cny=Decimal("600000.01"))
    with pytest.raises(InvalidInput):
        subsidies.submit(unit_of_work(repo), graduate("p-1"), fund, POLICY)


# -- erasure ---------------------------------------------------------------------------------


def test_an_erasure_first_withdraws_open_applications_and_cancels_stays_not_begun():
    repo = room()
    repo.add(housing_unit("unit-1"))
    repo.add(waiting_application("app-1", "p-1"))
    repo.add(waiting_application("app-2", "p-2"))
    allocation.allocation_round(unit_of_work(repo), OFFICER, TALENT_APARTMENT, POLICY)
    upcoming = stay(repo, "p-1", 2, days_ahead=3)
    uow = unit_of_work(repo)
    privacy.release(uow, "p-1", POLICY)
    assert repo.get(HousingApplication, "app-1").state == "withdrawn"
    assert upcoming.booking.state == BOOKING_CANCELLED
    assert uow.event_types() == ["offer.declined", "offer.made", "stationbooking.cancelled"]
    assert uow.recorded[1].data["person_id"] == "p-2"


def test_the_fake_repository_answers_every_named_query_of_the_real_one():
    def named(cls) -> set[str]:
        return {name for name in vars(cls) if not name.startswith("_")}

    assert named(HousingRepository) - set(dir(Repository)) <= named(FakeHousingRepository)
