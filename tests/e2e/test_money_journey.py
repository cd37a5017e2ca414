"""Money after the decision, over HTTP through the gateway with every real part running: the
hiring bureau sets its envelope, a granted hiring subsidy is committed from it, batched for the
finance bureau, exported with the employer's bank details, confirmed paid from the bureau's
file, reconciled, and shown beside the plan's targets; an envelope that runs out refuses the
next grant.

Each test moves the platform's clock to a year no other test uses, so the year's budget and
the period's reconciliation are its own.
"""

from __future__ import annotations

import csv
import io

import openpyxl

from services.common.clock import clock
from tests.support.api import verify_facts
from tests.support.jobs import hire, published_post, recent_graduate
from tests.support.messaging import wait_for

SUBSIDY_YEAR = "2033-04-12T10:00:00+08:00"
EXHAUSTED_YEAR = "2034-05-16T10:00:00+08:00"
ACCOUNT = {
    "holder": "XX青年创业园有限公司",
    "bank_name": "XX银行宋城支行",
    "number": "6222020200112233445",
}


def hiring_budget(officer, year: int) -> dict:
    answer = officer.get("/api/v1/budgets", params={"year": year})
    assert answer.status_code == 200, answer.text
    return next(i for i in answer.json()["items"] if i["programme"] == "hiring_subsidy")


def granted_subsidy(hrss, employer, post_id: str, api) -> dict:
    graduate = recent_graduate(api)
    verify_facts(hrss, graduate.id, "graduation_date")
    application = hire(employer, graduate, post_id)
    claim = employer.post("/api/v1/employment-subsidies", json={"application_id": application})
    assert claim.status_code == 201, claim.text
    return claim.json()


