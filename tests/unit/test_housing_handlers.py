"""Housing's workflows at the service layer: the inventory, applications and their review, the
lottery, allocation with offers and leases, and the talent ledger, each handler run against an
in-memory unit of work and repository (`tests/support/fake_housing.py`). No broker, no database.
"""

from datetime import timedelta
from decimal import Decimal

import pytest

from services.common.clock import clock, utcnow
from services.common.errors import Conflict, Forbidden, IllegalTransition, InvalidInput, NotFound
from services.housing import allocation, applications, ledger, lottery, station, units
from services.housing.models import HousingApplication, HousingUnit, LedgerEntry, Offer
from services.housing.policy import HousingPolicy
from services.housing.vocabulary import (
    ACTIVE,
    AVAILABLE,
    MAINTENANCE,
    OFFERED,
    PUBLIC_RENTAL,
    STATION_BED,
    TALENT_APARTMENT,
    WAITLISTED,
)
from tests.support.fake_housing import (
    ADMIN,
    OFFICER,
    OTHER_OFFICER,
    FakeHousingRepository,
    graduate,
    housing_unit,
    unit_of_work,
    waiting_application,
    youth,
)

POLICY = HousingPolicy()
DECLARED = {"owns_property_in_district": False, "on_government_payroll": False}


def line_of(repo, *people: str, kind: str = TALENT_APARTMENT) -> list[HousingApplication]:
    """Approved applications of `people` waiting in line, in that order of arrival."""
    start = utcnow() - timedelta(days=len(people))
    rows = [
        waiting_application(f"app-{person}", person, kind, submitted_at=start + timedelta(days=i))
        for i, person in enumerate(people)
    ]
    for row in rows:
        repo.add(row)
    return rows


def offered(repo, unit_id: str = "unit-1", person: str = "p-1") -> Offer:
    """A unit offered to `person` by an allocation round."""
    repo.add(housing_unit(unit_id))
    line_of(repo, person)
    return allocation.allocation_round(
        unit_of_work(repo), OFFICER, TALENT_APARTMENT, POLICY
    ).offers[0]


# -- the inventory ---------------------------------------------------------------------------


def test_staff_add_a_unit_that_is_available_at_once_and_other_officers_are_refused():
    repo = FakeHousingRepository()
    fields = {"kind": STATION_BED, "title": "驿站 1", "address": "XX区", "area_m2": Decimal("30")}
    fields |= {"rooms": 1, "rent_cny": Decimal("0"), "beds": 4, "homestay": False}
    created = units.create(unit_of_work(repo), OFFICER, fields, POLICY)
    assert (created.state, created.beds) == (AVAILABLE, 4)
    assert repo.get(HousingUnit, created.id) is created

    refused = unit_of_work(repo)
    with pytest.raises(Forbidden) as other_unit:
        units.create(refused, OTHER_OFFICER, fields, POLICY)
    assert other_unit.value.code == "not_responsible_unit"
    assert len(repo.rows(HousingUnit)) == 1 and not refused.committed


def test_an_affordable_rental_over_its_area_limit_is_refused():
    fields = {"kind": "affordable_rental", "title": "保租房", "address": "XX区", "rooms": 1}
    fields |= {"area_m2": Decimal("75"), "rent_cny": Decimal("900"), "homestay": False}
    with pytest.raises(InvalidInput) as refused:
        units.create(unit_of_work(FakeHousingRepository()), ADMIN, fields, POLICY)
    assert refused.value.errors[0]["field"] == "area_m2"


def test_a_station_room_keeps_the_beds_booked_from_tonight():
    repo = FakeHousingRepository(housing_unit("room-1", STATION_BED, beds=3))
    for person in ("p-1", "p-2", "p-3"):
        booking = {"unit_id": "room-1", "first_night": clock.today(), "nights": 1}
        station.book(unit_of_work(repo), graduate(person), booking, POLICY)
    with pytest.raises(Conflict) as in_use:
        units.update(unit_of_work(repo), OFFICER, "room-1", {"beds": 2}, POLICY)
    assert (in_use.value.code, in_use.value.params) == ("beds_in_use", {"bed": 3, "beds": 2})
    assert units.update(unit_of_work(repo), OFFICER, "room-1", {"beds": 5}, POLICY).beds == 5


