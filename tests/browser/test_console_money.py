"""Money after the decision in the browser (issues 24, 26): a lending bank reviews a startup
loan, pays it out and reports a repayment on its own pages; the hiring bureau sets a
programme's envelope and makes a payment batch, downloads the bureau's file, and the finance
bureau confirms the line paid; in English, refusals are shown where they happen (another unit's
envelope, a quarter not yet ended) and the loan unit reads the guarantee fund's exposure.

Data the pages act on is prepared through the API, as a young person or employer would have
made it; every step the bank and the bureaus take is taken in the browser.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs

import openpyxl
from selenium.webdriver.common.by import By

from services.common.clock import clock
from tests.support.api import PASSWORD, verify_facts
from tests.support.jobs import hire, published_post, recent_graduate

LOANS = "/api/v1/startup/loans"
PAGE_STATUS = '[data-status="page"]'
# the subsidy claim's own year: paid out in January, the first quarter claimed in April
PAID_OUT = "2038-01-05T10:00:00+08:00"
QUARTER_ENDED = "2038-04-10T10:00:00+08:00"
BANK_NAME = "XX农村商业银行"
BANK_ACCOUNT = {
    "holder": BANK_NAME,
    "bank_name": "XX农村商业银行营业部",
    "number": "6228480000765432",
}
EMPLOYER_ACCOUNT = {
    "holder": "XX青年文旅有限公司",
    "bank_name": "XX银行宋城支行",
    "number": "6222020200998877665",
}


def applied_loan(api, bank) -> tuple:
    """A bank with its lender record, and a young person's loan application at it."""
    lender = (
        api.admin()
        .post("/api/v1/startup/lenders", json={"name": BANK_NAME, "partner_account_id": bank.id})
        .json()
    )
    founder = api.youth(age=26)
    applied = founder.post(
        LOANS,
        json={
            "borrower_kind": "individual",
            "amount_cny": "120000.00",
            "term_months": 24,
            "repayment_method": "equal_principal",
            "purpose": "购置设备",
            "lender_id": lender["id"],
        },
    )
    assert applied.status_code == 201, applied.text
    return founder, applied.json()


# the elements that reach past the viewport's right edge, outside a table's own scroll box
OFF_SCREEN = """
const width = document.documentElement.clientWidth;
return [...document.querySelectorAll("body *")]
  .filter((e) => !e.closest(".table-wrap") && e.getBoundingClientRect().right > width + 1)
  .map((e) => e.tagName + "." + e.className + " " + (e.textContent || "").slice(0, 40));
"""


def checked(console, form: str, shown: str = "") -> None:
    """Submit `form`, read the answers it shows for checking, and confirm them."""
    console.submit(form)
    console.wait_text(f'[data-check="{form}"]', shown)
    console.click(f'[data-check="{form}"] [data-action="confirm-check"]')


def fits_the_phone(console, name: str) -> None:
    """At 360 px nothing sits off-screen (a wide table scrolls inside its own box)."""
    driver = console.driver
    driver.set_window_size(360, 780)
    try:
        assert console.wait(
            lambda d: d.execute_script("return window.innerWidth") <= 360, "a phone's width"
        )
        offenders = driver.execute_script(OFF_SCREEN)
        assert not offenders, "\n".join(offenders)
        console.screenshot(f"{name}-360")
    finally:
        driver.set_window_size(1280, 1000)


