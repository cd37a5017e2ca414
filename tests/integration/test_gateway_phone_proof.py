"""Registration without an oracle or squatting, through a real gateway over HTTP and notify with
a local server playing the SMS provider: a phone proven by the code sent to it before an ID
number is bound, codes that are single-use, expire and die after wrong tries, and one answer
for an ID number bound elsewhere and a code that proves nothing (issue 21)."""

from __future__ import annotations

import random
import re

import pytest
import sqlalchemy as sa

from services.common.db import create_engine_for
from tests.support.api import PASSWORD, born_aged, citizen_id, unique
from tests.support.messaging import wait_for

PROOF = {"REGISTRATION_PHONE_PROOF_REQUIRED": "true"}


@pytest.fixture
def stack(notify_stack):
    return notify_stack(smtp=False, settings=PROOF)


def ask_code(stack, phone: str, **extra):
    return stack.api.anonymous.post(
        "/api/v1/accounts/phone-codes", json={"phone": phone, "channel": "sms", **extra}
    )


def code_sent(stack, phone: str, after: int = 0) -> str:
    """The code of the next SMS to `phone` (the provider receives it without the +86)."""

    def sent():
        return [r for r in stack.sms.requests[after:] if r["PhoneNumbers"] == phone]

    request = wait_for(sent, message="the SMS with the code")[-1]
    return re.search(r"(\d{6})", request["TemplateParam"]).group(1)


def registration(phone: str, code: str | None, number: str | None = None, **extra) -> dict:
    body = {
        "username": unique("youth"),
        "password": PASSWORD,
        "role": "youth",
        "phone": phone,
        "profile": {"name": "王青", "citizen_id": number or citizen_id(born_aged(23))},
        **extra,
    }
    if code is not None:
        body["phone_code"] = code
    return body


def register(stack, body, locale="en"):
    return stack.api.anonymous.post(
        "/api/v1/accounts", json=body, headers={"Accept-Language": locale}
    )


def a_phone() -> str:
    return f"139{random.randrange(10**8):08d}"


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def same_problem(response) -> dict:
    """The refusal as the caller sees it, less what differs on every request."""
    body = response.json()
    body.pop("request_id")
    language = response.headers.get("Content-Language")
    return {"status": response.status_code, "content-language": language, **body}


def test_a_young_person_registers_with_the_code_sent_to_their_phone(stack):
    phone = a_phone()
    asked = ask_code(stack, phone)
    assert asked.status_code == 202 and asked.json() == {"status": "accepted"}
    code = code_sent(stack, phone)
    without = register(stack, registration(phone, None))
    refused = without.json()
    assert without.status_code == 422 and refused["errors"][0]["field"] == "phone_code"
    assert refused["errors"][0]["message"] == "Enter the code sent to your phone"

    created = register(stack, registration(phone, code))
    assert created.status_code == 201, created.text
    assert created.json()["phone"] == f"+86{phone}" and created.json()["phone_proven"] is True
    # the number is nowhere in the gateway's table of codes, only its HMAC
    with_codes = rows(stack, "SELECT phone_hash, code_hash FROM phone_code")
    assert all(phone not in "".join(row) and code not in "".join(row) for row in with_codes)


def test_a_wrong_an_expired_and_a_used_code_are_refused(stack):
    phone = a_phone()
    ask_code(stack, phone)
    code = code_sent(stack, phone)
    assert register(stack, registration(phone, wrong(code))).status_code == 409
    assert register(stack, registration(phone, code)).status_code == 201  # a wrong try or two
    reused = register(stack, registration(phone, code))
    assert (reused.status_code, reused.json()["code"]) == (409, "identity_unavailable")

    seen = len(stack.sms.requests)
    ask_code(stack, phone)
    late = code_sent(stack, phone, after=seen)
    execute(stack, "UPDATE phone_code SET expires_at = created_at")
    expired = register(stack, registration(phone, late))
    assert (expired.status_code, expired.json()["code"]) == (409, "identity_unavailable")


def test_five_wrong_tries_use_a_code_up(stack):
    phone = a_phone()
    ask_code(stack, phone)
    code = code_sent(stack, phone)
    for _ in range(5):
        assert register(stack, registration(phone, wrong(code))).status_code == 409
    assert register(stack, registration(phone, code)).status_code == 409


def test_an_id_number_bound_elsewhere_gets_the_answer_of_a_code_that_proves_nothing(stack):
    phone = a_phone()
    ask_code(stack, phone)
    owner_code = code_sent(stack, phone)
    number = citizen_id(born_aged(24))
    assert register(stack, registration(phone, owner_code, number)).status_code == 201

    squatter = a_phone()
    answers = {}
    for locale in ("zh-CN", "en"):
        seen = len(stack.sms.requests)
        ask_code(stack, squatter)
        probe = code_sent(stack, squatter, after=seen)
        # the ID number bound elsewhere, with a code that does prove the phone
        bound = register(stack, registration(squatter, probe, number), locale)
        # the refused try used the code up: each probe of a number costs a code
        assert register(stack, registration(squatter, probe)).status_code == 409
        seen = len(stack.sms.requests)
        ask_code(stack, squatter)
        code = code_sent(stack, squatter, after=seen)
        # a free ID number, with a code that does not
        unproven = register(stack, registration(squatter, wrong(code)), locale)
        answers[locale] = same_problem(bound)
        assert same_problem(bound) == same_problem(unproven)
    assert answers["en"]["status"] == 409 and answers["en"]["code"] == "identity_unavailable"
    assert answers["en"]["title"].startswith("This citizen ID cannot be bound to a new account")
    assert answers["zh-CN"]["title"].startswith("该身份证号码无法绑定到新账号")
    # a wrong try costs a try, not the code
    assert register(stack, registration(squatter, code)).status_code == 201


def test_a_code_is_asked_with_the_same_answer_for_any_phone_and_limited_per_phone(
    notify_stack,
):
    stack = notify_stack(smtp=False, settings={**PROOF, "PHONE_CODE_RATE_LIMIT": "2/hour"})
    phone = a_phone()
    ask_code(stack, phone)
    register(stack, registration(phone, code_sent(stack, phone)))
    known, unknown = ask_code(stack, phone), ask_code(stack, f"136{phone[3:]}")
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
    limited = ask_code(stack, phone)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert ask_code(stack, f"135{phone[3:]}").status_code == 202  # another phone still may


def test_the_refusal_is_logged_and_counted_without_the_number(stack, caplog):
    from prometheus_client import REGISTRY

    def refusals():
        labels = {"reason": "identity_unavailable"}
        return REGISTRY.get_sample_value("youthcity_registration_refusals_total", labels) or 0

    phone, number = a_phone(), citizen_id(born_aged(25))
    before = refusals()
    ask_code(stack, phone)
    body = registration(phone, wrong(code_sent(stack, phone)), number)
    with caplog.at_level("INFO"):
        assert register(stack, body).status_code == 409
    assert refusals() == before + 1
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "registration refused" in logged
    assert number not in logged and phone not in logged


def rows(stack, sql: str) -> list:
    engine = create_engine_for(stack.api.container.config["YOUTHCITY"].database_url)
    try:
        with engine.connect() as conn:
            return [tuple(map(str, row)) for row in conn.execute(sa.text(sql)).all()]
    finally:
        engine.dispose()


def execute(stack, sql: str) -> None:
    engine = create_engine_for(stack.api.container.config["YOUTHCITY"].database_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(sql))
    finally:
        engine.dispose()