def test_a_rental_back_from_maintenance_goes_at_once_to_the_next_in_line():
    repo = FakeHousingRepository(housing_unit("unit-1"))
    uow = unit_of_work(repo)
    assert units.take_out_of_service(uow, OFFICER, "unit-1", "水管维修").state == MAINTENANCE
    assert uow.audited == [("unit.maintenance", ("unit", "unit-1"), "水管维修", {})]
    line_of(repo, "p-1")

    uow = unit_of_work(repo)
    unit = units.reopen(uow, OFFICER, "unit-1", "修好了", POLICY)
    assert unit.state == OFFERED
    assert uow.event_types() == ["offer.made"]
    assert uow.recorded[0].data["person_id"] == "p-1"
    with pytest.raises(IllegalTransition):
        units.reopen(unit_of_work(repo), OFFICER, "unit-1", "again", POLICY)


# -- eligibility and applications ------------------------------------------------------------


def test_eligibility_is_explained_rule_by_rule_without_storing_anything():
    answer = applications.check_eligibility(
        graduate("p-1", age=36), {"kind": PUBLIC_RENTAL, **DECLARED}, POLICY
    )
    assert answer["eligible"] is False
    assert [(r["rule"], r["passed"]) for r in answer["rules"]] == [
        ("age", False),
        ("social_insurance", True),
        ("no_property", True),
        ("not_on_payroll", True),
    ]
    assert answer["rules"][0]["explanation"]["en"].startswith("Age 36 is over the limit")


def test_an_eligible_application_waits_for_the_officers_review():
    repo = FakeHousingRepository()
    uow = unit_of_work(repo)
    fields = {"kind": PUBLIC_RENTAL, "household_size": 2, **DECLARED}
    row = applications.submit(uow, graduate("p-1"), fields, POLICY)
    assert (row.state, row.eligible, row.household_size) == ("submitted", True, 2)
    assert uow.committed and uow.event_types() == ["application.submitted"]
    assert uow.recorded[0].data["eligible"] is True and uow.audited == []


def test_an_applicant_failing_a_rule_is_rejected_at_once_with_every_reason():
    uow = unit_of_work(FakeHousingRepository())
    person = graduate("p-1", age=17, local_social_insurance_months=3)
    fields = {"kind": PUBLIC_RENTAL, "household_size": 1, **DECLARED}
    row = applications.submit(uow, person, fields, POLICY)
    assert (row.state, row.decision) == ("rejected", "rejected")
    assert uow.event_types() == ["application.submitted", "application.decided"]
    decided = uow.recorded[1].data
    assert decided["automatic"] is True
    assert decided["failed_rules"] == ["age", "social_insurance"]
    action, subject, reason, details = uow.audited[0]
    assert (action, subject, reason) == (
        "application.rejected",
        ("application", row.id),
        "eligibility rules failed",
    )
    assert details == {"failed_rules": ["age", "social_insurance"], "automatic": True}


def test_a_second_open_application_of_a_kind_is_refused_and_records_nothing():
    repo = FakeHousingRepository()
    fields = {"kind": PUBLIC_RENTAL, "household_size": 1, **DECLARED}
    applications.submit(unit_of_work(repo), graduate("p-1"), fields, POLICY)
    again = unit_of_work(repo)
    with pytest.raises(Conflict) as refused:
        applications.submit(again, graduate("p-1"), fields, POLICY)
    assert refused.value.code == "application_open"
    assert again.recorded == [] and not again.committed
    other_kind = {**fields, "kind": TALENT_APARTMENT}
    assert applications.submit(unit_of_work(repo), graduate("p-1"), other_kind, POLICY)


