"""The events service with its real parts: a nameko container on SQLite and on PostgreSQL, called
over RabbitMQ as officers and young people, its events read from the broker as a subscriber would.
"""

from datetime import timedelta

import pytest

from services.common.clock import clock
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
    story_body,
    venue_body,
)
from tests.support.infra import virtual_host

#: the database's own behaviour (locks, migrations, SQL): on both backends
pytestmark = pytest.mark.both_backends


@pytest.fixture(scope="module")
def events_amqp_uri(amqp_uri):
    with virtual_host("events-service") as uri:
        yield uri


@pytest.fixture
def events(databases, events_amqp_uri):
    url = databases.migrated("services.events")
    with running(EventsService, url, events_amqp_uri), StandaloneRpc(events_amqp_uri) as cluster:
        yield EventsRpc(cluster)


@pytest.fixture
def tap(events_amqp_uri):
    tap = EventTap(events_amqp_uri)
    yield tap
    tap.close()


def refused(call, code: str, status: int) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    assert (caught.value.code, caught.value.status) == (code, status), caught.value.messages
    return caught.value


def register(events, activity_id: str, person_id: str, age: int = 22) -> dict:
    return events.as_youth(person_id).register(
        activity_id=activity_id, person=registrant(person_id, age)
    )


def test_places_are_confirmed_then_waitlisted_and_a_cancellation_promotes_the_first_in_line(
    events, tap
):
    activity = events.published_activity(capacity=2)
    a, b, c, d = (new_person() for _ in range(4))
    answers = [register(events, activity["id"], person) for person in (a, b, c, d)]
    assert [(r["state"], r["waitlist_position"]) for r in answers] == [
        ("confirmed", None),
        ("confirmed", None),
        ("waitlisted", 1),
        ("waitlisted", 2),
    ]
    assert answers[0]["check_in_code"] and answers[2]["check_in_code"] is None
    assert answers[0]["activity"]["title"] == "青年音乐节"

    cancelled = events.as_youth(a).cancel_registration(registration_id=answers[0]["id"])
    assert (cancelled["state"], cancelled["check_in_code"]) == ("cancelled", None)
    promoted = events.as_youth(c).get_registration(registration_id=answers[2]["id"])
    assert promoted["state"] == "confirmed" and promoted["promoted_at"]
    assert len(promoted["check_in_code"]) == 8
    still_waiting = events.as_youth(d).get_registration(registration_id=answers[3]["id"])
    assert still_waiting["waitlist_position"] == 1
    again = register(events, activity["id"], a)
    assert (again["id"], again["state"], again["waitlist_position"]) == (
        answers[0]["id"],
        "waitlisted",
        2,
    )
    now = events.anonymous.get_activity(activity_id=activity["id"])
    assert (now["confirmed_count"], now["waitlisted_count"], now["places_left"]) == (2, 2, 0)

    published = tap.events(8)
    assert [e["type"].split(".", 2)[2] for e in published] == [
        "activity.published",
        "registration.confirmed",
        "registration.confirmed",
        "registration.waitlisted",
        "registration.waitlisted",
        "registration.cancelled",
        "registration.promoted",
        "registration.waitlisted",
    ]
    promotion = tap.of_type(published, "registration.promoted")[0]
    assert promotion["data"]["person_id"] == c and promotion["subject"] == answers[2]["id"]
    assert promotion["actorid"] == a  # a's cancellation caused it
    assert tap.of_type(published, "registration.waitlisted")[0]["data"]["waitlist_position"] == 1
    wire = str(published)
    assert promoted["check_in_code"] not in wire and answers[1]["check_in_code"] not in wire


def test_someone_else_cannot_see_or_cancel_a_registration_and_registering_twice_is_refused(
    events,
):
    activity = events.published_activity()
    person = new_person()
    mine = register(events, activity["id"], person)
    refused(lambda: register(events, activity["id"], person), "already_registered", 409)
    stranger = events.as_youth(new_person())
    refused(lambda: stranger.get_registration(registration_id=mine["id"]), "not_found", 404)
    refused(lambda: stranger.cancel_registration(registration_id=mine["id"]), "not_found", 404)
    too_old = refused(
        lambda: register(events, activity["id"], new_person(), 36), "age_out_of_range", 422
    )
    assert too_old.messages["zh-CN"] == "该活动面向14至35岁的青年,您的年龄为36岁"
    assert (
        events.as_youth(person).registrations_of(person_id=person)["items"][0]["id"] == mine["id"]
    )
    count = events.anonymous.get_activity(activity_id=activity["id"])["confirmed_count"]
    assert count == 1


