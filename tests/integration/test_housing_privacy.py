"""The housing service's part in the PIPL rights, against real RabbitMQ and a real database
(SQLite and PostgreSQL): a person's export holds everything; after `person.erased` no cell of
the database names them, leases, station nights and the ledger still count, the subsidy keeps
its amounts, and the gateway is answered with ids only, once per event however often it comes."""

from __future__ import annotations

from datetime import timedelta

from services.common.clock import clock
from services.common.privacy import ERASED
from tests.support import housing as support
from tests.support.housing import declared, draw_round, person, unit_body
from tests.support.messaging import wait_for
from tests.support.privacy import (
    Identity,
    anonymised_answers,
    erased_event,
    found_in_database,
    publish_erased,
)

housing_amqp_uri = support.housing_amqp_uri
housing = support.housing


def housed_with_everything(housing, who: Identity) -> dict:
    """A person housed by lottery (then moved out), visited for the ledger, booked at the youth
    station and granted a purchase subsidy, with their name, ID number and phone in every free
    text they and the officers wrote."""
    officer, facts = housing.officer(), person()
    youth = housing.youth(facts)
    officer.create_unit(unit=unit_body("public_rental"))
    station = officer.create_unit(unit=unit_body("station_bed", beds=2, rooms=1))
    application = youth.submit_application(person=facts, application=declared("public_rental"))
    officer.decide_application(
        application_id=application["id"],
        decision={
            "decision": "approved",
            "reason": f"{who.name}材料齐全",
            "preference_group": "general",
        },
    )
    draw_round(housing)
    [offer] = officer.allocation_round(round={"kind": "public_rental"})["offers"]
    lease = youth.accept_offer(offer_id=offer["id"])["lease"]
    [entry] = officer.list_ledger(filters={"person_id": facts["person_id"]})["items"]
    officer.record_followup(
        entry_id=entry["id"],
        followup={
            "visited_on": clock.today().isoformat(),
            "method": "phone",
            "notes": who.in_words(),
        },
    )
    officer.end_lease(lease_id=lease["id"], end={"reason": f"{who.name}调往外地，{who.phone}"})
    youth.book_station(
        person=facts,
        booking={
            "unit_id": station["id"],
            "first_night": clock.today().isoformat(),
            "nights": 2,
        },
    )
    subsidy = youth.submit_subsidy(
        person=facts,
        subsidy={
            "kind": "purchase_subsidy",
            "amount_requested_cny": "50000",
            "property_address": f"XX区青年路8号 {who.name}",
            "on_government_payroll": False,
        },
    )
    officer.decide_subsidy(
        subsidy_id=subsidy["id"],
        decision={
            "decision": "granted",
            "amount_granted_cny": "30000",
            "reason": f"首套房 {who.id_number}",
        },
    )
    return {"facts": facts, "subsidy": subsidy, "entry": entry, "lease": lease}


