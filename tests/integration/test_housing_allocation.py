"""Applications to leases through a real housing service on RabbitMQ, on SQLite and PostgreSQL:
review, the lottery, offers declined and expired (with the service's clock moved, not slept),
waitlist promotion, the talent ledger, subsidies, the dashboard and the indicators."""

import hashlib
from datetime import timedelta

import pytest

from services.common.clock import clock
from services.common.errors import DomainError
from tests.support import housing as support
from tests.support.housing import declared, person, unit_body

#: the database's own behaviour (locks, migrations, SQL): on both backends
pytestmark = pytest.mark.both_backends

# the housing service under test, on a virtual host of its own (tests/support/housing.py)
housing_amqp_uri = support.housing_amqp_uri
housing = support.housing


def apply(housing, facts, kind="public_rental", **fields):
    return housing.youth(facts).submit_application(
        person=facts, application=declared(kind, **fields)
    )


def approve(housing, application_id, group="general"):
    return housing.officer().decide_application(
        application_id=application_id,
        decision={"decision": "approved", "reason": "材料齐全", "preference_group": group},
    )


def test_a_lottery_orders_the_list_offers_move_on_when_declined_or_expired_and_a_lease_starts(
    housing,
):
    officer = housing.officer()
    units = [officer.create_unit(unit=unit_body("public_rental")) for _ in range(2)]
    people = [person() for _ in range(3)]
    applications = [apply(housing, p) for p in people]
    assert all(a["state"] == "submitted" and a["eligible"] for a in applications)

    too_old = person(age=36)
    refused = apply(housing, too_old)
    assert (refused["state"], refused["eligible"]) == ("rejected", False)
    age_rule = refused["eligibility"][0]
    assert age_rule["rule"] == "age" and not age_rule["passed"]
    assert age_rule["explanation"]["en"].startswith("Age 36 is over the limit of 35")

    for application, group in zip(applications, ("general", "priority", "general"), strict=True):
        approved = approve(housing, application["id"], group)
        assert approved["state"] == "waitlisted" and approved["waitlist_position"] is None

    draw = support.draw_round(housing)
    assert draw["reproduced"] and draw["public_value"] == support.PUBLIC_VALUE
    assert hashlib.sha256(draw["seed"].encode()).hexdigest() == draw["commitment"]
    assert draw["order"][0] == applications[1]["id"]  # the priority group goes first
    assert sorted(draw["order"]) == sorted(a["id"] for a in applications)
    assert housing.rpc.housing.get_lottery(lottery_id=draw["id"]) == draw
    first, second, third = draw["order"]
    owner = {a["id"]: p for a, p in zip(applications, people, strict=True)}

    offers = officer.allocation_round(round={"kind": "public_rental"})["offers"]
    assert [o["application_id"] for o in offers] == [first, second]
    assert {o["unit_id"] for o in offers} == {u["id"] for u in units}
    by_application = {o["application_id"]: o for o in offers}
    assert housing.rpc.housing.get_unit(unit_id=offers[0]["unit_id"])["state"] == "offered"

    declined = housing.youth(owner[first]).decline_offer(offer_id=by_application[first]["id"])
    assert declined["state"] == "declined"
    moved_on = housing.youth(owner[third]).offers_of(person_id=owner[third]["person_id"])
    [third_offer] = moved_on["items"]
    assert third_offer["unit_id"] == by_application[first]["unit_id"]

    housing.clock.advance(timedelta(days=7, seconds=1))
    try:
        assert housing.rpc.housing.expire_offers() == {"expired": 2}
        with pytest.raises(DomainError) as late:
            housing.youth(owner[third]).accept_offer(offer_id=third_offer["id"])
        assert late.value.status == 409 and late.value.code == "illegal_transition"
    finally:
        housing.clock.reset()
    assert officer.get_application(application_id=second)["state"] == "lapsed"
    assert all(housing.rpc.housing.get_unit(unit_id=u["id"])["state"] == "available" for u in units)
    assert housing.event_types(subject=by_application[second]["id"]) == [
        "offer.made",
        "offer.expired",
    ]

    # the one who declined applies again and takes the next unit offered
    again = apply(housing, owner[first])
    approve(housing, again["id"])
    support.draw_round(housing)
    [offer] = officer.allocation_round(round={"kind": "public_rental"})["offers"]
    accepted = housing.youth(owner[first]).accept_offer(offer_id=offer["id"])
    lease = accepted["lease"]
    assert accepted["offer"]["state"] == "accepted" and lease["state"] == "active"
    assert lease["starts_on"] == clock.today().isoformat()
    assert housing.rpc.housing.get_unit(unit_id=offer["unit_id"])["state"] == "let"
    assert housing.event_types(subject=offer["id"]) == ["offer.made", "offer.accepted"]
    assert "unit.allocated" in housing.event_types(subject=offer["unit_id"])

    [entry] = officer.list_ledger(filters={"person_id": owner[first]["person_id"]})["items"]
    assert entry["lease_id"] == lease["id"] and entry["followups"] == 0
    visit = officer.record_followup(
        entry_id=entry["id"],
        followup={
            "visited_on": clock.today().isoformat(),
            "method": "visit",
            "notes": "适应良好",
        },
    )
    detail = officer.get_ledger_entry(entry_id=entry["id"])
    assert detail["followups"] == 1 and [v["id"] for v in detail["visits"]] == [visit["id"]]

    trail = housing.admin().audit_trail(filters={"action": "application.approved"})
    assert len(trail["items"]) == 4 and trail["items"][0]["reason"] == "材料齐全"
    assert trail["items"][0]["actor_unit"] == "housing"
    assert (
        housing.admin().audit_trail(filters={"action": "ledger.followup_recorded"})["items"][0][
            "reason"
        ]
        == "适应良好"
    )


