"""Startup support after the registration, in the browser: a founder whose business has run six
months claims the one-off startup grant (checking the answers first) and applies for a desk in
the innovation park; 区人社局 decides the grant on the business's facts and 区发改委 adds a desk
and allocates it; the founder sees both outcomes on the my-startup page, and withdraws another
application after confirming it.

The grant needs a business six months old, so the platform's clock moves: to a year no other
test uses, and back to real time after the test."""

from __future__ import annotations

import uuid

from tests.support.api import PASSWORD
from tests.support.dates import days_ago, days_ahead
from tests.support.startup import Staff, at, business, complete_steps, unit_officers

BASE = "/api/v1/startup"
PAGE_STATUS = '[data-status="page"]'
REGISTERED = at(2039, 1, 10, 10)  # a Monday
SIX_MONTHS_ON = at(2039, 7, 20, 10)


def confirm_check(console, form: str) -> None:
    """Submit a form that asks to check the answers, and send it from the check."""
    console.submit(form)
    console.find(f'[data-check="{form}"]')
    console.click(f'[data-check="{form}"] [data-action="confirm-check"]')


def test_a_founder_claims_the_grant_and_a_desk_and_sees_both_decided(
    console, console_api, platform_clock
):
    api = console_api
    platform_clock(REGISTERED)
    staff = Staff(api)
    officers = unit_officers(staff)
    park = staff("officer", unit="development_reform")
    founder = api.youth(age=24, degree="bachelor", graduation_date=days_ago(300))
    registration = founder.post(f"{BASE}/registrations", json=business()).json()
    complete_steps(officers, registration["id"])

    platform_clock(SIX_MONTHS_ON)
    founder = api.sign_in(founder.account["username"], PASSWORD)  # a session of the new day
    console.sign_in(founder.account["username"], PASSWORD, "/dashboard")
    console.go("/my-startup")
    console.fill("startup-grant", {"registration_id": registration["id"]})
    confirm_check(console, "startup-grant")
    console.wait_text(PAGE_STATUS, "已提交补贴申请")
    console.go("/incubator")
    project = f"乡村文旅短视频工作室 {uuid.uuid4().hex[:6]}"
    console.fill(
        "incubator-application", {"space_kind": "desk", "project": project, "team_size": 2}
    )
    console.submit("incubator-application")
    console.wait_text(PAGE_STATUS, "已提交入驻申请")
    console.screenshot("youth-incubator-applied")
    console.sign_out()
    [grant] = founder.get(f"{BASE}/grants").json()["items"]
    [application] = founder.get(f"{BASE}/incubator-applications").json()["items"]

    # the grant unit opens the claim, reads the business's facts, then approves
    console.sign_in(officers["hrss"].account["username"], PASSWORD, "/review")
    console.go("/startup-grants")
    console.click(f'article[data-grant="{grant["id"]}"] [data-action="open"]')
    console.wait_page("/startup-grant")
    console.wait_text("main", "XX青禾科技有限公司")
    console.wait_text("main", "李青、王禾")
    console.fill("grant-decision", {"decision": "approve"})
    confirm_check(console, "grant-decision")
    console.wait_text(PAGE_STATUS, "已作出决定:已批准")
    console.screenshot("officer-startup-grant")
    # in a year no other test uses, this approval is the only one: the indicators count it
    console.driver.get(f"{console.base}/#/startup-indicators?since=2039-01-01&until=2040-01-01")
    console.wait_page("/startup-indicators")
    console.wait_text("main", "一次性创业补贴获批")
    console.wait_text('[data-indicator="startup.grants_approved"]', "1")
    console.sign_out()

    # the park's unit adds a desk, and gives it to the application for a year
    code = f"A-{uuid.uuid4().hex[:6]}"
    console.sign_in(park.account["username"], PASSWORD, "/review")
    console.go("/incubator")
    console.fill(
        "incubator-space",
        {"code": code, "kind": "desk", "building": "双创智慧港A座", "area_m2": "4.5"},
    )
    console.submit("incubator-space")
    console.wait_text(PAGE_STATUS, f"已新增 {code}")
    [desk] = [
        s
        for s in api.anonymous.get(
            f"{BASE}/spaces", params={"state": "available", "limit": 100}
        ).json()["items"]
        if s["code"] == code
    ]
    console.click(f'a[data-application="{application["id"]}"]')
    console.wait_page("/incubator-application")
    console.fill(
        "incubator-allocation",
        {"space_id": desk["id"], "starts_on": days_ahead(0), "ends_on": days_ahead(365)},
    )
    confirm_check(console, "incubator-allocation")
    console.wait_text(PAGE_STATUS, "已分配空间")
    console.screenshot("officer-incubator-allocation")
    console.sign_out()

    console.sign_in(founder.account["username"], PASSWORD, "/dashboard")
    console.go("/my-startup")
    console.wait_text(f'tr:has(a[data-record="{grant["id"]}"])', "已批准")
    console.wait_text(f'tr:has(a[data-record="{application["id"]}"])', "已分配")
    console.screenshot("youth-my-startup")
    console.sign_out()
    assert founder.get(f"{BASE}/grants/{grant['id']}").json()["state"] == "approved"
    seen = founder.get(f"{BASE}/incubator-applications/{application['id']}").json()
    assert (seen["state"], seen["space_id"]) == ("allocated", desk["id"])


def test_a_young_person_withdraws_a_business_registration_after_confirming(console, console_api):
    founder = console_api.youth(age=26)
    registration = founder.post(
        f"{BASE}/registrations", json=business(company_name="XX青木文化有限公司")
    ).json()
    console.sign_in(founder.account["username"], PASSWORD, "/dashboard")
    console.go("/startup")
    console.click(f'article[data-registration="{registration["id"]}"] [data-action="open"]')
    console.wait_page("/business-registration")
    console.click('[data-action="withdraw"]')
    console.wait_text("main", "确定撤回")  # asked once more, and nothing done yet
    assert founder.get(f"{BASE}/registrations/{registration['id']}").json()["state"] == (
        "in_progress"
    )
    console.click('[data-action="withdraw-confirm"]')
    console.wait_text(PAGE_STATUS, "已撤回申请")
    console.wait_text(f'[data-record="{registration["id"]}"]', "已撤回")
    console.screenshot("youth-registration-withdrawn")
    console.sign_out()
    assert founder.get(f"{BASE}/registrations/{registration['id']}").json()["state"] == (
        "withdrawn"
    )
