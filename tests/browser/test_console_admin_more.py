"""More of the back office in the browser: an administrator writes a new version of a message
template after previewing it in both languages, and grants a partner system a fact it may
report as verified, then revokes it after a confirmation; a partner sends a webhook delivery
again from its subscription's page and changes the subscription; an officer opens a plan item
with its notes and every change, the convening unit corrects a joint meeting's record, and
the indicators are downloaded as the API's data file."""

from __future__ import annotations

import uuid

from tests.browser.test_console_accessibility import violations_here
from tests.support.api import ADMIN, PASSWORD, unique
from tests.support.dates import days_ago, days_ahead, district_time
from tests.support.events import activity_body

PAGE_STATUS = '[data-status="page"]'
# a template no other browser test reads the messages of; the test puts its decision back
SOURCE, EVENT = "events", "story.taken_down"
TEMPLATE = f"/api/v1/admin/templates/{SOURCE}/{EVENT}"
DECISION_FIELDS = ("sends", "recipient", "category", "mandatory", "title", "body")
FACT = "local_social_insurance_months"


def decision_of(version: dict) -> dict:
    """A version as the API takes it again."""
    decision = {name: version[name] for name in DECISION_FIELDS}
    for name in ("channels", "sms_template"):
        if version.get(name) is not None:
            decision[name] = version[name]
    return decision


def test_an_admin_previews_and_saves_a_template_and_grants_and_revokes_a_partners_fact(
    console, console_api
):
    api = console_api
    admin = api.admin()
    agency = api.staff("partner", display_name=unique("区社保经办机构"))
    [in_force] = [
        item
        for item in admin.get("/api/v1/admin/templates", params={"source": SOURCE}).json()["items"]
        if item["event_type"] == EVENT
    ]
    assert in_force["sends"], in_force
    version = in_force["version"] + 1
    marker = uuid.uuid4().hex[:6]

    console.sign_in(ADMIN[0], ADMIN[1], "/indicators")
    try:
        console.go("/admin/templates")
        row = f'[data-source="{SOURCE}"] tr[data-template="{EVENT}"]'
        console.click(f'{row} [data-action="open-template"]')
        console.wait_page("/admin/template")
        console.fill("template", {"title.en": f"Your story was taken down {marker}"})
        # the draft is shown in both languages before anything is saved
        console.submit("template")
        preview = '[data-preview="template"]'
        console.wait_text(f'{preview} [data-language="en"]', f"Your story was taken down {marker}")
        console.wait_text(f'{preview} [data-language="zh-CN"]', in_force["title"]["zh-CN"])
        assert admin.get(f"{TEMPLATE}/versions").json()["items"][0]["version"] == version - 1
        console.screenshot("admin-template-preview-zh-CN")
        # the menu's pages are audited by test_console_accessibility; this one is reached from a row
        assert violations_here(console, "/admin/template") == []
        console.click(f'{preview} [data-action="save-template"]')
        console.wait_text(PAGE_STATUS, f"第 {version} 版已生效")
        console.find(f'[data-section="in-force"][data-version="{version}"]')
        console.wait_text(f'tr[data-version="{version}"]', "管理员修改")
        newest = admin.get(f"{TEMPLATE}/versions").json()["items"][0]
        assert (newest["version"], newest["title"]["en"], newest["origin"]) == (
            version,
            f"Your story was taken down {marker}",
            "admin",
        )
        assert newest["body"] == in_force["body"]
    finally:
        put_back = admin.put(TEMPLATE, json=decision_of(in_force))
        assert put_back.status_code == 200, put_back.text

    # the agency may report months of local social insurance under the data-sharing agreement
    console.go("/admin/partners")
    console.fill("partner-choice", {"id": agency.id})
    console.submit("partner-choice")
    console.wait_page("/admin/partners")
    card = f'[data-fact="{FACT}"]'
    console.fill(f"grant-fact-{FACT}", {"reference": "社保数据共享协议 2026-07"})
    console.submit(f"grant-fact-{FACT}")
    console.wait_text(PAGE_STATUS, "已授权")
    console.find(f'{card}[data-granted="true"]')
    console.wait_text(card, "社保数据共享协议 2026-07")
    grants = admin.get(f"/api/v1/partners/{agency.id}/facts").json()["items"]
    assert [(g["fact"], g["reference"], g["revoked_at"]) for g in grants] == [
        (FACT, "社保数据共享协议 2026-07", None)
    ]
    console.screenshot("admin-partner-facts-zh-CN")
    # revoking asks first; cancelling changes nothing
    console.click(f'{card} [data-action="revoke-fact"]')
    console.wait_text(card, "将被拒绝")
    console.click(f'{card} [data-action="revoke-fact-cancel"]')
    assert admin.get(f"/api/v1/partners/{agency.id}/facts").json()["items"][0]["revoked_at"] is None
    console.click(f'{card} [data-action="revoke-fact"]')
    console.click(f'{card} [data-action="revoke-fact-confirm"]')
    console.find(f'{card}[data-granted="false"]')
    [revoked] = admin.get(f"/api/v1/partners/{agency.id}/facts").json()["items"]
    assert revoked["revoked_at"] is not None and revoked["revoked_by"] == admin.id
    console.sign_out()


