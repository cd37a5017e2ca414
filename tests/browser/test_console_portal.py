"""The public portal (issue 26): before signing in, a visitor reads what the service is, who it
is for and what they need, browses posts (with a detail page), activities, venues and stories;
acting on a post or an activity leads to sign-in and back to the same page, where the young
person applies with a cover letter and signs up. In English too, and on a 360 px phone the menu
folds behind a button and nothing sits off-screen."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from services.common.clock import clock
from tests.support.api import PASSWORD, unique
from tests.support.events import activity_body, story_body, venue_body
from tests.support.jobs import published_post

PAGE_STATUS = '[data-status="page"]'

# the elements that reach past the viewport's right edge, outside a table's own scroll box
OFF_SCREEN = """
const width = document.documentElement.clientWidth;
return [...document.querySelectorAll("body *")]
  .filter((e) => !e.closest(".table-wrap") && e.getBoundingClientRect().right > width + 1)
  .map((e) => e.tagName + "." + e.className + " " + (e.textContent || "").slice(0, 40));
"""


def nothing_off_screen(console, name: str) -> None:
    offenders = console.driver.execute_script(OFF_SCREEN)
    assert not offenders, f"{name}:\n" + "\n".join(offenders)
    overflow = console.driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"{name} is wider than the phone by {overflow}px"


def open_public(console, path: str) -> None:
    """A visitor's first visit: the address typed, nobody signed in."""
    console.driver.get(f"{console.base}/#{path}")
    console.wait_page(path.split("?")[0])


def public_things(api):
    """A published post, a published activity, a venue and a published story, made through the
    API as the employer and the units would."""
    hrss = api.staff("officer", unit="hrss")
    title = unique("文旅讲解见习岗")
    _, post = published_post(
        api,
        hrss,
        kind="job",
        title=title,
        positions=3,
        education="associate",
        address="滨河路 8 号",
    )
    league = api.staff("officer", unit="youth_league")
    activity_title = unique("青年联谊会")
    draft = league.post(
        "/api/v1/activities", json=activity_body(title=activity_title, capacity=30)
    ).json()
    activity = league.post(f"/api/v1/activities/{draft['id']}/publish").json()
    keeper = api.staff("officer", unit="education_sports")
    venue = keeper.post("/api/v1/venues", json=venue_body(name=unique("滨河健身广场"))).json()
    author = api.youth()
    story = author.post("/api/v1/stories", json=story_body(title=unique("返乡种茶"))).json()
    editor = api.staff("officer", unit="publicity")
    assert editor.post(f"/api/v1/stories/{story['id']}/approve", json={}).status_code == 200
    return post, activity, venue, story


def test_a_visitor_browses_then_signs_in_and_applies_and_signs_up_on_the_same_pages(
    console, console_api
):
    api = console_api
    post, activity, venue, story = public_things(api)
    youth = api.youth(age=23, degree="bachelor")

    # the start page: what the service is, who it is for, what one needs; no sign-in wall
    console.driver.get(f"{console.base}/")
    console.wait_page("/")
    about = console.find('[data-section="about"]').text
    assert "一站式服务" in about and "谁可以使用" in about and "注册需要准备" in about
    for name in ("posts", "activities", "venues", "stories"):
        console.find(f'[data-section="{name}"]')
    assert console.text().count("登录") >= 1 and "欢迎来到" in console.find("main h1").text
    menu = [
        a.get_attribute("href").split("#", 1)[1]
        for a in console.driver.find_elements(By.CSS_SELECTOR, "#nav a")
    ]
    assert {"/", "/jobs", "/events", "/venues", "/stories", "/policies", "/open-data"} <= set(menu)
    console.screenshot("portal-start-zh-CN")

    # the posts, searched, and one post's detail: education, openings, address, kind
    console.go("/jobs")
    console.fill("public-post-search", {"keyword": post["title"]})
    console.submit("public-post-search")
    console.click(f'article[data-post="{post["id"]}"] a[data-action="open-post"]')
    console.wait_page("/post")
    detail = console.find(f'section[data-post="{post["id"]}"]').text
    for shown in ("大专", "尚缺 3 人", "滨河路 8 号", "全职", post["employer_name"]):
        assert shown in detail, shown
    console.screenshot("portal-post-zh-CN")

    # applying leads to sign-in, and back to the same post
    console.click('[data-act="sign-in"] a[data-action="sign-in-to-act"]')
    console.wait_page("/login")
    console.find('[data-notice="sign-in-first"]')
    console.fill("sign-in", {"username": youth.account["username"], "password": PASSWORD})
    console.submit("sign-in")
    console.wait_page("/post")
    assert f"id={post['id']}" in console.driver.current_url
    console.fill("apply", {"cover_letter": "我有两年景区讲解志愿经历。"})
    console.submit("apply")
    console.wait_text(PAGE_STATUS, "申请已提交")
    console.find('[data-applied="submitted"]')
    (mine,) = [
        a
        for a in youth.get("/api/v1/me/job-applications").json()["items"]
        if a["post_id"] == post["id"]
    ]
    assert mine["cover_letter"] == "我有两年景区讲解志愿经历。"
    # after a reload the page still says so, and offers no second application
    console.driver.refresh()
    console.wait_page("/post")
    console.find('[data-applied="submitted"]')
    assert not console.driver.find_elements(By.CSS_SELECTOR, 'form[data-form="apply"]')
    console.sign_out()

    # an activity: signing up leads to sign-in and back, and the places left move
    open_public(console, "/events")
    console.click(f'article[data-activity="{activity["id"]}"] a[data-action="open-activity"]')
    console.wait_page("/activity")
    console.wait_text('[data-figure="places"]', "剩余名额 30/30")
    console.click('[data-act="sign-in"] a[data-action="sign-in-to-act"]')
    console.wait_page("/login")
    console.fill("sign-in", {"username": youth.account["username"], "password": PASSWORD})
    console.submit("sign-in")
    console.wait_page("/activity")
    console.click('button[data-action="register"]')
    console.wait_text(PAGE_STATUS, "报名成功")
    console.wait_text('[data-figure="places"]', "剩余名额 29/30")
    console.find('[data-registered="confirmed"]')
    console.sign_out()

    # venues with their hours (a venue's own page too), and a story read in full
    open_public(console, "/venues")
    console.wait_text(f'article[data-venue="{venue["id"]}"]', "06:00–22:00")
    console.click(f'article[data-venue="{venue["id"]}"] a[data-action="open-venue"]')
    console.wait_page("/venue")
    console.wait_text(f'article[data-venue="{venue["id"]}"]', "周一")
    open_public(console, f"/story?id={quote(story['id'])}")
    console.wait_text(f'article[data-story="{story["id"]}"]', "茶园")


