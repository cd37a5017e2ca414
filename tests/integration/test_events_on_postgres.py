"""The events service on PostgreSQL with two replicas: the activity's row lock, not one process's
scheduling, keeps the places and the waitlist right under contention; and events still reach
subscribers after the server drops the service's connections."""

from datetime import timedelta

import eventlet
import pytest
import sqlalchemy as sa
from eventlet.event import Event

from services.common.db import create_engine_for
from services.common.errors import DomainError
from services.common.rpc import StandaloneRpc
from services.events.service import EventsService
from tests.support.events import (
    EventsRpc,
    EventTap,
    activity_body,
    new_person,
    registrant,
    running,
)
from tests.support.infra import virtual_host

pytestmark = pytest.mark.parametrize("backend", ["postgres"], indirect=True)


@pytest.fixture(scope="module")
def events_amqp_uri(amqp_uri):
    with virtual_host("events-contention") as uri:
        yield uri


@pytest.fixture
def replicas(databases, events_amqp_uri):
    """Two instances of the service on one database, sharing the `rpc-events` queue."""
    url = databases.migrated("services.events")
    with (
        running(EventsService, url, events_amqp_uri, replicas=2),
        StandaloneRpc(events_amqp_uri, timeout=30) as cluster,
    ):
        events = EventsRpc(cluster)
        events.database_url = url
        yield events


def at_once(calls) -> list:
    """Run every call in its own green thread, all released together; each result or error."""
    go = Event()

    def run(call):
        go.wait()
        try:
            return call()
        except DomainError as error:
            return error

    threads = [eventlet.spawn(run, call) for call in calls]
    eventlet.sleep(0.05)  # every thread is waiting on the start signal
    go.send(True)
    return [thread.wait() for thread in threads]


def test_more_people_than_places_registering_at_once_get_exactly_the_places_and_wait_in_order(
    replicas,
):
    capacity, people = 10, [new_person() for _ in range(40)]
    officer = replicas.as_officer("youth_league")
    draft = officer.create_activity(activity=activity_body(capacity=capacity))
    activity = officer.publish_activity(activity_id=draft["id"])

    answers = at_once(
        [
            lambda person=person: replicas.as_youth(person).register(
                activity_id=activity["id"], person=registrant(person)
            )
            for person in people
        ]
    )

    assert not [a for a in answers if isinstance(a, DomainError)]
    confirmed = [a for a in answers if a["state"] == "confirmed"]
    waitlisted = [a for a in answers if a["state"] == "waitlisted"]
    assert len(confirmed) == capacity and len(waitlisted) == len(people) - capacity
    assert sorted(a["waitlist_position"] for a in waitlisted) == list(range(1, 31))
    assert len({a["check_in_code"] for a in confirmed}) == capacity

    roster = officer.activity_registrations(activity_id=activity["id"], query={"limit": 100})
    in_arrival_order = roster["items"]
    assert [r["sequence"] for r in in_arrival_order] == list(range(1, 41))
    assert [r["state"] for r in in_arrival_order] == ["confirmed"] * 10 + ["waitlisted"] * 30
    told = {a["id"]: a["waitlist_position"] for a in waitlisted}
    assert {r["id"]: r["waitlist_position"] for r in in_arrival_order[10:]} == told
    now = replicas.anonymous.get_activity(activity_id=activity["id"])
    assert (now["confirmed_count"], now["waitlisted_count"], now["places_left"]) == (10, 30, 0)
    only_confirmed = officer.activity_registrations(
        activity_id=activity["id"], query={"state": "confirmed", "limit": 100}
    )
    assert len(only_confirmed["items"]) == capacity


