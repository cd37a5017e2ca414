"""The plan's four lists in the browser: an officer of 团区委 adds a practical project of the
unit and moves its progress; the change is kept in the item's history."""

from __future__ import annotations

from tests.support.api import PASSWORD
from tests.support.dates import days_ahead


def test_an_officer_adds_a_practical_project_and_moves_its_progress(console, console_api):
    league = console_api.staff("officer", unit="youth_league")
    console.sign_in(league.account["username"], PASSWORD, "/review")
    console.go("/plan")
    console.fill(
        "plan-item",
        {
            "kind": "practical_project",
            "title": "青年驿站扩容至200张床位",
            "task_code": "二.1",
            "owner": "团区委青年发展部",
            "due_date": days_ahead(200),
            "status": "in_progress",
            "progress": 20,
        },
    )
    console.submit("plan-item")
    console.wait_text('form[data-form="plan-item"]', "已保存")
    [item] = league.get("/api/v1/plan/items", params={"unit": "youth_league"}).json()["items"]
    assert (item["kind"], item["progress"], item["unit"]) == (
        "practical_project",
        20,
        "youth_league",
    )

    progress = console.find(f"#progress-{item['id']}")
    progress.clear()
    progress.send_keys("60")
    console.click(f'span:has(> #progress-{item["id"]}) > [data-action="save-progress"]')
    console.wait_text("main", "已保存")
    console.wait(
        lambda d: console.find(f"#progress-{item['id']}").get_attribute("value") == "60",
        "the list showing 60 %",
    )
    console.screenshot("officer-plan")
    console.sign_out()
    history = league.get(f"/api/v1/plan/items/{item['id']}/history").json()["items"]
    assert (history[-1]["version"], history[-1]["changes"]) == (2, {"progress": [20, 60]})
