"""The rest of the youth portal in the browser: a business registration whose 2-hour clock runs,
an activity place with its check-in code, a full activity's waitlist, and the dashboard that
gathers them."""

from __future__ import annotations

import json

from tests.support.api import PASSWORD
from tests.support.dates import days_ago, district_time


def activity(officer, title: str, capacity: int) -> str:
    created = officer.post(
        "/api/v1/activities",
        json={
            "title": title,
            "category": "fitness",
            "venue": "全民健身中心",
            "starts_at": district_time(days=30, hour=9).isoformat(),
            "ends_at": district_time(days=30, hour=11).isoformat(),
            "capacity": capacity,
        },
    ).json()
    officer.post(f"/api/v1/activities/{created['id']}/publish")
    return created["id"]


def test_a_young_person_starts_a_business_and_takes_a_place_and_a_waitlist_spot(
    console, console_api
):
    api = console_api
    league = api.staff("officer", unit="youth_league")
    open_run = activity(league, "晨跑打卡", capacity=10)
    full_run = activity(league, "夜跑团", capacity=1)
    api.youth(age=25).post(f"/api/v1/activities/{full_run}/registrations")
    youth = api.youth(age=24, graduation_date=days_ago(540), employment_status="unemployed")

    console.sign_in(youth.account["username"], PASSWORD, "/dashboard")
    console.go("/startup")
    console.fill(
        "business-registration",
        {
            "company_name": "XX青禾科技有限公司",
            "company_type": "limited_company",
            "registered_capital_cny": 100000,
            "address": "XX区双创智慧港A座301",
            "business_scope": "软件开发;信息技术咨询服务",
            "founder_name": "李青",
        },
    )
    console.submit("business-registration")
    card = console.find("article[data-registration]")
    console.find("article[data-registration] [data-clock]")
    assert "120" in card.text  # the 2-hour target in minutes
    console.screenshot("youth-startup")

    console.go("/activities")
    console.click(f'article[data-activity="{open_run}"] [data-action="register"]')
    console.wait_text("main", "报名成功")
    console.click(f'article[data-activity="{full_run}"] [data-action="register"]')
    console.wait_text("main", "候补第 1 位")
    registrations = youth.get("/api/v1/me/registrations").json()["items"]
    place = next(r for r in registrations if r["state"] == "confirmed")
    console.click(f'span:has(> [data-code-for="{place["id"]}"]) > [data-action="show-code"]')
    code = console.wait(
        lambda d: console.find(f'[data-code-for="{place["id"]}"]').text,
        "the check-in code",
    )
    assert code == youth.get(f"/api/v1/me/registrations/{place['id']}").json()["check_in_code"]
    console.screenshot("youth-activities")

    console.go("/dashboard")
    console.wait_text('[data-section="startup"]', "XX青禾科技有限公司")
    console.wait_text('[data-section="events"]', "晨跑打卡")
    console.screenshot("youth-dashboard-filled")

    # my data: a JSON file with every service's part
    console.go("/data")
    folder = console.allow_downloads()
    console.click('[data-action="download-data"]')
    downloaded = console.wait(
        lambda d: next(folder.glob("youthcity-*.json"), None), "my data downloaded"
    )
    data = json.loads(downloaded.read_text())
    assert data["person_id"] == youth.id
    assert set(data["parts"]) == {"gateway", "jobs", "housing", "startup", "events", "notify"}
    console.sign_out()


def test_a_young_person_turns_off_text_messages_about_jobs(console, console_api):
    youth = console_api.youth(age=23)
    console.sign_in(youth.account["username"], PASSWORD, "/dashboard")
    console.go("/preferences")
    sms_about_jobs = 'input[name="jobs/sms"]'
    assert console.find(sms_about_jobs).is_selected()
    console.click(sms_about_jobs)
    console.click('[data-action="save-preferences"]')
    console.wait_text("main", "已保存")
    console.screenshot("youth-preferences")
    chosen = {
        (item["category"], item["channel"]): item["enabled"]
        for item in youth.get("/api/v1/me/preferences").json()["items"]
    }
    assert chosen[("jobs", "sms")] is False
    assert chosen[("jobs", "email")] is True and chosen[("housing", "sms")] is True
    console.go("/preferences")  # shown as saved when the page is opened again
    assert not console.find(sms_about_jobs).is_selected()
