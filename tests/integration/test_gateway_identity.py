"""Identity that can be taken back, through a real gateway over HTTP (and notify, for the codes
it sends): refresh tokens that rotate, logout, password change and reset, back-off, the
bootstrap administrator's first password, and a gateway that will not start without its key."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest

from tests.support.api import ADMIN, PASSWORD, born_aged, citizen_id, unique
from tests.support.messaging import wait_for

NEW_PASSWORD = "a-better-password"


@pytest.fixture
def api(start_gateway):
    return start_gateway()


def problem(response, status, code):
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code and body["status"] == status
    return body


def refresh(api, token):
    return api.anonymous.post("/api/v1/auth/refresh", json={"refresh_token": token})


def sign_in(api, username, password):
    return api.anonymous.post(
        "/api/v1/auth/token", json={"username": username, "password": password}
    )


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_a_refresh_token_rotates_and_a_reused_one_ends_its_session(api):
    youth = api.youth()
    first = refresh(api, youth.refresh_token)
    assert first.status_code == 200, first.text
    renewed = first.json()
    assert renewed["refresh_token"] != youth.refresh_token and renewed["expires_in"] == 900
    me = api.anonymous.get("/api/v1/accounts/me", headers=bearer(renewed["access_token"]))
    assert me.json()["id"] == youth.id

    # the first token again: someone copied it, so the session ends for the thief and the owner
    stolen = refresh(api, youth.refresh_token)
    assert problem(stolen, 401, "refresh_token_invalid")["title"] == "登录已失效,请重新登录"
    problem(refresh(api, renewed["refresh_token"]), 401, "refresh_token_invalid")
    for token in (youth.token, renewed["access_token"]):
        ended = api.anonymous.get("/api/v1/accounts/me", headers=bearer(token))
        problem(ended, 401, "session_ended")
    problem(refresh(api, "not-a-token"), 401, "refresh_token_invalid")


def test_logout_ends_only_this_session(api):
    youth = api.youth()
    elsewhere = api.sign_in(youth.account["username"], PASSWORD)
    assert youth.post("/api/v1/auth/logout").status_code == 204
    problem(youth.in_english().get("/api/v1/accounts/me"), 401, "session_ended")
    problem(refresh(api, youth.refresh_token), 401, "refresh_token_invalid")
    assert elsewhere.get("/api/v1/accounts/me").status_code == 200
    assert refresh(api, elsewhere.refresh_token).status_code == 200


def test_a_password_change_needs_the_current_one_and_ends_every_other_session(api):
    youth = api.youth()
    phone = api.sign_in(youth.account["username"], PASSWORD)
    wrong = youth.in_english().post(
        "/api/v1/me/password",
        json={"current_password": "not-it-at-all", "new_password": NEW_PASSWORD},
    )
    refused = problem(wrong, 422, "validation_failed")
    assert refused["errors"] == [
        {
            "field": "current_password",
            "code": "wrong_password",
            "message": "The current password is wrong",
        }
    ]
    short = youth.post(
        "/api/v1/me/password", json={"current_password": PASSWORD, "new_password": "short"}
    )
    assert problem(short, 422, "validation_failed")["errors"][0]["field"] == "new_password"

    changed = youth.post(
        "/api/v1/me/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert changed.status_code == 200, changed.text
    for session in (youth, phone):
        problem(session.get("/api/v1/accounts/me"), 401, "session_ended")
        problem(refresh(api, session.refresh_token), 401, "refresh_token_invalid")
    fresh = api.anonymous.get("/api/v1/accounts/me", headers=bearer(changed.json()["access_token"]))
    assert fresh.json()["id"] == youth.id
    problem(sign_in(api, youth.account["username"], PASSWORD), 401, "invalid_credentials")
    assert sign_in(api, youth.account["username"], NEW_PASSWORD).status_code == 200


def test_the_bootstrap_administrator_must_change_its_password_before_anything_else(
    start_gateway,
):
    api = start_gateway(ADMIN_PASSWORD_CHANGE_REQUIRED="true")
    token = sign_in(api, *ADMIN).json()
    assert token["password_change_required"] is True
    admin = {"Authorization": f"Bearer {token['access_token']}", "Accept-Language": "en"}
    listed = api.anonymous.get("/api/v1/admin/accounts", headers=admin)
    assert problem(listed, 403, "password_change_required")["title"] == (
        "Change the initial password first"
    )
    changed = api.anonymous.post(
        "/api/v1/me/password",
        json={"current_password": ADMIN[1], "new_password": NEW_PASSWORD},
        headers=admin,
    )
    assert changed.status_code == 200 and changed.json()["password_change_required"] is False
    now = bearer(changed.json()["access_token"])
    assert api.anonymous.get("/api/v1/admin/accounts", headers=now).status_code == 200
    assert sign_in(api, ADMIN[0], NEW_PASSWORD).json()["password_change_required"] is False


def test_repeated_failures_lock_a_username_out_the_same_whether_it_exists_or_not(start_gateway):
    api = start_gateway(LOGIN_RATE_LIMIT_ACCOUNT="1000/minute")
    youth = api.youth()
    answers = {}
    for username in (youth.account["username"], "nobody_has_this_name"):
        statuses = [sign_in(api, username, "wrong-password").status_code for _ in range(11)]
        locked = sign_in(api, username, PASSWORD)
        answers[username] = (statuses, locked.status_code, locked.json()["code"])
        assert 29 <= int(locked.headers["Retry-After"]) <= 31
    assert list(answers.values()) == [([401] * 11, 429, "rate_limited")] * 2


def test_refused_registrations_from_one_address_back_off(start_gateway):
    api = start_gateway(REGISTRATION_BACKOFF_AFTER="1")
    body = {
        "username": unique("youth"),
        "password": PASSWORD,
        "role": "youth",
        "profile": {"name": "王青", "citizen_id": citizen_id(born_aged(23))},
    }
    assert api.anonymous.post("/api/v1/accounts", json=body).status_code == 201
    guesses = [{**body, "username": unique("youth")} for _ in range(3)]
    statuses = [api.anonymous.post("/api/v1/accounts", json=g).status_code for g in guesses]
    assert statuses == [409, 409, 429]


def test_without_jwt_secret_the_gateway_refuses_to_start_with_a_one_line_reason(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("JWT_SECRET",)} | {
        "DATA_DIR": str(tmp_path)
    }
    started = subprocess.run(
        [sys.executable, "-m", "youthcity", "run", "gateway"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode == 2
    (line,) = started.stderr.strip().splitlines()
    assert line.startswith("youthcity: gateway not started: JWT_SECRET is not set")


def reset_mails(stack) -> list:
    return [m for m in stack.smtp.received() if m["Subject"].startswith("验证码")]


def test_a_password_is_reset_with_a_code_sent_by_email_and_every_session_ends(notify_stack):
    stack = notify_stack(sms=False)
    youth = stack.api.youth()
    username = youth.account["username"]
    asked = stack.api.anonymous.post("/api/v1/auth/password-reset", json={"username": username})
    unknown = stack.api.anonymous.post(
        "/api/v1/auth/password-reset", json={"username": "nobody_has_this_name"}
    )
    assert (asked.status_code, asked.json()) == (unknown.status_code, unknown.json())
    assert asked.status_code == 202 and asked.json() == {"status": "accepted"}
    (mail,) = wait_for(lambda: reset_mails(stack), message="the reset code")
    assert mail["To"] == youth.account["email"]
    code = re.search(r"\b(\d{6})\b", mail.get_content()).group(1)

    def confirm(code, name=username):
        return stack.api.anonymous.post(
            "/api/v1/auth/password-reset/confirm",
            json={"username": name, "code": code, "new_password": NEW_PASSWORD},
        )

    wrong = f"{(int(code) + 1) % 10**6:06d}"
    refused = problem(confirm(wrong), 422, "validation_failed")
    assert refused["errors"][0]["code"] == "reset_code_invalid"
    assert (
        problem(confirm(code, "nobody_has_this_name"), 422, "validation_failed")["errors"]
        == (refused["errors"])
    )
    assert confirm(code).status_code == 204
    problem(confirm(code), 422, "validation_failed")  # used up
    problem(youth.get("/api/v1/accounts/me"), 401, "session_ended")
    assert sign_in(stack.api, username, NEW_PASSWORD).status_code == 200
    time.sleep(0.5)
    assert len(reset_mails(stack)) == 1  # nothing was sent for the unknown name


def test_five_wrong_codes_use_a_code_up_and_an_sms_carries_it_when_asked(notify_stack):
    stack = notify_stack(smtp=False)
    youth = stack.api.youth()
    username = youth.account["username"]
    stack.api.anonymous.post(
        "/api/v1/auth/password-reset", json={"username": username, "channel": "sms"}
    )
    (request,) = wait_for(lambda: stack.sms.requests, message="the SMS")
    assert request["PhoneNumbers"] == "13800138000" and stack.sms.problems == []
    code = re.search(r"(\d{6})", request["TemplateParam"]).group(1)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    body = {"username": username, "new_password": NEW_PASSWORD}
    for _ in range(5):
        answer = stack.api.anonymous.post(
            "/api/v1/auth/password-reset/confirm", json={**body, "code": wrong}
        )
        assert answer.status_code == 422
    late = stack.api.anonymous.post(
        "/api/v1/auth/password-reset/confirm", json={**body, "code": code}
    )
    problem(late, 422, "validation_failed")
    assert sign_in(stack.api, username, PASSWORD).status_code == 200
