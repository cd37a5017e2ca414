"""Joint meetings and surveys (issue 25) through the gateway, in a year of this module's own (2037:
no other test moves there), so every meeting, answer and figure counted is one this module made:
a meeting's action item is tracked to done, and an overdue one flagged with its unit reminded; a
survey's results appear only once SMALL_CELL_K people answered, no one answers twice, and the
stored answer carries no person id."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from services.common.config import database_url_for
from tests.support.indicators import complete_indicators
from tests.support.messaging import wait_for

MEETING_DAY = "2037-03-10T10:00:00+08:00"
SURVEY_DAY = "2037-05-15T10:00:00+08:00"
SMALL_CELL_K = 5  # the platform's default


def created(answer) -> dict:
    assert answer.status_code == 201, answer.text
    return answer.json()


def refused(answer, status: int, code: str) -> dict:
    assert answer.status_code == status, answer.text
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    body = answer.json()
    assert body["code"] == code or any(e["code"] == code for e in body.get("errors", []))
    return body


def messages_about(session, text: str) -> list[dict]:
    return [
        m for m in session.get("/api/v1/me/messages").json()["items"] if text in (m["title"] or "")
    ]


def test_a_meetings_action_items_are_tracked_to_done_and_an_overdue_one_reminds_its_unit(
    api, platform_clock
):
    platform_clock(MEETING_DAY)
    convener = api.staff("officer", unit="youth_league")
    hrss = api.staff("officer", unit="hrss")
    hrss_colleague = api.staff("officer", unit="hrss")
    housing = api.staff("officer", unit="housing")
    tag = uuid.uuid4().hex[:6]
    body = {
        "held_on": "2037-03-09",
        "title": f"2037年第一季度青年工作联席会议 {tag}",
        "units": ["hrss", "housing"],
        "minutes": "会议听取了各单位一季度工作汇报,研究了见习岗位和人才公寓配租。",
        "decisions": ["扩大就业见习岗位", "加快人才公寓配租"],
        "action_items": [
            {
                "title": f"新增见习岗位 200 个 {tag}",
                "unit": "hrss",
                "due_date": "2037-03-20",
                "person": "李科长",
                "indicator_codes": ["jobs.posts_published.job"],
            },
            {"title": f"人才公寓配租方案 {tag}", "unit": "housing", "due_date": "2037-04-30"},
        ],
    }

    # only the convening unit records a meeting, in the caller's language
    other = hrss.in_english().post("/api/v1/plan/meetings", json=body)
    assert "convening unit" in refused(other, 403, "not_convening_unit")["title"]
    assert (
        "召集单位"
        in refused(hrss.post("/api/v1/plan/meetings", json=body), 403, "not_convening_unit")[
            "title"
        ]
    )
    future = convener.post("/api/v1/plan/meetings", json={**body, "held_on": "2037-03-11"})
    assert refused(future, 422, "meeting_in_future")["errors"][0]["field"] == "held_on"

    meeting = created(convener.post("/api/v1/plan/meetings", json=body))
    assert meeting["units"] == ["youth_league", "hrss", "housing"]
    assert meeting["decisions"] == body["decisions"]
    assert meeting["progress"] == {"total": 2, "done": 0, "overdue": 0}
    jobs_item, flats_item = meeting["action_items"]
    assert (jobs_item["unit"], jobs_item["kind"], jobs_item["meeting_id"]) == (
        "hrss",
        "task",
        meeting["id"],
    )
    assert jobs_item["owner"] == "李科长" and flats_item["owner"] == "区住建局"
    listed = convener.get("/api/v1/plan/meetings", params={"period": "2037-Q1"}).json()["items"]
    assert meeting["id"] in [m["id"] for m in listed]
    linked = hrss.get("/api/v1/plan/items", params={"meeting_id": meeting["id"]}).json()["items"]
    assert {i["id"] for i in linked} == {jobs_item["id"], flats_item["id"]}

    # the assigned unit's officers track it; another unit may not
    jobs = f"/api/v1/plan/items/{jobs_item['id']}"
    assert created(hrss.post(f"{jobs}/notes", json={"text": "已征集 120 个", "progress": 60}))
    moved = hrss.patch(jobs, json={"status": "in_progress"})
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"
    refused(housing.patch(jobs, json={"status": "done"}), 403, "not_unit_officer")
    flats = f"/api/v1/plan/items/{flats_item['id']}"
    assert housing.patch(flats, json={"status": "done", "progress": 100}).json()["status"] == "done"
    assert convener.get(f"/api/v1/plan/meetings/{meeting['id']}").json()["progress"] == {
        "total": 2,
        "done": 1,
        "overdue": 0,
    }

    # two days past its due date: flagged, and each officer of its unit reminded once
    platform_clock("2037-03-22T09:00:00+08:00")
    flagged = wait_for(
        lambda: (view := hrss.get(jobs).json())["overdue_since"] and view,
        timeout=40,
        interval=1,
        message="the timer flagging the overdue action item",
    )
    assert flagged["overdue"] is True and flagged["overdue_since"] == "2037-03-22"
    for officer in (hrss, hrss_colleague):
        reminders = wait_for(
            lambda officer=officer: messages_about(officer, jobs_item["title"]),
            timeout=30,
            interval=1,
            message="the overdue reminder in the hrss officer's inbox",
        )
        assert len(reminders) == 1
    assert not messages_about(housing, jobs_item["title"])
    overdue = convener.get(f"/api/v1/plan/meetings/{meeting['id']}").json()
    assert overdue["progress"] == {"total": 2, "done": 1, "overdue": 1}

    done = hrss.patch(jobs, json={"status": "done", "progress": 100}).json()
    assert done["status"] == "done" and done["overdue"] is False and done["overdue_since"] is None
    closed = convener.get(f"/api/v1/plan/meetings/{meeting['id']}").json()
    assert closed["progress"] == {"total": 2, "done": 2, "overdue": 0}
    history = hrss.get(f"{jobs}/history").json()["items"]
    assert [c["changes"].get("status") for c in history][-1] == ["in_progress", "done"]
    notes = hrss.get(f"{jobs}/notes").json()["items"]
    assert [(n["text"], n["progress"]) for n in notes] == [("已征集 120 个", 60)]

    # every step is on the record: who added, noted and moved it
    trail = api.admin().get(
        "/api/v1/admin/audit",
        params={"service": "gateway", "subject_type": "plan_item", "subject_id": jobs_item["id"]},
    )
    assert trail.status_code == 200, trail.text
    entries = trail.json()["items"]
    actions = {e["action"] for e in entries}
    assert {"plan_item.added", "plan_item.noted", "plan_item.updated"} <= actions
    moved_to_done = [e for e in entries if e["details"].get("status") == ["in_progress", "done"]]
    assert [e["actor_id"] for e in moved_to_done] == [hrss.id]

    # the convening unit corrects the record and assigns one more item
    corrected = convener.patch(
        f"/api/v1/plan/meetings/{meeting['id']}", json={"decisions": ["扩大就业见习岗位"]}
    )
    assert corrected.status_code == 200 and corrected.json()["version"] == 2
    extra = created(
        convener.post(
            f"/api/v1/plan/meetings/{meeting['id']}/action-items",
            json={"title": f"见习补贴拨付 {tag}", "unit": "finance", "due_date": "2037-04-15"},
        )
    )
    assert extra["meeting_id"] == meeting["id"] and extra["unit"] == "finance"


def survey_answer(**scores) -> dict:
    return {"gain": 4, "happiness": 4, "security": 5, "satisfaction": {"一.2": 4}, **scores}


def test_survey_results_appear_only_once_enough_people_answered_and_once_each(
    api, platform, platform_clock
):
    platform_clock(SURVEY_DAY)
    convener = api.staff("officer", unit="youth_league")
    survey = created(
        convener.post(
            "/api/v1/plan/surveys",
            json={
                "period": "2037-Q2",
                "title": "2037年二季度青年感受调查",
                "programmes": ["一.2", "二.1"],
            },
        )
    )
    assert (survey["opens_on"], survey["closes_on"]) == ("2037-04-01", "2037-06-30")
    assert [p["code"] for p in survey["programmes"]] == ["一.2", "二.1"]
    again = convener.post("/api/v1/plan/surveys", json={"period": "2037-Q2", "title": "重复"})
    refused(again, 409, "survey_period_taken")

    people = [api.youth(age=20, residence="township_1") for _ in range(SMALL_CELL_K)]
    first, *rest = people
    mine = first.get("/api/v1/me/surveys").json()["items"]
    assert [(s["id"], s["answered"]) for s in mine if s["id"] == survey["id"]] == [
        (survey["id"], False)
    ]
    path = f"/api/v1/me/surveys/{survey['id']}/answers"
    # an Idempotency-Key is accepted but nothing of the answer is kept with the caller
    key = {"Idempotency-Key": f"survey-{uuid.uuid4().hex}"}
    assert created(first.post(path, json=survey_answer(happiness=5), headers=key))["answered"]
    twice = first.in_english().post(path, json=survey_answer(happiness=1))
    assert "once" in refused(twice, 409, "survey_already_answered")["title"]
    assert [
        s["answered"]
        for s in first.get("/api/v1/me/surveys").json()["items"]
        if s["id"] == survey["id"]
    ] == [True]
    refused(
        rest[0].post(path, json=survey_answer(satisfaction={"三.1": 3})),
        422,
        "not_a_survey_programme",
    )
    refused(convener.post(path, json=survey_answer()), 403, "role_not_allowed")

    for person in rest[:-1]:
        created(person.post(path, json=survey_answer()))
    below = convener.get("/api/v1/plan/surveys/results", params={"period": "2037-Q2"}).json()
    assert below["suppressed"] is True and below["answers"] is None
    assert below["aspects"] == {"gain": None, "happiness": None, "security": None}
    assert all(cell["aspects"]["happiness"] is None for cell in below["by_area"])
    assert indicator(convener, "2037-Q2", "survey.sense_of_happiness") is None

    created(rest[-1].post(path, json=survey_answer()))
    shown = convener.get("/api/v1/plan/surveys/results", params={"period": "2037-Q2"}).json()
    assert shown["suppressed"] is False and shown["answers"] == SMALL_CELL_K
    assert shown["aspects"] == {"gain": 4.0, "happiness": 4.2, "security": 5.0}
    township = next(c for c in shown["by_area"] if c["key"] == "township_1")
    assert (township["answers"], township["aspects"]["happiness"]) == (SMALL_CELL_K, 4.2)
    programmes = {p["code"]: p for p in shown["programmes"]}
    assert programmes["一.2"]["satisfaction"] == 4.0 and programmes["二.1"]["suppressed"]
    assert indicator(convener, "2037-Q2", "survey.sense_of_happiness") == 4.2
    assert indicator(convener, "2037-Q2", "survey.answers") == SMALL_CELL_K
    assert indicator(convener, "2037", "survey.sense_of_security") == 5.0  # the year holds it
    assert indicator(convener, "2037-05", "survey.sense_of_gain") is None  # a month holds none

    # one young person elsewhere: their area is a small cell, and the next smallest goes too
    created(api.youth(age=31, residence="subdistrict_1").post(path, json=survey_answer(gain=1)))
    after = convener.get("/api/v1/plan/surveys/results", params={"period": "2037-Q2"}).json()
    by_area = {cell["key"]: cell for cell in after["by_area"]}
    assert after["answers"] == SMALL_CELL_K + 1
    assert by_area["subdistrict_1"]["suppressed"] and by_area["township_1"]["suppressed"]

    stored = stored_rows(platform, survey["id"])
    ids = {person.id for person in people}
    assert (
        len(stored["answers"]) == SMALL_CELL_K + 1
        and len(stored["respondents"]) == SMALL_CELL_K + 1
    )
    assert set(stored["answers"][0]) == {
        "id",
        "survey_id",
        "area",
        "age_band",
        "gain",
        "happiness",
        "security",
        "satisfaction",
    }
    text = str(stored)
    assert not any(person_id in text for person_id in ids)
    assert stored["kept_requests"] == 0


def indicator(officer, period: str, code: str):
    answer = complete_indicators(officer, period)
    return next(i for t in answer["tasks"] for i in t["indicators"] if i["code"] == code)["value"]


def stored_rows(platform, survey_id: str) -> dict:
    """What the gateway's database holds of a survey's answers, read as an operator would."""
    engine = sa.create_engine(database_url_for("gateway", platform.env), poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            answers = connection.execute(
                sa.text("SELECT * FROM survey_answer WHERE survey_id = :id"), {"id": survey_id}
            )
            respondents = connection.execute(
                sa.text("SELECT * FROM survey_respondent WHERE survey_id = :id"),
                {"id": survey_id},
            )
            kept = connection.execute(
                sa.text("SELECT count(*) FROM idempotent_request WHERE key LIKE 'survey-%'")
            ).scalar()
            return {
                "answers": [dict(row._mapping) for row in answers],
                "respondents": [dict(row._mapping) for row in respondents],
                "kept_requests": kept,
            }
    finally:
        engine.dispose()
