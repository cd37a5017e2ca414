"""An officer of 团区委 drafts and publishes an activity in the browser, and checks a young
person in at the door with the one-time code the young person's portal shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.common.clock import clock
from tests.support.api import PASSWORD, unique


def test_an_officer_publishes_an_activity_and_checks_a_person_in_by_code(console, console_api):
    api = console_api
    league = api.staff("officer", unit="youth_league")
    title = f"青年读书会 {unique('r')[-4:]}"

    console.sign_in(league.account["username"], PASSWORD, "/review")
    console.go("/activities/manage")
    # it starts in half an hour, typed as the district's wall time (the form's zone, whatever
    # the browser's): check-in is open
    starts, ends = (
        (clock.now() + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M")
        for minutes in (30, 150)
    )
    console.fill(
        "new-activity",
        {
            "title": title,
            "category": "training",
            "venue": "区图书馆",
            "starts_at": starts,
            "ends_at": ends,
            "capacity": 20,
        },
    )
    console.submit("new-activity")
    console.wait_text('form[data-form="new-activity"]', "草稿已保存")
    [draft] = [
        a
        for a in league.get("/api/v1/activities", params={"state": "draft"}).json()["items"]
        if a["title"] == title
    ]
    begins = datetime.fromisoformat(draft["starts_at"])  # the district time sent with its offset
    assert abs(begins - (datetime.now(UTC) + timedelta(minutes=30))) < timedelta(minutes=3)
    console.click('[data-action="publish"]')
    console.wait_text("main", "已发布")

    youth = api.youth(age=22)
    registration = youth.post(f"/api/v1/activities/{draft['id']}/registrations").json()
    assert registration["state"] == "confirmed", registration
    code = youth.get(f"/api/v1/me/registrations/{registration['id']}").json()["check_in_code"]

    console.find(f'[name="code-{draft["id"]}"]').send_keys(code)
    console.click(f'div:has(> .field [name="code-{draft["id"]}"]) > [data-action="check-in"]')
    console.wait_text("main", "签到成功")
    console.wait_text("main", "签到 1")
    console.screenshot("officer-activities")
    console.sign_out()
    mine = youth.get(f"/api/v1/me/registrations/{registration['id']}").json()
    assert mine["state"] == "checked_in"
