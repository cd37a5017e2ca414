"""The registration page asks for the phone code where the platform requires it (issue 21): a
person has a code texted to their phone, a wrong one is refused as any ID number that cannot be
bound is, and the right one registers them with their phone proven. The gateway
and notify run here with the proof required and a local server playing the SMS provider."""

from __future__ import annotations

import re

from selenium.webdriver.common.by import By

from tests.support.api import PASSWORD, born_aged, citizen_id, unique
from tests.support.console import Console, artifacts_dir
from tests.support.messaging import wait_for

FORM = 'form[data-form="register-youth"]'


def test_the_registration_page_asks_for_the_phone_code_and_registers_with_it(
    chromium, notify_stack
):
    stack = notify_stack(smtp=False, settings={"REGISTRATION_PHONE_PROOF_REQUIRED": "true"})
    chromium.get(f"{stack.api.base}/#/login")
    chromium.execute_script("sessionStorage.clear(); localStorage.clear();")
    chromium.refresh()
    console = Console(chromium, stack.api.base, artifacts_dir())
    console.open("/register")
    for name in ("phone", "phone_code"):
        control = console.find(f'{FORM} [name="{name}"]')
        assert control.get_attribute("required") is not None, name
        assert control.get_attribute("id") and control.find_element(
            By.XPATH, f'//label[@for="{control.get_attribute("id")}"]'
        ).text.endswith("*")

    username = unique("web")
    console.fill(
        "register-youth",
        {
            "username": username,
            "password": PASSWORD,
            "profile.name": "王青",
            "profile.citizen_id": citizen_id(born_aged(23)),
            "phone": "13912345678",
        },
    )
    console.click('[data-action="send-phone-code"]')
    console.wait_text(f"{FORM} .phone-code-send [role='status']", "验证码已发送到该手机号")
    (sms,) = wait_for(lambda: stack.sms.requests, message="the SMS with the code")
    assert sms["PhoneNumbers"] == "13912345678"
    code = re.search(r"(\d{6})", sms["TemplateParam"]).group(1)

    console.fill("register-youth", {"phone_code": f"{(int(code) + 1) % 10**6:06d}"})
    console.submit("register-youth")
    console.wait_text(f'{FORM} [role="alert"]', "该身份证号码无法绑定到新账号")
    console.screenshot("register-phone-code-refused")

    console.fill("register-youth", {"phone_code": code})
    console.submit("register-youth")
    console.wait(
        lambda d: d.execute_script("return location.hash") != "#/register",
        "the registered person leaves the page",
    )
    account = stack.api.sign_in(username, PASSWORD).account
    assert account["phone"] == "+8613912345678" and account["phone_proven"] is True