def test_a_check_in_code_works_once_counts_attendance_and_only_at_the_door(events, tap):
    officer = events.as_officer("youth_league")
    draft = officer.create_activity(
        activity=activity_body(starts_in=timedelta(minutes=-30), capacity=1)
    )
    activity = officer.publish_activity(activity_id=draft["id"])
    a, b = new_person(), new_person()
    place, waiting = register(events, activity["id"], a), register(events, activity["id"], b)
    code = place["check_in_code"]

    other_unit = events.as_officer("hrss")
    refused(
        lambda: other_unit.check_in(activity_id=activity["id"], check_in={"code": code}),
        "not_organiser",
        403,
    )
    scanned = officer.check_in(
        activity_id=activity["id"], check_in={"code": f" {code[:4].lower()}-{code[4:]} "}
    )
    assert (scanned["id"], scanned["state"]) == (place["id"], "checked_in")
    assert "check_in_code" not in scanned
    used = refused(
        lambda: officer.check_in(activity_id=activity["id"], check_in={"code": code}),
        "check_in_code_used",
        409,
    )
    assert used.messages["en"].startswith("This check-in code was already used")
    refused(
        lambda: officer.check_in(activity_id=activity["id"], check_in={"code": "ZZZZZZZZ"}),
        "not_found",
        404,
    )
    assert waiting["check_in_code"] is None
    refused(
        lambda: events.as_youth(a).cancel_registration(registration_id=place["id"]),
        "registration_attended",
        409,
    )
    assert events.anonymous.get_activity(activity_id=activity["id"])["attended_count"] == 1

    finished = officer.finish_activity(activity_id=activity["id"], decision={"reason": "圆满结束"})
    assert finished["state"] == "finished"
    closing = tap.of_type(tap.events(5), "activity.finished")[0]["data"]
    assert (closing["places_taken"], closing["attended"]) == (1, 1)
    checked_in = tap.of_type(tap.events(5), "registration.checked_in")[0]
    assert checked_in["data"]["person_id"] == a and code not in str(checked_in)
    trail = events.as_admin().audit_trail(filters={"subject_id": activity["id"]})["items"]
    assert [(e["action"], e["reason"]) for e in trail][0] == ("activity.finished", "圆满结束")

    later = events.published_activity(starts_in=timedelta(days=2))
    early = register(events, later["id"], a)
    refused(
        lambda: officer.check_in(
            activity_id=later["id"], check_in={"code": early["check_in_code"]}
        ),
        "check_in_not_open",
        409,
    )


def test_cancelling_an_activity_tells_every_registrant_once_and_is_audited(events, tap):
    officer = events.as_officer("culture_tourism")
    activity = officer.publish_activity(
        activity_id=officer.create_activity(activity=activity_body(capacity=1))["id"]
    )
    a, b, c, gone = (new_person() for _ in range(4))
    for person in (a, b, c, gone):
        register(events, activity["id"], person)
    mine = events.as_youth(gone).registrations_of(person_id=gone)["items"][0]
    events.as_youth(gone).cancel_registration(registration_id=mine["id"])

    refused(
        lambda: officer.cancel_activity(activity_id=activity["id"], decision={}),
        "validation_failed",
        422,
    )
    assert events.anonymous.get_activity(activity_id=activity["id"])["state"] == "published"
    cancelled = officer.cancel_activity(
        activity_id=activity["id"], decision={"reason": "暴雨红色预警"}
    )
    assert (cancelled["state"], cancelled["cancel_reason"]) == ("cancelled", "暴雨红色预警")
    assert (cancelled["confirmed_count"], cancelled["waitlisted_count"]) == (0, 0)

    published = tap.events(10)
    assert len(published) == 10
    told = tap.of_type(published, "registration.activity_cancelled")
    assert sorted(e["data"]["person_id"] for e in told) == sorted([a, b, c])
    assert {e["data"]["reason"] for e in told} == {"暴雨红色预警"}
    summary = tap.of_type(published, "activity.cancelled")[0]["data"]
    assert summary["registrations_affected"] == 3
    for person in (a, b, c):
        item = events.as_youth(person).registrations_of(person_id=person)["items"][0]
        assert (item["state"], item["cancelled_by"]) == ("cancelled", "activity")
    refused(lambda: register(events, activity["id"], new_person()), "activity_not_open", 409)
    trail = events.as_admin().audit_trail(filters={"action": "activity.cancelled"})["items"]
    assert trail[0]["reason"] == "暴雨红色预警"
    assert trail[0]["details"] == {"registrations_affected": 3}


