"""The events service's journeys over HTTP through the gateway, with notify delivering the
messages: the waitlist and its promotion, check-in at the door, a cancelled activity, the
stories column, the fitness circle's venues; and refusals that change nothing."""

from datetime import timedelta

import pytest

from tests.support.api import unique
from tests.support.events import Staff, activity_body, inbox_message, story_body, venue_body


@pytest.fixture(scope="module")
def staff(api):
    return Staff(api)


def problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code and body["status"] == status
    return body


def published(officer, **overrides) -> dict:
    draft = officer.post("/api/v1/activities", json=activity_body(**overrides))
    assert draft.status_code == 201, draft.text
    answer = officer.post(f"/api/v1/activities/{draft.json()['id']}/publish")
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_full_activity_waitlists_promotes_on_cancel_tells_the_person_and_checks_in_once(
    api, staff
):
    officer = staff.officer("youth_league")
    title = unique("城市定向赛")
    activity = published(
        officer, title=title, category="competition", capacity=2, starts_in=timedelta(minutes=30)
    )
    first, second, late = api.youth(age=20), api.youth(age=25), api.youth(age=30)
    places = [
        youth.post(f"/api/v1/activities/{activity['id']}/registrations")
        for youth in (first, second)
    ]
    assert [p.json()["state"] for p in places] == ["confirmed", "confirmed"]
    waiting = late.post(f"/api/v1/activities/{activity['id']}/registrations")
    assert waiting.status_code == 201
    assert (waiting.json()["state"], waiting.json()["waitlist_position"]) == ("waitlisted", 1)
    assert waiting.json()["check_in_code"] is None

    cancelled = first.post(f"/api/v1/me/registrations/{places[0].json()['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"

    message = inbox_message(late, "registration.promoted")
    assert message["title"] == f"候补成功:{title}" and message["mandatory"] is True
    mine = late.get(f"/api/v1/me/registrations/{waiting.json()['id']}").json()
    assert mine["state"] == "confirmed" and mine["activity"]["title"] == title
    code = mine["check_in_code"]
    assert len(code) == 8

    scanned = officer.post(f"/api/v1/activities/{activity['id']}/check-ins", json={"code": code})
    assert scanned.status_code == 200, scanned.text
    assert scanned.json()["state"] == "checked_in" and "check_in_code" not in scanned.json()
    again = officer.in_english().post(
        f"/api/v1/activities/{activity['id']}/check-ins", json={"code": code}
    )
    assert problem(again, 409, "check_in_code_used")["title"].startswith(
        "This check-in code was already used"
    )
    counted = api.anonymous.get(f"/api/v1/activities/{activity['id']}").json()
    assert (counted["attended_count"], counted["confirmed_count"]) == (1, 2)
    after = late.get(f"/api/v1/me/registrations/{waiting.json()['id']}").json()
    assert (after["state"], after["check_in_code"]) == ("checked_in", None)
    roster = officer.get(f"/api/v1/activities/{activity['id']}/registrations").json()["items"]
    assert [r["state"] for r in roster] == ["cancelled", "confirmed", "checked_in"]


def test_cancelling_an_activity_tells_everyone_registered_why(api, staff):
    officer = staff.officer("culture_tourism")
    title = unique("夜间音乐会")
    activity = published(officer, title=title, capacity=1)
    holder, waiting = api.youth(), api.youth()
    for youth in (holder, waiting):
        assert youth.post(f"/api/v1/activities/{activity['id']}/registrations").status_code == 201

    answer = officer.post(
        f"/api/v1/activities/{activity['id']}/cancel", json={"reason": "暴雨红色预警"}
    )
    assert answer.status_code == 200 and answer.json()["state"] == "cancelled"
    for youth in (holder, waiting):
        message = inbox_message(youth, "registration.activity_cancelled")
        assert message["title"] == f"活动取消:{title}" and message["mandatory"] is True
        assert "暴雨红色预警" in message["body"]
        item = youth.get("/api/v1/me/registrations").json()["items"][0]
        assert (item["state"], item["cancelled_by"]) == ("cancelled", "activity")
    audit = staff.admin().get(
        "/api/v1/admin/audit", params={"service": "events", "subject_id": activity["id"]}
    )
    assert [(e["action"], e["reason"]) for e in audit.json()["items"]][0] == (
        "activity.cancelled",
        "暴雨红色预警",
    )


def test_a_story_is_moderated_by_the_publicity_department_and_the_author_is_told(api, staff):
    author = api.youth()
    editor = staff.officer("publicity")
    rejected = author.post("/api/v1/stories", json=story_body(title="太短的故事"))
    approved = author.post("/api/v1/stories", json=story_body(title=unique("返乡")))
    assert rejected.status_code == 201 and rejected.headers["Location"].endswith(
        rejected.json()["id"]
    )

    no = editor.post(
        f"/api/v1/stories/{rejected.json()['id']}/reject", json={"reason": "请补充具体经历"}
    )
    assert no.status_code == 200 and no.json()["state"] == "rejected"
    message = inbox_message(author, "story.rejected")
    assert "请补充具体经历" in message["body"]
    yes = editor.post(f"/api/v1/stories/{approved.json()['id']}/approve", json={})
    assert yes.status_code == 200 and yes.json()["state"] == "published"
    assert inbox_message(author, "story.published")["title"] == "您的故事已发布"

    column = api.anonymous.get("/api/v1/stories", params={"limit": 100}).json()["items"]
    shown = next(s for s in column if s["id"] == approved.json()["id"])
    assert shown["byline"] == "茶园青年" and "author_id" not in shown
    assert rejected.json()["id"] not in [s["id"] for s in column]
    problem(api.anonymous.get(f"/api/v1/stories/{rejected.json()['id']}"), 404, "not_found")
    mine = author.get("/api/v1/me/stories").json()["items"]
    assert [(s["state"], s["decision_reason"]) for s in mine][1] == ("rejected", "请补充具体经历")


def test_a_fitness_circle_venue_lists_with_its_hours_and_the_activities_it_hosts(api, staff):
    keeper = staff.officer("education_sports")
    area = unique("城北社区")
    venue = keeper.post("/api/v1/venues", json=venue_body(name="城北健身广场", area=area))
    assert venue.status_code == 201, venue.text
    listed = api.anonymous.get("/api/v1/venues", params={"area": area}).json()["items"]
    assert [(v["id"], v["opening_hours"][0]["opens"]) for v in listed] == [
        (venue.json()["id"], "06:00")
    ]
    officer = staff.officer("health")
    body = activity_body(
        category="fitness", venue_id=venue.json()["id"], starts_in=timedelta(days=3)
    )
    body["starts_at"] = body["starts_at"][:11] + "01:00:00+00:00"  # 09:00 in the district
    body["ends_at"] = body["starts_at"][:11] + "03:00:00+00:00"
    del body["venue"], body["area"]
    draft = officer.post("/api/v1/activities", json=body)
    assert draft.status_code == 201, draft.text
    assert (draft.json()["venue"], draft.json()["area"]) == ("城北健身广场", area)
    officer.post(f"/api/v1/activities/{draft.json()['id']}/publish")
    hosted = api.anonymous.get(f"/api/v1/venues/{venue.json()['id']}/activities").json()
    assert [a["id"] for a in hosted["items"]] == [draft.json()["id"]]


def test_invalid_input_and_wrong_roles_get_specific_problems_and_change_nothing(api, staff):
    officer = staff.officer("youth_league")
    youth = api.youth(age=40)
    draft = officer.post("/api/v1/activities", json=activity_body(title=unique("草稿"))).json()

    problem(youth.post("/api/v1/activities", json=activity_body()), 403, "role_not_allowed")
    bad = officer.in_english().post(
        "/api/v1/activities", json=activity_body(category="disco", capacity=0)
    )
    errors = {(e["field"], e["code"]) for e in problem(bad, 422, "validation_failed")["errors"]}
    assert errors == {("category", "one_of"), ("capacity", "range")}
    start = activity_body()["starts_at"]
    reversed_ = officer.post("/api/v1/activities", json=activity_body() | {"ends_at": start})
    assert problem(reversed_, 422, "validation_failed")["errors"] == [
        {"field": "ends_at", "code": "ends_before_start", "message": "结束时间须晚于开始时间"}
    ]
    other_unit = staff.officer("hrss")
    problem(other_unit.post(f"/api/v1/activities/{draft['id']}/publish"), 404, "not_found")
    problem(api.anonymous.get(f"/api/v1/activities/{draft['id']}"), 404, "not_found")
    assert officer.get(f"/api/v1/activities/{draft['id']}").json()["state"] == "draft"

    activity = published(officer)
    too_old = youth.post(f"/api/v1/activities/{activity['id']}/registrations")
    body = problem(too_old, 422, "age_out_of_range")
    assert (body["field"], body["title"]) == ("age", "该活动面向14至35岁的青年,您的年龄为40岁")
    assert youth.get("/api/v1/me/registrations").json()["items"] == []
    problem(
        api.anonymous.post(f"/api/v1/activities/{activity['id']}/registrations"),
        401,
        "unauthenticated",
    )
    young = api.youth(age=20)
    young.post(f"/api/v1/activities/{activity['id']}/registrations")
    problem(
        young.post(f"/api/v1/activities/{activity['id']}/registrations"), 409, "already_registered"
    )
    problem(
        young.post(f"/api/v1/activities/{activity['id']}/check-ins", json={"code": "AAAAAAAA"}),
        403,
        "role_not_allowed",
    )
    problem(
        other_unit.post(f"/api/v1/activities/{activity['id']}/cancel", json={"reason": "x"}),
        403,
        "not_organiser",
    )
    missing = problem(
        officer.post(f"/api/v1/activities/{activity['id']}/cancel", json={}),
        422,
        "validation_failed",
    )
    assert missing["errors"][0]["field"] == "reason"
    now = api.anonymous.get(f"/api/v1/activities/{activity['id']}").json()
    assert (now["state"], now["confirmed_count"]) == ("published", 1)

    story = young.post("/api/v1/stories", json=story_body()).json()
    problem(young.post(f"/api/v1/stories/{story['id']}/approve", json={}), 403, "role_not_allowed")
    problem(officer.post(f"/api/v1/stories/{story['id']}/approve", json={}), 404, "not_found")
    editor = staff.officer("publicity")
    problem(editor.post(f"/api/v1/stories/{story['id']}/reject", json={}), 422, "validation_failed")
    short = problem(
        young.post("/api/v1/stories", json=story_body(body="太短")), 422, "validation_failed"
    )
    assert short["errors"][0]["field"] == "body"
    assert young.get(f"/api/v1/stories/{story['id']}").json()["state"] == "submitted"
    assert len(young.get("/api/v1/me/stories").json()["items"]) == 1

    problem(officer.post("/api/v1/venues", json=venue_body()), 403, "not_venue_keeper")
    keeper = staff.officer("education_sports")
    hours = [{"weekdays": [1], "opens": "22:00", "closes": "06:00"}]
    refused = problem(
        keeper.post("/api/v1/venues", json=venue_body(opening_hours=hours)),
        422,
        "validation_failed",
    )
    assert refused["errors"][0]["field"] == "opening_hours.0.closes"
    assert refused["errors"][0]["code"] == "closes_before_opens"