def test_an_approved_application_joins_the_waitlist_with_its_place_in_line():
    repo = FakeHousingRepository()
    line_of(repo, "p-0")
    fields = {"kind": TALENT_APARTMENT, "household_size": 1, **DECLARED}
    submitted = applications.submit(unit_of_work(repo), graduate("p-1"), fields, POLICY)
    uow = unit_of_work(repo)
    row, position = applications.decide(
        uow, OFFICER, submitted.id, {"decision": "approved"}, POLICY
    )
    assert (row.state, row.preference_group, position) == (WAITLISTED, "general", 2)
    assert uow.event_types() == ["application.decided", "application.waitlisted"]
    assert uow.recorded[1].data["position"] == 2
    assert uow.recorded[1].data["method"] == "waitlist"
    assert uow.audited[0][0] == "application.approved"


def test_an_approved_lottery_application_has_no_place_until_the_draw():
    repo = FakeHousingRepository()
    fields = {"kind": PUBLIC_RENTAL, "household_size": 1, **DECLARED}
    submitted = applications.submit(unit_of_work(repo), graduate("p-1"), fields, POLICY)
    decision = {"decision": "approved", "preference_group": "priority"}
    row, position = applications.decide(unit_of_work(repo), ADMIN, submitted.id, decision, POLICY)
    assert (row.preference_group, position) == ("priority", None)


def test_a_rejection_needs_a_reason_and_only_housing_staff_decide():
    repo = FakeHousingRepository()
    fields = {"kind": PUBLIC_RENTAL, "household_size": 1, **DECLARED}
    submitted = applications.submit(unit_of_work(repo), graduate("p-1"), fields, POLICY)
    with pytest.raises(InvalidInput) as no_reason:
        applications.decide(
            unit_of_work(repo), OFFICER, submitted.id, {"decision": "rejected"}, POLICY
        )
    assert no_reason.value.errors[0]["code"] == "reason_required"
    with pytest.raises(Forbidden):
        applications.decide(
            unit_of_work(repo), OTHER_OFFICER, submitted.id, {"decision": "approved"}, POLICY
        )
    uow = unit_of_work(repo)
    decision = {"decision": "rejected", "reason": "材料不全"}
    row, position = applications.decide(uow, OFFICER, submitted.id, decision, POLICY)
    assert (row.state, row.decision_reason, position) == ("rejected", "材料不全", None)
    assert uow.event_types() == ["application.decided"]
    assert uow.audited[0][:3] == ("application.rejected", ("application", row.id), "材料不全")


def test_withdrawing_an_offered_application_passes_its_unit_to_the_next_in_line():
    repo = FakeHousingRepository()
    offer = offered(repo, person="p-1")
    line_of(repo, "p-2")
    uow = unit_of_work(repo)
    row = applications.withdraw(uow, youth("p-1"), offer.application_id, POLICY)
    assert row.state == "withdrawn" and offer.state == "withdrawn"
    assert uow.event_types() == ["offer.declined", "offer.made"]
    assert uow.recorded[1].data["person_id"] == "p-2"


def test_only_the_applicant_withdraws_an_application():
    repo = FakeHousingRepository()
    (row,) = line_of(repo, "p-1")
    with pytest.raises(NotFound):
        applications.withdraw(unit_of_work(repo), youth("p-2"), row.id, POLICY)
    assert row.state == WAITLISTED


# -- the lottery -----------------------------------------------------------------------------


#: a round drawn with the numbers of a state lottery published an hour from now
ROUND = {"kind": PUBLIC_RENTAL, "public_value_source": "福彩双色球第2026081期开奖号码"}