def test_first_come_list_is_offered_in_order_and_a_freed_unit_promotes_the_next(housing):
    officer = housing.officer()
    unit = officer.create_unit(unit=unit_body("talent_apartment", homestay=True))
    people = [person(age=38, degree="master") for _ in range(2)]
    applications = [apply(housing, p, "talent_apartment") for p in people]
    for application in applications:
        approve(housing, application["id"])
    positions = [
        housing.youth(p).get_application(application_id=a["id"])["waitlist_position"]
        for p, a in zip(people, applications, strict=True)
    ]
    assert positions == [1, 2]
    with pytest.raises(DomainError) as no_draw:
        officer.open_lottery(
            lottery={
                "kind": "talent_apartment",
                "public_value_source": support.PUBLIC_VALUE_SOURCE,
                "public_value_at": (clock.utcnow() + timedelta(days=1)).isoformat(),
            }
        )
    assert no_draw.value.code == "lottery_not_used"

    [offer] = officer.allocation_round(round={"kind": "talent_apartment"})["offers"]
    assert offer["application_id"] == applications[0]["id"]
    lease = housing.youth(people[0]).accept_offer(offer_id=offer["id"])["lease"]
    ended = officer.end_lease(lease_id=lease["id"], end={"reason": "合同到期"})
    assert ended["state"] == "ended"
    [promoted] = housing.youth(people[1]).offers_of(person_id=people[1]["person_id"])["items"]
    assert promoted["unit_id"] == unit["id"] and promoted["state"] == "pending"
    assert housing.rpc.housing.get_unit(unit_id=unit["id"])["state"] == "offered"


