"""The events service's workflows against a unit of work in memory: activities, registrations and
the waitlist, check-in, venues, stories and a person's erasure, with no broker and no database.

Each test asserts what a user would see: the state reached, the events recorded with their data,
the audit entries, or the refusal with its code and nothing recorded.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from marshmallow import ValidationError

from services.common.actor import Actor
from services.common.clock import clock
from services.common.errors import DomainError
from services.events import activities, checkin, privacy, registrations, stories, venues
from services.events.events import EVENTS
from services.events.models import Registration, Story
from services.events.policy import EventsPolicy
from tests.support.fake_events import FakeEventsRepository, activity, person, story, venue
from tests.support.fakes import FakeUnitOfWork

POLICY = EventsPolicy()
LEAGUE = Actor("o1", "officer", "youth_league")
OTHER_UNIT = Actor("o2", "officer", "hrss")
ADMIN = Actor("a1", "admin")
EDITOR = Actor("m1", "officer", "publicity")
KEEPER = Actor("k1", "officer", "education_sports")


@pytest.fixture(autouse=True)
def _a_fixed_now():
    """10:00 in the district on a Tuesday; real time again after the test."""
    clock.travel_to(datetime(2026, 12, 1, 2, tzinfo=UTC))


def unit_of_work(*rows) -> FakeUnitOfWork:
    return FakeUnitOfWork(FakeEventsRepository(*rows), EVENTS)


def refused(code: str, call) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == code, caught.value
    return caught.value


def youth(facts: dict) -> Actor:
    return Actor(facts["person_id"], "youth")


def register(uow, row, facts: dict):
    return registrations.register(uow, youth(facts), row.id, facts, POLICY)


# -- activities ------------------------------------------------------------------------------------


def activity_fields(**overrides) -> dict:
    starts = clock.now() + timedelta(days=10)
    fields = {
        "title": "青年联谊会",
        "description": "",
        "category": "youth_mixer",
        "venue": "青年之家",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "capacity": 30,
    }
    return fields | overrides


def test_an_officer_drafts_for_their_own_unit_whatever_unit_they_name():
    uow = unit_of_work()
    row = activities.create(uow, LEAGUE, activity_fields(organiser_unit="hrss"))
    assert (row.organiser_unit, row.state, row.created_by) == ("youth_league", "draft", "o1")
    assert uow.committed and uow.recorded == []


def test_an_administrator_names_the_organising_unit_or_is_refused_on_that_field():
    uow = unit_of_work()
    error = refused("validation_failed", lambda: activities.create(uow, ADMIN, activity_fields()))
    assert error.field == "organiser_unit" and not uow.committed
    named = activities.create(uow, ADMIN, activity_fields(organiser_unit="culture_tourism"))
    assert named.organiser_unit == "culture_tourism"


def test_an_activity_at_a_venue_takes_its_name_and_area_and_must_fit_its_hours():
    mornings = venue(
        opening_hours=[{"weekdays": [1, 2, 3, 4, 5, 6, 7], "opens": "06:00", "closes": "09:00"}]
    )
    uow = unit_of_work(mornings)
    fields = activity_fields(venue_id=mornings.id)
    del fields["venue"]
    closed = refused("validation_failed", lambda: activities.create(uow, LEAGUE, dict(fields)))
    assert closed.errors[0]["code"] == "venue_closed"
    starts = clock.start_of(clock.today() + timedelta(days=10)) + timedelta(hours=7)
    hosted = activities.create(
        uow, LEAGUE, fields | {"starts_at": starts, "ends_at": starts + timedelta(hours=1)}
    )
    assert (hosted.venue, hosted.area) == ("城南篮球场", "城南街道")
    unknown = refused(
        "validation_failed",
        lambda: activities.create(uow, LEAGUE, activity_fields(venue_id="no-such-venue")),
    )
    assert unknown.errors[0]["code"] == "unknown_venue"


def test_publishing_opens_the_activity_records_it_and_is_audited():
    draft = activity(state="draft")
    uow = unit_of_work(draft)
    activities.publish(uow, LEAGUE, draft.id)
    assert draft.state == "published" and draft.published_at is not None
    assert uow.event_types() == ["activity.published"]
    assert uow.recorded[0].data["capacity"] == 2 and uow.recorded[0].subject == draft.id
    assert [(action, subject) for action, subject, _, _ in uow.audited] == [
        ("activity.published", ("activity", draft.id))
    ]


def test_someone_elses_draft_does_not_exist_and_their_published_activity_is_not_theirs():
    draft, published = activity(state="draft"), activity()
    uow = unit_of_work(draft, published)
    assert refused("not_found", lambda: activities.publish(uow, OTHER_UNIT, draft.id)).status == 404
    refused("not_organiser", lambda: activities.finish(uow, OTHER_UNIT, published.id, None))
    assert draft.state == "draft" and uow.recorded == [] and not uow.committed


def test_an_activity_already_over_is_not_published_and_a_published_one_is_not_edited():
    over = activity(state="draft", starts_in=timedelta(hours=-5))
    uow = unit_of_work(over)
    refused("activity_already_over", lambda: activities.publish(uow, LEAGUE, over.id))
    assert uow.recorded == [] and not uow.committed
    live = activity()
    uow = unit_of_work(live)
    refused("illegal_transition", lambda: activities.update(uow, LEAGUE, live.id, {"capacity": 9}))


def test_a_draft_change_is_checked_as_a_whole():
    draft = activity(state="draft")
    uow = unit_of_work(draft)
    changed = activities.update(uow, LEAGUE, draft.id, {"capacity": 30})
    assert (changed.capacity, changed.title) == (30, "青年音乐节")
    with pytest.raises(ValidationError) as bad:  # the RPC layer answers it as a 422
        activities.update(uow, LEAGUE, draft.id, {"ends_at": draft.starts_at})
    assert bad.value.messages == {"ends_at": ["ends_before_start"]}


def test_cancelling_ends_every_registration_in_play_and_tells_each_person_why():
    row = activity(capacity=1)
    uow = unit_of_work(row)
    first, second = person(), person()
    register(uow, row, first)
    register(uow, row, second)
    uow.recorded.clear()
    activities.cancel(uow, LEAGUE, row.id, "暴雨红色预警")
    assert (row.state, row.confirmed_count, row.waitlisted_count) == ("cancelled", 0, 0)
    told = [e for e in uow.recorded if e.type == "registration.activity_cancelled"]
    assert sorted(e.data["person_id"] for e in told) == sorted(
        [first["person_id"], second["person_id"]]
    )
    assert {e.data["reason"] for e in told} == {"暴雨红色预警"}
    assert uow.event_types()[-1] == "activity.cancelled"
    assert uow.recorded[-1].data["registrations_affected"] == 2
    action, _, reason, details = uow.audited[-1]
    assert (action, reason, details) == (
        "activity.cancelled",
        "暴雨红色预警",
        {"registrations_affected": 2},
    )
    for registration in uow.repo.rows(Registration):
        assert (registration.state, registration.cancelled_by) == ("cancelled", "activity")


def test_finishing_waits_for_the_start_and_reports_the_attendance():
    ahead = activity(starts_in=timedelta(hours=1))
    uow = unit_of_work(ahead)
    refused("activity_not_started", lambda: activities.finish(uow, LEAGUE, ahead.id, None))
    held = activity(starts_in=timedelta(hours=-2), confirmed_count=3, attended_count=2)
    uow = unit_of_work(held)
    activities.finish(uow, LEAGUE, held.id, "圆满结束")
    assert held.state == "finished"
    assert (uow.recorded[0].data["places_taken"], uow.recorded[0].data["attended"]) == (3, 2)
    assert uow.audited[0][:3] == ("activity.finished", ("activity", held.id), "圆满结束")


# -- registrations and the waitlist ---------------------------------------------------------------


def test_places_are_confirmed_while_they_last_then_the_waitlist_follows_arrival_order():
    row = activity(capacity=2)
    uow = unit_of_work(row)
    answers = [register(uow, row, person()) for _ in range(4)]
    assert [(r.state, position) for r, _, position in answers] == [
        ("confirmed", None),
        ("confirmed", None),
        ("waitlisted", 1),
        ("waitlisted", 2),
    ]
    codes = [r.check_in_code for r, _, _ in answers]
    assert all(len(code) == 8 for code in codes[:2]) and codes[2:] == [None, None]
    assert [r.sequence for r, _, _ in answers] == [1, 2, 3, 4]
    assert (row.confirmed_count, row.waitlisted_count) == (2, 2)
    assert uow.event_types() == ["registration.confirmed"] * 2 + ["registration.waitlisted"] * 2
    assert uow.recorded[3].data["waitlist_position"] == 2
    assert not any(code in str(uow.recorded) for code in codes[:2])


def test_registering_twice_is_refused_and_records_nothing_more():
    row = activity()
    uow = unit_of_work(row)
    facts = person()
    register(uow, row, facts)
    refused("already_registered", lambda: register(uow, row, facts))
    assert uow.event_types() == ["registration.confirmed"] and row.confirmed_count == 1


def test_an_age_outside_the_audience_is_refused_naming_the_range():
    row = activity()
    uow = unit_of_work(row)
    too_old = refused("age_out_of_range", lambda: register(uow, row, person() | {"age": 36}))
    assert too_old.params == {"age": 36, "min_age": 14, "max_age": 35}
    assert uow.recorded == [] and uow.repo.rows(Registration) == []


def test_a_draft_does_not_exist_for_a_young_person():
    draft = activity(state="draft")
    uow = unit_of_work(draft)
    assert refused("not_found", lambda: register(uow, draft, person())).status == 404


def test_a_freed_place_goes_to_the_first_on_the_waitlist_with_a_code_of_their_own():
    row = activity(capacity=1)
    uow = unit_of_work(row)
    holder, first, second = person(), person(), person()
    place, _, _ = register(uow, row, holder)
    waiting, _, _ = register(uow, row, first)
    register(uow, row, second)
    uow.recorded.clear()
    cancelled, _ = registrations.cancel(uow, youth(holder), place.id, POLICY)
    assert (cancelled.state, cancelled.cancelled_by) == ("cancelled", "person")
    assert waiting.state == "confirmed" and waiting.promoted_at is not None
    assert len(waiting.check_in_code) == 8
    assert uow.event_types() == ["registration.cancelled", "registration.promoted"]
    assert uow.recorded[1].data["person_id"] == first["person_id"]
    assert (row.confirmed_count, row.waitlisted_count) == (1, 1)


def test_a_cancelled_registration_is_made_again_at_the_back_of_the_line():
    row = activity(capacity=1)
    uow = unit_of_work(row)
    holder = person()
    place, _, _ = register(uow, row, holder)
    register(uow, row, person())
    registrations.cancel(uow, youth(holder), place.id, POLICY)
    again, _, position = register(uow, row, holder)
    assert (again.id, again.state, position, again.sequence) == (place.id, "waitlisted", 1, 3)


def test_someone_elses_registration_cannot_be_cancelled_and_an_attended_one_cannot_either():
    row = activity(starts_in=timedelta(minutes=-10))
    uow = unit_of_work(row)
    holder = person()
    place, _, _ = register(uow, row, holder)
    stranger = Actor("someone-else", "youth")
    refused("not_found", lambda: registrations.cancel(uow, stranger, place.id, POLICY))
    checkin.scan(uow, LEAGUE, row.id, place.check_in_code, POLICY)
    refused(
        "registration_attended",
        lambda: registrations.cancel(uow, youth(holder), place.id, POLICY),
    )
    assert place.state == "checked_in"


# -- check-in -------------------------------------------------------------------------------------


def test_a_code_checks_its_person_in_once_and_counts_them():
    row = activity(starts_in=timedelta(minutes=-30))
    uow = unit_of_work(row)
    place, _, _ = register(uow, row, person())
    code = place.check_in_code
    scanned = checkin.scan(uow, LEAGUE, row.id, f" {code[:4].lower()}-{code[4:]} ", POLICY)
    assert (scanned.state, scanned.checked_in_by, row.attended_count) == ("checked_in", "o1", 1)
    assert uow.event_types()[-1] == "registration.checked_in"
    assert code not in str(uow.recorded[-1])
    used = refused("check_in_code_used", lambda: checkin.scan(uow, LEAGUE, row.id, code, POLICY))
    assert used.status == 409 and row.attended_count == 1


def test_an_unknown_code_an_early_scan_and_another_unit_are_refused():
    row = activity(starts_in=timedelta(minutes=-30))
    early = activity(starts_in=timedelta(days=2))
    uow = unit_of_work(row, early)
    place, _, _ = register(uow, row, person())
    refused("not_found", lambda: checkin.scan(uow, LEAGUE, row.id, "ZZZZZZZZ", POLICY))
    refused(
        "not_organiser",
        lambda: checkin.scan(uow, OTHER_UNIT, row.id, place.check_in_code, POLICY),
    )
    ahead, _, _ = register(uow, early, person())
    refused(
        "check_in_not_open",
        lambda: checkin.scan(uow, LEAGUE, early.id, ahead.check_in_code, POLICY),
    )
    assert row.attended_count == early.attended_count == 0


# -- venues ---------------------------------------------------------------------------------------


def venue_fields() -> dict:
    return {
        "name": "滨河全民健身中心",
        "kind": "fitness_centre",
        "area": "城关街道",
        "opening_hours": [{"weekdays": [1, 2, 3, 4, 5], "opens": "06:00", "closes": "22:00"}],
    }


def test_the_venue_keepers_register_a_venue_and_it_is_audited():
    uow = unit_of_work()
    row = venues.register_venue(uow, KEEPER, venue_fields(), POLICY)
    assert (row.name, row.created_by) == ("滨河全民健身中心", "k1")
    assert uow.audited == [
        ("venue.registered", ("venue", row.id), None, {"name": "滨河全民健身中心"})
    ]


def test_officers_outside_the_venue_units_keep_no_venue():
    kept = venue()
    uow = unit_of_work(kept)
    refused("not_venue_keeper", lambda: venues.register_venue(uow, LEAGUE, venue_fields(), POLICY))
    refused(
        "not_venue_keeper",
        lambda: venues.update_venue(uow, LEAGUE, kept.id, {"name": "x"}, POLICY),
    )
    assert uow.audited == [] and kept.name == "城南篮球场"


def test_a_venue_change_is_audited_with_the_fields_changed():
    kept = venue()
    uow = unit_of_work(kept)
    hours = [{"weekdays": [6], "opens": "08:00", "closes": "09:00"}]
    venues.update_venue(uow, ADMIN, kept.id, {"opening_hours": hours}, POLICY)
    assert kept.opening_hours == hours
    assert uow.audited[0][0:2] == ("venue.updated", ("venue", kept.id))
    assert uow.audited[0][3] == {"fields": ["opening_hours"]}
    refused("not_found", lambda: venues.update_venue(uow, ADMIN, "nope", {}, POLICY))


# -- stories --------------------------------------------------------------------------------------


def test_a_young_person_submits_a_story_that_waits_without_its_text_in_the_event():
    uow = unit_of_work()
    author = Actor("p1", "youth")
    row = stories.submit(uow, author, {"title": "第一篇", "body": "正文" * 20})
    assert (row.state, row.author_id) == ("submitted", "p1")
    assert uow.event_types() == ["story.submitted"]
    assert "第一篇" not in str(uow.recorded) and uow.recorded[0].data["author_id"] == "p1"
    refused("stories_by_young_people", lambda: stories.submit(uow, EDITOR, {"title": "x"}))


def test_a_moderator_approves_into_the_column_and_the_decision_is_audited():
    waiting = story("p1")
    uow = unit_of_work(waiting)
    stories.moderate(uow, EDITOR, waiting.id, "approve", None, POLICY)
    assert (waiting.state, waiting.decided_by) == ("published", "m1")
    assert waiting.published_at is not None
    assert uow.event_types() == ["story.published"]
    assert uow.audited[0][:3] == ("story.published", ("story", waiting.id), None)


def test_a_rejection_needs_the_reason_the_author_is_told():
    waiting = story("p1")
    uow = unit_of_work(waiting)
    no_reason = refused(
        "validation_failed",
        lambda: stories.moderate(uow, EDITOR, waiting.id, "reject", "  ", POLICY),
    )
    assert no_reason.errors[0]["code"] == "reason_required" and uow.recorded == []
    stories.moderate(uow, EDITOR, waiting.id, "reject", "篇幅过短", POLICY)
    assert (waiting.state, waiting.decision_reason) == ("rejected", "篇幅过短")
    assert uow.recorded[0].type == "story.rejected" and uow.recorded[0].data["reason"] == "篇幅过短"


def test_outside_the_publicity_department_a_queued_story_is_not_found_and_a_published_one_refused():
    waiting, published = story("p1"), story("p2", state="published")
    uow = unit_of_work(waiting, published)
    refused("not_found", lambda: stories.moderate(uow, LEAGUE, waiting.id, "approve", None, POLICY))
    refused(
        "not_story_moderator",
        lambda: stories.moderate(uow, ADMIN, published.id, "take_down", "x", POLICY),
    )
    bad = refused(
        "validation_failed",
        lambda: stories.moderate(uow, EDITOR, waiting.id, "publish", None, POLICY),
    )
    assert bad.field == "action"
    assert (waiting.state, published.state) == ("submitted", "published") and uow.recorded == []


# -- a person's erasure (PIPL) --------------------------------------------------------------------


def test_an_erasure_gives_up_places_ahead_to_the_waitlist_and_unlinks_every_record():
    ahead = activity(capacity=1)
    running = activity(starts_in=timedelta(minutes=-30))
    uow = unit_of_work(ahead, running)
    erased, waiting = person(), person()
    register(uow, ahead, erased)
    line, _, _ = register(uow, ahead, waiting)
    attended, _, _ = register(uow, running, erased)
    checkin.scan(uow, LEAGUE, running.id, attended.check_in_code, POLICY)
    writing = story(erased["person_id"], state="published")
    uow.repo.add(writing)
    uow.recorded.clear()

    registrations.withdraw_person(uow, erased["person_id"], POLICY)
    erasure = privacy.anonymise(uow, erased["person_id"])

    assert erasure.records == 3
    assert uow.event_types() == ["registration.promoted"]
    assert uow.recorded[0].data["person_id"] == waiting["person_id"]
    assert line.state == "confirmed" and (ahead.confirmed_count, ahead.waitlisted_count) == (1, 0)
    given_up = [r for r in uow.repo.rows(Registration) if r.cancelled_by == "erasure"]
    assert [r.activity_id for r in given_up] == [ahead.id]
    assert (attended.state, attended.person_id, attended.check_in_code) == (
        "checked_in",
        None,
        None,
    )
    assert running.attended_count == 1
    assert erased["person_id"] not in str([vars(r) for r in uow.repo.rows(Registration)])
    assert (writing.state, writing.title, writing.body, writing.author_id) == (
        "erased",
        "",
        "",
        None,
    )
    assert writing.published_at is not None


def test_a_second_erasure_finds_nothing():
    ahead = activity()
    uow = unit_of_work(ahead)
    erased = person()
    register(uow, ahead, erased)
    uow.repo.add(story(erased["person_id"]))
    registrations.withdraw_person(uow, erased["person_id"], POLICY)
    assert privacy.anonymise(uow, erased["person_id"]).records == 2
    uow.recorded.clear()
    registrations.withdraw_person(uow, erased["person_id"], POLICY)
    assert privacy.anonymise(uow, erased["person_id"]).records == 0
    assert uow.recorded == [] and len(uow.repo.rows(Story)) == 1
