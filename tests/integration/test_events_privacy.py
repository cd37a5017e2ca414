"""The events service's part in a person's data rights (PIPL), on SQLite and PostgreSQL with a
real broker: the export shows what is held, and after `person.erased` no table holds the
person's details or id, the counts the indicators read are unchanged, places they held at
activities still ahead go to the waitlist, and the answer carries ids only."""

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from services.common.clock import clock
from services.common.rpc import StandaloneRpc
from services.events.service import EventsService
from tests.support.events import (
    EventsRpc,
    EventTap,
    activity_body,
    new_person,
    registrant,
    running,
    story_body,
    venue_body,
)
from tests.support.infra import virtual_host
from tests.support.messaging import wait_for
from tests.support.notify import publish_event
from tests.support.privacy import found_in_database, row_counts

NAME, PHONE, EMAIL, ID_NUMBER = (
    "林晓雨",
    "13912345678",
    "lin.xiaoyu@example.com",
    "11010119990307123X",
)


@pytest.fixture(scope="module")
def privacy_amqp_uri(amqp_uri):
    with virtual_host("events-privacy") as uri:
        yield uri


@pytest.fixture
def service(databases, privacy_amqp_uri):
    url = databases.migrated("services.events")
    with running(EventsService, url, privacy_amqp_uri), StandaloneRpc(privacy_amqp_uri) as cluster:
        yield EventsRpc(cluster), url, privacy_amqp_uri


@pytest.fixture
def tap(privacy_amqp_uri):
    tap = EventTap(privacy_amqp_uri)
    yield tap
    tap.close()


def erased(amqp_uri: str, person_id: str, erasure_id: str, event_id: str | None = None) -> str:
    """`person.erased` as the gateway publishes it."""
    return publish_event(
        amqp_uri,
        "gateway",
        "person.erased",
        {
            "person_id": person_id,
            "erasure_id": erasure_id,
            "erased_at": datetime.now(UTC).isoformat(),
        },
        subject=person_id,
        event_id=event_id,
    )


def test_an_erased_person_leaves_counted_records_without_a_trace_of_them(service, tap):
    events, url, amqp_uri = service
    person, waiting, other = new_person(), new_person(), new_person()
    officer = events.as_officer("youth_league")
    running_now = officer.publish_activity(
        activity_id=officer.create_activity(
            activity=activity_body(capacity=5, starts_in=timedelta(minutes=-30))
        )["id"]
    )
    ahead = events.published_activity(capacity=1)
    held = events.as_youth(person).register(
        activity_id=running_now["id"], person=registrant(person, 24)
    )
    officer.check_in(activity_id=running_now["id"], check_in={"code": held["check_in_code"]})
    place = events.as_youth(person).register(activity_id=ahead["id"], person=registrant(person))
    events.as_youth(waiting).register(activity_id=ahead["id"], person=registrant(waiting))
    events.as_youth(other).register(activity_id=running_now["id"], person=registrant(other))

    writer = events.as_youth(person)
    told = f"我是{NAME},身份证 {ID_NUMBER},电话 {PHONE},邮箱 {EMAIL}。"
    published = writer.submit_story(story=story_body(body=told * 2, byline=NAME))
    waiting_story = writer.submit_story(story=story_body(title=f"{NAME}的故事", body=told))
    editor = events.as_officer("publicity")
    editor.moderate_story(story_id=published["id"], action="approve")

    export = events.as_youth(person).export_person(person_id=person)
    assert json.loads(json.dumps(export)) == export  # JSON as it is
    assert [(r["activity_id"], r["state"], r["age"]) for r in export["registrations"]] == [
        (running_now["id"], "checked_in", 24),
        (ahead["id"], "confirmed", 22),
    ]
    assert export["registrations"][1]["check_in_code"] == place["check_in_code"]
    assert {s["id"]: (s["state"], s["byline"]) for s in export["stories"]} == {
        published["id"]: ("published", NAME),
        waiting_story["id"]: ("submitted", "茶园青年"),
    }
    assert PHONE in export["stories"][0]["body"]

    today = clock.today()
    period = {
        "since": (today - timedelta(days=1)).isoformat(),
        "until": (today + timedelta(days=30)).isoformat(),
    }
    before = events.anonymous.indicators(**period)
    rows_before = row_counts(url, ("registration", "story", "activity"))
    tap.events(count=99, timeout=1)  # what happened so far; the erasure's events come next

    erasure_id = str(uuid.uuid4())
    first = erased(amqp_uri, person, erasure_id)
    erased(amqp_uri, person, erasure_id, event_id=first)  # redelivered: skipped by the inbox

    def answers():
        return tap.of_type(tap.events(count=999, timeout=0.5), "person.anonymised")

    wait_for(lambda: len(answers()) == 1, timeout=20, message="person.anonymised")
    erased(amqp_uri, person, erasure_id)  # the gateway asks again: harmless
    wait_for(lambda: len(answers()) == 2, timeout=20, message="a second answer")
    tap.events(count=999, timeout=1)
    answered = answers()
    assert [a["data"] for a in answered] == [
        {"person_id": person, "erasure_id": erasure_id, "records": 4},
        {"person_id": person, "erasure_id": erasure_id, "records": 0},
    ]
    assert all(a["subject"] == person for a in answered)
    for answer in answered:
        text = json.dumps(answer, ensure_ascii=False)
        assert not any(detail in text for detail in (NAME, PHONE, EMAIL, ID_NUMBER))

    # the place ahead went to the waitlist, as when a person cancels
    promoted = tap.of_type(tap.events(count=999, timeout=0.2), "registration.promoted")
    assert [e["data"]["person_id"] for e in promoted] == [waiting]
    assert not tap.of_type(tap.events(count=999, timeout=0.2), "registration.cancelled")

    details = {"name": NAME, "phone": PHONE, "email": EMAIL, "id number": ID_NUMBER}
    assert found_in_database(url, details) == {}
    # the person's id stays only in the history of published events (ids only, by contract)
    assert found_in_database(url, {"person id": person}, skip=("outbox",)) == {}

    assert row_counts(url, ("registration", "story", "activity")) == rows_before
    after = events.anonymous.indicators(**period)
    assert after["events.waitlist_promotions"] == before["events.waitlist_promotions"] + 1
    del before["events.waitlist_promotions"], after["events.waitlist_promotions"]
    assert after == before  # attendance, places taken, stories submitted and published hold

    assert events.as_youth(person).export_person(person_id=person) == {
        "registrations": [],
        "stories": [],
    }
    column = events.anonymous.list_stories(filters={"state": "published"})["items"]
    assert published["id"] not in [s["id"] for s in column]
    kept = editor.get_story(story_id=published["id"])
    assert (kept["state"], kept["title"], kept["body"], kept["author_id"]) == (
        "erased",
        "",
        "",
        None,
    )
    roster = officer.activity_registrations(activity_id=ahead["id"], query={})["items"]
    assert [(r["person_id"], r["state"]) for r in roster] == [
        (None, "cancelled"),
        (waiting, "confirmed"),
    ]


