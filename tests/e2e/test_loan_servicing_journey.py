"""A startup guaranteed loan after disbursement, over HTTP through the gateway with every real
part running: the bank reports two quarters of repayments, claims each quarter's interest
subsidy (exactly what the schedule gives, worked out here from the documented formula), the
claims are committed from the loan unit's budget and batched to the bank; then the loan falls
into arrears, and beyond the threshold its subsidy stops, the borrower is told, and the
guarantee fund's exposure shows it.

The platform's clock is moved to 2035, a year no other test uses, so the year's budget is this
test's own; every date below follows from it, whatever the real day or hour.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from tests.support.messaging import wait_for

BASE = "/api/v1/startup"
DISBURSED = "2035-01-05T10:00:00+08:00"
TWO_QUARTERS_ON = "2035-07-10T10:00:00+08:00"
ARREARS_BEYOND = "2035-10-10T10:00:00+08:00"  # 97 days after 2035-07-05: over the 90 default
AMOUNT, TERM, RATE, BORROWER_RATE = Decimal("120000.00"), 24, Decimal("3.45"), Decimal("1.50")
BANK_ACCOUNT = {
    "holder": "XX农村商业银行",
    "bank_name": "XX农村商业银行营业部",
    "number": "6228480000123456",
}


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


def expected_schedule() -> list[dict]:
    """The README's formula for 等额本金 (equal principal), written out independently: each
    month interest = cents(balance × contract rate / 1200), the borrower's share =
    cents(balance × borrower rate / 1200), the subsidy the difference; principal an even share."""
    share, balance, months = cents(AMOUNT / TERM), AMOUNT, []
    for number in range(1, TERM + 1):
        principal = balance if number == TERM else share
        interest = cents(balance * RATE / 1200)
        borrower = cents(balance * BORROWER_RATE / 1200)
        months.append(
            {"number": number, "payment": principal + borrower, "subsidy": interest - borrower}
        )
        balance -= principal
    return months


def disbursed_loan(api, bank, hrss) -> str:
    admin = api.admin()
    lender = admin.post(
        f"{BASE}/lenders", json={"name": BANK_ACCOUNT["holder"], "partner_account_id": bank.id}
    )
    assert lender.status_code == 201, lender.text
    founder = api.youth(age=26)
    applied = founder.post(
        f"{BASE}/loans",
        json={
            "borrower_kind": "individual",
            "amount_cny": str(AMOUNT),
            "term_months": TERM,
            "repayment_method": "equal_principal",
            "purpose": "购置设备",
            "lender_id": lender.json()["id"],
        },
    )
    assert applied.status_code == 201, applied.text
    loan_id = applied.json()["id"]
    reviewed = bank.post(
        f"{BASE}/loans/{loan_id}/review",
        json={"decision": "approve", "contract_rate_percent": str(RATE)},
    )
    assert reviewed.json()["borrower_rate_percent"] == "1.5", reviewed.text
    decided = hrss.post(f"{BASE}/loans/{loan_id}/decision", json={"decision": "approve"})
    assert decided.json()["state"] == "approved", decided.text
    paid = bank.post(f"{BASE}/loans/{loan_id}/disbursement", json={"disbursed_on": "2035-01-05"})
    assert paid.json()["state"] == "disbursed", paid.text
    return loan_id, founder


def test_two_quarters_repaid_are_subsidised_to_the_cent_until_arrears_stop_it(api, platform_clock):
    platform_clock(DISBURSED)
    hrss = api.staff("officer", unit="hrss")
    bank = api.staff("partner", display_name=BANK_ACCOUNT["holder"])
    assert bank.put("/api/v1/me/bank-account", json=BANK_ACCOUNT).status_code == 200
    envelope = hrss.put("/api/v1/budgets/loan_interest_subsidy/2035", json={"envelope_cny": "5000"})
    assert envelope.status_code == 200, envelope.text
    loan_id, founder = disbursed_loan(api, bank, hrss)
    months = expected_schedule()

    early = bank.post(f"{BASE}/loans/{loan_id}/subsidy-claims", json={"quarter": "2035-Q1"})
    assert (early.status_code, early.json()["code"]) == (409, "loan_quarter_not_ended")

    platform_clock(TWO_QUARTERS_ON)
    # instalments fall due on the 5th: Feb and Mar in Q1, Apr to Jun in Q2
    wrong = bank.post(
        f"{BASE}/loans/{loan_id}/repayments",
        json={"instalment": 1, "paid_on": "2035-02-05", "amount_cny": "1.00"},
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "amount_cny"
    assert (
        hrss.post(
            f"{BASE}/loans/{loan_id}/repayments",
            json={"instalment": 1, "paid_on": "2035-02-05", "amount_cny": "1.00"},
        ).status_code
        == 403
    )
    for month in months[:5]:
        repaid = bank.post(
            f"{BASE}/loans/{loan_id}/repayments",
            json={
                "instalment": month["number"],
                "paid_on": date(2035, 1 + month["number"], 5).isoformat(),
                "amount_cny": str(month["payment"]),
            },
        )
        assert repaid.status_code == 201, repaid.text

    claims = {}
    for quarter, numbers in (("2035-Q1", [1, 2]), ("2035-Q2", [3, 4, 5])):
        claimed = bank.post(f"{BASE}/loans/{loan_id}/subsidy-claims", json={"quarter": quarter})
        assert claimed.status_code == 201, claimed.text
        owed = sum(months[n - 1]["subsidy"] for n in numbers)
        assert claimed.json()["instalments"] == numbers
        assert claimed.json()["amount_cny"] == str(owed)
        claims[claimed.json()["payout_id"]] = str(owed)
    assert sorted(claims.values()) == ["381.88", "511.88"]  # Q1 and Q2, to the cent
    again = bank.post(f"{BASE}/loans/{loan_id}/subsidy-claims", json={"quarter": "2035-Q1"})
    assert (again.status_code, again.json()["code"]) == (409, "loan_subsidy_already_claimed")

    budget = next(
        item
        for item in hrss.get("/api/v1/budgets", params={"year": 2035}).json()["items"]
        if item["programme"] == "loan_interest_subsidy"
    )
    assert budget["committed_cny"] == "893.76"
    batch = hrss.post(
        "/api/v1/payments/startup/batches", json={"programme": "loan_interest_subsidy"}
    )
    assert batch.status_code == 201, batch.text
    to_bank = {line["amount_cny"] for line in batch.json()["lines"] if line["payee_id"] == bank.id}
    assert to_bank == set(claims.values())

    # instalment 6 (due 2035-07-05) is not paid: arrears, not yet beyond the threshold
    late = bank.post(f"{BASE}/loans/{loan_id}/arrears", json={"overdue_since": "2035-07-05"})
    assert late.status_code == 200, late.text
    assert (late.json()["days_overdue"], late.json()["subsidy_stopped_from"]) == (5, None)

    platform_clock(ARREARS_BEYOND)
    still = bank.post(f"{BASE}/loans/{loan_id}/arrears", json={"overdue_since": "2035-07-05"})
    assert still.status_code == 200, still.text
    servicing = still.json()
    assert (servicing["days_overdue"], servicing["subsidy_stopped_from"]) == (97, "2035-07-05")
    assert [i["status"] for i in servicing["instalments"][:9]] == ["repaid"] * 5 + ["overdue"] * 4
    stopped = bank.post(f"{BASE}/loans/{loan_id}/subsidy-claims", json={"quarter": "2035-Q3"})
    assert (stopped.status_code, stopped.json()["code"]) == (409, "loan_subsidy_stopped")
    assert "2035-07-05" in stopped.json()["title"]
    in_english = bank.post(
        f"{BASE}/loans/{loan_id}/subsidy-claims",
        json={"quarter": "2035-Q3"},
        headers={"Accept-Language": "en"},
    )
    assert (
        in_english.json()["title"]
        == "The loan's arrears exceeded the limit: no subsidy from 2035-07-05"
    )

    def told():
        inbox = founder.get("/api/v1/me/messages").json()["items"]
        types = [m["event_type"] for m in inbox]
        return "youthcity.startup.loan.in_arrears" in types or None

    wait_for(told, timeout=20, interval=0.2, message="loan.in_arrears message")

    exposure = hrss.get(f"{BASE}/guarantee-exposure")
    assert exposure.status_code == 200, exposure.text
    line = next(
        item
        for item in exposure.json()["lenders"]
        if item["lender_name"] == BANK_ACCOUNT["holder"]
        and item["loans"] == 1
        and item["loans_in_arrears"] == 1
        and item["outstanding_principal_cny"] == str(AMOUNT - 5 * cents(AMOUNT / TERM))
    )
    assert line["outstanding_in_arrears_cny"] == line["outstanding_principal_cny"]
    assert bank.get(f"{BASE}/guarantee-exposure").status_code == 403
