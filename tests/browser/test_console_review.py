"""An employer onboarded entirely in the browser, and the officers' review queues: 区人社局
verifies the employer and approves its post, 区住建局 approves a housing application, 区委宣传部
publishes a story. Each decision is checked through the API, as the other side would see it."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from tests.support.api import PASSWORD, unique
from tests.support.jobs import credit_code, unique_area


def decide(console, queue: str, item_id: str, action: str, reason: str | None = None) -> None:
    console.open("/review")
    console.click(f'[data-queue="{queue}"]')
    item = f'li[data-item="{item_id}"]'
    console.find(item)
    if reason:
        console.find(f'{item} [name="reason"]').send_keys(reason)
    console.click(f'{item} [data-action="{action}"]')
    console.wait_text("#queue-panel", "已处理")


def test_an_employer_onboards_in_the_browser_and_officers_decide_their_queues(console, console_api):
    api = console_api
    hrss = api.staff("officer", unit="hrss")
    username, area = unique("org"), unique_area()

    console.open("/register")
    console.fill(
        "register-employer",
        {"username": username, "password": PASSWORD, "display_name": "XX数字科技有限公司"},
    )
    console.submit("register-employer")
    console.wait_page("/employer")
    console.fill(
        "employer",
        {"credit_code": credit_code(), "industry": "information_technology", "area": area},
    )
    console.submit("employer")
    console.find('[data-state="pending"]')
    employer = api.sign_in(username, PASSWORD)
    console.sign_out()

    console.sign_in(hrss.account["username"], PASSWORD, "/review")
    decide(console, "employers", employer.id, "verify", "材料齐全")
    console.sign_out()
    assert employer.get("/api/v1/employers/me").json()["state"] == "verified"

    console.sign_in(username, PASSWORD, "/employer")
    console.go("/employer/posts")
    console.fill(
        "new-post",
        {
            "kind": "job",
            "title": "前端开发工程师",
            "area": area,
            "industry": "information_technology",
            "salary_min": 6000,
            "salary_max": 9000,
        },
    )
    console.submit("new-post")
    console.wait_text('form[data-form="new-post"]', "草稿已保存")
    [draft] = employer.get("/api/v1/me/posts").json()["items"]
    console.click(f'article[data-post="{draft["id"]}"] [data-action="submit-post"]')
    console.find(f'article[data-post="{draft["id"]}"] [data-state="pending_review"]')
    console.screenshot("employer-posts")
    console.sign_out()

    console.sign_in(hrss.account["username"], PASSWORD, "/review")
    decide(console, "posts", draft["id"], "approve")
    console.sign_out()
    found = api.anonymous.get("/api/v1/posts", params={"area": area}).json()["items"]
    assert [p["id"] for p in found] == [draft["id"]]

    housing = api.staff("officer", unit="housing")
    flat = housing.post(
        "/api/v1/housing/units",
        json={
            "kind": "talent_apartment",
            "title": "人才公寓 3-502",
            "address": "XX区安居路5号",
            "area_m2": "48",
            "rooms": 1,
            "rent_cny": "520",
        },
    ).json()
    tenant = api.youth(age=26, local_social_insurance_months=24)
    application = tenant.post(
        "/api/v1/housing/applications",
        json={
            "kind": "talent_apartment",
            "owns_property_in_district": False,
            "on_government_payroll": False,
        },
    ).json()
    assert application["state"] == "submitted", application
    console.sign_in(housing.account["username"], PASSWORD, "/review")
    decide(console, "housing", application["id"], "approve", "符合人才公寓条件")
    console.sign_out()
    mine = tenant.get(f"/api/v1/housing/applications/{application['id']}").json()
    assert (mine["state"], mine["decision_reason"]) == ("waitlisted", "符合人才公寓条件")

    # the unit is offered to the first in line, who reads its terms and accepts it in the browser
    housing.post("/api/v1/housing/allocation-rounds", json={"kind": "talent_apartment"})
    [offer] = tenant.get("/api/v1/me/housing/offers").json()["items"]
    assert offer["unit_id"] == flat["id"]
    console.sign_in(tenant.account["username"], PASSWORD, "/dashboard")
    console.go("/housing")
    assert console.driver.find_elements(By.CSS_SELECTOR, 'main [data-action="accept"]') == []
    console.click(f'a[data-offer="{offer["id"]}"]')  # the offer's terms come before accepting
    console.wait_page("/housing-offer")
    console.click('[data-action="accept"]')
    console.click('[data-action="confirm-accept"]')
    console.wait_text('[data-status="page"]', "租约已开始")
    console.go("/housing")
    console.find('[data-state="accepted"]')
    console.screenshot("youth-housing-offer")
    console.sign_out()
    states = [a["state"] for a in tenant.get("/api/v1/me/housing/applications").json()["items"]]
    assert states == ["housed"]

    publicity = api.staff("officer", unit="publicity")
    author = api.youth(age=24)
    story = author.post(
        "/api/v1/stories",
        json={"title": "返乡种茶的第三年", "body": "从城里回到家乡种茶,已经是第三年了。" * 3},
    ).json()
    console.sign_in(publicity.account["username"], PASSWORD, "/review")
    decide(console, "stories", story["id"], "approve")
    console.screenshot("officer-stories")
    console.sign_out()
    assert api.anonymous.get(f"/api/v1/stories/{story['id']}").json()["title"] == "返乡种茶的第三年"