def test_a_lottery_draws_priority_first_and_can_be_run_again_from_its_inputs():
    repo = FakeHousingRepository()
    general = line_of(repo, "p-1", "p-2", "p-3", kind=PUBLIC_RENTAL)
    priority = waiting_application("app-p-9", "p-9", PUBLIC_RENTAL, preference_group="priority")
    repo.add(priority)
    uow = unit_of_work(repo)
    due = utcnow() + timedelta(hours=1)
    draw = lottery.open_round(uow, OFFICER, {**ROUND, "public_value_at": due}, POLICY)
    lottery.close_round(uow, OFFICER, draw.id, POLICY)
    clock.advance(timedelta(hours=1))
    lottery.draw_round(uow, OFFICER, draw.id, {"public_value": "03 12 19 25 28 33 07"})
    order = [row.id for row in sorted(general + [priority], key=lambda r: r.lottery_position)]
    assert order[0] == priority.id
    assert {row.lottery_id for row in general + [priority]} == {draw.id}
    view = lottery.view(draw)
    assert view["order"] == order and view["reproduced"] is True
    assert uow.event_types() == ["lottery.opened", "lottery.closed", "lottery.drawn"]
    assert uow.recorded[2].data["entrants"] == 4
    assert uow.audited[2][3] == {
        "public_value": "03 12 19 25 28 33 07",
        "seed": draw.seed,
        "entrants": 4,
    }


def test_a_lottery_is_refused_for_a_first_come_kind_and_with_nobody_to_draw():
    repo = FakeHousingRepository()
    due = utcnow() + timedelta(hours=1)
    with pytest.raises(Conflict) as first_come:
        lottery.open_round(
            unit_of_work(repo),
            OFFICER,
            {**ROUND, "kind": TALENT_APARTMENT, "public_value_at": due},
            POLICY,
        )
    assert first_come.value.code == "lottery_not_used"
    draw = lottery.open_round(
        unit_of_work(repo), OFFICER, {**ROUND, "public_value_at": due}, POLICY
    )
    with pytest.raises(Conflict) as nobody:
        lottery.close_round(unit_of_work(repo), OFFICER, draw.id, POLICY)
    assert nobody.value.code == "no_entrants"


# -- allocation: offers and leases -----------------------------------------------------------


def test_an_allocation_round_offers_each_available_unit_to_the_next_in_line():
    repo = FakeHousingRepository(
        housing_unit("unit-1", created_at=utcnow() - timedelta(days=2)),
        housing_unit("unit-2", created_at=utcnow() - timedelta(days=1)),
        housing_unit("unit-3"),
    )
    line_of(repo, "p-1", "p-2")
    uow = unit_of_work(repo)
    result = allocation.allocation_round(uow, OFFICER, TALENT_APARTMENT, POLICY)
    assert (result.kind, result.method) == (TALENT_APARTMENT, "waitlist")
    assert [(o.unit_id, o.person_id) for o in result.offers] == [
        ("unit-1", "p-1"),
        ("unit-2", "p-2"),
    ]
    assert repo.get(HousingUnit, "unit-3").state == AVAILABLE
    assert uow.event_types() == ["offer.made", "offer.made"]
    respond_by = result.offers[0].respond_by
    assert respond_by - result.offers[0].offered_at == timedelta(days=POLICY.offer_response_days)


def test_accepting_an_offer_starts_a_lease_today_and_enters_the_talent_ledger():
    repo = FakeHousingRepository()
    offer = offered(repo)
    uow = unit_of_work(repo)
    accepted = allocation.accept(uow, youth("p-1"), offer.id)
    lease = accepted.lease
    assert (accepted.offer.state, lease.state, lease.starts_on) == (
        "accepted",
        ACTIVE,
        clock.today(),
    )
    assert repo.get(HousingUnit, "unit-1").state == "let"
    assert repo.get(HousingApplication, offer.application_id).state == "housed"
    (entry,) = repo.rows(LedgerEntry)
    assert (entry.person_id, entry.lease_id, entry.housed_since) == ("p-1", lease.id, clock.today())
    assert uow.event_types() == ["offer.accepted", "unit.allocated", "lease.started"]


def test_an_offer_past_its_deadline_cannot_be_accepted_even_before_the_sweep():
    repo = FakeHousingRepository()
    offer = offered(repo)
    clock.advance(timedelta(days=POLICY.offer_response_days, minutes=1))
    uow = unit_of_work(repo)
    with pytest.raises(Conflict) as late:
        allocation.accept(uow, youth("p-1"), offer.id)
    assert late.value.code == "offer_expired"
    assert uow.recorded == [] and offer.state == "pending"