def test_refusals_change_nothing(housing):
    officer, applicant = housing.officer(), person()
    application = apply(housing, applicant)
    with pytest.raises(DomainError) as twice:
        apply(housing, applicant)
    assert (twice.value.status, twice.value.code) == (409, "application_open")
    with pytest.raises(DomainError) as other_unit:
        housing.officer("hrss").decide_application(
            application_id=application["id"], decision={"decision": "approved"}
        )
    assert (other_unit.value.status, other_unit.value.code) == (403, "not_responsible_unit")
    with pytest.raises(DomainError) as stranger:
        housing.youth(person()).get_application(application_id=application["id"])
    assert stranger.value.status == 404
    with pytest.raises(DomainError) as no_reason:
        officer.decide_application(
            application_id=application["id"], decision={"decision": "rejected"}
        )
    assert no_reason.value.status == 422 and no_reason.value.field == "reason"
    with pytest.raises(DomainError) as too_big:
        officer.create_unit(unit=unit_body("affordable_rental", area_m2="70.5"))
    assert too_big.value.errors[0]["code"] == "area_too_large"
    assert (
        housing.youth(applicant).get_application(application_id=application["id"])["state"]
        == "submitted"
    )
    assert housing.scalar("SELECT count(*) FROM housing_unit") == 0
    assert housing.scalar("SELECT count(*) FROM audit_entry") == 0


def test_subsidies_the_dashboard_and_the_indicators(housing):
    officer, applicant = housing.officer(), person()
    subsidy = housing.youth(applicant).submit_subsidy(
        person=applicant,
        subsidy={
            "kind": "purchase_subsidy",
            "amount_requested_cny": "50000",
            "on_government_payroll": False,
        },
    )
    assert subsidy["state"] == "submitted" and subsidy["eligible"]
    with pytest.raises(DomainError) as too_much:
        officer.decide_subsidy(
            subsidy_id=subsidy["id"],
            decision={"decision": "granted", "amount_granted_cny": "60000"},
        )
    assert too_much.value.errors[0]["code"] == "amount_too_high"
    granted = officer.decide_subsidy(
        subsidy_id=subsidy["id"],
        decision={"decision": "granted", "amount_granted_cny": "30000", "reason": "首套房"},
    )
    assert granted["state"] == "granted" and granted["amount_granted_cny"] == "30000.00"
    application = apply(housing, applicant, "affordable_rental")

    dashboard = housing.youth(applicant).dashboard()
    kinds = {item["kind"]: item for item in dashboard["items"]}
    assert set(kinds) == {"housing.application", "housing.subsidy"}
    assert (
        kinds["housing.application"]["link"] == f"/api/v1/housing/applications/{application['id']}"
    )
    assert (
        kinds["housing.application"]["next_step"]["en"] == "Waiting for the housing bureau's review"
    )
    assert kinds["housing.subsidy"]["title"] == {
        "zh-CN": "购房补贴申请",
        "en": "home-purchase subsidy application",
    }

    today = clock.today()
    figures = housing.rpc.housing.indicators(
        since=today.isoformat(), until=(today + timedelta(days=1)).isoformat()
    )
    assert figures["housing.applications.submitted.affordable_rental"] == 1
    assert figures["housing.subsidies.granted.purchase_subsidy"] == 1
    assert figures["housing.subsidies.granted_cny.purchase_subsidy"] == 30000.0
    assert figures["housing.occupancy.public_rental"] == 0.0
    yesterday = housing.rpc.housing.indicators(
        since=(today - timedelta(days=1)).isoformat(), until=today.isoformat()
    )
    assert "housing.applications.submitted.affordable_rental" not in yesterday
    with pytest.raises(DomainError) as reversed_period:
        housing.rpc.housing.indicators(since=today.isoformat(), until=today.isoformat())
    assert reversed_period.value.field == "until"


