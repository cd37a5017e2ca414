"""A young person's housing and personal records in the browser: a purchase subsidy asked for
after checking the answers and found in their list; a youth-station room's free nights seen
before booking, and the booking cancelled after a second question; a housing application
withdrawn after a second question; an officer of 区人社局 deciding an identity appeal on its
case, with a reason, then opening the claimant's record (masked) and revealing it for a stated
purpose, which the person finds in their data. Each outcome is checked through the API too."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from services.common.clock import clock
from tests.support.api import PASSWORD, unique
from tests.support.housing import declared

PAGE_STATUS = '[data-status="page"]'
STATEMENT = "该身份证号码是我本人的,我从未注册过账号,可携带身份证到区人社局窗口核验"


def test_a_young_person_asks_for_a_purchase_subsidy_after_checking_the_answers(
    console, console_api
):
    buyer = console_api.youth(age=27, degree="bachelor", local_social_insurance_months=24)
    console.sign_in(buyer.account["username"], PASSWORD, "/dashboard")
    console.go("/housing-subsidies")
    console.fill(
        "housing-subsidy",
        {
            "kind": "purchase_subsidy",
            "amount_requested_cny": "60000",
            "household_size": 2,
            "property_address": "XX区安居路8号3-201",
            "contract_date": (clock.today() - timedelta(days=20)).isoformat(),
        },
    )
    console.submit("housing-subsidy")
    check = console.find('[data-check="housing-subsidy"]').text
    assert "购房补贴" in check and "60000" in check and "XX区安居路8号3-201" in check
    # nothing is sent before the answers are confirmed
    assert buyer.get("/api/v1/me/housing/subsidy-applications").json()["items"] == []
    console.screenshot("housing-subsidy-check")
    console.click('[data-action="confirm-check"]')
    console.wait_text(PAGE_STATUS, "购房补贴申请已提交")
    [subsidy] = buyer.get("/api/v1/me/housing/subsidy-applications").json()["items"]
    assert (subsidy["state"], Decimal(subsidy["amount_requested_cny"])) == ("submitted", 60000)
    console.click(f'a[data-subsidy="{subsidy["id"]}"]')
    console.wait_page("/housing-subsidy")
    shown = console.find("main").text
    assert "XX区安居路8号3-201" in shown and "已提交" in shown


def test_free_nights_show_before_booking_and_a_booking_is_cancelled_after_a_second_question(
    console, console_api
):
    housing = console_api.staff("officer", unit="housing")
    room = housing.post(
        "/api/v1/housing/units",
        json={
            "kind": "station_bed",
            "title": unique("青年驿站 取消测试房"),
            "address": "XX区人才大厦5楼",
            "area_m2": "30",
            "rooms": 1,
            "rent_cny": "0",
            "beds": 3,
        },
    ).json()
    today = clock.today().isoformat()
    guest = console_api.youth(
        age=23,
        degree="bachelor",
        graduation_date=(clock.today() - timedelta(days=100)).isoformat(),
        employment_status="unemployed",
    )
    console.sign_in(guest.account["username"], PASSWORD, "/dashboard")
    console.go("/housing")
    console.fill("station-booking", {"unit_id": room["id"]})
    console.wait_text(f'[data-free="{today}"]', "空余 3 张")
    console.fill("station-booking", {"nights": 2})
    console.submit("station-booking")
    console.wait_text('form[data-form="station-booking"]', "已预订 2 晚")
    console.wait_text(f'[data-free="{today}"]', "空余 2 张")
    [booking] = guest.get("/api/v1/me/housing/station-bookings").json()["items"]
    row = f'[data-booking="{booking["id"]}"]'
    console.click(f'{row} [data-action="cancel-booking"]')
    console.click(f'{row} [data-action="cancel-booking-confirm"]')
    console.wait_text(PAGE_STATUS, "已取消")
    console.find('main [data-state="cancelled"]')
    [cancelled] = guest.get("/api/v1/me/housing/station-bookings").json()["items"]
    assert cancelled["state"] == "cancelled"


def test_a_housing_application_is_withdrawn_after_a_second_question(console, console_api):
    tenant = console_api.youth(age=26, local_social_insurance_months=24)
    application = tenant.post(
        "/api/v1/housing/applications", json=declared("talent_apartment")
    ).json()
    assert application["state"] == "submitted", application
    console.sign_in(tenant.account["username"], PASSWORD, "/dashboard")
    console.go("/housing")
    console.click(f'a[data-application="{application["id"]}"]')
    console.wait_page("/housing-application")
    assert "已提交" in console.find("main").text
    console.click('[data-action="withdraw"]')
    console.click('[data-action="withdraw-cancel"]')  # changing one's mind leaves it as it was
    console.click('[data-action="withdraw"]')
    console.click('[data-action="withdraw-confirm"]')
    console.wait_text(PAGE_STATUS, "申请已撤回")
    console.find('main [data-state="withdrawn"]')
    mine = tenant.get(f"/api/v1/housing/applications/{application['id']}").json()
    assert mine["state"] == "withdrawn"


def test_an_officer_decides_an_identity_appeal_then_reveals_the_record_for_a_purpose(
    console, console_api
):
    api = console_api
    hrss = api.staff("officer", unit="hrss")
    squatter = api.youth(age=24)
    number = squatter.account["profile"]["citizen_id"]
    username = unique("claimant")
    registered = api.anonymous.post(
        "/api/v1/accounts",
        json={
            "username": username,
            "password": PASSWORD,
            "role": "youth",
            "phone": "13700137000",
            "profile": {"name": "李真", "citizen_id": number, "degree": "bachelor"},
            "identity_appeal": {"statement": STATEMENT},
        },
    )
    assert registered.status_code == 201, registered.text
    claimant = api.sign_in(username, PASSWORD)
    [appeal] = claimant.get("/api/v1/me/identity-appeals").json()["items"]

    # the case first: the number masked, the statement, who holds the number now
    console.sign_in(hrss.account["username"], PASSWORD, "/review")
    console.go("/identity-appeals")
    card = f'article[data-appeal="{appeal["id"]}"]'
    case = console.find(card).text
    assert STATEMENT in case and number not in case and number[:3] in case
    console.find(f'{card} a[data-person="{squatter.id}"]')
    reason = "本人持身份证到窗口核验,人证一致;原账号注册人无法提供身份证件"
    console.fill(f"appeal-{appeal['id']}", {"decision": "approve", "reason": reason})
    console.submit(f"appeal-{appeal['id']}")
    assert "移除" in console.find(f'[data-check="appeal-{appeal["id"]}"]').text
    console.click(f'[data-check="appeal-{appeal["id"]}"] [data-action="confirm-check"]')
    console.wait_text(PAGE_STATUS, "申诉已处理")
    console.find(f'{card} [data-state="approved"]')
    console.screenshot("identity-appeal-decided")
    [decided] = claimant.get("/api/v1/me/identity-appeals").json()["items"]
    assert (decided["status"], decided["reason"]) == ("approved", reason)

    # the claimant's record, masked until revealed for a stated purpose
    console.click(f'{card} a[data-person="{claimant.id}"]')
    console.wait_page("/person")
    assert number not in console.find('[data-field="citizen_id"]').text
    purpose = "核对身份申诉结果,确认号码已绑定到申诉人"
    console.fill("reveal", {"reason": purpose, "reference": appeal["id"][:20]})
    console.submit("reveal")
    console.wait_text(PAGE_STATUS, "本次查看已记录")
    assert console.find('[data-field="citizen_id"]').text == number
    console.screenshot("person-revealed")
    console.sign_out()

    reveals = claimant.get("/api/v1/me/data").json()["parts"]["gateway"]["personal_data_revealed"]
    assert [(r["officer_id"], r["reason"]) for r in reveals] == [(hrss.id, purpose)]

    # the claimant sees the decision on their profile, and the read in their data
    console.sign_in(username, PASSWORD, "/dashboard")
    console.go("/profile")
    console.find(f'[data-appeal="{appeal["id"]}"] [data-state="approved"]')
    console.go("/data")
    console.click('[data-action="show-reveals"]')
    console.wait_text("main", purpose)