def test_a_partner_sends_a_delivery_again_and_changes_its_subscription(
    console, console_api, webhook_receiver
):
    api = console_api
    receiver = webhook_receiver.start()
    partner = api.staff("partner", display_name=unique("青年活动协办机构"))
    granted = api.admin().put(
        f"/api/v1/partners/{partner.id}/purposes/activity_coorganising",
        json={"reference": "青年活动协办协议"},
    )
    assert granted.status_code == 200, granted.text
    created = partner.post(
        "/api/v1/webhooks",
        json={"url": receiver.url, "event_types": ["youthcity.events.activity.*"]},
    )
    assert created.status_code == 201, created.text
    hook = created.json()
    officer = api.staff("officer", unit="youth_league")
    activity = officer.post(
        "/api/v1/activities", json=activity_body(category="training", capacity=10)
    ).json()
    published = officer.post(f"/api/v1/activities/{activity['id']}/publish")
    assert published.status_code < 300, published.text
    deliveries = f"/api/v1/webhooks/{hook['id']}/deliveries"

    def delivered(_driver):
        items = partner.get(deliveries).json()["items"]
        return items if items and items[0]["state"] == "delivered" else None

    [delivery] = console.wait(delivered, "the publication delivered", timeout=60)
    assert len(receiver.received) == 1

    console.sign_in(partner.account["username"], PASSWORD, "/inbox")
    console.go("/webhooks")
    console.click(f'[data-webhook="{hook["id"]}"] [data-action="open"]')
    console.wait_page("/webhook")
    row = f'tr:has([data-delivery="{delivery["id"]}"])'
    console.wait_text(row, "已送达")
    console.click(f'{row} [data-action="replay-delivery"]')
    console.wait_text(PAGE_STATUS, "已重新排队推送 1 条")
    console.wait(lambda _: len(receiver.received) == 2, "the delivery sent again", timeout=60)
    console.screenshot("partner-webhook-zh-CN")
    assert violations_here(console, "/webhook") == []

    # the events of a time range, sent again once the first replay went out
    console.wait(delivered, "the replay delivered", timeout=60)
    since = district_time(days=-1, hour=0).strftime("%Y-%m-%dT%H:%M")
    until = district_time(days=1, hour=0).strftime("%Y-%m-%dT%H:%M")
    console.fill("replay-webhook", {"since": since, "until": until})
    console.submit("replay-webhook")
    console.wait_text(PAGE_STATUS, "已重新排队推送 1 条")
    console.wait(lambda _: len(receiver.received) == 3, "the range sent again", timeout=60)

    console.fill("edit-webhook", {"description": "活动发布同步"})
    console.submit("edit-webhook")
    console.wait_text(PAGE_STATUS, "订阅已修改")
    console.wait_text(f'[data-webhook="{hook["id"]}"]', "活动发布同步")
    changed = partner.get(f"/api/v1/webhooks/{hook['id']}").json()
    assert (changed["description"], changed["event_types"]) == (
        "活动发布同步",
        ["youthcity.events.activity.*"],
    )
    console.sign_out()


