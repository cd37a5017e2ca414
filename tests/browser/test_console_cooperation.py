"""District–university cooperation in the browser (issue 28, plan 一.3 and 一.5): an officer of
区委组织部 registers a university, publishes a cooperation project, marks its milestone done from
the queue and organises a roadshow there, which a verified employer joins from its own page; an
officer of 区人社局 lists a city-level job fair and sees the young people who registered for it
counted; the page reads in both languages."""

from __future__ import annotations

import uuid

from selenium.webdriver.common.by import By

from tests.support.api import PASSWORD
from tests.support.dates import days_ahead
from tests.support.jobs import registered_employer


def test_the_responsible_units_publish_cooperation_and_follow_it_in_their_queue(
    console, console_api
):
    organisation = console_api.staff("officer", unit="organisation")
    hrss = console_api.staff("officer", unit="hrss")
    name = f"XX理工大学{uuid.uuid4().hex[:6]}"

    console.sign_in(organisation.account["username"], PASSWORD, "/review")
    console.go("/cooperation")
    console.fill("university", {"name": name, "city": "杭州市"})
    console.submit("university")
    console.wait_text("main", name)
    [university] = [
        u
        for u in organisation.get("/api/v1/universities", params={"limit": 100}).json()["items"]
        if u["name"] == name
    ]

    title = f"文旅人才双向交流 {uuid.uuid4().hex[:6]}"
    console.fill(
        "project",
        {
            "university_id": university["id"],
            "kind": "talent_exchange",
            "title": title,
            "milestone_title": "首批干部挂职",
            "milestone_due_on": days_ahead(30),
        },
    )
    console.submit("project")
    console.wait_text('form[data-form="project"]', "已保存")
    [project] = [
        p
        for p in organisation.get(
            "/api/v1/cooperation-projects", params={"university_id": university["id"]}
        ).json()["items"]
    ]
    assert (project["title"], project["kind"]) == (title, "talent_exchange")
    [milestone] = organisation.get(f"/api/v1/cooperation-projects/{project['id']}").json()[
        "milestones"
    ]
    card = f'section[data-project="{project["id"]}"]'
    console.wait_text(card, "人才交流")
    console.click(f'[data-action="done-{milestone["id"]}"]')
    console.wait_text(card, "节点完成 1/1")

    console.fill(
        "roadshow",
        {
            "university_id": university["id"],
            "title": "文旅产业专题推介会",
            "industry": "culture_tourism",
            "venue": "学术报告厅",
            "starts_at": f"{days_ahead(10)}T14:00",
            "ends_at": f"{days_ahead(10)}T17:00",
            "employer_capacity": "8",
        },
    )
    console.submit("roadshow")
    console.wait_text('form[data-form="roadshow"]', "已保存")
    roadshows = organisation.get("/api/v1/roadshows", params={"university_id": university["id"]})
    [roadshow] = roadshows.json()["items"]
    console.wait_text(f'[data-roadshow="{roadshow["id"]}"]', "0/8")
    assert roadshow["starts_at"].startswith(days_ahead(10))
    console.screenshot("officer-cooperation")
    console.sign_out()

    employer = registered_employer(console_api, hrss, name="XX文旅集团有限公司")
    console.sign_in(employer.account["username"], PASSWORD, "/employer")
    console.go("/roadshows")
    console.click(f'[data-action="join-{roadshow["id"]}"]')
    console.wait_text(f'[data-roadshow="{roadshow["id"]}"]', "1/8")
    joined = console_api.anonymous.get(f"/api/v1/roadshows/{roadshow['id']}").json()
    assert [e["employer_id"] for e in joined["employers"]] == [employer.id]
    console.sign_out()

    console.sign_in(hrss.account["username"], PASSWORD, "/review")
    console.go("/cooperation")
    fair_title = f"市级春季招聘会 {uuid.uuid4().hex[:6]}"
    console.fill(
        "city-fair",
        {
            "title": fair_title,
            "organiser": "市人力资源和社会保障局",
            "venue": "市人才市场",
            "starts_at": f"{days_ahead(5)}T09:00",
            "ends_at": f"{days_ahead(5)}T16:00",
        },
    )
    console.submit("city-fair")
    console.wait_text('form[data-form="city-fair"]', "已保存")
    fairs = hrss.get("/api/v1/fairs", params={"level": "city", "limit": 100}).json()["items"]
    [fair] = [f for f in fairs if f["title"] == fair_title]
    registered = console_api.youth().post(f"/api/v1/fairs/{fair['id']}/registrations")
    assert registered.status_code == 201, registered.text
    console.driver.refresh()
    console.wait_text(f'[data-fair="{fair["id"]}"]', "1")
    # publishing projects is the cooperation unit's: 区人社局 reads them
    assert not console.driver.find_elements(By.CSS_SELECTOR, 'form[data-form="project"]')
    console.switch_language("en")
    console.wait_text("main", "City-level job fairs")
    console.screenshot("officer-cooperation-en")
