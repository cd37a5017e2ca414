"""The console's main journey, clicked through in a real browser: a young person registers,
applies to a post and books youth-station nights; the employer moves the application to hired
and claims the hiring subsidy; an officer of 区人社局 grants it and sees the indicator move.

Only what a console user would not do here is prepared through the API: the station room (a
housing officer's inventory) and a verified employer with a published post."""

from __future__ import annotations

from datetime import timedelta

from services.common.clock import clock
from tests.support.api import PASSWORD, born_aged, citizen_id, unique, verify_facts
from tests.support.jobs import published, registered_employer, unique_area


def subsidies_granted(console) -> float:
    cell = console.find('[data-code="jobs.subsidies_granted"]')
    return float(cell.get_attribute("data-value") or 0)


def test_a_graduate_applies_and_books_nights_is_hired_and_the_subsidy_moves_the_indicator(
    console, console_api
):
    api = console_api
    hrss = api.staff("officer", unit="hrss")
    housing = api.staff("officer", unit="housing")
    room = housing.post(
        "/api/v1/housing/units",
        json={
            "kind": "station_bed",
            "title": "青年驿站 浏览器测试房",
            "address": "XX区人才大厦3楼",
            "area_m2": "30",
            "rooms": 1,
            "rent_cny": "0",
            "beds": 2,
        },
    ).json()
    employer = registered_employer(api, hrss, name="XX文旅浏览器测试有限公司")
    area = unique_area()
    post = published(employer, hrss, title="景区讲解见习生", area=area, positions=1)

    # a young person registers in the browser, lands on the dashboard
    username = unique("web")
    today = clock.today()
    console.open("/register")
    console.fill(
        "register-youth",
        {
            "username": username,
            "password": PASSWORD,
            "profile.name": "李明",
            "profile.citizen_id": citizen_id(born_aged(23)),
            "phone": "13800138000",
            "profile.degree": "bachelor",
            "profile.graduation_date": (today - timedelta(days=120)).isoformat(),
            "profile.employment_status": "unemployed",
        },
    )
    console.submit("register-youth")
    console.wait_page("/dashboard")
    console.screenshot("youth-dashboard")

    # finds the post by keyword and area, and applies
    console.go("/posts")
    console.fill("post-search", {"keyword": "讲解", "area": area})
    console.submit("post-search")
    console.find(f'.results[data-query*="{area}"]')  # the answer to this search, not the first list
    card = f'article[data-post="{post["id"]}"]'
    console.find(card)
    console.click(f'{card} [data-action="apply"]')
    console.wait_text(card, "申请已提交")
    console.find('main [data-state="submitted"]')  # in my applications, as submitted
    console.screenshot("youth-posts")
    # the dashboard lists it, linked to where applications are followed
    console.go("/dashboard")
    console.click('section[data-section="jobs"] a[data-kind="jobs.application"]')
    console.wait_page("/posts")

    # books two nights at the youth station
    console.go("/housing")
    console.fill(
        "station-booking",
        {"unit_id": room["id"], "first_night": today.isoformat(), "nights": 2},
    )
    console.submit("station-booking")
    console.wait_text('form[data-form="station-booking"]', "已预订 2 晚")
    console.screenshot("youth-housing")
    console.sign_out()

    # the employer hires them, step by step, and claims the one-off hiring subsidy
    console.sign_in(employer.account["username"], PASSWORD, "/employer")
    console.screenshot("employer-organisation")
    console.go("/employer/posts")
    post_card = f'article[data-post="{post["id"]}"]'
    console.click(f'{post_card} [data-action="show-applications"]')
    for step in ("viewed", "interview", "offer", "hired"):
        console.click(f'{post_card} [data-action="to-{step}"]')
        console.find(f'{post_card} [data-state="{step}"]')
    claim_button = f'{post_card} [data-action="claim-subsidy"]'
    console.click(claim_button)
    console.wait_text(post_card, "1500.00")
    console.wait(lambda d: not d.find_elements("css selector", claim_button), "no second claim")
    console.screenshot("employer-applications")

    # hired early from the traineeship: it ends, kept on, and its subsidy is claimed too
    console.go("/employer/subsidies")
    console.fill_control('select[name="outcome"]', "retained")
    console.click('[data-action="end-traineeship"]')
    console.click('[data-action="claim-traineeship-subsidy"]')
    console.wait_text("main", "等待审核")
    console.screenshot("employer-subsidies")
    console.sign_out()

    # the officer sees the indicator, grants the hiring claim in the review queue, sees it move
    claims = employer.get("/api/v1/employment-subsidies").json()["items"]
    assert sorted(c["kind"] for c in claims) == ["hiring", "traineeship"]
    [claim] = [c for c in claims if c["kind"] == "hiring"]
    verify_facts(hrss, claim["person_id"], "graduation_date")
    console.sign_in(hrss.account["username"], PASSWORD, "/review")
    console.go("/indicators")
    before = subsidies_granted(console)
    console.go("/review")
    console.click('[data-queue="subsidies"]')
    item = f'li[data-item="{claim["id"]}"]'
    console.find(item)
    console.screenshot("officer-review")
    console.click(f'{item} [data-action="grant"]')
    console.wait_text("#queue-panel", "已处理")

    def moved(_driver):
        console.open("/indicators")
        return subsidies_granted(console) == before + 1

    console.wait(moved, "the subsidies-granted indicator one higher", timeout=30)
    console.screenshot("officer-indicators")

    # the table as CSV, made in the browser
    exported = console.download('[data-action="export-csv"]', "indicators-*-zh-CN.csv")
    text = exported.read_text(encoding="utf-8-sig")
    assert "jobs.subsidies_granted" in text and "≥ 1000" in text
    assert text.splitlines()[0].startswith("任务,责任单位,代码,指标,数值,目标,达标")
    assert employer.get(f"/api/v1/employment-subsidies/{claim['id']}").json()["state"] == "granted"