def test_a_bank_reviews_disburses_and_records_a_repayment_in_chinese(console, console_api):
    api = console_api
    bank = api.staff("partner", display_name=BANK_NAME)
    founder, loan = applied_loan(api, bank)
    card = f'article[data-loan="{loan["id"]}"]'

    console.sign_in(bank.account["username"], PASSWORD, "/inbox")
    # the account its interest subsidies are paid into: given once, shown masked
    console.go("/bank-account")
    console.find('[data-account="none"]')
    console.fill("bank-account", BANK_ACCOUNT)
    console.submit("bank-account")
    console.wait_text(PAGE_STATUS, "收款账户已保存")
    assert console.find('[data-account="masked"]').text == "**** " + BANK_ACCOUNT["number"][-4:]
    assert BANK_ACCOUNT["number"] not in console.text()
    assert bank.get("/api/v1/me/bank-account").json()["holder"] == BANK_NAME

    console.go("/bank-loans")  # no longer only 消息 and 消息设置
    console.wait_text(card, "已申请")
    console.click(f'{card} a[data-action="open"]')
    console.wait_page("/bank-loan")
    console.find('form[data-form="loan-review"]')
    assert len(console.driver.find_elements(By.CSS_SELECTOR, "table tbody tr")) == 24
    console.screenshot("bank-loan-review")

    # approving without the contract rate is refused beside the field, and nothing changes
    checked(console, "loan-review")
    console.find('form[data-form="loan-review"] [name="contract_rate_percent"][aria-invalid]')
    assert founder.get(f"{LOANS}/{loan['id']}").json()["state"] == "applied"
    console.fill("loan-review", {"decision": "approve", "contract_rate_percent": "3.45"})
    checked(console, "loan-review", "3.45")
    console.find('section[data-state="bank_approved"]')
    console.wait_text(PAGE_STATUS, "已批准")
    reviewed = founder.get(f"{LOANS}/{loan['id']}").json()
    assert (reviewed["state"], reviewed["contract_rate_percent"]) == ("bank_approved", "3.45")

    hrss = api.staff("officer", unit="hrss")
    decided = hrss.post(f"{LOANS}/{loan['id']}/decision", json={"decision": "approve"})
    assert decided.json()["state"] == "approved", decided.text
    console.driver.refresh()
    console.wait_page("/bank-loan")
    today = clock.today().isoformat()
    console.fill("loan-disbursement", {"disbursed_on": today})
    checked(console, "loan-disbursement", "120000.00 元")
    console.find('section[data-state="disbursed"]')
    assert founder.get(f"{LOANS}/{loan['id']}").json()["disbursed_on"] == today

    # the first instalment, its amount proposed from the schedule
    servicing = bank.get(f"{LOANS}/{loan['id']}/servicing").json()
    first = servicing["instalments"][0]
    amount = console.find('form[data-form="loan-repayment"] [name="amount_cny"]')
    assert amount.get_attribute("value") == first["borrower_payment"]
    console.fill("loan-repayment", {"instalment": "1", "paid_on": today})
    console.submit("loan-repayment")
    console.wait_text(PAGE_STATUS, "已记录第 1 期还款")
    console.wait_text('[data-table="schedule"] tbody tr:first-child', "已还")
    servicing = bank.get(f"{LOANS}/{loan['id']}/servicing").json()
    assert servicing["instalments"][0]["status"] == "repaid"
    assert servicing["principal_repaid_cny"] == first["principal"]
    shown = console.find('[data-figure="outstanding"]').text
    assert servicing["outstanding_principal_cny"] in shown
    console.screenshot("bank-loan-servicing-zh-CN")
    fits_the_phone(console, "bank-loan-servicing-zh-CN")
    console.sign_out()


