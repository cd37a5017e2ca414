"""Job fairs in the browser (issue 26): the hiring bureau opens a fair; a visitor reads it and is
led to sign in and back, where an employer takes a free booth showing its post and a young
person registers to attend; the fair's page shows both at once, and fits a 360 px phone."""

from __future__ import annotations

from urllib.parse import parse_qs

from tests.support.api import PASSWORD, unique
from tests.support.jobs import published_post

PAGE_STATUS = '[data-status="page"]'
OFF_SCREEN = """
const width = document.documentElement.clientWidth;
return [...document.querySelectorAll("body *")]
  .filter((e) => !e.closest(".table-wrap") && e.getBoundingClientRect().right > width + 1)
  .map((e) => e.tagName + "." + e.className + " " + (e.textContent || "").slice(0, 40));
"""


def through_sign_in(console, fair_id: str, username: str) -> None:
    """A visitor on the fair's page signs in from it and comes back to it."""
    console.driver.get(f"{console.base}/#/fair?id={fair_id}")
    console.wait_page("/fair")
    console.click('[data-act="sign-in"] a[data-action="sign-in-to-act"]')
    console.wait_page("/login")
    console.fill("sign-in", {"username": username, "password": PASSWORD})
    console.submit("sign-in")
    console.wait_page("/fair")


def test_a_fair_opened_by_the_bureau_gets_a_booth_and_a_job_seeker(console, console_api):
    api = console_api
    hrss = api.staff("officer", unit="hrss")
    employer, post = published_post(api, hrss, kind="job", title=unique("招聘会岗位"))
    youth = api.youth(age=22)
    title = unique("春风行动专场招聘会")

    console.sign_in(hrss.account["username"], PASSWORD, "/review")
    console.go("/fairs")
    console.fill(
        "new-fair",
        {
            "title": title,
            "mode": "on_site",
            "venue": "区人力资源市场",
            "starts_at": "2030-03-01T09:00",
            "ends_at": "2030-03-01T17:00",
            "booth_capacity": "20",
        },
    )
    console.submit("new-fair")
    console.wait_page("/fair")
    fair_id = parse_qs(console.driver.current_url.split("?", 1)[1])["id"][0]
    # the time typed is the district's: 09:00 there, whatever the browser's zone
    console.wait_text(f'section[data-fair="{fair_id}"]', "09:00")
    console.wait_text('[data-figure="booths"]', "剩余展位 20/20")
    console.sign_out()

    through_sign_in(console, fair_id, employer.account["username"])
    console.submit("fair-booth")
    console.wait_text(PAGE_STATUS, "展位已预订")
    console.find('[data-booth="mine"]')
    console.wait_text(f'[data-booth-of="{employer.id}"]', post["title"])
    console.wait_text('[data-figure="booths"]', "剩余展位 19/20")
    console.sign_out()

    through_sign_in(console, fair_id, youth.account["username"])
    console.submit("fair-registration")
    console.wait_text(PAGE_STATUS, "已报名")
    console.wait_text('[data-figure="registrations"]', "1")
    mine = youth.get("/api/v1/me/fair-registrations").json()["items"]
    assert [r["fair_id"] for r in mine] == [fair_id]
    console.driver.refresh()  # after a reload the page still says so, with no button
    console.wait_page("/fair")
    console.find('[data-registered="true"]')
    console.screenshot("fair-youth-zh-CN")

    driver = console.driver
    driver.set_window_size(360, 780)
    try:
        for path in (f"/fair?id={fair_id}", "/fairs"):
            driver.get(f"{console.base}/#{path}")
            console.wait_page(path.split("?")[0])
            offenders = driver.execute_script(OFF_SCREEN)
            assert not offenders, f"{path}:\n" + "\n".join(offenders)
        console.screenshot("fairs-zh-CN-360")
    finally:
        driver.set_window_size(1280, 1000)
    console.sign_out()