def test_a_hiring_subsidy_is_committed_batched_exported_paid_and_reconciled(api, platform_clock):
    platform_clock(SUBSIDY_YEAR)
    year = clock.today().year
    hrss = api.staff("officer", unit="hrss")
    bureau = api.staff("officer", unit="finance")

    not_theirs = bureau.put(f"/api/v1/budgets/hiring_subsidy/{year}", json={"envelope_cny": "1"})
    assert (not_theirs.status_code, not_theirs.json()["code"]) == (403, "not_responsible_unit")
    envelope = hrss.put(f"/api/v1/budgets/hiring_subsidy/{year}", json={"envelope_cny": "3000"})
    assert envelope.status_code == 200, envelope.text
    assert (envelope.json()["envelope_cny"], envelope.json()["left_cny"]) == ("3000.00", "3000.00")

    employer, post = published_post(api, hrss, employer_name=ACCOUNT["holder"], positions=2)
    given = employer.put("/api/v1/me/bank-account", json=ACCOUNT)
    assert given.status_code == 200, given.text
    assert given.json()["number_masked"] == "**** 3445"
    assert ACCOUNT["number"] not in employer.get("/api/v1/me/bank-account").text

    claim = granted_subsidy(hrss, employer, post["id"], api)
    granted = hrss.post(
        f"/api/v1/employment-subsidies/{claim['id']}/decision", json={"decision": "grant"}
    )
    assert granted.json()["state"] == "granted", granted.text
    figures = hiring_budget(hrss, year)
    assert (figures["committed_cny"], figures["paid_cny"], figures["left_cny"]) == (
        "1500.00",
        "0.00",
        "1500.00",
    )

    made = hrss.post("/api/v1/payments/jobs/batches", json={"programme": "hiring_subsidy"})
    assert made.status_code == 201, made.text
    batch = made.json()
    # other tests' employers gave no bank account: their payouts are held back, not sent
    assert {line["payee_id"] for line in batch["lines"]} == {employer.id}
    (line,) = [line for line in batch["lines"] if line["amount_cny"] == "1500.00"]
    assert batch["state"] == "created" and batch["reference"].startswith("HIRING_SUBSIDY-")

    exported = hrss.get(f"/api/v1/payments/jobs/batches/{batch['id']}/export.csv")
    assert exported.status_code == 200, exported.text
    assert exported.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    mine = next(row for row in rows if row["line_id"] == line["id"])
    assert (mine["account_number"], mine["payee_name"], mine["amount_cny"]) == (
        ACCOUNT["number"],
        ACCOUNT["holder"],
        "1500.00",
    )
    sheet = hrss.get(f"/api/v1/payments/jobs/batches/{batch['id']}/export.xlsx")
    assert sheet.status_code == 200, sheet.text
    book = openpyxl.load_workbook(io.BytesIO(sheet.content))
    values = [list(row) for row in book.active.iter_rows(values_only=True)]
    assert values[0][:2] == ["batch_reference", "line_id"]
    assert [line["id"], ACCOUNT["number"]] == [values[1][1], values[1][6]]
    shown = hrss.get(f"/api/v1/payments/jobs/batches/{batch['id']}").json()
    assert shown["state"] == "exported" and ACCOUNT["number"] not in str(shown)

    # the bureau's file comes back with each row answered; the console sends it like this
    mine["outcome"], mine["bank_reference"] = "paid", "CZ20330415-0001"
    answer = {
        "paid_on": clock.today().isoformat(),
        "lines": [
            {"line_id": mine["line_id"], "outcome": "paid", "bank_reference": "CZ20330415-0001"}
        ],
    }
    assert (
        hrss.post(
            f"/api/v1/payments/jobs/batches/{batch['id']}/confirmation", json=answer
        ).status_code
        == 403
    )
    confirmed = bureau.post(
        f"/api/v1/payments/jobs/batches/{batch['id']}/confirmation", json=answer
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["state"] == "settled"
    again = bureau.post(f"/api/v1/payments/jobs/batches/{batch['id']}/confirmation", json=answer)
    assert (again.status_code, again.json()["code"]) == (409, "payment_line_settled")

    figures = hiring_budget(hrss, year)
    assert (figures["committed_cny"], figures["paid_cny"], figures["left_cny"]) == (
        "0.00",
        "1500.00",
        "1500.00",
    )
    report = hrss.get(
        "/api/v1/payments/reconciliation",
        params={"since": f"{year}-04-01", "until": f"{year}-05-01"},
    ).json()
    hiring = next(p for p in report["programmes"] if p["programme"] == "hiring_subsidy")
    assert (hiring["paid_count"], hiring["paid_cny"], hiring["failed_count"]) == (1, "1500.00", 0)
    assert hiring["batched_cny"] == "1500.00" and hiring["ledger_balanced"] is True

    def paid_message():
        inbox = employer.get("/api/v1/me/messages").json()["items"]
        return next((m for m in inbox if m["event_type"] == "youthcity.jobs.payment.paid"), None)

    message = wait_for(paid_message, timeout=20, interval=0.2, message="payment.paid message")
    assert "1500.00" in message["body"]

    indicators = hrss.get("/api/v1/indicators", params={"period": str(year)}).json()
    spent = next(s for s in indicators["spending"] if s["programme"] == "hiring_subsidy")
    assert (spent["envelope_cny"], spent["paid_cny"]) == ("3000.00", "1500.00")
    task = next(t for t in indicators["tasks"] if t["code"] == "一.5")
    assert "hiring_subsidy" in [s["programme"] for s in task["spending"]]


def test_an_envelope_that_runs_out_refuses_the_next_grant_with_the_reason(api, platform_clock):
    platform_clock(EXHAUSTED_YEAR)
    year = clock.today().year
    hrss = api.staff("officer", unit="hrss")
    hrss.put(f"/api/v1/budgets/hiring_subsidy/{year}", json={"envelope_cny": "2000.00"})
    employer, post = published_post(api, hrss, positions=2)
    first = granted_subsidy(hrss, employer, post["id"], api)
    second = granted_subsidy(hrss, employer, post["id"], api)
    decide = "/api/v1/employment-subsidies/{}/decision"
    assert hrss.post(decide.format(first["id"]), json={"decision": "grant"}).status_code == 200

    refused = hrss.post(decide.format(second["id"]), json={"decision": "grant"})
    assert refused.status_code == 409
    problem = refused.json()
    assert problem["code"] == "budget_exhausted"
    assert "一次性扩岗补助" in problem["title"] and "500.00" in problem["title"]
    in_english = hrss.in_english().post(decide.format(second["id"]), json={"decision": "grant"})
    assert "One-off hiring subsidy" in in_english.json()["title"]
    assert hrss.get(f"/api/v1/employment-subsidies/{second['id']}").json()["state"] == "claimed"
    assert hiring_budget(hrss, year)["left_cny"] == "500.00"

    cut = hrss.put(f"/api/v1/budgets/hiring_subsidy/{year}", json={"envelope_cny": "1000"})
    assert (cut.status_code, cut.json()["code"]) == (409, "envelope_below_spent")
    raised = hrss.put(f"/api/v1/budgets/hiring_subsidy/{year}", json={"envelope_cny": "3500"})
    assert raised.json()["left_cny"] == "2000.00"
    assert hrss.post(decide.format(second["id"]), json={"decision": "grant"}).status_code == 200
