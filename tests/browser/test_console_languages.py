"""Every page of the console, for every kind of account, in both languages: no catalogue key
shows untranslated, the page's `lang` follows the switch, headings are in the language chosen,
and every page renders without a refusal. A screenshot of each page in each language is kept."""

from __future__ import annotations

import re

from selenium.webdriver.common.by import By

from tests.support.api import ADMIN, PASSWORD
from tests.support.console import key_pattern
from tests.support.dates import days_ago, district_time
from tests.support.jobs import registered_employer

HAN = re.compile(r"[\u4e00-\u9fff]")
ANONYMOUS = ["/login", "/register", "/forgot"]


def menu_paths(console) -> list[str]:
    links = console.driver.find_elements(By.CSS_SELECTOR, "#nav a")
    return [link.get_attribute("href").split("#", 1)[1] for link in links]


def check_page(console, path: str, language: str, label: str, keys: re.Pattern) -> None:
    console.open(path)
    labels = console.driver.execute_script(
        "return [...document.querySelectorAll('[aria-label], [title]')]"
        ".map(e => `${e.getAttribute('aria-label') ?? ''} ${e.getAttribute('title') ?? ''}`)"
        ".join(' ')"
    )
    text = f"{console.text()} {labels} {console.driver.title}"
    assert keys.findall(text) == [], f"{path} in {language} shows keys"
    assert console.driver.execute_script("return document.documentElement.lang") == language
    heading = console.find("main h1").text
    assert bool(HAN.search(heading)) == (language == "zh-CN"), f"{path}: {heading!r}"
    alerts = console.driver.find_elements(By.CSS_SELECTOR, "main .notice.error")
    assert [a.text for a in alerts] == [], f"{path} in {language}"
    name = path.strip("/").replace("/", "-") or "home"
    console.screenshot(f"{label}-{name}-{language}")


def every_page_in_both_languages(console, label: str, paths: list[str] | None = None) -> list:
    keys = key_pattern()
    paths = paths or menu_paths(console)
    for path in paths:
        check_page(console, path, "zh-CN", label, keys)
    console.switch_language("en")
    for path in paths:
        check_page(console, path, "en", label, keys)
    console.switch_language("zh-CN")
    return paths


def test_every_page_shows_no_untranslated_key_in_either_language(console, console_api):
    api = console_api
    league = api.staff("officer", unit="youth_league")
    activity = league.post(
        "/api/v1/activities",
        json={
            "title": "青年联谊会",
            "category": "youth_mixer",
            "venue": "青年之家",
            "starts_at": district_time(days=30, hour=14).isoformat(),
            "ends_at": district_time(days=30, hour=17).isoformat(),
            "capacity": 30,
        },
    ).json()
    league.post(f"/api/v1/activities/{activity['id']}/publish")
    youth = api.youth(age=23, graduation_date=days_ago(160), employment_status="unemployed")
    youth.post(f"/api/v1/activities/{activity['id']}/registrations")
    hrss = api.staff("officer", unit="hrss")
    employer = registered_employer(api, hrss)

    every_page_in_both_languages(console, "anonymous", ANONYMOUS)

    seen = {}
    for role, session, home in (
        ("youth", youth, "/dashboard"),
        ("employer", employer, "/employer"),
        ("officer", hrss, "/review"),
        ("admin", api.admin(), "/indicators"),
    ):
        username = session.account["username"]
        password = ADMIN[1] if role == "admin" else PASSWORD
        console.sign_in(username, password, home)
        seen[role] = every_page_in_both_languages(console, role)
        console.sign_out()

    assert {"/dashboard", "/posts", "/housing", "/startup", "/loans", "/activities"} <= set(
        seen["youth"]
    )
    assert {"/employer", "/employer/posts", "/employer/subsidies"} <= set(seen["employer"])
    assert {"/review", "/indicators", "/plan"} <= set(seen["officer"])
