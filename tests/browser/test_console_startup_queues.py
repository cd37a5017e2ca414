"""The startup queues in the browser: 区市场监管局 completes the name check and issues the licence
(its credit code typed in the reason field), and 区人社局 approves a loan the bank approved; the
young person then reads the loan's repayment and subsidy schedule in the portal."""

from __future__ import annotations

from tests.support.api import PASSWORD
from tests.support.dates import days_ago
from tests.support.jobs import credit_code
from tests.support.startup import business

STARTUP = "/api/v1/startup"


def decide(console, queue: str, item_id: str, action: str, reason: str | None = None) -> None:
    console.open("/review")
    console.click(f'[data-queue="{queue}"]')
    item = f'li[data-item="{item_id}"]'
    console.find(item)
    if reason:
        console.find(f'{item} [name="reason"]').send_keys(reason)
    console.click(f'{item} [data-action="{action}"]')
    console.wait_text("#queue-panel", "已处理")


def test_officers_complete_registration_steps_and_approve_a_loan_in_their_queues(
    console, console_api
):
    api = console_api
    founder = api.youth(age=27, graduation_date=days_ago(540), degree="bachelor")
    registration = founder.post(f"{STARTUP}/registrations", json=business()).json()
    market = api.staff("officer", unit="market_regulation")

    console.sign_in(market.account["username"], PASSWORD, "/review")
    decide(console, "registrations", registration["id"], "complete_step")  # the name check
    code = credit_code()
    decide(console, "registrations", registration["id"], "complete_step", code)  # the licence
    console.screenshot("officer-registrations")
    console.sign_out()
    view = founder.get(f"{STARTUP}/registrations/{registration['id']}").json()
    assert view["credit_code"] == code
    assert {s["step"]: s["state"] for s in view["steps"]}["licence"] == "completed"

    bank = api.staff("partner", display_name="XX农村商业银行")
    lender = (
        api.admin()
        .post(f"{STARTUP}/lenders", json={"name": "XX农村商业银行", "partner_account_id": bank.id})
        .json()
    )
    loan = founder.post(
        f"{STARTUP}/loans",
        json={
            "borrower_kind": "individual",
            "amount_cny": "100000.00",
            "term_months": 24,
            "purpose": "购置设备",
            "lender_id": lender["id"],
        },
    ).json()
    reviewed = bank.post(
        f"{STARTUP}/loans/{loan['id']}/review",
        json={"decision": "approve", "contract_rate_percent": "3.5"},
    )
    assert reviewed.status_code == 200, reviewed.text
    hrss = api.staff("officer", unit="hrss")
    console.sign_in(hrss.account["username"], PASSWORD, "/review")
    decide(console, "loans", loan["id"], "approve")
    console.sign_out()
    assert founder.get(f"{STARTUP}/loans/{loan['id']}").json()["state"] == "approved"

    console.sign_in(founder.account["username"], PASSWORD, "/dashboard")
    console.go("/loans")
    console.click(f'article[data-loan="{loan["id"]}"] [data-action="schedule"]')
    console.find(f'article[data-loan="{loan["id"]}"] table tbody tr')
    rows = console.driver.find_elements(
        "css selector", f'article[data-loan="{loan["id"]}"] table tbody tr'
    )
    assert len(rows) == 24
    console.screenshot("youth-loans")
    console.sign_out()
