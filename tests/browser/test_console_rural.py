"""Rural revitalisation in the browser (issue 28, plan 三.3): the agriculture bureau publishes a
partnership project, a young person applies with technical service, the bureau accepts and
follows up; the organisation department opens a call for a village support team, a young
person applies, is selected and posted to a village for a term."""

from __future__ import annotations

import uuid

from tests.support.api import PASSWORD
from tests.support.dates import days_ahead

BASE = "/api/v1/startup"


def test_the_agriculture_bureau_publishes_a_project_and_selects_and_follows_up_a_partner(
    console, console_api
):
    agriculture = console_api.staff("officer", unit="agriculture")
    title = f"高山茶叶合伙项目 {uuid.uuid4().hex[:6]}"
    console.sign_in(agriculture.account["username"], PASSWORD, "/review")
    console.go("/rural-projects")
    console.fill(
        "rural-project",
        {
            "title": title,
            "village": "XX乡XX村",
            "sector": "特色种植",
            "seeks_technical_service": True,
            "needs": "茶叶加工技术指导",
        },
    )
    console.submit("rural-project")
    console.wait_text('form[data-form="rural-project"]', "已保存")
    [project] = [
        p for p in agriculture.get(f"{BASE}/rural-projects").json()["items"] if p["title"] == title
    ]
    assert project["seeks"] == ["technical_service"]
    console.sign_out()

    youth = console_api.youth(age=27)
    console.sign_in(youth.account["username"], PASSWORD, "/dashboard")
    console.go("/rural")
    console.fill(
        f"partner-{project['id']}",
        {"contribution_form": "technical_service", "contribution": "每月驻村5天指导加工"},
    )
    console.submit(f"partner-{project['id']}")
    console.wait_text(f'form[data-form="partner-{project["id"]}"]', "已提交申请")
    console.wait_text("main", "待遴选")
    console.screenshot("youth-rural-apply")
    console.sign_out()
    [application] = youth.get(f"{BASE}/partner-applications").json()["items"]

    console.sign_in(agriculture.account["username"], PASSWORD, "/review")
    console.go("/rural-projects")
    console.fill(f"decide-{application['id']}", {"decision": "accept"})
    console.submit(f"decide-{application['id']}")
    console.fill(
        f"follow-up-{application['id']}",
        {"progress": "on_track", "jobs_created": "3", "note": "已完成首批技术培训"},
    )
    console.submit(f"follow-up-{application['id']}")
    console.wait_text("main", "已保存")
    console.screenshot("officer-rural-partners")
    console.sign_out()
    seen = agriculture.get(f"{BASE}/partner-applications/{application['id']}").json()
    assert seen["state"] == "accepted"
    assert [(f["progress"], f["jobs_created"]) for f in seen["follow_ups"]] == [("on_track", 3)]


def test_the_organisation_department_selects_a_young_doer_and_posts_them_to_a_village(
    console, console_api
):
    organisation = console_api.staff("officer", unit="organisation")
    title = f"驻村帮扶工作队选派 {uuid.uuid4().hex[:6]}"
    console.sign_in(organisation.account["username"], PASSWORD, "/review")
    console.go("/doer-calls")
    console.fill("doer-call", {"title": title, "villages": "XX乡XX村\nXX乡YY村", "places": "2"})
    console.submit("doer-call")
    console.wait_text('form[data-form="doer-call"]', "已保存")
    [call] = [
        c for c in organisation.get(f"{BASE}/doer-calls").json()["items"] if c["title"] == title
    ]
    assert call["villages"] == ["XX乡XX村", "XX乡YY村"]
    console.sign_out()

    youth = console_api.youth(age=24)
    console.sign_in(youth.account["username"], PASSWORD, "/dashboard")
    console.go("/rural")
    console.fill(f"doer-{call['id']}", {"statement": "农学专业毕业,愿做电商助农"})
    console.submit(f"doer-{call['id']}")
    console.wait_text(f'form[data-form="doer-{call["id"]}"]', "已提交申请")
    console.sign_out()
    [application] = youth.get(f"{BASE}/doer-applications").json()["items"]

    console.sign_in(organisation.account["username"], PASSWORD, "/review")
    console.go("/doer-calls")
    console.fill(f"doer-decide-{application['id']}", {"decision": "select"})
    console.submit(f"doer-decide-{application['id']}")
    console.fill(
        f"posting-{application['id']}",
        {"village": "XX乡YY村", "posted_from": days_ahead(7), "posted_until": days_ahead(700)},
    )
    console.submit(f"posting-{application['id']}")
    console.wait_text("main", "已派驻")
    console.screenshot("officer-doer-calls")
    console.sign_out()
    posted = youth.get(f"{BASE}/doer-applications/{application['id']}").json()
    assert (posted["state"], posted["village"]) == ("posted", "XX乡YY村")
    assert (posted["posted_from"], posted["posted_until"]) == (days_ahead(7), days_ahead(700))


def test_the_agriculture_bureau_trains_leaders_of_getting_rich_and_records_completion(
    console, console_api
):
    agriculture = console_api.staff("officer", unit="agriculture")
    title = f"致富带头人培训班 {uuid.uuid4().hex[:6]}"
    console.sign_in(agriculture.account["username"], PASSWORD, "/review")
    console.go("/rural-projects")
    console.fill(
        "rural-course",
        {
            "title": title,
            "mode": "onsite",
            "venue": "XX乡农民培训中心",
            "starts_on": days_ahead(3),
            "ends_on": days_ahead(5),
            "hours": "24",
            "capacity": "30",
        },
    )
    console.submit("rural-course")
    console.wait_text('form[data-form="rural-course"]', "已保存")
    courses = console_api.anonymous.get(f"{BASE}/courses", params={"kind": "rural_leaders"})
    [course] = [c for c in courses.json()["items"] if c["title"] == title]
    assert course["organiser_unit"] == "agriculture"
    console.sign_out()

    youth = console_api.youth(age=30)
    console.sign_in(youth.account["username"], PASSWORD, "/dashboard")
    console.go("/rural")
    console.click(f'[data-action="enrol-{course["id"]}"]')
    console.wait_text("main", "报名成功")
    console.sign_out()
    [enrolment] = youth.get(f"{BASE}/enrolments").json()["items"]

    console.sign_in(agriculture.account["username"], PASSWORD, "/review")
    console.go("/rural-projects")
    console.click(f'[data-action="complete-{enrolment["id"]}"]')
    console.wait_text("main", "已保存")
    console.sign_out()
    assert youth.get(f"{BASE}/enrolments/{enrolment['id']}").json()["state"] == "completed"
