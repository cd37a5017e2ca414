"""The policy catalogue and the benefits finder in the browser: anyone, signed out, reads the
programmes with their conditions, amounts and responsible units; a young person sees, for every
programme, whether they are eligible and why, and a fact an officer verified shows as verified,
in both languages."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from tests.support.api import PASSWORD, verify_facts
from tests.support.jobs import recent_graduate


def test_anyone_reads_the_policy_catalogue_signed_out(console):
    console.go("/policies")  # in the signed-out menu
    rental = '[data-programme="affordable_rental"]'
    console.wait_text(rental, "保障性租赁住房")
    assert "在本区连续缴纳社会保险满 12 个月" in console.find(rental).text
    assert console.find(f"{rental} [data-unit]").text == "区住建局"
    automatic = console.driver.find_elements(By.CSS_SELECTOR, "[data-automatic]")
    assert len(automatic) == 1
    assert "一次性扩岗补助" in console.find('[data-programme="hiring_subsidy"] h2').text
    console.screenshot("policies-zh-CN")

    console.click(f"{rental} h2 a")
    console.wait_page("/policies")
    console.wait_text("h1", "保障性租赁住房")
    console.switch_language("en")
    console.wait_text("main", "12 consecutive months of social insurance in the district")
    assert "District Housing and Urban-Rural Development Bureau" in console.text()
    console.screenshot("policy-en")


def test_a_young_person_sees_their_benefits_with_reasons_and_verified_facts(console, console_api):
    graduate = recent_graduate(console_api)
    graduate.patch("/api/v1/accounts/me/profile", json={"local_social_insurance_months": 12})
    verify_facts(
        console_api.staff("officer", unit="hrss"), graduate.id, "local_social_insurance_months"
    )

    console.sign_in(graduate.account["username"], PASSWORD, "/dashboard")
    console.go("/benefits")
    traineeship = '[data-benefit="traineeship"]'
    assert console.find(traineeship).get_attribute("data-verdict") == "eligible"
    assert "符合条件" in console.find(f"{traineeship} .verdict").text
    assert "毕业时间" in console.find(f'{traineeship} [data-rule="recent_graduate"]').text
    rental = '[data-benefit="affordable_rental"]'
    assert console.find(rental).get_attribute("data-verdict") == "eligible"
    insurance = console.find(f'{rental} [data-rule="social_insurance"] [data-fact]')
    assert insurance.get_attribute("data-state") == "verified"
    assert "已核验" in insurance.text
    station_rule = console.find('[data-benefit="youth_station"] [data-rule]')
    assert station_rule.get_attribute("data-state") == "passed"
    console.screenshot("benefits-zh-CN")

    console.switch_language("en")
    console.wait_text(rental, "Eligible")
    assert "verified" in console.find(f'{rental} [data-rule="social_insurance"]').text
    assert "You are eligible for" in console.find("[data-eligible-count]").text
    console.screenshot("benefits-en")