def test_a_bank_claims_a_quarters_subsidy_for_exactly_what_the_schedule_gives(
    console, console_api, platform_clock
):
    """In a year no other test uses: paid out on 5 January, the February and March
    instalments repaid, and in April the first quarter's subsidy claimed."""
    api = console_api
    platform_clock(PAID_OUT)
    bank = api.staff("partner", display_name=BANK_NAME)
    founder, loan = applied_loan(api, bank)
    hrss = api.staff("officer", unit="hrss")
    bank.post(
        f"{LOANS}/{loan['id']}/review",
        json={"decision": "approve", "contract_rate_percent": "3.45"},
    )
    hrss.post(f"{LOANS}/{loan['id']}/decision", json={"decision": "approve"})
    paid = bank.post(f"{LOANS}/{loan['id']}/disbursement", json={"disbursed_on": PAID_OUT[:10]})
    assert paid.json()["state"] == "disbursed", paid.text

    platform_clock(QUARTER_ENDED)
    bank = api.sign_in(bank.account["username"], PASSWORD)  # a session of the new day
    instalments = bank.get(f"{LOANS}/{loan['id']}/servicing").json()["instalments"]
    first_quarter = [i for i in instalments if i["due_on"] < "2038-04-01"]
    assert [i["number"] for i in first_quarter] == [1, 2]
    owed = sum(Decimal(i["subsidy"]) for i in first_quarter)

    console.sign_in(bank.account["username"], PASSWORD, "/inbox")
    console.driver.get(f"{console.base}/#/bank-loan?id={loan['id']}")
    console.wait_page("/bank-loan")
    for instalment in first_quarter:
        console.fill(
            "loan-repayment",
            {"instalment": str(instalment["number"]), "paid_on": instalment["due_on"]},
        )
        console.submit("loan-repayment")
        console.wait_text(PAGE_STATUS, f"已记录第 {instalment['number']} 期还款")
    console.fill("subsidy-claim", {"quarter": "2038-Q1"})
    console.submit("subsidy-claim")
    console.wait_text(PAGE_STATUS, f"已申请 2038-Q1 贴息 {owed} 元")
    console.wait_text('[data-section="claims"] tbody', "2038-Q1")
    (claim,) = bank.get(f"{LOANS}/{loan['id']}/servicing").json()["claims"]
    assert (claim["quarter"], claim["amount_cny"]) == ("2038-Q1", str(owed))
    # the claim is a payout to the bank, waiting for the loan unit's next batch
    assert claim["payout_state"] == "queued"
    assert "待支付" in console.find('[data-section="claims"] tbody').text
    console.screenshot("bank-subsidy-claim-zh-CN")
    console.sign_out()


def granted_hiring_subsidies(api, hrss, count: int = 2):
    """An employer with a bank account, whose hiring subsidies (one per hire) the bureau
    granted: they wait in the queue for a batch."""
    employer, post = published_post(
        api, hrss, employer_name=EMPLOYER_ACCOUNT["holder"], positions=count
    )
    assert employer.put("/api/v1/me/bank-account", json=EMPLOYER_ACCOUNT).status_code == 200
    for _ in range(count):
        graduate = recent_graduate(api)
        verify_facts(hrss, graduate.id, "graduation_date")
        application = hire(employer, graduate, post["id"])
        claim = employer.post("/api/v1/employment-subsidies", json={"application_id": application})
        assert claim.status_code == 201, claim.text
        granted = hrss.post(
            f"/api/v1/employment-subsidies/{claim.json()['id']}/decision",
            json={"decision": "grant"},
        )
        assert granted.json()["state"] == "granted", granted.text
    return employer


