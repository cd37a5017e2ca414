"""The web console's files: both catalogues carry the same keys, every key the scripts name
exists, and the gateway serves only the console's own files, with the right types."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from gateway.routes.console import CONSOLE, CONTENT_TYPES, console_file
from services.common.errors import NotFound

CATALOGUES = {path.stem: json.loads(path.read_text()) for path in (CONSOLE / "i18n").glob("*.json")}
SCRIPTS = sorted((CONSOLE / "js").glob("*.js"))
# a string literal shaped like a key: "nav.posts", as passed to t(), section(), label: …
KEY_LITERAL = re.compile(r"""["']([a-z][a-z_]*(?:\.[a-z0-9_]+)+)["']""")
# keys built in a template: t(`applications.to_${next}`) names applications.to_*
KEY_TEMPLATE = re.compile(r"`([a-z][a-z_]*\.[a-z0-9_]*)\$\{")


def test_both_languages_have_the_same_keys_and_no_empty_text():
    assert set(CATALOGUES) == {"zh-CN", "en"}
    chinese, english = CATALOGUES["zh-CN"], CATALOGUES["en"]
    assert sorted(set(chinese) ^ set(english)) == []
    assert [key for key, text in {**chinese, **english}.items() if not text.strip()] == []


def test_english_headings_and_menu_entries_begin_with_a_capital():
    """GOV.UK's sentence case for what heads a page or a section (the preferences' "Jobs", not
    "jobs"); a state or a choice may sit inside a sentence and keeps its own case."""
    headings = [
        key
        for key, text in CATALOGUES["en"].items()
        if key.startswith(("nav.", "category.")) or key.endswith((".title", "_title", "heading"))
        if text[:1].islower()
    ]
    assert headings == []


# an audit entry's action as the services write it: `uow.audit("loan.approved", …)`
AUDIT_ACTION = re.compile(r"\.audit\(\s*\"([a-z_]+\.[a-z_.]+)\"")


def test_every_audit_action_the_services_write_has_a_name():
    """The audit page names an action by its own label or by the event it reports."""
    root = CONSOLE.parents[1]
    sources = [*root.glob("services/*/*.py"), *root.glob("gateway/*.py")]
    actions = {a for path in sources for a in AUDIT_ACTION.findall(path.read_text())}
    english = CATALOGUES["en"]
    services = ("jobs", "housing", "startup", "events", "notify", "gateway")
    unnamed = sorted(
        action
        for action in actions
        if f"audit_action.{action}" not in english
        and not any(f"event_type.{service}.{action}" in english for service in services)
    )
    assert len(actions) > 30
    assert unnamed == []


def test_every_key_the_scripts_use_is_in_the_catalogues():
    keys = set(CATALOGUES["zh-CN"])
    used = {
        (script.name, key)
        for script in SCRIPTS
        for key in KEY_LITERAL.findall(script.read_text())
        if not key.endswith((".js", ".json", ".css", ".html"))
    }
    assert used, "no keys found: has the console moved?"
    assert sorted((name, key) for name, key in used if key not in keys) == []


def test_every_key_prefix_built_in_a_template_has_keys():
    keys = set(CATALOGUES["zh-CN"])
    prefixes = {prefix for script in SCRIPTS for prefix in KEY_TEMPLATE.findall(script.read_text())}
    assert sorted(p for p in prefixes if not any(key.startswith(p) for key in keys)) == []


def test_every_visible_string_goes_through_the_catalogue():
    """No Chinese text written straight into a script or the page: it belongs in zh-CN.json."""
    han = re.compile(r"[\u4e00-\u9fff]")
    offenders = [
        path.name
        for path in [*SCRIPTS, CONSOLE / "index.html"]
        if any(
            han.search(line) and not line.strip().startswith("//")
            for line in path.read_text().splitlines()
        )
    ]
    assert offenders == []


def test_the_console_serves_its_own_files_only():
    assert console_file("index.html").name == "index.html"
    assert console_file("js/app.js").suffix in CONTENT_TYPES
    for outside in (
        "../routes/console.py",
        "../../pyproject.toml",
        "/etc/passwd",
        "js/",
        "nope.js",
    ):
        with pytest.raises(NotFound):
            console_file(outside)


def test_every_console_file_has_a_content_type():
    files = [p for p in CONSOLE.rglob("*") if p.is_file()]
    assert [p.name for p in files if p.suffix not in CONTENT_TYPES] == []
    assert CONTENT_TYPES[".js"].startswith("text/javascript")


def test_the_page_declares_its_language_and_a_viewport():
    page = Path(CONSOLE / "index.html").read_text()
    assert '<html lang="zh-CN">' in page
    assert 'name="viewport"' in page
    assert 'type="module"' in page


def js_list(script: str, name: str) -> list[str]:
    text = (CONSOLE / "js" / script).read_text()
    match = re.search(rf"const {name} = \[(.*?)\];", text, re.S)
    assert match, f"{name} in {script}"
    return re.findall(r'"([^"]+)"', match.group(1))


def test_the_choices_the_forms_offer_are_the_ones_the_api_accepts_each_with_its_label():
    from gateway import plan_items
    from gateway.accounts import DEGREES, EMPLOYMENT_STATUSES
    from gateway.facts import VERIFIED_BY
    from services.events.vocabulary import (
        CATEGORIES,
        COUNSELLING_MODES,
        OUTREACH_SETTINGS,
        VENUE_KINDS,
    )
    from services.housing import vocabulary as housing
    from services.jobs.vocabulary import COOPERATION_KINDS, INDUSTRIES, TRAINEESHIP_OUTCOMES
    from services.startup.domain import COMPANY_TYPES, REPAYMENT_METHODS
    from services.startup.vocabulary import SPACE_KINDS

    keys = set(CATALOGUES["zh-CN"])
    for script, name, accepted, group in (
        ("auth.js", "DEGREES", DEGREES, "degree"),
        ("auth.js", "EMPLOYMENT", EMPLOYMENT_STATUSES, "employment"),
        ("employer.js", "INDUSTRIES", INDUSTRIES, "industry"),
        ("employer.js", "OUTCOMES", TRAINEESHIP_OUTCOMES, "traineeship_outcome"),
        ("cooperation.js", "KINDS", COOPERATION_KINDS, "cooperation_kind"),
        ("youthmore.js", "COMPANY_TYPES", COMPANY_TYPES, "company_type"),
        ("activities.js", "CATEGORIES", CATEGORIES, "category"),
        ("circle.js", "VENUE_KINDS", VENUE_KINDS, "venue_kind"),
        ("circle.js", "SETTINGS", OUTREACH_SETTINGS, "outreach_setting"),
        ("circle.js", "MODES", COUNSELLING_MODES, "counselling_mode"),
        ("youthmore.js", "REPAYMENT", REPAYMENT_METHODS, "repayment"),
        ("startup.js", "SPACE_KINDS", SPACE_KINDS, "space_kind"),
        ("indicators.js", "KINDS", plan_items.KINDS, "plan.kind_"),
        ("indicators.js", "STATUSES", plan_items.STATUSES, "plan_status"),
        ("housingoffice.js", "UNIT_KINDS", housing.UNIT_KINDS, "unit_kind"),
        ("housingoffice.js", "RENTAL_KINDS", housing.RENTAL_KINDS, "unit_kind"),
        ("housingoffice.js", "FOLLOWUP_METHODS", housing.FOLLOWUP_METHODS, "followup_method"),
        ("housingoffice.js", "EMPLOYMENT", housing.EMPLOYMENT_STATUSES, "employment"),
        ("myhousing.js", "SUBSIDY_KINDS", housing.SUBSIDY_KINDS, "subsidy_kind"),
        ("evidence.js", "FACTS", list(VERIFIED_BY), "fact"),
    ):
        offered = js_list(script, name)
        assert sorted(offered) == sorted(accepted), name
        separator = "" if group.endswith("_") else "."
        assert [v for v in offered if f"{group}{separator}{v}" not in keys] == [], name


def test_every_event_type_and_message_category_has_a_name_in_the_catalogues():
    """The templates page and the purposes name each event type (`event_type.<source>.<type>`)
    and each message's category."""
    from services.notify import catalogue

    keys = set(CATALOGUES["zh-CN"])
    types = [
        f"{source}.{name}"
        for source, found in catalogue.catalogues().items()
        for name in found.specs
    ]
    assert [name for name in types if f"event_type.{name}" not in keys] == []
    files = (Path(catalogue.__file__).parent / "templates").glob("*.json")
    entries = [entry for path in files for entry in json.loads(path.read_text()).values()]
    categories = {
        entry["category"] for entry in entries if isinstance(entry, dict) and "category" in entry
    }
    assert sorted(name for name in categories if f"category.{name}" not in keys) == []


#: reads of the device's own calendar: its date is not the district's when its zone differs
DEVICE_CALENDAR = re.compile(r"getTimezoneOffset|getFullYear|getMonth\(|getDate\(|getHours\(")


def test_the_console_takes_dates_and_times_in_the_districts_zone():
    offenders = [
        f"{script.name}:{number}"
        for script in SCRIPTS
        for number, line in enumerate(script.read_text(encoding="utf-8").splitlines(), 1)
        if DEVICE_CALENDAR.search(line)
    ]
    assert offenders == []
    ui = (CONSOLE / "js" / "ui.js").read_text(encoding="utf-8")
    assert ui.count("timeZone: districtZone") >= 3  # shown times, today, wall times typed