def test_drafts_are_hidden_from_others_and_a_change_is_checked_as_a_whole(events):
    officer = events.as_officer("youth_league")
    draft = officer.create_activity(activity=activity_body(title="草稿"))
    person = new_person()
    refused(
        lambda: events.as_officer("hrss").get_activity(activity_id=draft["id"]), "not_found", 404
    )
    refused(lambda: register(events, draft["id"], person), "not_found", 404)
    refused(
        lambda: events.as_youth(person).list_activities(filters={"state": "draft"}),
        "drafts_for_organisers",
        403,
    )
    theirs = events.as_officer("hrss").list_activities(filters={"state": "draft"})["items"]
    assert draft["id"] not in [a["id"] for a in theirs]
    assert draft["id"] in [
        a["id"] for a in officer.list_activities(filters={"state": "draft"})["items"]
    ]

    bad = refused(
        lambda: officer.update_activity(
            activity_id=draft["id"], changes={"ends_at": draft["starts_at"]}
        ),
        "validation_failed",
        422,
    )
    assert [(e["field"], e["code"]) for e in bad.errors] == [("ends_at", "ends_before_start")]
    changed = officer.update_activity(activity_id=draft["id"], changes={"capacity": 30})
    assert (changed["capacity"], changed["title"]) == (30, "草稿")
    officer.publish_activity(activity_id=draft["id"])
    refused(
        lambda: officer.update_activity(activity_id=draft["id"], changes={"capacity": 1}),
        "illegal_transition",
        409,
    )
    refused(lambda: officer.publish_activity(activity_id=draft["id"]), "illegal_transition", 409)


def test_an_activity_at_a_venue_fits_its_opening_hours_and_is_listed_with_it(events):
    keeper = events.as_officer("education_sports")
    refused(
        lambda: events.as_officer("youth_league").create_venue(venue=venue_body()),
        "not_venue_keeper",
        403,
    )
    venue = keeper.create_venue(
        venue=venue_body(
            name="城南篮球场",
            kind="basketball_court",
            area="城南街道",
            opening_hours=[
                {"weekdays": [1, 2, 3, 4, 5, 6, 7], "opens": "00:00", "closes": "24:00"}
            ],
        )
    )
    assert venue["open_now"] is True
    narrowed = keeper.update_venue(
        venue_id=venue["id"],
        changes={"opening_hours": [{"weekdays": [6], "opens": "08:00", "closes": "09:00"}]},
    )
    assert narrowed["opening_hours"] == [{"weekdays": [6], "opens": "08:00", "closes": "09:00"}]

    officer = events.as_officer("youth_league")
    closed = refused(
        lambda: officer.create_activity(activity=activity_body(venue_id=venue["id"])),
        "validation_failed",
        422,
    )
    assert [(e["field"], e["code"]) for e in closed.errors] == [("starts_at", "venue_closed")]
    keeper.update_venue(
        venue_id=venue["id"],
        changes={
            "opening_hours": [
                {"weekdays": [1, 2, 3, 4, 5, 6, 7], "opens": "00:00", "closes": "24:00"}
            ]
        },
    )
    body = activity_body(category="fitness", venue_id=venue["id"])
    del body["venue"], body["area"]
    hosted = officer.create_activity(activity=body)
    assert (hosted["venue"], hosted["area"], hosted["venue_id"]) == (
        "城南篮球场",
        "城南街道",
        venue["id"],
    )
    officer.publish_activity(activity_id=hosted["id"])
    listed = events.anonymous.venue_activities(venue_id=venue["id"], filters={})["items"]
    assert [a["id"] for a in listed] == [hosted["id"]]
    by_area = events.anonymous.list_activities(filters={"area": "城南街道", "category": "fitness"})
    assert [a["id"] for a in by_area["items"]] == [hosted["id"]]
    unknown = refused(
        lambda: officer.create_activity(activity=activity_body(venue_id="no-such-venue")),
        "validation_failed",
        422,
    )
    assert unknown.errors[0]["code"] == "unknown_venue"
    venues = events.anonymous.list_venues(filters={"area": "城南街道", "kind": "basketball_court"})
    assert [v["id"] for v in venues["items"]] == [venue["id"]]
    refused(lambda: events.anonymous.get_venue(venue_id="nope"), "not_found", 404)
    refused(
        lambda: events.anonymous.venue_activities(venue_id="nope", filters={}), "not_found", 404
    )


