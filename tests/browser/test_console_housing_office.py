"""The housing officer's back office in the browser: a unit added, an allocation round that
offers it (checked before it is sent) and shows what it allocated and what it left, the young
person reading the offer's terms before accepting (a lease starts), the lease in the officer's
list, a follow-up visit in the talent ledger, and a youth-station guest checked in and out. At
1280 px and at 360 px, with nothing wider than the phone."""

from __future__ import annotations

from datetime import timedelta

from selenium.webdriver.common.by import By

from services.common.clock import clock
from tests.browser.test_console_portal import nothing_off_screen
from tests.support.api import PASSWORD
from tests.support.housing import approved_over_http, station_room

OFFICE_STATUS = '[data-status="page"]'


def visit(console, path: str) -> None:
    """Open `path`, which may carry parameters after "?" (the page is named without them)."""
    console.driver.get(f"{console.base}/#{path}")
    console.wait_page(path.split("?")[0])


def phone(console):
    console.driver.set_window_size(360, 780)
    console.wait(lambda d: d.execute_script("return window.innerWidth") <= 360, "a phone's width")


def test_a_housing_officer_adds_a_unit_runs_a_round_and_follows_up_a_tenant(console, console_api):
    api = console_api
    officer = api.staff("officer", unit="housing")
    tenant, application = approved_over_http(api, officer, "talent_apartment")

    # the officer adds a unit in the browser: its kinds come from the API, each with its label
    console.sign_in(officer.account["username"], PASSWORD, "/review")
    console.go("/housing-office")
    kinds = console.driver.execute_script(
        'return [...document.querySelectorAll(\'form[data-form="housing-unit"] '
        "[name=kind] option')].map(o => o.value + '=' + o.textContent)"
    )
    assert "talent_apartment=人才公寓" in kinds, kinds
    console.fill(
        "housing-unit",
        {
            "kind": "talent_apartment",
            "title": "人才公寓 7栋301",
            "address": "XX区青年路7号",
            "area_m2": "52.5",
            "rooms": "1",
            "rent_cny": "900",
        },
    )
    console.submit("housing-unit")
    console.wait_text(OFFICE_STATUS, "已添加房源")
    units = officer.get("/api/v1/housing/units", params={"kind": "talent_apartment", "limit": 100})
    unit = next(
        u
        for u in units.json()["items"]
        if u["title"] == "人才公寓 7栋301" and u["state"] == "available"
    )
    assert "人才公寓 7栋301" in console.find(f'[data-unit="{unit["id"]}"]').text

    # the round: its rule and the line before the button, then a check of the answers
    assert (
        "排队"
        in console.find('form[data-form="allocation-round"]')
        .find_element("xpath", "ancestor::section")
        .text
    )
    console.fill("allocation-round", {"kind": "talent_apartment", "unit_id": unit["id"]})
    console.submit("allocation-round")
    console.find('[data-check="allocation-round"]')
    assert "人才公寓 7栋301" in console.find('[data-check="allocation-round"]').text
    console.click('[data-check="allocation-round"] [data-action="confirm-check"]')
    console.find(f'[data-round="result"] [data-offer="{application["id"]}"]')
    assert "本轮发出 1 份配租通知" in console.find('[data-round="result"]').text
    console.screenshot("housing-office-round-zh-CN")

    # a draw round for a kind allocated by lottery: opened naming its public value, then closed
    # (which freezes the approved applicants waiting for a draw)
    approved_over_http(api, officer, "affordable_rental")
    due = (clock.now() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    console.fill(
        "open-lottery",
        {
            "kind": "affordable_rental",
            "title": "保租房第9批摇号",
            "public_value_source": "上海证券交易所综合指数收盘价",
            "public_value_at": due,
        },
    )
    console.submit("open-lottery")
    console.wait_text(OFFICE_STATUS, "已开启")
    [lottery] = [
        r
        for r in officer.get("/api/v1/housing/lotteries", params={"limit": 50}).json()["items"]
        if r["title"] == "保租房第9批摇号"
    ]
    row = f'//tr[.//a[@data-lottery="{lottery["id"]}"]]'
    console.find(f'a[data-lottery="{lottery["id"]}"]')
    close = console.driver.find_element(By.XPATH, f'{row}//button[@data-action="close-round"]')
    close.click()
    console.wait_text(OFFICE_STATUS, "已截止报名")
    closed = officer.get(f"/api/v1/housing/lotteries/{lottery['id']}").json()
    assert closed["state"] == "closed" and closed["commitment"]
    console.wait(
        lambda d: (
            "截止" in d.find_element(By.XPATH, row).text
            or "等待" in d.find_element(By.XPATH, row).text
        ),
        "the round shown closed",
    )
    console.sign_out()

    # the young person sees the terms (unit, rent, start) before the lease starts
    [offer] = [
        o
        for o in tenant.get("/api/v1/me/housing/offers").json()["items"]
        if o["state"] == "pending"
    ]
    console.sign_in(tenant.account["username"], PASSWORD, "/dashboard")
    console.go("/housing")
    console.click(f'a[data-offer="{offer["id"]}"]')
    console.wait_page("/housing-offer")
    terms = console.find("main").text
    assert "人才公寓 7栋301" in terms and "XX区青年路7号" in terms and "900.00" in terms
    console.click('[data-action="accept"]')
    assert "月租金" in console.find('[data-check="accept-offer"]').text
    console.screenshot("housing-offer-check-zh-CN")
    console.click('[data-action="confirm-accept"]')
    console.wait_text(OFFICE_STATUS, "租约已开始")
    assert "已接受" in console.find("main").text or "accepted" in console.find("main").text
    console.sign_out()
    [lease] = [
        item
        for item in officer.get("/api/v1/housing/leases", params={"limit": 100}).json()["items"]
        if item["unit_id"] == unit["id"]
    ]

    # the lease in the officer's list; a follow-up visit in the talent ledger
    console.sign_in(officer.account["username"], PASSWORD, "/review")
    console.go("/housing-office")
    assert "人才公寓 7栋301" in console.find(f'[data-lease="{lease["id"]}"]').text
    console.go("/housing-ledger")
    console.click(f'[data-entry="{lease["id"]}"]')
    console.find('form[data-form="followup"]')
    assert "XX区青年路7号" in console.find("main").text
    console.fill(
        "followup",
        {"method": "visit", "employment_status": "employed", "notes": "已在园区企业就业"},
    )
    console.submit("followup")
    console.wait_text(OFFICE_STATUS, "回访已记录")
    assert "已在园区企业就业" in console.find("main").text
    assert "上门走访" in console.find("main").text
    entry_page = console.driver.current_url.split("#", 1)[1]

    # a youth-station guest checked in, then out, by the booking number they show
    room = station_room(officer, beds=2)
    guest = api.youth(
        age=23, graduation_date=clock.today().isoformat(), employment_status="unemployed"
    )
    booked = guest.post(
        "/api/v1/housing/station-bookings",
        json={"unit_id": room["id"], "first_night": clock.today().isoformat(), "nights": 1},
    )
    assert booked.status_code == 201, booked.text
    booking = booked.json()
    console.go("/housing-ledger")
    console.fill("station-booking", {"booking_id": booking["id"]})
    console.submit("station-booking")
    card = f'[data-booking="{booking["id"]}"]'
    assert "青年驿站 2号房" in console.find(card).text
    console.click(f'{card} [data-action="check-in"]')
    console.wait_text(card, "已签到")
    console.click(f'{card} [data-action="check-out"]')
    console.wait_text(card, "已退房")
    assert guest.get(f"/api/v1/housing/station-bookings/{booking['id']}").json()["state"] == (
        "checked_out"
    )

    # the station room taken out of service for repairs, then put back, each with its reason
    console.go("/housing-office")
    console.click(f'details:has(form[data-form="maintenance-{room["id"]}"]) > summary')
    console.fill(f"maintenance-{room['id']}", {"reason": "热水器维修"})
    console.submit(f"maintenance-{room['id']}")
    console.wait_text(OFFICE_STATUS, "已停用")
    assert officer.get(f"/api/v1/housing/units/{room['id']}").json()["state"] == "maintenance"
    console.click(f'details:has(form[data-form="reopen-{room["id"]}"]) > summary')
    console.fill(f"reopen-{room['id']}", {"reason": "维修完成"})
    console.submit(f"reopen-{room['id']}")
    console.wait_text(OFFICE_STATUS, "已恢复使用")
    assert officer.get(f"/api/v1/housing/units/{room['id']}").json()["state"] == "available"

    # a housing-fund application: the case and its rules, then a grant after a check
    asked = tenant.post(
        "/api/v1/housing/subsidy-applications",
        json={
            "kind": "housing_fund",
            "amount_requested_cny": "1000.00",
            "on_government_payroll": False,
        },
    )
    assert asked.status_code == 201, asked.text
    subsidy = asked.json()
    console.driver.refresh()
    console.wait_page("/housing-office")
    case = f'[data-subsidy="{subsidy["id"]}"]'
    assert "1000.00" in console.find(case).text and "住房公积金" in console.find(case).text
    console.fill(f"subsidy-{subsidy['id']}", {"decision": "granted"})
    console.submit(f"subsidy-{subsidy['id']}")
    console.click(f'[data-check="subsidy-{subsidy["id"]}"] [data-action="confirm-check"]')
    console.wait_text(OFFICE_STATUS, "已决定")
    granted = tenant.get(f"/api/v1/housing/subsidy-applications/{subsidy['id']}").json()
    assert granted["state"] == "granted", granted

    # the same pages in English, and at 360 px in both languages
    console.switch_language("en")
    console.open("/housing-office")
    assert "Allocation round" in console.text()
    console.screenshot("housing-office-en")
    phone(console)
    try:
        for language in ("en", "zh-CN"):
            for path in ("/housing-office", "/housing-ledger", entry_page):
                visit(console, path)
                nothing_off_screen(console, f"{path} in {language}")
                name = path.strip("/").split("?")[0]
                console.screenshot(f"{name}-{language}-360")
            if language == "en":
                console.switch_language("zh-CN")
        console.sign_out()
        console.sign_in(tenant.account["username"], PASSWORD, "/dashboard")
        visit(console, f"/housing-offer?id={offer['id']}")
        nothing_off_screen(console, "the offer page")
        console.screenshot("housing-offer-zh-CN-360")
    finally:
        console.driver.set_window_size(1280, 1000)