def answered_file(saved: Path, line_id: str, **answer) -> Path:
    """The bureau's copy of the export with one row answered, as it sends it back."""
    rows = list(csv.DictReader(saved.read_text(encoding="utf-8-sig").splitlines()))
    for row in rows:
        if row["line_id"] == line_id:
            row.update(answer)
    path = saved.parent.parent / "bureau-answer.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_an_officer_sets_a_budget_and_batches_and_the_bureau_confirms_in_chinese(
    console, console_api
):
    api = console_api
    hrss = api.staff("officer", unit="hrss")
    bureau = api.staff("officer", unit="finance")
    employer = granted_hiring_subsidies(api, hrss)
    hiring = 'article[data-programme="hiring_subsidy"]'
    # next year's envelope (the API takes last year to next year): no test pays in it yet
    budget_year = clock.today().year + 1

    console.sign_in(hrss.account["username"], PASSWORD, "/review")
    console.go("/budgets")
    console.fill("budget-year", {"year": str(budget_year)})
    console.submit("budget-year")
    console.wait_text(".budget-list h2", f"{budget_year} 年度预算")
    console.fill("envelope-hiring_subsidy", {"envelope_cny": "300000"})
    console.submit("envelope-hiring_subsidy")
    console.wait_text(PAGE_STATUS, "已设定一次性扩岗补助的预算额度")
    console.wait_text(f'{hiring} [data-figure="left"]', "300000.00 元")
    figures = next(
        item
        for item in hrss.get("/api/v1/budgets", params={"year": budget_year}).json()["items"]
        if item["programme"] == "hiring_subsidy"
    )
    assert figures["envelope_cny"] == "300000.00"
    console.screenshot("officer-budgets-zh-CN")

    console.go("/payments")
    console.wait_text("main", "一次性扩岗补助")
    console.fill("new-batch", {"programme": "hiring_subsidy"})
    console.submit("new-batch")
    console.wait_page("/batch")
    console.find('[data-batch-state="created"]')
    # the batch the page shows is the one just made (other tests' batches may be dated later:
    # some move the platform's clock on)
    shown = parse_qs(console.driver.current_url.split("?", 1)[1])["id"][0]
    batch = hrss.get(f"/api/v1/payments/jobs/batches/{shown}").json()
    assert batch["state"] == "created"
    line, other = [
        line
        for line in hrss.get(f"/api/v1/payments/jobs/batches/{batch['id']}").json()["lines"]
        if line["payee_id"] == employer.id
    ]
    saved = console.download('[data-action="export-csv"]', "*.csv")
    rows = list(csv.DictReader(saved.read_text(encoding="utf-8-sig").splitlines()))
    mine = next(row for row in rows if row["line_id"] == line["id"])
    assert (mine["account_number"], mine["amount_cny"]) == (EMPLOYER_ACCOUNT["number"], "1500.00")
    bureau_file = answered_file(saved, other["id"], outcome="failed", reason="account_closed")
    console.find('[data-batch-state="exported"]')
    sheet = openpyxl.load_workbook(console.download('[data-action="export-xlsx"]', "*.xlsx"))
    values = [list(row) for row in sheet.active.iter_rows(values_only=True)]
    assert values[0][:2] == ["batch_reference", "line_id"]
    assert [line["id"], EMPLOYER_ACCOUNT["number"]] in [[row[1], row[6]] for row in values[1:]]
    console.screenshot("officer-batch-zh-CN")
    console.sign_out()

    console.sign_in(bureau.account["username"], PASSWORD, "/review")
    console.go("/payments")
    console.click(f'a[data-batch="{batch["id"]}"]')
    console.wait_page("/batch")
    form = f"confirm-{line['id']}"
    console.fill(form, {"outcome": "paid", "bank_reference": "CZ-0001"})
    checked(console, form, "CZ-0001")
    console.wait_text(PAGE_STATUS, "已登记支付结果")
    confirmed = hrss.get(f"/api/v1/payments/jobs/batches/{batch['id']}").json()
    (answered,) = [one for one in confirmed["lines"] if one["id"] == line["id"]]
    assert (answered["state"], answered["bank_reference"]) == ("paid", "CZ-0001")
    assert not console.driver.find_elements(By.CSS_SELECTOR, f'form[data-form="{form}"]')

    # the other line from the bureau's file: checked on screen first, then recorded
    console.find('form[data-form="bureau-file"] input[type="file"]').send_keys(str(bureau_file))
    console.submit("bureau-file")
    console.wait_text('[data-check="bureau-file"]', "1 笔支付失败")
    console.wait_text('[data-check="bureau-file"] tbody', "账户已销户")
    pending = hrss.get(f"/api/v1/payments/jobs/batches/{batch['id']}").json()["lines"]
    assert next(one for one in pending if one["id"] == other["id"])["state"] == "pending"
    console.screenshot("bureau-confirmation-zh-CN")
    console.click('[data-action="record-answers"]')
    console.wait_text(PAGE_STATUS, "已登记 1 笔支付结果")
    confirmed = hrss.get(f"/api/v1/payments/jobs/batches/{batch['id']}").json()
    (failed,) = [one for one in confirmed["lines"] if one["id"] == other["id"]]
    assert (failed["state"], failed["failure_reason"]) == ("failed", "account_closed")
    queued = hrss.get(
        "/api/v1/payments/jobs/payouts", params={"state": "queued", "limit": 100}
    ).json()
    assert other["payout_id"] in {payout["id"] for payout in queued["items"]}

    console.go("/payments")
    console.submit("reconciliation")
    console.wait_text('[data-result="reconciliation"]', "一次性扩岗补助")
    console.find('[data-result="reconciliation"] [data-balanced]')
    fits_the_phone(console, "bureau-reconciliation-zh-CN")
    console.sign_out()


