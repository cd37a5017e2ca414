"""District–university cooperation over HTTP (issue 28, plan 一.3 and 一.5): an officer of
区委组织部 registers a university, publishes a cooperation project with its milestones and
records its progress, and organises a roadshow there that an employer joins; an officer of
区人社局 verifies the employer as a practice unit serving that university (which then reports the
students it placed, as a count) and lists a city-level job fair a young person registers for.
Each step reaches the plan's indicators for 一.3 and 一.5, and its event is on `jobs.events`
with ids and counts, never a person."""

from __future__ import annotations

from datetime import timedelta

from services.common.clock import clock
from tests.support.api import unique
from tests.support.jobs import events_until, published, registered_employer, unique_area
from tests.support.messaging import Subscriber, wait_for

COUNTED = (
    "jobs.cooperation_projects",
    "jobs.cooperation_projects.technology_transfer",
    "jobs.cooperation_milestones_done",
    "jobs.cooperation_outcomes",
    "jobs.practice_units_verified",
    "jobs.practice_students_placed",
    "jobs.roadshows",
    "jobs.roadshow_employers",
    "jobs.city_fair_registrations",
    "jobs.fair_registrations",
)


def indicators(session, period: str) -> dict:
    """The plan's indicators for the period by code, each with its task, once every service
    answered."""

    def complete():
        answer = session.get("/api/v1/indicators", params={"period": period}).json()
        return answer if not answer["degraded"] else None

    answer = wait_for(complete, timeout=60, interval=1, message="a complete indicators answer")
    return {
        i["code"]: {"task": task["code"], "value": i["value"]}
        for task in answer["tasks"]
        for i in task["indicators"]
    }


def _in(hours: float) -> str:
    return (clock.utcnow() + timedelta(hours=hours)).isoformat()


