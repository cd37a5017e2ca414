"""The public draw page in the browser, signed out: a round closed for applications shows its
commitment and entrant list's hash while its seed is still secret; once drawn, the page shows
every input, the checks passed, the order drawn, and how to re-run it, in both languages."""

from __future__ import annotations

from datetime import timedelta

from selenium.webdriver.common.by import By

from services.common.clock import clock
from tests.support.housing import PUBLIC_VALUE, approved_over_http, open_and_close_over_http


def shown(console, name: str) -> str:
    return console.find(f'[data-input="{name}"] dd').text


def test_anyone_sees_a_draws_inputs_before_and_after_it_and_how_to_verify_it(
    console, console_api, platform_clock
):
    officer = console_api.staff("officer", unit="housing")
    for group in ("priority", "general", "general"):
        approved_over_http(console_api, officer, "affordable_rental", group)
    due = clock.utcnow() + timedelta(hours=2)
    closed = open_and_close_over_http(officer, "affordable_rental", due)
    page = f"/draws?id={closed['id']}"

    console.go("/draws")  # in the signed-out menu
    console.click(f'a[href="#{page}"]')
    console.wait_text('[data-input="commitment"] dd', closed["commitment"])
    assert shown(console, "entrants_hash") == closed["entrants_hash"]
    assert shown(console, "seed") == "摇号前保密"
    assert console.find("[data-checks]").get_attribute("data-checks") == "pending"
    console.screenshot("draw-closed")

    platform_clock((due + timedelta(minutes=5)).isoformat())
    drawn = officer.post(
        f"/api/v1/housing/lotteries/{closed['id']}/draw", json={"public_value": PUBLIC_VALUE}
    ).json()
    console.driver.refresh()
    console.wait_text('[data-input="seed"] dd', drawn["seed"])
    assert shown(console, "public_value") == PUBLIC_VALUE
    assert shown(console, "commitment") == closed["commitment"]
    assert console.find("[data-checks]").get_attribute("data-checks") == "passed"
    codes = console.driver.find_elements(By.CSS_SELECTOR, "table tbody tr td:nth-child(2) code")
    assert [code.text for code in codes] == drawn["order"]
    command = console.find('[data-command="verify"]').text
    assert command.endswith(f"/api/v1/housing/lotteries/{closed['id']}")
    script = console.find('[data-link="script"]').get_attribute("href")
    assert script.endswith("/api/v1/housing/verify_draw.py")
    console.screenshot("draw-drawn-zh-CN")

    console.switch_language("en")
    console.wait_text("main", "How to verify")
    assert "SHA-256 of the revealed seed equals the commitment" in console.text()
    console.screenshot("draw-drawn-en")