def test_stories_are_moderated_by_the_publicity_department_and_the_column_lists_them(events, tap):
    author = new_person()
    youth = events.as_youth(author)
    first = youth.submit_story(story=story_body(title="第一篇"))
    second = youth.submit_story(story=story_body(title="第二篇"))
    assert first["state"] == "submitted"
    refused(
        lambda: events.as_officer("publicity").submit_story(story=story_body()),
        "stories_by_young_people",
        403,
    )
    refused(lambda: events.as_youth(new_person()).get_story(story_id=first["id"]), "not_found", 404)
    refused(
        lambda: events.as_officer("youth_league").moderate_story(
            story_id=first["id"], action="approve"
        ),
        "not_found",
        404,
    )
    refused(
        lambda: events.anonymous.list_stories(filters={"state": "submitted"}),
        "not_story_moderator",
        403,
    )

    editor = events.as_officer("publicity")
    queue = editor.list_stories(filters={"state": "submitted"})["items"]
    assert [s["id"] for s in queue] == [first["id"], second["id"]]
    no_reason = refused(
        lambda: editor.moderate_story(story_id=first["id"], action="reject", decision={}),
        "validation_failed",
        422,
    )
    assert no_reason.errors[0]["code"] == "reason_required"
    editor.moderate_story(story_id=first["id"], action="reject", decision={"reason": "篇幅过短"})
    published = editor.moderate_story(story_id=second["id"], action="approve")
    assert published["state"] == "published" and published["published_at"]
    refused(
        lambda: editor.moderate_story(story_id=first["id"], action="approve"),
        "illegal_transition",
        409,
    )

    column = events.anonymous.list_stories(filters={})["items"]
    assert [s["id"] for s in column] == [second["id"]]
    assert set(column[0]) == {"id", "title", "body", "byline", "published_at"}
    own = youth.get_story(story_id=first["id"])
    assert (own["state"], own["decision_reason"]) == ("rejected", "篇幅过短")
    assert [s["id"] for s in youth.stories_of(person_id=author)["items"]] == [
        second["id"],
        first["id"],
    ]
    refused(
        lambda: events.as_officer("youth_league").moderate_story(
            story_id=second["id"], action="take_down", decision={"reason": "x"}
        ),
        "not_story_moderator",
        403,
    )
    editor.moderate_story(
        story_id=second["id"], action="take_down", decision={"reason": "作者要求"}
    )
    assert events.anonymous.list_stories(filters={})["items"] == []

    stream = tap.events(5)
    assert [e["type"].split(".", 2)[2] for e in stream] == [
        "story.submitted",
        "story.submitted",
        "story.rejected",
        "story.published",
        "story.taken_down",
    ]
    rejected = tap.of_type(stream, "story.rejected")[0]["data"]
    assert (rejected["author_id"], rejected["reason"]) == (author, "篇幅过短")
    assert "第一篇" not in str(stream)
    actions = [
        e["action"]
        for e in events.as_admin().audit_trail(filters={"subject_type": "story"})["items"]
    ]
    assert sorted(actions) == ["story.published", "story.rejected", "story.taken_down"]