def test_the_portal_in_english_and_on_a_phone(console, console_api):
    post, activity, _, story = public_things(console_api)
    console.driver.get(f"{console.base}/")
    console.wait_page("/")
    console.switch_language("en")
    about = console.find('[data-section="about"]').text
    assert "Who it is for" in about and "What you need to register" in about
    console.screenshot("portal-start-en")
    open_public(console, f"/post?id={quote(post['id'])}")
    assert "associate degree" in console.find(f'section[data-post="{post["id"]}"]').text
    console.find('[data-act="sign-in"]')

    driver = console.driver
    driver.set_window_size(360, 780)
    try:
        assert console.wait(
            lambda d: d.execute_script("return window.innerWidth") <= 360, "a phone's width"
        )
        for language in ("en", "zh-CN"):
            for path in (
                "/",
                "/jobs",
                f"/post?id={post['id']}",
                "/events",
                f"/activity?id={activity['id']}",
                "/venues",
                "/stories",
                f"/story?id={story['id']}",
                "/policies",
                "/open-data",
                "/login",
                "/register",
            ):
                open_public(console, path)
                nothing_off_screen(console, f"{path} in {language}")
                name = path.strip("/").split("?")[0] or "start"
                console.screenshot(f"portal-{name}-{language}-360")
            if language == "en":
                console.switch_language("zh-CN")
        # the menu folds behind one button, which opens and closes it
        open_public(console, "/")
        button = console.find("#menu-button")
        nav = console.driver.find_element(By.ID, "nav")
        assert button.is_displayed() and not nav.is_displayed()
        assert button.get_attribute("aria-expanded") == "false"
        button.click()
        console.wait(lambda d: nav.is_displayed(), "the menu opened")
        assert button.get_attribute("aria-expanded") == "true"
        nothing_off_screen(console, "the open menu")
        console.screenshot("portal-menu-open-zh-CN-360")
        console.driver.find_element(By.CSS_SELECTOR, '#nav a[href="#/jobs"]').click()
        console.wait_page("/jobs")
        assert not nav.is_displayed()
        # by keyboard alone: Enter opens it with the focus on its first link, Escape closes it
        button.send_keys(Keys.ENTER)
        console.wait(lambda d: nav.is_displayed(), "the menu opened by Enter")
        assert console.driver.execute_script(
            "return document.activeElement.closest('#nav') !== null"
        )
        console.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
        console.wait(lambda d: not nav.is_displayed(), "the menu closed by Escape")
        assert console.driver.execute_script("return document.activeElement.id") == "menu-button"
    finally:
        driver.set_window_size(1280, 1000)


