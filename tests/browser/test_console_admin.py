"""The administrator's back office in the browser (issue 26): creating an officer with its
unit (refused beside the field without one), granting a partner its event types under an
agreement and revoking them after a confirmation, reading the audit trail of every service at
once, and confirming a person's erasure request; each page fits a 360 px phone."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from tests.support.api import ADMIN, PASSWORD, unique

PAGE_STATUS = '[data-status="page"]'
OFF_SCREEN = """
const width = document.documentElement.clientWidth;
return [...document.querySelectorAll("body *")]
  .filter((e) => !e.closest(".table-wrap") && e.getBoundingClientRect().right > width + 1)
  .map((e) => e.tagName + "." + e.className + " " + (e.textContent || "").slice(0, 40));
"""


def fits_the_phone(console, paths: list[str], language: str) -> None:
    driver = console.driver
    driver.set_window_size(360, 780)
    try:
        assert console.wait(
            lambda d: d.execute_script("return window.innerWidth") <= 360, "a phone's width"
        )
        for path in paths:
            driver.get(f"{console.base}/#{path}")
            console.wait_page(path.split("?")[0])
            offenders = driver.execute_script(OFF_SCREEN)
            assert not offenders, f"{path}:\n" + "\n".join(offenders)
            name = path.strip("/").replace("/", "-").split("?")[0]
            console.screenshot(f"{name}-{language}-360")
    finally:
        driver.set_window_size(1280, 1000)


def test_an_admin_creates_an_officer_grants_a_partner_reads_the_trail_and_confirms_an_erasure(
    console, console_api
):
    api = console_api
    admin = api.admin()
    bank = api.staff("partner", display_name=unique("XX农商银行"))
    leaving = api.youth()
    erasure = leaving.post("/api/v1/me/erasure")
    assert erasure.status_code == 202, erasure.text

    console.sign_in(ADMIN[0], ADMIN[1], "/indicators")
    console.go("/admin/accounts")
    username = unique("hrss")
    values = {
        "role": "officer",
        "username": username,
        "password": PASSWORD,
        "display_name": "人社局经办员",
    }
    # an officer without a unit is refused beside the unit, and nothing is created
    console.fill("new-account", values)
    console.submit("new-account")
    console.find('form[data-form="new-account"] [name="unit"][aria-invalid="true"]')
    console.fill("new-account", {**values, "unit": "hrss"})
    console.submit("new-account")
    console.wait_text(PAGE_STATUS, f"已创建工作人员账户 {username}")
    officer = api.sign_in(username, PASSWORD)
    me = officer.get("/api/v1/accounts/me").json()
    assert (me["role"], me["unit"], me["display_name"]) == ("officer", "hrss", "人社局经办员")
    console.screenshot("admin-accounts-zh-CN")

    # the bank is granted loan servicing under its agreement: its card says so after the reload
    console.go("/admin/partners")
    console.fill("partner-choice", {"id": bank.id})
    console.submit("partner-choice")
    console.wait_page("/admin/partners")
    card = '[data-purpose="loan_servicing"]'
    console.fill("grant-loan_servicing", {"reference": "区人社〔2026〕12号 经办协议"})
    console.submit("grant-loan_servicing")
    console.wait_text(PAGE_STATUS, "已授权")
    console.find(f'{card}[data-granted="true"]')
    grants = admin.get(f"/api/v1/partners/{bank.id}/purposes").json()["items"]
    assert [(g["purpose"], g["active"]) for g in grants] == [("loan_servicing", True)]
    console.driver.refresh()
    console.wait_page("/admin/partners")
    console.wait_text(card, "区人社〔2026〕12号")
    console.screenshot("admin-partners-zh-CN")
    # the bank is registered as a lender of startup loans: young people can choose it now
    console.fill("new-lender", {"name": bank.account["display_name"]})
    console.submit("new-lender")
    console.wait_text(PAGE_STATUS, "已登记为经办银行")
    console.find('[data-section="lender"] [data-lender]')
    lenders = api.youth().get("/api/v1/startup/lenders", params={"limit": 100}).json()["items"]
    assert bank.id in [lender["partner_account_id"] for lender in lenders]
    # revoking asks first; cancelling changes nothing
    console.click(f'{card} [data-action="revoke"]')
    console.click(f'{card} [data-action="revoke-cancel"]')
    assert admin.get(f"/api/v1/partners/{bank.id}/purposes").json()["items"][0]["active"]
    console.click(f'{card} [data-action="revoke"]')
    console.click(f'{card} [data-action="revoke-confirm"]')
    console.find(f'{card}[data-granted="false"]')
    assert not admin.get(f"/api/v1/partners/{bank.id}/purposes").json()["items"][0]["active"]

    # the trail of every service at once: the officer just created is the newest account
    console.go("/admin/audit")
    console.wait_text('[data-table="audit"] tbody', "创建账户")
    assert "账户与平台" in console.find('[data-table="audit"] tbody').text
    console.fill("audit-filter", {"service": "notify"})
    console.submit("audit-filter")
    console.wait_page("/admin/audit")
    console.wait_text('[data-table="audit"] tbody', "消息与推送")
    console.screenshot("admin-audit-zh-CN")

    # the erasure request, confirmed after the page asks once more
    console.go("/admin/erasures")
    request = f'article[data-erasure="{erasure.json()["id"]}"]'
    console.wait_text(request, "待执行")
    console.click(f'{request} [data-action="confirm-erasure"]')
    console.wait_text(request, "无法恢复")
    console.click(f'{request} [data-action="confirm-erasure-confirm"]')
    console.wait_text(PAGE_STATUS, "已确认删除申请")
    console.find(f'article[data-erasure="{erasure.json()["id"]}"]:not([data-status="requested"])')
    (shown,) = [
        e
        for e in admin.get("/api/v1/admin/erasures", params={"limit": 100}).json()["items"]
        if e["id"] == erasure.json()["id"]
    ]
    assert shown["status"] in ("confirmed", "completed")
    assert not console.driver.find_elements(
        By.CSS_SELECTOR, f'{request} [data-action="confirm-erasure"]'
    )
    console.screenshot("admin-erasures-zh-CN")

    paths = ["/admin/accounts", f"/admin/partners?id={bank.id}", "/admin/audit", "/admin/erasures"]
    fits_the_phone(console, paths, "zh-CN")
    console.switch_language("en")
    fits_the_phone(console, paths, "en")
    console.switch_language("zh-CN")
    console.sign_out()