def test_an_erased_persons_slot_is_freed_and_their_counselling_keeps_no_trace_of_them(service, tap):
    """The 15-minute circle's records (三.4): the export holds the person's slot booking and
    counselling booking (what they wrote, their consent); after `person.erased` the slot's place
    is free, no table holds what they wrote or their id, and the counts hold."""
    events, url, amqp_uri = service
    person = new_person()
    keeper = events.as_officer("education_sports")
    venue = keeper.create_venue(venue=venue_body(latitude=30.27, longitude=120.15))
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    slot = keeper.publish_slot(
        venue_id=venue["id"],
        slot={
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=1)).isoformat(),
            "capacity": 3,
        },
    )
    me = events.as_youth(person)
    booking = me.book_slot(slot_id=slot["id"])
    told = f"我是{NAME},电话 {PHONE},最近总是失眠。"
    counselling = me.book_counselling(booking={"mode": "phone", "concern": told, "consent": True})
    events.as_officer("health").decide_counselling(
        booking_id=counselling["id"],
        action="schedule",
        decision={"scheduled_at": starts.isoformat(), "place": "城关青年之家"},
    )

    export = me.export_person(person_id=person)
    assert [(b["id"], b["state"]) for b in export["slot_bookings"]] == [(booking["id"], "booked")]
    [held] = export["counselling_bookings"]
    assert (held["concern"], held["state"], held["consent_version"]) == (
        told,
        "scheduled",
        "2026-12-v1",
    )

    today = clock.today()
    period = {
        "since": (today - timedelta(days=1)).isoformat(),
        "until": (today + timedelta(days=30)).isoformat(),
    }
    before = events.anonymous.indicators(**period)
    tap.events(count=99, timeout=1)
    erased(amqp_uri, person, str(uuid.uuid4()))
    wait_for(
        lambda: tap.of_type(tap.events(count=999, timeout=0.5), "person.anonymised"),
        timeout=20,
        message="person.anonymised",
    )

    [free] = events.anonymous.venue_slots(venue_id=venue["id"], filters={})["items"]
    assert free["places_left"] == 3
    assert found_in_database(url, {"name": NAME, "phone": PHONE, "place": "城关青年之家"}) == {}
    assert found_in_database(url, {"person id": person}, skip=("outbox",)) == {}
    after = events.anonymous.indicators(**period)
    assert (after["events.slot_bookings"], after["events.counselling_booked"]) == (
        before["events.slot_bookings"],
        before["events.counselling_booked"],
    )
    assert me.export_person(person_id=person) == {"registrations": [], "stories": []}