def test_the_dashboard_shows_upcoming_registrations_first_with_code_or_place_and_stories(events):
    person = new_person()
    soon = events.published_activity(
        title="明天的联谊", category="youth_mixer", starts_in=timedelta(days=1)
    )
    later = events.published_activity(
        title="下周的培训", category="training", capacity=1, starts_in=timedelta(days=7)
    )
    register(events, later["id"], new_person())
    place = register(events, soon["id"], person)
    waiting = register(events, later["id"], person)
    gone = events.published_activity(title="取消的活动")
    old = register(events, gone["id"], person)
    events.as_youth(person).cancel_registration(registration_id=old["id"])
    story = events.as_youth(person).submit_story(story=story_body())

    items = events.as_youth(person).dashboard()["items"]  # a dashboard is its owner's
    assert [(i["kind"], i["id"]) for i in items] == [
        ("events.registration", place["id"]),
        ("events.registration", waiting["id"]),
        ("events.registration", old["id"]),
        ("events.story", story["id"]),
    ]
    first, second, third, fourth = items
    assert first["title"] == {"zh-CN": "活动报名:明天的联谊", "en": "Registration: 明天的联谊"}
    assert first["check_in_code"] == place["check_in_code"]
    assert place["check_in_code"] in first["next_step"]["zh-CN"]
    assert first["link"] == f"/api/v1/me/registrations/{place['id']}"
    assert (second["state"], second["waitlist_position"]) == ("waitlisted", 1)
    assert second["next_step"]["en"].startswith("Number 1 on the waitlist")
    assert (third["state"], third["next_step"]) == ("cancelled", None)
    assert fourth["next_step"]["zh-CN"] == "等待专栏编辑审核" and fourth["updated_at"]
    assert fourth["link"] == f"/api/v1/stories/{story['id']}"
    assert events.as_youth(new_person()).dashboard() == {"items": []}


def test_indicators_count_activities_registrations_attendance_promotions_and_stories(events):

    officer = events.as_officer("health")
    running = officer.publish_activity(
        activity_id=officer.create_activity(
            activity=activity_body(
                category="mental_health", capacity=2, starts_in=timedelta(minutes=-30)
            )
        )["id"]
    )
    fitness = events.published_activity(category="fitness", starts_in=timedelta(minutes=40))
    called_off = events.published_activity(category="festival", starts_in=timedelta(minutes=50))
    events.as_officer("youth_league").cancel_activity(
        activity_id=called_off["id"], decision={"reason": "场地维修"}
    )
    a, b, c = new_person(), new_person(), new_person()
    place = register(events, running["id"], a)
    second = register(events, running["id"], b)
    register(events, running["id"], c)
    events.as_youth(b).cancel_registration(registration_id=second["id"])  # c is promoted
    officer.check_in(activity_id=running["id"], check_in={"code": place["check_in_code"]})
    register(events, fitness["id"], a)
    author = new_person()
    story = events.as_youth(author).submit_story(story=story_body())
    events.as_youth(author).submit_story(story=story_body())
    events.as_officer("publicity").moderate_story(story_id=story["id"], action="approve")

    today = clock.today()
    figures = events.anonymous.indicators(
        since=(today - timedelta(days=1)).isoformat(), until=(today + timedelta(days=2)).isoformat()
    )
    assert figures["events.activities_held"] == 2
    assert figures["events.activities_held.mental_health"] == 1
    assert figures["events.activities_held.fitness"] == 1
    assert figures["events.activities_held.festival"] == 0
    assert figures["events.activities_cancelled"] == 1
    assert figures["events.registrations"] == 4
    assert figures["events.waitlist_promotions"] == 1
    assert (figures["events.places_taken"], figures["events.attended"]) == (3, 1)
    assert figures["events.attendance_rate"] == 0.3333
    assert (figures["events.stories_submitted"], figures["events.stories_published"]) == (2, 1)
    empty = events.anonymous.indicators(since="2020-01-01", until="2020-02-01")
    assert set(empty) == set(figures) and empty["events.attendance_rate"] == 0.0
    refused(
        lambda: events.anonymous.indicators(since="2026-02-01", until="2026-01-01"),
        "validation_failed",
        422,
    )