def test_an_officer_reads_a_plan_items_history_and_notes_and_corrects_a_meeting(
    console, console_api
):
    # a unit no other test gives plan items to: test_console_plan counts the youth league's
    bureau = console_api.staff("officer", unit="commerce")
    title = f"青年夜校开设 {uuid.uuid4().hex[:6]}"
    created = bureau.post(
        "/api/v1/plan/items",
        json={
            "kind": "practical_project",
            "title": title,
            "unit": "commerce",
            "owner": "区商务局综合科",
            "due_date": days_ahead(120),
            "progress": 20,
        },
    )
    assert created.status_code == 201, created.text
    item = created.json()
    moved = bureau.patch(
        f"/api/v1/plan/items/{item['id']}", json={"progress": 60, "status": "in_progress"}
    )
    assert moved.status_code == 200, moved.text

    console.sign_in(bureau.account["username"], PASSWORD, "/review")
    console.go("/plan")
    console.click(f'a[data-item="{item["id"]}"]')
    console.wait_page("/plan/item")
    history = '[data-section="history"]'
    console.wait_text(f'{history} li[data-version="2"]', "20% → 60%")
    console.wait_text(f'{history} li[data-version="2"]', "计划中 → 推进中")
    console.fill("plan-note", {"text": "夜校首期课程已排定", "progress": 80})
    console.submit("plan-note")
    console.wait_text(PAGE_STATUS, "已保存")
    console.wait_text('[data-section="notes"]', "夜校首期课程已排定")
    console.wait_text(f'{history} li[data-version="3"]', "60% → 80%")
    console.screenshot("officer-plan-item-zh-CN")
    assert violations_here(console, "/plan/item") == []
    notes = bureau.get(f"/api/v1/plan/items/{item['id']}/notes").json()["items"]
    assert [(n["text"], n["progress"]) for n in notes] == [("夜校首期课程已排定", 80)]

    # the convening unit (the youth league) corrects a meeting's title from the meeting's page
    league = console_api.staff("officer", unit="youth_league")
    console.sign_out()
    console.sign_in(league.account["username"], PASSWORD, "/review")
    meeting = league.post(
        "/api/v1/plan/meetings",
        json={
            "held_on": days_ago(2),
            "title": f"青年工作联席会议 {uuid.uuid4().hex[:6]}",
            "units": ["youth_league"],
        },
    ).json()
    console.go("/meetings")
    console.click(f'[data-meeting="{meeting["id"]}"] [data-action="open-meeting"]')
    console.wait_page("/meeting")
    corrected = f"{meeting['title']}(更正)"
    console.fill("meeting-correction", {"title": corrected})
    console.submit("meeting-correction")
    console.wait_text(PAGE_STATUS, "会议记录已更正")
    console.wait_text(f'[data-meeting="{meeting["id"]}"] h2', corrected)
    assert violations_here(console, "/meeting") == []
    found = bureau.get(f"/api/v1/plan/meetings/{meeting['id']}").json()
    assert (found["title"], found["version"]) == (corrected, 2)

    # the indicators as the API's own data file, fetched with the officer's token
    console.go("/indicators")
    saved = console.download('[data-action="download-data-csv"]', "indicators-*-data.csv")
    text = saved.read_text(encoding="utf-8-sig")
    assert text.startswith("task,units,indicator,label,") and "jobs.subsidies_granted" in text
    console.sign_out()
