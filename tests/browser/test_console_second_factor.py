"""Two-step sign-in in the console: an officer enrols an authenticator app on its own page (the
key shown as text, recovery codes shown once), from then on the sign-in form asks for the app's
code when the gateway does, and an administrator resets it when the phone is lost."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from tests.support.api import ADMIN, PASSWORD
from tests.support.second_factor import Authenticator


def test_an_officer_enrols_an_authenticator_and_then_signs_in_with_its_code(console, console_api):
    officer = console_api.staff("officer", unit="hrss")
    username = officer.account["username"]
    console.sign_in(username, PASSWORD, "/review")
    console.go("/second-factor")
    console.find('[data-state="not-enrolled"]')
    console.click('[data-action="start-second-factor"]')
    secret = console.find("[data-secret]").text
    uri = console.find("[data-otpauth-uri]").text
    assert uri.startswith("otpauth://totp/") and f"secret={secret}" in uri
    authenticator = Authenticator(secret)

    console.fill("confirm-second-factor", {"code": "000000"})
    console.submit("confirm-second-factor")
    console.find('form[data-form="confirm-second-factor"] [role="alert"]')
    console.fill("confirm-second-factor", {"code": authenticator.code()})
    console.submit("confirm-second-factor")
    codes = console.find("[data-recovery-codes]").find_elements(By.TAG_NAME, "li")
    assert len(codes) == 8
    console.screenshot("second-factor-enrolled")
    console.sign_out()

    console.open("/login")
    code_field = console.find('form[data-form="sign-in"] [name="second_factor_code"]')
    assert not code_field.is_displayed()  # asked for only when the gateway asks
    console.fill("sign-in", {"username": username, "password": PASSWORD})
    console.submit("sign-in")
    console.wait_text('form[data-form="sign-in"] [role="alert"]', "动态验证码")
    assert code_field.is_displayed()
    console.fill("sign-in", {"second_factor_code": authenticator.code()})
    console.submit("sign-in")
    console.wait_page("/review")
    console.go("/second-factor")
    console.find('[data-state="enrolled"]')
    console.sign_out()

    console.sign_in(*ADMIN, "/indicators")
    console.go("/second-factor")
    console.fill("reset-second-factor", {"account_id": officer.id})
    console.submit("reset-second-factor")
    console.find('form[data-form="reset-second-factor"] .notice.ok')
    console.sign_out()
    console.sign_in(username, PASSWORD, "/review")  # no code: this platform does not require one
    console.sign_out()
