"""The organisers' pages in the browser: an officer of 团区委 changes a draft activity on its own
page, then cancels it once published (a second question, and the reason the registrants are
told) and reads its registrations, and the young person registered sees it cancelled by the
organiser; a young person enters a farm-product showcase and its organiser reports the entry's
sales; an employer changes a draft post, reads its history and closes it; an employer attaches
its business licence on the documents page, and 区人社局 finds it in the employer's case.
Each outcome is checked through the API too, as the other side would see it."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.support.api import PASSWORD, unique
from tests.support.dates import district_time
from tests.support.events import activity_body
from tests.support.evidence import PDF
from tests.support.jobs import post_body, registered_employer


def test_an_officer_changes_an_activity_then_cancels_it_and_its_registrant_sees_why(
    console, console_api
):
    api = console_api
    league = api.staff("officer", unit="youth_league")
    youth = api.youth(age=22)
    draft = league.post(
        "/api/v1/activities",
        json={
            "title": f"青年读书会 {unique('o')[-4:]}",
            "category": "training",
            "venue": "区图书馆",
            "starts_at": district_time(days=20, hour=14).isoformat(),
            "ends_at": district_time(days=20, hour=16).isoformat(),
            "capacity": 20,
            "min_age": 14,
            "max_age": 35,
        },
    ).json()
    renamed = f"青年共读会 {unique('o')[-4:]}"

    console.sign_in(league.account["username"], PASSWORD, "/review")
    console.go("/activities/manage")
    console.click(f'a[data-open="{draft["id"]}"]')
    console.wait_page("/activities/activity")
    console.fill("edit-activity", {"title": renamed, "capacity": 40})
    console.submit("edit-activity")
    console.wait_text('[data-status="page"]', "修改已保存")
    console.wait_text(f'[data-activity="{draft["id"]}"]', renamed)
    changed = league.get(f"/api/v1/activities/{draft['id']}").json()
    assert (changed["title"], changed["capacity"]) == (renamed, 40)
    # the times went back as the district's wall time they were shown in: the same instants
    times = ("starts_at", "ends_at")
    assert [datetime.fromisoformat(changed[t]) for t in times] == [
        datetime.fromisoformat(draft[t]) for t in times
    ]

    assert league.post(f"/api/v1/activities/{draft['id']}/publish").status_code == 200
    registered = youth.post(f"/api/v1/activities/{draft['id']}/registrations").json()
    assert registered["state"] == "confirmed", registered
    console.go("/activities/manage")  # and back to the activity's page, to see who registered
    console.open(f"/activities/activity?id={draft['id']}")
    console.wait_text("main", "报名名单")
    console.wait_text(f'[data-person="{youth.id}"]', youth.id[:8])
    console.wait_text("main", "已确认")

    box = '[data-confirm="cancel-activity"]'
    console.click('[data-action="cancel-activity"]')
    console.wait_text(box, "1 人都将收到取消通知")
    console.click('[data-action="cancel-activity-confirm"]')  # no reason: refused beside it
    console.wait(
        lambda d: console.find(f'{box} [name="reason"]').get_attribute("aria-invalid") == "true",
        "the reason marked as missing",
    )
    console.find(f'{box} [name="reason"]').send_keys("场馆临时检修")
    console.click('[data-action="cancel-activity-confirm"]')
    console.wait_text('[data-status="page"]', "活动已取消")
    console.wait_text(f'[data-activity="{draft["id"]}"]', "场馆临时检修")
    assert console.find(f'[data-activity="{draft["id"]}"]').get_attribute("data-state") == (
        "cancelled"
    )
    console.screenshot("organiser-activity-cancelled")
    console.sign_out()

    mine = youth.get(f"/api/v1/me/registrations/{registered['id']}").json()
    assert (mine["state"], mine["cancelled_by"]) == ("cancelled", "activity")
    console.sign_in(youth.account["username"], PASSWORD, "/dashboard")
    console.go("/activities")
    console.wait_text("main", renamed)
    console.wait_text("main", "活动已由主办方取消")
    console.sign_out()


def test_a_young_person_enters_a_showcase_and_its_organiser_reports_the_sales(console, console_api):
    api = console_api
    commerce = api.staff("officer", unit="commerce")
    seller = api.youth(age=24)
    # it began an hour ago: entries are still taken, and sales may be reported
    body = activity_body(
        starts_in=timedelta(hours=-1),
        lasts=timedelta(hours=6),
        title=f"特色农产品展销会 {unique('s')[-4:]}",
        category="product_showcase",
        capacity=50,
    )
    showcase = commerce.post("/api/v1/activities", json=body).json()
    assert commerce.post(f"/api/v1/activities/{showcase['id']}/publish").status_code == 200

    console.sign_in(seller.account["username"], PASSWORD, "/dashboard")
    console.go("/showcases")
    console.fill(f"enter-{showcase['id']}", {"products": "高山绿茶、土蜂蜜"})
    console.submit(f"enter-{showcase['id']}")
    console.wait_text('[data-status="page"]', "已报名参展")
    console.wait_text(f'[data-showcase="{showcase["id"]}"]', "主办方尚未填报")
    [entry] = seller.get(f"/api/v1/activities/{showcase['id']}/entrants").json()["items"]
    assert (entry["products"], entry["entrant_kind"]) == ("高山绿茶、土蜂蜜", "person")
    console.sign_out()

    console.sign_in(commerce.account["username"], PASSWORD, "/review")
    console.open(f"/activities/activity?id={showcase['id']}")
    console.wait_text("main", "高山绿茶、土蜂蜜")
    console.fill(f"sales-{entry['id']}", {"sales_cny": "12800.50", "orders": 96})
    console.submit(f"sales-{entry['id']}")
    console.wait_text('[data-status="page"]', "销售额已填报")
    console.wait_text(f'[data-sales="{entry["id"]}"]', "96")
    console.screenshot("organiser-showcase-sales")
    console.sign_out()

    [reported] = seller.get(f"/api/v1/activities/{showcase['id']}/entrants").json()["items"]
    assert (reported["sales_cny"], reported["orders"]) == ("12800.50", 96)


def test_an_employer_changes_a_draft_post_reads_its_history_and_closes_it(console, console_api):
    api = console_api
    hrss = api.staff("officer", unit="hrss")
    employer = registered_employer(api, hrss)
    draft = employer.post("/api/v1/posts", json=post_body(kind="job", title="前台接待")).json()
    title = f"酒店前台接待 {unique('p')[-4:]}"

    console.sign_in(employer.account["username"], PASSWORD, "/employer")
    console.go("/employer/posts")
    console.click(f'a[data-open="{draft["id"]}"]')
    console.wait_page("/employer/post")
    console.fill("edit-post", {"title": title, "positions": 3})
    console.submit("edit-post")
    console.wait_text('[data-status="page"]', "修改已保存")
    changed = employer.get(f"/api/v1/posts/{draft['id']}").json()
    assert (changed["title"], changed["positions"], changed["state"]) == (title, 3, "draft")
    console.wait_text("main", "办理记录")
    console.wait_text("main", "创建草稿")

    box = '[data-confirm="close-post"]'
    console.click('[data-action="close-post"]')
    console.wait_text(box, title)
    console.find(f'{box} [name="reason"]').send_keys("岗位需求取消")
    console.click('[data-action="close-post-confirm"]')
    console.wait_text('[data-status="page"]', "岗位已关闭")
    console.wait(
        lambda d: (
            console.find(f'[data-post="{draft["id"]}"]').get_attribute("data-state") == "closed"
        ),
        "the post shown closed",
    )
    console.wait_text("main", "岗位需求取消")  # the step in its history, with its reason
    console.screenshot("organiser-post-closed")
    console.sign_out()

    assert employer.get(f"/api/v1/posts/{draft['id']}").json()["state"] == "closed"
    history = employer.get(f"/api/v1/posts/{draft['id']}/history").json()["items"]
    assert [(s["action"], s["reason"]) for s in history][-1] == ("close", "岗位需求取消")


def test_an_employer_attaches_its_business_licence_and_hrss_reads_it_in_the_case(
    console, console_api, tmp_path
):
    api = console_api
    hrss = api.staff("officer", unit="hrss")
    employer = registered_employer(api, hrss)
    licence = tmp_path / "营业执照.pdf"
    licence.write_bytes(PDF)

    console.sign_in(employer.account["username"], PASSWORD, "/employer")
    console.go("/employer/documents")
    console.fill("employer-document", {"kind": "business_licence"})
    console.find('form[data-form="employer-document"] input[type="file"]').send_keys(str(licence))
    console.submit("employer-document")
    console.wait_text('[data-status="page"]', "材料已上传")
    [document] = employer.get("/api/v1/employer/evidence").json()["items"]
    assert (document["fact"], document["size"]) == ("business_licence", len(PDF))
    console.find(f'[data-document="{document["id"]}"]')
    console.wait_text("#employer-documents", "营业执照")
    console.screenshot("organiser-employer-documents")
    console.sign_out()

    console.sign_in(hrss.account["username"], PASSWORD, "/review")
    console.open(f"/employers/case?id={employer.id}")
    console.find(f'[data-document="{document["id"]}"]')
    console.wait_text("main", "营业执照")
    console.sign_out()
