"""The rules of a person's erasure (PIPL) in events and notify, without I/O."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from services.common.actor import Actor
from services.common.cloudevents import encode
from services.common.errors import NotFound
from services.events import domain as events
from services.notify import domain as notify

NOW = datetime(2026, 12, 1, 8, tzinfo=UTC)


@pytest.mark.parametrize(
    ("state", "activity_state", "ends_in", "withdrawn"),
    [
        (events.CONFIRMED, events.PUBLISHED, timedelta(days=3), True),
        (events.WAITLISTED, events.PUBLISHED, timedelta(minutes=5), True),
        (events.CHECKED_IN, events.PUBLISHED, timedelta(hours=1), False),  # they came
        (events.CONFIRMED, events.PUBLISHED, timedelta(hours=-1), False),  # over: counted
        (events.CONFIRMED, events.FINISHED, timedelta(hours=-1), False),
        (events.REG_CANCELLED, events.PUBLISHED, timedelta(days=3), False),
    ],
)
def test_only_a_place_still_ahead_is_given_up_on_erasure(state, activity_state, ends_in, withdrawn):
    assert events.withdrawn_on_erasure(state, activity_state, NOW + ends_in, NOW) is withdrawn


def test_an_anonymised_registration_or_story_belongs_to_nobody():
    with pytest.raises(NotFound):
        events.check_registration_owner(Actor(None, None), None)
    events.check_registration_owner(Actor("a1", "admin"), None)
    reader = Actor(None, None)
    with pytest.raises(NotFound):
        events.check_may_read_story(reader, events.STORY_ERASED, None, ("publicity",))


def test_an_erased_story_that_was_published_still_counts_as_published():
    assert events.STORY_ERASED in events.ONCE_PUBLISHED
    assert events.STORY_ERASED in events.STORY_STATES


def test_every_string_of_an_events_data_is_a_candidate_person_id():
    data = {"person_id": "p1", "n": 3, "nested": {"ids": ["p2", {"deep": "p3"}]}, "none": None}
    assert notify.strings_in(data) == {"p1", "p2", "p3"}
    assert notify.strings_in({}) == set()


def test_a_withheld_webhook_copy_keeps_its_envelope_and_says_why():
    payload = encode(
        event_id="e1",
        service="events",
        event_type="youthcity.events.registration.confirmed",
        time=NOW,
        subject="r1",
        data_json=json.dumps({"person_id": "p1", "reason": "林晓雨"}, ensure_ascii=False),
        request_id=None,
        actor_id=None,
    ).decode()
    withheld = json.loads(notify.withhold_data(payload))
    assert withheld["data"] == {} and withheld["datawithheld"] == "erasure"
    assert (withheld["id"], withheld["subject"]) == ("e1", "r1")
    assert withheld["type"] == "youthcity.events.registration.confirmed"


def test_erasure_notices_are_passed_on_whole():
    assert notify.tells_of_erasure("youthcity.gateway.person.erased")
    assert notify.tells_of_erasure("youthcity.jobs.person.anonymised")
    assert not notify.tells_of_erasure("youthcity.events.registration.confirmed")