def test_a_young_person_sends_a_story_and_asks_for_their_data_to_be_erased(console, console_api):
    api = console_api
    youth = api.youth(age=24)
    editor = api.staff("officer", unit="publicity")
    title = unique("回乡开民宿")
    console.sign_in(youth.account["username"], PASSWORD, "/dashboard")
    console.go("/stories")
    console.fill(
        "story",
        {
            "title": title,
            "body": "毕业后回到家乡,把老屋改成了民宿,周末常常住满城里来的年轻人。",
            "byline": "民宿青年",
        },
    )
    console.submit("story")
    console.wait_text(PAGE_STATUS, "已提交")
    console.wait_text('[data-section="my-stories"] tbody', "待审核")
    assert console.find('form[data-form="story"] [name="title"]').get_attribute("value") == ""
    (story,) = [s for s in youth.get("/api/v1/me/stories").json()["items"] if s["title"] == title]
    assert editor.post(f"/api/v1/stories/{story['id']}/approve", json={}).status_code == 200
    console.driver.refresh()
    console.wait_page("/stories")
    console.wait_text('[data-section="my-stories"] tbody', "已发布")
    console.wait_text(f'article[data-story="{story["id"]}"]', "民宿青年")
    console.screenshot("youth-stories-zh-CN")

    # erasure: asked once more; cancelling sends nothing
    console.go("/data")
    console.click('[data-action="request-erasure"]')
    console.click('[data-action="request-erasure-cancel"]')
    assert youth.get("/api/v1/me/erasure").status_code == 404
    console.click('[data-action="request-erasure"]')
    console.wait_text('[data-section="erasure"]', "无法登录")
    console.click('[data-action="request-erasure-confirm"]')
    console.find('[data-erasure-status="requested"]')
    assert youth.get("/api/v1/me/erasure").json()["status"] == "requested"
    assert not console.driver.find_elements(By.CSS_SELECTOR, '[data-action="request-erasure"]')
    console.screenshot("youth-erasure-zh-CN")
    console.driver.set_window_size(360, 780)
    try:
        for path in ("/stories", "/data"):
            console.open(path)
            nothing_off_screen(console, path)
    finally:
        console.driver.set_window_size(1280, 1000)
    console.sign_out()


def test_an_ended_session_says_so_and_signing_in_again_returns_to_the_same_page(
    console, console_api
):
    youth = console_api.youth(age=23)
    console.sign_in(youth.account["username"], PASSWORD, "/dashboard")
    console.open("/activities")
    # the session ends on the server (both tokens refused): the next call finds out
    console.driver.execute_script(
        "sessionStorage.setItem('youthcity:token', 'ended');"
        "sessionStorage.setItem('youthcity:refresh', 'ended');"
    )
    console.driver.get(f"{console.base}/#/profile")
    console.wait_page("/login")
    console.wait_text('[data-notice="expired"]', "登录已过期")
    console.fill("sign-in", {"username": youth.account["username"], "password": PASSWORD})
    console.submit("sign-in")
    console.wait_page("/profile")
    console.sign_out()


def test_a_visitor_finds_the_practice_units_and_their_posts(console, console_api):
    hrss = console_api.staff("officer", unit="hrss")
    employer, post = published_post(console_api, hrss, kind="internship", title=unique("实践岗"))
    designated = hrss.post(
        f"/api/v1/employers/{employer.id}/practice-unit", json={"partners": ["XX职业技术学院"]}
    )
    assert designated.status_code == 200, designated.text
    open_public(console, "/jobs")
    console.click('a[data-more="/practice-units"]')
    console.wait_page("/practice-units")
    unit = f'article[data-practice-unit="{employer.id}"]'
    console.wait_text(unit, "XX职业技术学院")
    console.click(f'{unit} a[href="#/post?id={post["id"]}"]')
    console.wait_page("/post")
    console.driver.set_window_size(360, 780)
    try:
        open_public(console, "/practice-units")
        nothing_off_screen(console, "/practice-units")
    finally:
        console.driver.set_window_size(1280, 1000)


def test_a_visitor_reads_the_training_courses_and_enrols_after_signing_in(console, console_api):
    api = console_api
    starts = clock.today() + timedelta(days=30)
    course = api.admin().post(
        "/api/v1/startup/courses",
        json={
            "title": unique("SYB创业培训"),
            "mode": "onsite",
            "venue": "区创业孵化园",
            "starts_on": starts.isoformat(),
            "ends_on": (starts + timedelta(days=9)).isoformat(),
            "hours": 80,
            "capacity": 30,
        },
    )
    assert course.status_code == 201, course.text
    card = f'article[data-course="{course.json()["id"]}"]'
    youth = api.youth(age=25)

    open_public(console, "/courses")
    console.wait_text(card, "80 学时")
    console.click('[data-act="sign-in"] a[data-action="sign-in-to-act"]')
    console.wait_page("/login")
    console.fill("sign-in", {"username": youth.account["username"], "password": PASSWORD})
    console.submit("sign-in")
    console.wait_page("/courses")
    console.click(f'{card} button[data-action="enrol"]')
    console.wait_text(PAGE_STATUS, "报名成功")
    console.wait_text(f'{card} [data-figure="places"]', "剩余名额 29/30")
    console.find(f'{card} [data-enrolment="enrolled"]')
    console.driver.set_window_size(360, 780)
    try:
        console.open("/courses")
        nothing_off_screen(console, "/courses")
    finally:
        console.driver.set_window_size(1280, 1000)
    console.sign_out()
