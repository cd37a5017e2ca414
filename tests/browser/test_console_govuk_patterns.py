"""The GOV.UK patterns the console shares across its pages: the error summary at the top of a
refused form (focused, a link to each field) and the timeout warning before a session ends."""

from __future__ import annotations

import time

from selenium.webdriver.common.by import By

from tests.support.api import PASSWORD, born_aged, citizen_id, unique

ACTIVE = "return document.activeElement"


def test_a_refused_form_opens_with_an_error_summary_that_links_to_its_fields(console):
    console.open("/register")
    valid = citizen_id(born_aged(24))
    wrong = valid[:17] + ("0" if valid[17] != "0" else "1")
    console.fill(
        "register-youth",
        {
            "username": unique("web"),
            "password": PASSWORD,
            "profile.name": "王青",
            "profile.citizen_id": wrong,
        },
    )
    console.submit("register-youth")
    form = 'form[data-form="register-youth"]'
    summary = console.find(f"{form} > .error-summary-slot .error-summary")
    assert "提交未成功" in summary.find_element(By.TAG_NAME, "h2").text
    # at the top of the form: before its first field, and above it on the screen
    first_field = console.driver.find_element(By.CSS_SELECTOR, f"{form} .field")
    assert summary.location["y"] < first_field.location["y"]
    console.wait(lambda d: d.execute_script(ACTIVE) == summary, "the focus on the error summary")
    link = summary.find_element(By.CSS_SELECTOR, "li a")
    assert link.text.startswith("身份证号: ")
    link.click()
    assert console.driver.execute_script(f"{ACTIVE}.name") == "profile.citizen_id"
    assert console.driver.execute_script(f"{ACTIVE}.getAttribute('aria-invalid')") == "true"
    assert console.driver.execute_script("return location.hash") == "#/register"
    console.screenshot("error-summary")
    # sent again as it is: the summary is the new one, not a second beside the first
    console.submit("register-youth")
    console.wait(
        lambda d: (
            len(d.find_elements(By.CSS_SELECTOR, f"{form} .error-summary")) == 1
            and d.execute_script(f"{ACTIVE}.classList.contains('error-summary')")
        ),
        "one error summary, focused again",
    )


def bring_end_near(console, seconds: float) -> None:
    console.driver.execute_script(
        "sessionStorage.setItem('youthcity:session-ends', String(Date.now() + arguments[0]))",
        int(seconds * 1000),
    )


def test_a_session_about_to_end_warns_and_can_be_kept_or_ended(console, console_api):
    youth = console_api.youth(age=22)
    console.sign_in(youth.account["username"], PASSWORD, "/dashboard")
    ends = console.driver.execute_script(
        "return Number(sessionStorage.getItem('youthcity:session-ends'))"
    )
    now = console.driver.execute_script("return Date.now()")
    assert ends - now > 3600 * 1000  # the refresh token's lifetime, told at sign-in

    # two minutes before the end: the warning, focused on staying signed in
    console.open("/posts")
    bring_end_near(console, 90)
    dialog = console.find('dialog[data-dialog="timeout"][open]')
    assert "即将被自动退出" in dialog.text and "1 分" in dialog.text
    console.wait(
        lambda d: d.execute_script(f"{ACTIVE}.dataset.action") == "stay-signed-in",
        "the focus on staying signed in",
    )
    console.screenshot("timeout-warning")
    console.click('[data-action="stay-signed-in"]')
    console.wait(
        lambda d: not d.find_elements(By.CSS_SELECTOR, 'dialog[data-dialog="timeout"]'),
        "the warning closed",
    )
    ends = console.driver.execute_script(
        "return Number(sessionStorage.getItem('youthcity:session-ends'))"
    )
    assert ends - console.driver.execute_script("return Date.now()") > 3600 * 1000
    console.open("/posts")  # the refreshed tokens work

    # nobody answers: the session ends, and signing in again returns to the same page
    bring_end_near(console, 3)
    console.find('dialog[data-dialog="timeout"][open]')
    console.wait(
        lambda d: d.execute_script("return location.hash").startswith("#/login"),
        "the sign-in page after the session ended",
    )
    console.wait_page("/login")
    console.find('[data-notice="expired"]')
    time.sleep(1.5)  # the watch runs every second: nothing more happens once signed out
    assert not console.driver.find_elements(By.CSS_SELECTOR, 'dialog[data-dialog="timeout"]')
    console.fill("sign-in", {"username": youth.account["username"], "password": PASSWORD})
    console.submit("sign-in")
    console.wait_page("/posts")

    # or chooses to sign out
    bring_end_near(console, 60)
    console.click('[data-action="timeout-sign-out"]')
    console.wait_page("/login")
    assert console.driver.execute_script("return sessionStorage.getItem('youthcity:token')") is None
