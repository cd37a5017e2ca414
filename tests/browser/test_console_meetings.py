"""Joint meetings and surveys in the browser (issue 25): 团区委 records a meeting with an action
item for 区人社局, whose officer marks it done with a note; a young person answers the survey
anonymously, and the officers' results show nothing until enough people answered."""

from __future__ import annotations

import uuid

from tests.support.api import PASSWORD
from tests.support.dates import days_ago, days_ahead


def test_the_convening_unit_records_a_meeting_and_the_assigned_unit_marks_its_item_done(
    console, console_api
):
    league = console_api.staff("officer", unit="youth_league")
    hrss = console_api.staff("officer", unit="hrss")
    title = f"青年工作联席会议 {uuid.uuid4().hex[:6]}"
    console.sign_in(league.account["username"], PASSWORD, "/review")
    console.go("/meetings")
    console.fill(
        "meeting",
        {
            "held_on": days_ago(1),
            "title": title,
            "minutes": "研究部署见习岗位扩容。",
            "decisions": "扩大见习岗位\n落实见习补贴",
            "first_title": "新增见习岗位 100 个",
            "first_unit": "hrss",
            "first_due_date": days_ahead(30),
        },
    )
    console.click("#attending-hrss")
    console.submit("meeting")
    console.wait_text('form[data-form="meeting"]', "已保存")
    [meeting] = [
        m for m in league.get("/api/v1/plan/meetings").json()["items"] if m["title"] == title
    ]
    assert meeting["units"] == ["youth_league", "hrss"]
    assert meeting["decisions"] == ["扩大见习岗位", "落实见习补贴"]
    [item] = meeting["action_items"]
    assert (item["unit"], item["status"], item["due_date"]) == ("hrss", "planned", days_ahead(30))
    console.screenshot("officer-meetings")
    console.sign_out()

    console.sign_in(hrss.account["username"], PASSWORD, "/review")
    console.go("/meetings")
    console.fill_control(f"#status-{item['id']}", "done")
    console.find(f"#note-{item['id']}").send_keys("已发布 100 个见习岗位")
    console.click(f'[data-action="save-action-{item["id"]}"]')
    console.wait_text("main", "已保存")
    console.wait_text(f'section[data-meeting="{meeting["id"]}"]', "已完成 1 项")
    console.sign_out()
    tracked = hrss.get(f"/api/v1/plan/items/{item['id']}").json()
    assert tracked["status"] == "done"
    notes = hrss.get(f"/api/v1/plan/items/{item['id']}/notes").json()["items"]
    assert [(n["text"], n["written_by"]) for n in notes] == [("已发布 100 个见习岗位", hrss.id)]


def answer(person, survey_id: str, happiness: int) -> None:
    body = {"gain": 4, "happiness": happiness, "security": 4}
    created = person.post(f"/api/v1/me/surveys/{survey_id}/answers", json=body)
    assert created.status_code == 201, created.text


def test_a_young_person_answers_once_and_officers_see_results_only_above_the_threshold(
    console, console_api, platform_clock
):
    platform_clock("2038-02-10T10:00:00+08:00")  # a month of this test's own
    api = console_api
    league = api.staff("officer", unit="youth_league")
    console.sign_in(league.account["username"], PASSWORD, "/review")
    console.go("/survey-results")
    console.fill("survey", {"period": "2038-02", "title": "二月青年感受调查"})
    console.submit("survey")
    console.wait_text('form[data-form="survey"]', "已保存")
    [survey] = [
        s for s in league.get("/api/v1/plan/surveys").json()["items"] if s["period"] == "2038-02"
    ]
    console.sign_out()

    youth = api.youth(age=23, residence="township_2")
    console.sign_in(youth.account["username"], PASSWORD, "/dashboard")
    console.go("/surveys")
    console.wait_text("main", "对“一.1")  # each programme's question names it
    console.fill(
        f"survey-{survey['id']}",
        {"gain": "5", "happiness": "5", "security": "4", "programme_0": "5"},
    )
    console.screenshot("youth-survey")
    console.submit(f"survey-{survey['id']}")
    console.find(f'[data-answered="{survey["id"]}"]')
    console.sign_out()
    again = youth.post(
        f"/api/v1/me/surveys/{survey['id']}/answers",
        json={"gain": 1, "happiness": 1, "security": 1},
    )
    assert again.status_code == 409 and again.json()["code"] == "survey_already_answered"

    for happiness in (4, 4, 3):
        answer(api.youth(age=23, residence="township_2"), survey["id"], happiness)
    console.sign_in(league.account["username"], PASSWORD, "/review")
    console.go("/survey-results")
    console.fill("survey-period", {"period": "2038-02"})
    console.submit("survey-period")
    console.wait_text("main", "答卷:不足,不显示")
    assert console.find('[data-aspect="happiness"]').text == "—"

    answer(api.youth(age=23, residence="township_2"), survey["id"], 4)
    console.submit("survey-period")
    console.wait_text("main", "答卷:5")
    assert console.find('[data-aspect="happiness"]').text == "4.00"  # (5 + 4 + 4 + 3 + 4) / 5
    console.screenshot("officer-survey-results")
    console.sign_out()