def test_one_place_cancelled_twice_at_once_promotes_one_person_and_a_code_scanned_twice_counts_once(
    replicas,
):
    officer = replicas.as_officer("youth_league")
    draft = officer.create_activity(
        activity=activity_body(capacity=1, starts_in=timedelta(minutes=-10))
    )
    activity = officer.publish_activity(activity_id=draft["id"])
    a, b, c = new_person(), new_person(), new_person()
    place, *_ = [
        replicas.as_youth(p).register(activity_id=activity["id"], person=registrant(p))
        for p in (a, b, c)
    ]

    cancels = at_once(
        [lambda: replicas.as_youth(a).cancel_registration(registration_id=place["id"])] * 6
    )
    assert sum(1 for r in cancels if isinstance(r, dict)) == 1
    assert {r.code for r in cancels if isinstance(r, DomainError)} == {
        "registration_already_cancelled"
    }
    roster = officer.activity_registrations(activity_id=activity["id"], query={})["items"]
    assert [(r["state"], r["waitlist_position"]) for r in roster] == [
        ("cancelled", None),
        ("confirmed", None),
        ("waitlisted", 1),
    ]

    promoted = replicas.as_youth(b).get_registration(registration_id=roster[1]["id"])
    scans = at_once(
        [
            lambda: officer.check_in(
                activity_id=activity["id"], check_in={"code": promoted["check_in_code"]}
            )
        ]
        * 6
    )
    assert sum(1 for r in scans if isinstance(r, dict)) == 1
    assert {r.code for r in scans if isinstance(r, DomainError)} == {"check_in_code_used"}
    now = replicas.anonymous.get_activity(activity_id=activity["id"])
    assert (now["confirmed_count"], now["waitlisted_count"], now["attended_count"]) == (1, 1, 1)


def test_one_person_registering_many_times_at_once_gets_one_registration_and_counts_once(
    replicas,
):
    officer = replicas.as_officer("youth_league")
    draft = officer.create_activity(activity=activity_body(capacity=1))
    activity = officer.publish_activity(activity_id=draft["id"])
    first, again = new_person(), new_person()
    register = [
        lambda person=person: replicas.as_youth(person).register(
            activity_id=activity["id"], person=registrant(person)
        )
        for person in [first] * 5 + [again] * 5
    ]

    answers = at_once(register)

    made = [a for a in answers if isinstance(a, dict)]
    assert len(made) == 2 and {a["person_id"] for a in made} == {first, again}
    assert {a.code for a in answers if isinstance(a, DomainError)} == {"already_registered"}
    roster = officer.activity_registrations(activity_id=activity["id"], query={})["items"]
    assert [r["state"] for r in roster] == ["confirmed", "waitlisted"]
    now = replicas.anonymous.get_activity(activity_id=activity["id"])
    assert (now["confirmed_count"], now["waitlisted_count"]) == (1, 1)


def test_a_cancelled_registration_made_again_many_times_at_once_is_made_once(replicas):
    officer = replicas.as_officer("youth_league")
    draft = officer.create_activity(activity=activity_body(capacity=2))
    activity = officer.publish_activity(activity_id=draft["id"])
    person = new_person()
    mine = replicas.as_youth(person)
    first = mine.register(activity_id=activity["id"], person=registrant(person))
    mine.cancel_registration(registration_id=first["id"])

    answers = at_once(
        [lambda: mine.register(activity_id=activity["id"], person=registrant(person))] * 6
    )

    made = [a for a in answers if isinstance(a, dict)]
    assert len(made) == 1 and made[0]["id"] == first["id"] and made[0]["state"] == "confirmed"
    assert {a.code for a in answers if isinstance(a, DomainError)} == {"already_registered"}
    now = replicas.anonymous.get_activity(activity_id=activity["id"])
    assert (now["confirmed_count"], now["waitlisted_count"]) == (1, 0)


def test_registrations_and_cancellations_at_once_keep_the_counts_and_leave_no_place_idle(
    replicas,
):
    """A place freed while newcomers take numbers goes to the first in line: nobody waits
    while a place is free, and the counters match the registrations."""
    officer = replicas.as_officer("youth_league")
    draft = officer.create_activity(activity=activity_body(capacity=4))
    activity = officer.publish_activity(activity_id=draft["id"])
    holders = [new_person() for _ in range(4)]
    places = [
        replicas.as_youth(p).register(activity_id=activity["id"], person=registrant(p))
        for p in holders
    ]
    newcomers = [new_person() for _ in range(12)]

    at_once(
        [
            lambda person=person: replicas.as_youth(person).register(
                activity_id=activity["id"], person=registrant(person)
            )
            for person in newcomers
        ]
        + [
            lambda person=person, place=place: replicas.as_youth(person).cancel_registration(
                registration_id=place["id"]
            )
            for person, place in zip(holders[:3], places[:3], strict=True)
        ]
    )

    roster = officer.activity_registrations(activity_id=activity["id"], query={"limit": 100})
    states = [r["state"] for r in roster["items"] if r["state"] != "cancelled"]
    assert states.count("confirmed") == 4 and states.count("waitlisted") == 9
    waiting = [r for r in roster["items"] if r["state"] == "waitlisted"]
    placed = [r for r in roster["items"] if r["state"] == "confirmed"]
    # the places went to the earliest arrivals; the waitlist is the rest, in arrival order
    assert max(r["sequence"] for r in placed) < min(r["sequence"] for r in waiting)
    assert [r["waitlist_position"] for r in waiting] == list(range(1, 10))
    now = replicas.anonymous.get_activity(activity_id=activity["id"])
    assert (now["confirmed_count"], now["waitlisted_count"]) == (4, 9)