def test_export_holds_everything_and_erasure_leaves_no_trace_of_the_person(housing):
    who = Identity.new()
    held = housed_with_everything(housing, who)
    person_id = held["facts"]["person_id"]

    export = housing.youth(held["facts"]).export_person(person_id=person_id)
    [application] = export["applications"]
    assert application["age"] == 25 and application["owns_property"] is False
    assert application["eligibility"][0]["explanation"]["en"].startswith("Age 25")
    assert [o["state"] for o in export["offers"]] == ["accepted"]
    assert who.phone in export["leases"][0]["end_reason"]
    [booking] = export["station_bookings"]
    assert len(booking["nights"]) == 2
    assert export["subsidy_applications"][0]["property_address"].endswith(who.name)
    [entry] = export["talent_ledger"]
    assert entry["followups"][0]["notes"] == who.in_words()
    assert found_in_database(housing.database_url, who.details)

    event = erased_event(person_id)
    publish_erased(housing.amqp_uri, event)
    publish_erased(housing.amqp_uri, event)  # a redelivery: the inbox applies it once
    wait_for(lambda: anonymised_answers(housing.database_url, "housing"), message="the answer")
    publish_erased(housing.amqp_uri, erased_event(person_id, event["data"]["erasure_id"]))
    wait_for(
        lambda: len(anonymised_answers(housing.database_url, "housing")) == 2,
        message="the answer to the gateway asking again",
    )

    assert found_in_database(housing.database_url, who.details) == {}
    first, second = anonymised_answers(housing.database_url, "housing")
    # application, offer, lease, booking and its 2 nights, subsidy, ledger entry and its visit
    assert (
        first
        == second
        == {
            "person_id": person_id,
            "erasure_id": event["data"]["erasure_id"],
            "records": 9,
        }
    )
    assert housing.scalar("SELECT count(*) FROM inbox") == 2
    assert housing.scalar("SELECT count(*) FROM housing_lease") == 1
    # the stay not yet begun is cancelled (see the next test), its nights still on record
    assert housing.scalar("SELECT count(*) FROM station_night") == 2
    assert housing.scalar("SELECT count(*) FROM ledger_entry") == 1
    assert housing.scalar("SELECT followups FROM ledger_entry") == 1

    officer = housing.officer()
    kept = officer.get_subsidy(subsidy_id=held["subsidy"]["id"])
    assert (kept["state"], kept["amount_granted_cny"], kept["amount_requested_cny"]) == (
        "granted",
        "30000.00",
        "50000.00",
    )
    assert kept["property_address"] is None and kept["decision_reason"] == ERASED
    trail = housing.admin().audit_trail(filters={"subject_id": person_id})["items"]
    assert [entry["action"] for entry in trail] == ["person.anonymised"]
    assert trail[0]["details"]["retained"]["subsidy_application"] == 1
    reasons = {
        e["action"]: e["reason"]
        for e in housing.admin().audit_trail(filters={}, limit=100)["items"]
    }
    assert reasons["subsidy.granted"] == reasons["ledger.followup_recorded"] == ERASED
    assert reasons["lease.ended"] == reasons["application.approved"] == ERASED

    after = housing.youth(held["facts"]).export_person(person_id=person_id)
    [application] = after["applications"]
    assert application["age"] is None and application["owns_property"] is None
    assert all(set(rule) == {"rule", "passed", "code"} for rule in application["eligibility"])
    assert after["talent_ledger"][0]["followups"][0]["notes"] == ""
    assert after["station_bookings"][0]["graduation_date"] is None


def test_what_waited_on_an_erased_person_goes_to_the_next_in_line(housing):
    officer = housing.officer()
    unit = officer.create_unit(unit=unit_body("public_rental"))
    station = officer.create_unit(unit=unit_body("station_bed", beds=1, rooms=1))
    erased, next_in_line = person(), person()
    for facts in (erased, next_in_line):
        application = housing.youth(facts).submit_application(
            person=facts, application=declared("public_rental")
        )
        officer.decide_application(
            application_id=application["id"],
            decision={"decision": "approved", "preference_group": "general"},
        )
    draw_round(housing)
    [offer] = officer.allocation_round(round={"kind": "public_rental"})["offers"]
    holder = erased if offer["person_id"] == erased["person_id"] else next_in_line
    other = next_in_line if holder is erased else erased
    tomorrow = clock.today() + timedelta(days=1)
    housing.youth(holder).book_station(
        person=holder,
        booking={"unit_id": station["id"], "first_night": tomorrow.isoformat(), "nights": 2},
    )

    publish_erased(housing.amqp_uri, erased_event(holder["person_id"]))
    wait_for(lambda: anonymised_answers(housing.database_url, "housing"), message="the answer")

    [moved_on] = housing.youth(other).offers_of(person_id=other["person_id"])["items"]
    assert moved_on["unit_id"] == unit["id"] and moved_on["state"] == "pending"
    assert officer.get_offer(offer_id=offer["id"])["state"] == "withdrawn"
    assert housing.scalar("SELECT count(*) FROM station_night WHERE state = 'booked'") == 0
    mine = housing.youth(holder).export_person(person_id=holder["person_id"])
    assert [a["state"] for a in mine["applications"]] == ["withdrawn"]
    assert [b["state"] for b in mine["station_bookings"]] == ["cancelled"]