def test_an_officer_publishes_cooperation_and_employers_and_young_people_take_part(
    api, platform_amqp_uri
):
    tap = Subscriber(platform_amqp_uri, "jobs.events", unique("coop-tap"))
    organisation = api.staff("officer", unit="organisation")
    hrss = api.staff("officer", unit="hrss")
    period = str(clock.today().year)
    before = indicators(organisation, period)

    # the university, registered once by the cooperation unit's officer
    name = f"XX大学{unique('u')}"
    refused = hrss.post("/api/v1/universities", json={"name": name, "city": "杭州市"})
    assert refused.status_code == 403 and refused.json()["code"] == "not_responsible_unit"
    created = organisation.post("/api/v1/universities", json={"name": name, "city": "杭州市"})
    assert created.status_code == 201, created.text
    university = created.json()
    again = organisation.post("/api/v1/universities", json={"name": name, "city": "杭州市"})
    assert again.status_code == 409 and again.json()["code"] == "university_registered"
    listed = api.anonymous.get("/api/v1/universities", params={"limit": 100}).json()["items"]
    assert university["id"] in [u["id"] for u in listed]

    # a technology-transfer project with two milestones: one done, one outcome recorded
    today = clock.today()
    project = organisation.post(
        "/api/v1/cooperation-projects",
        json={
            "university_id": university["id"],
            "kind": "technology_transfer",
            "title": "智慧景区客流预测成果转化",
            "starts_on": today.isoformat(),
            "milestones": [
                {"title": "签订合作协议", "due_on": (today + timedelta(days=30)).isoformat()},
                {"title": "成果落地试运行", "due_on": (today + timedelta(days=180)).isoformat()},
            ],
        },
    )
    assert project.status_code == 201, project.text
    project = project.json()
    assert project["university_name"] == name and project["milestone_count"] == 2
    first = next(m for m in project["milestones"] if m["title"] == "签订合作协议")
    done = organisation.post(
        f"/api/v1/cooperation-projects/{project['id']}/milestones/{first['id']}/done"
    )
    assert done.status_code == 200 and done.json()["done"] is True, done.text
    twice = organisation.post(
        f"/api/v1/cooperation-projects/{project['id']}/milestones/{first['id']}/done"
    )
    assert twice.status_code == 409 and twice.json()["code"] == "milestone_already_done"
    outcome = organisation.post(
        f"/api/v1/cooperation-projects/{project['id']}/outcomes",
        json={"title": "客流预测专利许可一项", "achieved_on": today.isoformat()},
    )
    assert outcome.status_code == 201, outcome.text
    shown = api.anonymous.get(f"/api/v1/cooperation-projects/{project['id']}").json()
    assert (shown["milestones_done"], shown["outcome_count"]) == (1, 1)
    assert [o["title"] for o in shown["outcomes"]] == ["客流预测专利许可一项"]
    browsed = api.anonymous.get(
        "/api/v1/cooperation-projects",
        params={"university_id": university["id"], "kind": "technology_transfer"},
    ).json()["items"]
    assert [p["id"] for p in browsed] == [project["id"]]

    # a roadshow at the university; a verified employer joins it with a published post
    employer = registered_employer(api, hrss, name="XX文旅集团有限公司")
    post = published(employer, hrss, kind="internship", area=unique_area())
    roadshow = organisation.post(
        "/api/v1/roadshows",
        json={
            "university_id": university["id"],
            "title": "文旅产业专题推介会",
            "industry": "culture_tourism",
            "venue": "XX大学学术报告厅",
            "starts_at": _in(1),
            "ends_at": _in(3),
            "employer_capacity": 10,
        },
    )
    assert roadshow.status_code == 201, roadshow.text
    roadshow = roadshow.json()
    joined = employer.post(
        f"/api/v1/roadshows/{roadshow['id']}/employers", json={"post_ids": [post["id"]]}
    )
    assert joined.status_code == 201, joined.text
    assert [p["id"] for p in joined.json()["posts"]] == [post["id"]]
    rejoined = employer.post(f"/api/v1/roadshows/{roadshow['id']}/employers", json={})
    assert rejoined.status_code == 409 and rejoined.json()["code"] == "roadshow_already_joined"
    detail = api.anonymous.get(f"/api/v1/roadshows/{roadshow['id']}").json()
    assert [e["employer_id"] for e in detail["employers"]] == [employer.id]
    assert (detail["employer_count"], detail["places_left"]) == (1, 9)

    # the employer becomes a practice unit serving the university, and reports students placed
    designated = hrss.post(
        f"/api/v1/employers/{employer.id}/practice-unit",
        json={
            "university_ids": [university["id"]],
            "valid_until": (today + timedelta(days=730)).isoformat(),
        },
    )
    assert designated.status_code == 200, designated.text
    assert designated.json()["practice_partners"] == [name]
    placed = employer.post(
        "/api/v1/me/practice-placements",
        json={
            "university_id": university["id"],
            "students": 5,
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=60)).isoformat(),
        },
    )
    assert placed.status_code == 201, placed.text
    units = api.anonymous.get("/api/v1/practice-units", params={"limit": 100}).json()["items"]
    unit = next(u for u in units if u["employer_id"] == employer.id)
    assert (unit["state"], unit["students_placed"], unit["university_ids"]) == (
        "active",
        5,
        [university["id"]],
    )

    # a city-level fair the district lists: a young person registers; no booths here
    fair = hrss.post(
        "/api/v1/city-fairs",
        json={
            "title": "市级高校毕业生专场招聘会",
            "organiser": "市人力资源和社会保障局",
            "mode": "on_site",
            "venue": "市人才市场",
            "starts_at": _in(24),
            "ends_at": _in(30),
        },
    )
    assert fair.status_code == 201, fair.text
    fair = fair.json()
    assert (fair["level"], fair["organiser"]) == ("city", "市人力资源和社会保障局")
    city = api.anonymous.get("/api/v1/fairs", params={"level": "city", "limit": 100}).json()
    assert fair["id"] in [f["id"] for f in city["items"]]
    youth = api.youth()
    registered = youth.post(f"/api/v1/fairs/{fair['id']}/registrations")
    assert registered.status_code == 201, registered.text
    booth = employer.post(f"/api/v1/fairs/{fair['id']}/booths", json={})
    assert booth.status_code == 409 and booth.json()["code"] == "city_fair_no_booths"

    after = indicators(organisation, period)
    deltas = {code: after[code]["value"] - before[code]["value"] for code in COUNTED}
    assert deltas == {
        "jobs.cooperation_projects": 1,
        "jobs.cooperation_projects.technology_transfer": 1,
        "jobs.cooperation_milestones_done": 1,
        "jobs.cooperation_outcomes": 1,
        "jobs.practice_units_verified": 1,
        "jobs.practice_students_placed": 5,
        "jobs.roadshows": 1,
        "jobs.roadshow_employers": 1,
        "jobs.city_fair_registrations": 1,
        "jobs.fair_registrations": 0,
    }
    assert (
        after["jobs.roadshows"]["task"] == after["jobs.city_fair_registrations"]["task"] == "一.5"
    )
    assert after["jobs.cooperation_projects"]["task"] == "一.3"

    seen = events_until(
        tap,
        {
            ("youthcity.jobs.university.registered", university["id"]),
            ("youthcity.jobs.cooperation.project_published", project["id"]),
            ("youthcity.jobs.cooperation.milestone_done", first["id"]),
            ("youthcity.jobs.roadshow.published", roadshow["id"]),
            ("youthcity.jobs.roadshow.joined", joined.json()["id"]),
            ("youthcity.jobs.practice_unit.verified", employer.id),
            ("youthcity.jobs.practice_unit.students_placed", placed.json()["id"]),
            ("youthcity.jobs.fair.city_listed", fair["id"]),
        },
    )
    placement = next(e for e in seen if e["type"].endswith("practice_unit.students_placed"))
    assert set(placement["data"]) == {
        "placement_id",
        "employer_id",
        "university_id",
        "students",
        "starts_on",
        "ends_on",
    }
