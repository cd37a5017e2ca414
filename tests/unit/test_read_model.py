"""The gateway's read model: a post being read is refreshed rather than aged out, the maximum
age still bounds every answer, a load that overlaps a drop of its key is not kept, and an
event naming a person drops that person's dashboard only."""

import json
from datetime import UTC, datetime

import pytest

from gateway.read_model import Entries, ReadModel
from services.common import cloudevents

MAX_AGE = 30.0


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Loads:
    """A load that answers each call with the next value (and counts its calls)."""

    def __init__(self, *values):
        self.values = list(values)
        self.calls = 0

    def __call__(self):
        self.calls += 1
        value = self.values.pop(0)
        if isinstance(value, Exception):
            raise value
        return value


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def started():
    return []


@pytest.fixture
def posts(clock, started):
    entries = Entries("posts", MAX_AGE, 100, spawn=started.append, timer=clock)
    entries.enabled = True
    return entries


def always(_value) -> bool:
    return True


def test_a_read_early_in_an_entrys_life_starts_no_refresh(posts, clock, started):
    load = Loads("v1")
    assert posts.fetch("p", load, always) == "v1"
    clock.now += MAX_AGE * 0.6
    assert posts.fetch("p", load, always) == "v1"
    assert started == [] and load.calls == 1


def test_a_read_late_in_its_life_answers_the_kept_value_and_refreshes_it_once(
    posts, clock, started
):
    load = Loads("v1", "v2")
    posts.fetch("p", load, always)
    clock.now += MAX_AGE * 0.7
    assert posts.fetch("p", load, always) == "v1"
    assert posts.fetch("p", load, always) == "v1"
    assert len(started) == 1, "one refresh at a time"

    started.pop()()
    assert posts.fetch("p", load, always) == "v2"
    clock.now += MAX_AGE * 0.9  # the refreshed entry's life counts from its refresh
    assert posts.fetch("p", load, always) == "v2"
    assert load.calls == 2


def test_an_entry_not_read_in_time_ages_out_at_the_maximum_age(posts, clock, started):
    load = Loads("v1", "v2")
    posts.fetch("p", load, always)
    clock.now += MAX_AGE + 0.1
    assert posts.fetch("p", load, always) == "v2"
    assert started == []


def test_a_refresh_overlapping_a_drop_of_its_key_is_not_kept(posts, clock, started):
    dropped = []

    def load_raced_by_a_close():
        posts.forget("p")
        dropped.append(True)
        return "before the close"

    posts.fetch("p", Loads("v1"), always)
    clock.now += MAX_AGE * 0.7
    posts.fetch("p", load_raced_by_a_close, always)
    started.pop()()
    assert dropped and len(posts) == 0
    assert posts.fetch("p", Loads("after the close"), always) == "after the close"


def test_a_load_overlapping_a_drop_of_another_key_is_kept(posts):
    def load():
        posts.forget("q")
        return "v1"

    assert posts.fetch("p", load, always) == "v1"
    assert posts.fetch("p", Loads("not asked"), always) == "v1"


def test_a_refresh_no_longer_kept_drops_the_entry(posts, clock, started):
    posts.fetch("p", Loads("published"), always)
    clock.now += MAX_AGE * 0.7
    posts.fetch("p", Loads("withdrawn"), lambda value: value == "published")
    started.pop()()
    assert len(posts) == 0


def test_a_failed_refresh_leaves_the_kept_value_to_age_out(posts, clock, started):
    posts.fetch("p", Loads("v1"), always)
    clock.now += MAX_AGE * 0.7
    posts.fetch("p", Loads(TimeoutError()), always)
    started.pop()()  # raises nothing: it runs on the container's managed thread
    assert posts.fetch("p", Loads("not asked"), always) == "v1"
    clock.now += MAX_AGE * 0.4
    assert posts.fetch("p", Loads("v2"), always) == "v2"


def test_entries_without_spawn_are_never_refreshed(clock):
    accounts = Entries("accounts", MAX_AGE, 100, timer=clock)
    accounts.enabled = True
    accounts.fetch("a", Loads("v1"), always)
    clock.now += MAX_AGE * 0.9
    assert accounts.fetch("a", Loads("not asked"), always) == "v1"


# -- events ----------------------------------------------------------------------------------


class Message:
    def __init__(self, source: str, event_type: str, data: dict, subject: str | None = None):
        self.body = cloudevents.encode(
            event_id="e1",
            service=source,
            event_type=f"youthcity.{source}.{event_type}",
            time=datetime(2026, 12, 7, tzinfo=UTC),
            subject=subject,
            data_json=json.dumps(data),
            request_id=None,
            actor_id=None,
        )
        self.properties = {"content_type": cloudevents.CONTENT_TYPE}


@pytest.fixture
def model(clock):
    model = ReadModel()
    model.prefix = "youthcity"
    for kind in ("posts", "accounts", "dashboards"):
        entries = Entries(kind, MAX_AGE, 100, timer=clock)
        entries.enabled = True
        setattr(model, kind, entries)
    return model


def kept(entries: Entries, key: str) -> bool:
    return entries.fetch(key, lambda: "loaded afresh", always) != "loaded afresh"


@pytest.mark.parametrize(
    ("source", "event_type", "data"),
    [
        ("jobs", "application.status_changed", {"application_id": "a1", "person_id": "ann"}),
        ("notify", "message.received", {"message_id": "m1", "person_id": "ann"}),
        ("notify", "message.read", {"message_id": None, "person_id": "ann"}),
        ("events", "story.published", {"story_id": "s1", "author_id": "ann"}),
        ("gateway", "person.erased", {"person_id": "ann", "erasure_id": "x"}),
    ],
)
def test_an_event_naming_a_person_drops_their_dashboard_only(model, source, event_type, data):
    for person in ("ann", "bob"):
        model.dashboards.fetch(person, lambda person=person: f"{person}'s", always)
    model._on_event(Message(source, event_type, data))
    assert not kept(model.dashboards, "ann")
    assert kept(model.dashboards, "bob")


def test_an_event_naming_nobody_drops_no_dashboard(model):
    model.dashboards.fetch("ann", lambda: "ann's", always)
    model._on_event(Message("events", "activity.published", {"activity_id": "x1"}, "x1"))
    assert kept(model.dashboards, "ann")


def test_the_dashboards_follow_every_event_of_the_domain_services():
    assert set(ReadModel().follows_sources) == {"gateway", *ReadModel.DASHBOARD_SOURCES}