def test_someone_elses_offer_does_not_exist_for_them():
    repo = FakeHousingRepository()
    offer = offered(repo)
    with pytest.raises(NotFound):
        allocation.decline(unit_of_work(repo), youth("p-2"), offer.id, POLICY)


def test_declining_passes_the_unit_at_once_to_the_next_in_line():
    repo = FakeHousingRepository()
    offer = offered(repo, person="p-1")
    line_of(repo, "p-2")
    uow = unit_of_work(repo)
    assert allocation.decline(uow, youth("p-1"), offer.id, POLICY).state == "declined"
    assert repo.get(HousingApplication, offer.application_id).state == "declined"
    assert uow.event_types() == ["offer.declined", "offer.made"]
    assert uow.recorded[1].data["person_id"] == "p-2"


def test_the_sweep_expires_an_offer_past_its_deadline_and_offers_the_unit_on():
    repo = FakeHousingRepository()
    offer = offered(repo, person="p-1")
    line_of(repo, "p-2")
    assert not allocation.expire(unit_of_work(repo), offer.id, utcnow(), POLICY)
    later = utcnow() + timedelta(days=POLICY.offer_response_days, minutes=1)
    assert repo.due_offers(later, 100) == [offer.id]
    uow = unit_of_work(repo)
    assert allocation.expire(uow, offer.id, later, POLICY)
    assert offer.state == "expired"
    assert repo.get(HousingApplication, offer.application_id).state == "lapsed"
    assert uow.event_types() == ["offer.expired", "offer.made"]
    assert not allocation.expire(unit_of_work(repo), offer.id, later, POLICY)


def test_ending_a_lease_records_the_move_out_and_offers_the_unit_on():
    repo = FakeHousingRepository()
    lease = allocation.accept(unit_of_work(repo), youth("p-1"), offered(repo).id).lease
    line_of(repo, "p-2")
    with pytest.raises(Forbidden):
        allocation.end_lease(unit_of_work(repo), youth("p-1"), lease.id, {"reason": "x"}, POLICY)
    uow = unit_of_work(repo)
    end = {"reason": "合同到期", "ended_on": clock.today()}
    ended = allocation.end_lease(uow, OFFICER, lease.id, end, POLICY)
    assert (ended.state, ended.ends_on) == ("ended", clock.today())
    assert repo.ledger_entry_of(lease.id).moved_out_on == clock.today()
    assert uow.event_types() == ["lease.ended", "offer.made"]
    assert uow.audited[0][:3] == ("lease.ended", ("lease", lease.id), "合同到期")
    with pytest.raises(IllegalTransition):
        allocation.end_lease(unit_of_work(repo), OFFICER, lease.id, end, POLICY)


# -- the talent ledger -----------------------------------------------------------------------


def test_a_followup_visit_counts_on_its_entry_and_its_notes_are_the_audit_reason():
    repo = FakeHousingRepository()
    lease = allocation.accept(unit_of_work(repo), youth("p-1"), offered(repo).id).lease
    entry = repo.ledger_entry_of(lease.id)
    uow = unit_of_work(repo)
    visit = {
        "visited_on": clock.today(),
        "method": "phone",
        "notes": "已就业",
        "employment_status": "employed",
    }
    followup = ledger.record_followup(uow, OFFICER, entry.id, visit)
    assert (entry.followups, entry.last_followup_on) == (1, clock.today())
    assert followup.recorded_by == OFFICER.account_id
    assert uow.event_types() == ["ledger.followup_recorded"]
    assert "notes" not in uow.recorded[0].data
    assert uow.audited[0][:3] == ("ledger.followup_recorded", ("ledger_entry", entry.id), "已就业")
    earlier = {"visited_on": clock.today() - timedelta(days=9), "method": "visit", "notes": ""}
    ledger.record_followup(unit_of_work(repo), OFFICER, entry.id, earlier)
    assert (entry.followups, entry.last_followup_on) == (2, clock.today())
    with pytest.raises(NotFound):
        ledger.record_followup(unit_of_work(repo), OFFICER, "no-such-entry", visit)