def test_a_withdrawal_or_a_unit_back_from_maintenance_moves_the_list_on(housing):
    officer = housing.officer()
    unit = officer.create_unit(unit=unit_body("talent_apartment"))
    people = [person() for _ in range(3)]
    applications = [apply(housing, p, "talent_apartment") for p in people]
    for application in applications:
        approve(housing, application["id"])
    [offer] = officer.allocation_round(round={"kind": "talent_apartment"})["offers"]
    assert offer["person_id"] == people[0]["person_id"]

    withdrawn = housing.youth(people[0]).withdraw_application(application_id=applications[0]["id"])
    assert withdrawn["state"] == "withdrawn"
    assert housing.youth(people[0]).get_offer(offer_id=offer["id"])["state"] == "withdrawn"
    [moved_on] = housing.youth(people[1]).offers_of(person_id=people[1]["person_id"])["items"]
    assert moved_on["unit_id"] == unit["id"]

    spare = officer.create_unit(unit=unit_body("talent_apartment"))
    officer.set_unit_maintenance(unit_id=spare["id"], change={"reason": "管道维修"})
    assert officer.allocation_round(round={"kind": "talent_apartment"})["offers"] == []
    reopened = officer.reopen_unit(unit_id=spare["id"], change={"reason": "维修完成"})
    assert reopened["state"] == "offered"
    [promoted] = housing.youth(people[2]).offers_of(person_id=people[2]["person_id"])["items"]
    assert promoted["unit_id"] == spare["id"]
    with pytest.raises(DomainError) as busy:
        officer.set_unit_maintenance(unit_id=spare["id"], change={"reason": "x"})
    assert (busy.value.status, busy.value.code) == (409, "illegal_transition")
    actions = [
        e["action"] for e in housing.admin().audit_trail(filters={"subject_type": "unit"})["items"]
    ]
    assert actions == ["unit.reopened", "unit.maintenance"]


def test_a_station_room_keeps_the_beds_its_bookings_hold(housing):
    officer = housing.officer()
    room = officer.create_unit(unit=unit_body("station_bed", beds=3))
    for _ in range(3):
        housing.youth(facts := person()).book_station(
            person=facts,
            booking={
                "unit_id": room["id"],
                "first_night": clock.today().isoformat(),
                "nights": 1,
            },
        )
    with pytest.raises(DomainError) as in_use:
        officer.update_unit(unit_id=room["id"], changes={"beds": 2})
    assert in_use.value.code == "beds_in_use"
    assert officer.update_unit(unit_id=room["id"], changes={"beds": 4})["beds"] == 4
    dashboard = housing.youth(facts).dashboard()
    [item] = dashboard["items"]
    assert item["kind"] == "housing.stationbooking" and item["state"] == "confirmed"
    assert item["next_step"]["zh-CN"] == "按预订日期到驿站办理入住"


def test_units_go_to_households_that_fit_them_after_the_draw_and_a_misfit_is_refused(housing):
    officer = housing.officer()
    one_room = officer.create_unit(unit=unit_body("public_rental", rooms=1))
    sizes = (5, 3, 1)
    people = [person() for _ in sizes]
    applications = [apply(housing, p, household_size=n) for p, n in zip(people, sizes, strict=True)]
    for application in applications:
        approve(housing, application["id"])
    support.draw_round(housing)
    by_size = dict(zip(sizes, applications, strict=True))

    # whatever the draw's order, the one room goes to the single person: the others keep their place
    [offer] = officer.allocation_round(round={"kind": "public_rental"})["offers"]
    assert offer["unit_id"] == one_room["id"]
    assert offer["application_id"] == by_size[1]["id"]

    two_rooms = officer.create_unit(unit=unit_body("public_rental", rooms=2))
    [named] = officer.allocation_round(round={"kind": "public_rental", "unit_id": two_rooms["id"]})[
        "offers"
    ]
    assert named["application_id"] == by_size[3]["id"]

    studio = officer.create_unit(unit=unit_body("public_rental", rooms=0))
    with pytest.raises(DomainError) as misfit:
        officer.allocation_round(round={"kind": "public_rental", "unit_id": studio["id"]})
    assert (misfit.value.status, misfit.value.code) == (409, "unit_fits_no_household")
    assert misfit.value.params == {"rooms": 0, "fewest": 1, "most": 2}
    assert housing.rpc.housing.get_unit(unit_id=studio["id"])["state"] == "available"
    assert officer.get_application(application_id=by_size[5]["id"])["state"] == "waitlisted"
    left = officer.allocation_round(round={"kind": "public_rental"})
    assert left["offers"] == []
    assert left["units_left"] == [{"unit_id": studio["id"], "rooms": 0, "fewest": 1, "most": 2}]