def test_an_activity_cancelled_while_people_register_leaves_nobody_registered(replicas):
    officer = replicas.as_officer("youth_league")
    draft = officer.create_activity(activity=activity_body(capacity=3))
    activity = officer.publish_activity(activity_id=draft["id"])
    people = [new_person() for _ in range(12)]

    answers = at_once(
        [
            lambda person=person: replicas.as_youth(person).register(
                activity_id=activity["id"], person=registrant(person)
            )
            for person in people
        ]
        + [lambda: officer.cancel_activity(activity_id=activity["id"], decision={"reason": "雨"})]
    )

    refused = {a.code for a in answers if isinstance(a, DomainError)}
    assert refused <= {"activity_not_open"}
    roster = officer.activity_registrations(activity_id=activity["id"], query={"limit": 100})
    assert {r["state"] for r in roster["items"]} <= {"cancelled"}
    now = replicas.anonymous.get_activity(activity_id=activity["id"])
    assert (now["state"], now["confirmed_count"], now["waitlisted_count"]) == ("cancelled", 0, 0)


def test_events_still_reach_subscribers_after_the_server_drops_every_connection(
    replicas, events_amqp_uri
):
    tap = EventTap(events_amqp_uri)
    try:
        activity = replicas.published_activity()
        assert len(tap.events(1)) == 1
        database = sa.engine.make_url(replicas.database_url)
        server = create_engine_for(database.set(database="postgres").render_as_string(False))
        with server.connect() as conn:
            dropped = conn.execute(
                sa.text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": database.database},
            ).scalar()
        server.dispose()
        assert dropped >= 2  # both replicas' relays held a connection for their outbox lock
        person = new_person()
        replicas.as_youth(person).register(activity_id=activity["id"], person=registrant(person))
        published = tap.events(2, timeout=20)
        assert [e["type"] for e in published][-1] == "youthcity.events.registration.confirmed"
    finally:
        tap.close()


def test_more_people_than_places_booking_a_slot_at_once_never_overbook_it(replicas):
    """The slot's row lock: 20 people booking 5 places at once on two replicas get exactly 5;
    the others are told it is full, and the slot's count matches its bookings."""
    from datetime import UTC, datetime

    from tests.support.events import venue_body

    keeper = replicas.as_officer("education_sports")
    venue = keeper.create_venue(venue=venue_body(latitude=30.27, longitude=120.15))
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    slot = keeper.publish_slot(
        venue_id=venue["id"],
        slot={
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=1)).isoformat(),
            "capacity": 5,
        },
    )
    people = [new_person() for _ in range(20)]

    answers = at_once(
        [lambda p=p: replicas.as_youth(p).book_slot(slot_id=slot["id"]) for p in people]
    )

    booked = [a for a in answers if not isinstance(a, DomainError)]
    refused = [a for a in answers if isinstance(a, DomainError)]
    assert len(booked) == 5 and {a["state"] for a in booked} == {"booked"}
    assert {e.code for e in refused} == {"slot_full"} and len(refused) == 15
    (listed,) = replicas.anonymous.venue_slots(venue_id=venue["id"], filters={})["items"]
    assert (listed["booked_count"], listed["places_left"]) == (5, 0)
    engine = create_engine_for(replicas.database_url)
    try:
        with engine.connect() as connection:
            held = connection.execute(
                sa.text(
                    "SELECT count(*) FROM slot_booking WHERE slot_id = :id AND state = 'booked'"
                ),
                {"id": slot["id"]},
            ).scalar()
    finally:
        engine.dispose()
    assert held == 5