def test_refusals_and_the_guarantee_funds_exposure_in_english(console, console_api):
    api = console_api
    bank = api.staff("partner", display_name=BANK_NAME)
    founder, loan = applied_loan(api, bank)
    hrss = api.staff("officer", unit="hrss")
    bureau = api.staff("officer", unit="finance")
    today = clock.today().isoformat()
    bank.post(
        f"{LOANS}/{loan['id']}/review",
        json={"decision": "approve", "contract_rate_percent": "3.45"},
    )
    hrss.post(f"{LOANS}/{loan['id']}/decision", json={"decision": "approve"})
    paid = bank.post(f"{LOANS}/{loan['id']}/disbursement", json={"disbursed_on": today})
    assert paid.json()["state"] == "disbursed", paid.text

    console.switch_language("en")
    # the finance bureau does not set the hiring bureau's envelope: the refusal says so
    console.sign_in(bureau.account["username"], PASSWORD, "/review")
    console.go("/budgets")
    assert not console.driver.find_elements(By.CSS_SELECTOR, '[data-section="exposure"]')
    console.fill("envelope-hiring_subsidy", {"envelope_cny": "1"})
    console.submit("envelope-hiring_subsidy")
    refusal = console.find('form[data-form="envelope-hiring_subsidy"] [role="alert"]').text
    assert refusal and not any("\u4e00" <= c <= "\u9fff" for c in refusal), refusal
    console.screenshot("bureau-budget-refused-en")
    console.sign_out()

    console.sign_in(hrss.account["username"], PASSWORD, "/review")
    console.go("/budgets")  # the loan unit sees the guarantee fund beside the budgets
    console.wait_text('[data-section="exposure"] table', BANK_NAME)
    assert "Outstanding principal" in console.text()
    console.screenshot("officer-exposure-en")
    console.sign_out()

    console.sign_in(bank.account["username"], PASSWORD, "/inbox")
    console.driver.get(f"{console.base}/#/bank-loan?id={loan['id']}")
    console.wait_page("/bank-loan")
    console.find('section[data-state="disbursed"]')
    console.fill("loan-arrears", {"overdue_since": today})
    console.submit("loan-arrears")
    console.wait_text(PAGE_STATUS, "The arrears are recorded")
    console.wait_text('[data-arrears="true"]', f"Overdue since {today}")
    # the quarter running now has not ended: the claim is refused where it was made
    year, month = clock.today().year, clock.today().month
    console.fill("subsidy-claim", {"quarter": f"{year}-Q{(month - 1) // 3 + 1}"})
    console.submit("subsidy-claim")
    console.find('form[data-form="subsidy-claim"] [role="alert"]')
    assert bank.get(f"{LOANS}/{loan['id']}/servicing").json()["claims"] == []
    console.screenshot("bank-loan-servicing-en")
    fits_the_phone(console, "bank-loan-servicing-en")
    console.sign_out()
