"""The console is usable by keyboard and on a phone, labels every control, and shows the API's
refusals beside the fields they name."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.support.api import PASSWORD, born_aged, citizen_id, unique

ACTIVE_NAME = "return document.activeElement && document.activeElement.name"


def tab_to(console, name: str, limit: int = 20) -> None:
    for _ in range(limit):
        if console.driver.execute_script(ACTIVE_NAME) == name:
            return
        console.driver.switch_to.active_element.send_keys(Keys.TAB)
    raise AssertionError(f"the field {name} is not reachable by Tab")


def test_a_young_person_signs_in_with_the_keyboard_alone_and_sees_where_the_focus_is(
    console, console_api
):
    youth = console_api.youth(age=22)
    # a fresh document: a page already open keeps where its focus last was, whatever the hash
    console.driver.get("about:blank")
    console.open("/login")
    console.driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    assert console.driver.execute_script("return document.activeElement.id") == "skip-link"
    tab_to(console, "username")
    outline = console.driver.execute_script(
        "return getComputedStyle(document.activeElement).outlineStyle"
    )
    assert outline not in ("none", "")
    console.driver.switch_to.active_element.send_keys(youth.account["username"], Keys.TAB)
    assert console.driver.execute_script(ACTIVE_NAME) == "password"
    console.driver.switch_to.active_element.send_keys(PASSWORD, Keys.ENTER)
    console.wait_page("/dashboard")
    console.sign_out()


def test_every_control_has_a_label_and_a_refusal_is_shown_beside_its_field(console):
    console.open("/register")
    unlabelled = console.driver.execute_script(
        "return [...document.querySelectorAll('main input, main select, main textarea')]"
        ".filter(c => !c.labels || c.labels.length === 0).map(c => c.name)"
    )
    assert unlabelled == []
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
    console.find(f'{form} [name="profile.citizen_id"][aria-invalid="true"]')
    alert = console.find(f'{form} [role="alert"]')
    assert "身份证号: " in alert.text  # the field named by its label, not the API's path
    note_id = console.find(f'{form} [name="profile.citizen_id"]').get_attribute("aria-describedby")
    note = console.driver.find_element(By.ID, note_id)
    assert note.is_displayed() and note.text
    console.screenshot("register-refused")


def test_on_a_phone_the_pages_fit_the_screen(console, console_api):
    youth = console_api.youth(age=22)
    driver = console.driver
    size = driver.get_window_size()
    try:
        driver.set_window_size(390, 844)
        console.sign_in(youth.account["username"], PASSWORD, "/dashboard")
        for path in ("/dashboard", "/posts", "/housing"):
            console.open(path)
            overflow = driver.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 1, f"{path} is wider than the phone by {overflow}px"
            console.screenshot(f"phone{path.replace('/', '-')}")
        console.sign_out()
    finally:
        driver.set_window_size(size["width"], size["height"])
