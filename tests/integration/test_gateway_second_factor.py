"""A second factor (TOTP) for officers and administrators, through a real gateway over HTTP
where it is required (STAFF_SECOND_FACTOR_REQUIRED): staff enrol before anything else, sign in
with a code that works once, wrong codes meet the sign-in back-off, an administrator resets a
lost one, and young people never meet any of it (gateway/second_factor.py)."""

from __future__ import annotations

import re

import pytest

from tests.support.api import ADMIN, PASSWORD, Session
from tests.support.messaging import wait_for
from tests.support.second_factor import enrol, sign_in_with_code

NEW_PASSWORD = "a-better-password"


@pytest.fixture
def api(start_gateway):
    return start_gateway(STAFF_SECOND_FACTOR_REQUIRED="true")


def problem(response, status, code):
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code and body["status"] == status
    return body


def sign_in(api, username, password=PASSWORD):
    return api.anonymous.post(
        "/api/v1/auth/token", json={"username": username, "password": password}
    )


def session_of(api, answer) -> Session:
    assert answer.status_code == 200, answer.text
    session = Session(api.base, answer.json()["access_token"], locale="en")
    session.refresh_token = answer.json()["refresh_token"]
    return session


def enrolled_admin(api):
    """The bootstrap administrator, enrolled (it is staff too), kept as the Api's admin."""
    admin = session_of(api, sign_in(api, *ADMIN))
    authenticator, _ = enrol(admin)
    admin.account = admin.get("/api/v1/accounts/me").json()
    api._admin = admin
    return admin, authenticator


def audit_actions(admin, subject_id):
    trail = admin.get(
        "/api/v1/admin/audit", params={"service": "gateway", "subject_id": subject_id}
    )
    return [(e["action"], e["actor_id"]) for e in trail.json()["items"]]


def test_staff_must_enrol_before_anything_else_and_young_people_never_do(api):
    token = sign_in(api, *ADMIN)
    assert token.json()["second_factor_enrolment_required"] is True
    admin = session_of(api, token)
    refused = problem(admin.get("/api/v1/admin/accounts"), 403, "second_factor_enrolment_required")
    assert refused["title"] == (
        "Staff must set up an authenticator app (two-step sign-in) before anything else"
    )
    assert admin.get("/api/v1/accounts/me").status_code == 200
    state = admin.get("/api/v1/me/second-factor").json()
    assert state == {
        "enrolled": False,
        "enrolled_at": None,
        "required": True,
        "recovery_codes_left": 0,
    }

    youth = api.youth()
    assert youth.get("/api/v1/accounts/me").status_code == 200
    again = sign_in(api, youth.account["username"])
    assert again.json()["second_factor_enrolment_required"] is False
    problem(youth.post("/api/v1/me/second-factor"), 403, "role_not_allowed")

    started = admin.post("/api/v1/me/second-factor").json()
    assert started["otpauth_uri"].startswith("otpauth://totp/Youth%20City:admin?secret=")
    assert started["secret"] in started["otpauth_uri"]
    wrong = admin.post("/api/v1/me/second-factor/confirm", json={"code": "000000"})
    assert problem(wrong, 422, "validation_failed")["errors"][0]["code"] == (
        "second_factor_invalid"
    )
    before = admin.token
    _, confirmed = enrol(admin)  # a new secret replaces the pending one
    assert confirmed["second_factor_enrolment_required"] is False
    assert len(set(confirmed["recovery_codes"])) == 8
    # the sessions begun with the password alone end; the confirmation's goes on
    problem(
        admin.get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {before}"}),
        401,
        "session_ended",
    )
    assert admin.get("/api/v1/admin/accounts").status_code == 200
    assert admin.get("/api/v1/me/second-factor").json()["recovery_codes_left"] == 8
    admin_id = admin.get("/api/v1/accounts/me").json()["id"]
    assert ("account.second_factor_enrolled", admin_id) in audit_actions(admin, admin_id)


def test_an_enrolled_officer_signs_in_with_a_code_that_works_once(api):
    enrolled_admin(api)
    officer = api.staff("officer", unit="hrss")
    username = officer.account["username"]
    authenticator, confirmed = enrol(officer)

    without = problem(sign_in(api, username), 401, "second_factor_required")
    assert without["title"] == "请输入身份验证器应用中的 6 位动态验证码(或一个恢复码)"
    problem(sign_in_with_code(api, username, PASSWORD, "123456"), 401, "second_factor_invalid")
    problem(
        sign_in_with_code(api, username, "wrong-password", authenticator.code()),
        401,
        "invalid_credentials",
    )

    signed_in = sign_in_with_code(api, username, PASSWORD, authenticator.code())
    assert signed_in.json()["second_factor_enrolment_required"] is False
    session = session_of(api, signed_in)
    assert session.get("/api/v1/plan/items").status_code == 200
    assert session.get("/api/v1/accounts/me").json()["id"] == officer.account["id"]
    replayed = sign_in_with_code(api, username, PASSWORD, authenticator.used())
    problem(replayed, 401, "second_factor_invalid")

    # the session was proven: refreshing it needs no code
    refreshed = api.anonymous.post(
        "/api/v1/auth/refresh", json={"refresh_token": session.refresh_token}
    )
    assert refreshed.status_code == 200, refreshed.text

    recovery = confirmed["recovery_codes"][0]
    typed = recovery.upper().replace("-", " ")
    assert sign_in_with_code(api, username, PASSWORD, typed).status_code == 200
    problem(sign_in_with_code(api, username, PASSWORD, recovery), 401, "second_factor_invalid")
    assert session.get("/api/v1/me/second-factor").json()["recovery_codes_left"] == 7

    problem(session.post("/api/v1/me/second-factor"), 409, "second_factor_already_enrolled")


def test_wrong_codes_count_toward_the_sign_in_back_off(start_gateway):
    api = start_gateway(STAFF_SECOND_FACTOR_REQUIRED="true", LOGIN_RATE_LIMIT_ACCOUNT="1000/minute")
    enrolled_admin(api)
    officer = api.staff("officer", unit="hrss")
    username = officer.account["username"]
    authenticator, _ = enrol(officer)
    statuses = [
        sign_in_with_code(api, username, PASSWORD, f"{n:06d}").status_code for n in range(11)
    ]
    assert statuses == [401] * 11
    locked = sign_in_with_code(api, username, PASSWORD, authenticator.code())
    problem(locked, 429, "rate_limited")
    assert 29 <= int(locked.headers["Retry-After"]) <= 31


def test_an_administrator_resets_a_lost_second_factor_and_the_officer_enrols_again(api):
    admin, _ = enrolled_admin(api)
    officer = api.staff("officer", unit="hrss")
    username, officer_id = officer.account["username"], officer.account["id"]
    problem(officer.get("/api/v1/plan/items"), 403, "second_factor_enrolment_required")
    enrol(officer)
    problem(officer.delete(f"/api/v1/accounts/{admin.id}/second-factor"), 403, "role_not_allowed")
    problem(
        admin.delete(f"/api/v1/accounts/{admin.id}/second-factor"),
        403,
        "cannot_reset_own_second_factor",
    )

    assert admin.delete(f"/api/v1/accounts/{officer_id}/second-factor").status_code == 204
    problem(officer.get("/api/v1/accounts/me"), 401, "session_ended")
    problem(
        admin.delete(f"/api/v1/accounts/{officer_id}/second-factor"),
        404,
        "second_factor_not_enrolled",
    )
    problem(admin.delete("/api/v1/accounts/no-such-account/second-factor"), 404, "not_found")
    assert ("account.second_factor_reset", admin.id) in audit_actions(admin, officer_id)

    # the next sign-in needs no code, and opens only the enrolment again
    again = sign_in(api, username)
    assert again.json()["second_factor_enrolment_required"] is True
    fresh = session_of(api, again)
    problem(fresh.get("/api/v1/plan/items"), 403, "second_factor_enrolment_required")
    enrol(fresh)
    problem(sign_in(api, username), 401, "second_factor_required")


def test_a_password_reset_keeps_the_second_factor(notify_stack):
    stack = notify_stack(sms=False)
    api = stack.api
    officer = api.staff("officer", unit="hrss", email="officer-li@example.org")
    username = officer.account["username"]
    authenticator, _ = enrol(officer)
    api.anonymous.post("/api/v1/auth/password-reset", json={"username": username})
    (mail,) = wait_for(
        lambda: [m for m in stack.smtp.received() if m["Subject"].startswith("验证码")],
        message="the reset code",
    )
    code = re.search(r"\b(\d{6})\b", mail.get_content()).group(1)
    reset = api.anonymous.post(
        "/api/v1/auth/password-reset/confirm",
        json={"username": username, "code": code, "new_password": NEW_PASSWORD},
    )
    assert reset.status_code == 204, reset.text
    problem(sign_in(api, username, NEW_PASSWORD), 401, "second_factor_required")
    signed_in = sign_in_with_code(api, username, NEW_PASSWORD, authenticator.code())
    assert signed_in.status_code == 200, signed_in.text


def test_the_first_administrator_changes_its_password_then_enrols(start_gateway):
    api = start_gateway(STAFF_SECOND_FACTOR_REQUIRED="true", ADMIN_PASSWORD_CHANGE_REQUIRED="true")
    token = sign_in(api, *ADMIN).json()
    assert (token["password_change_required"], token["second_factor_enrolment_required"]) == (
        True,
        True,
    )
    admin = Session(api.base, token["access_token"], locale="en")
    assert admin.get("/api/v1/accounts/me").json()["role"] == "admin"
    problem(admin.post("/api/v1/me/second-factor"), 403, "password_change_required")
    changed = admin.post(
        "/api/v1/me/password", json={"current_password": ADMIN[1], "new_password": NEW_PASSWORD}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["second_factor_enrolment_required"] is True
    admin.token = changed.json()["access_token"]
    problem(admin.get("/api/v1/admin/accounts"), 403, "second_factor_enrolment_required")
    authenticator, _ = enrol(admin)
    assert admin.get("/api/v1/admin/accounts").status_code == 200
    signed_in = sign_in_with_code(api, ADMIN[0], NEW_PASSWORD, authenticator.code())
    assert signed_in.json()["password_change_required"] is False
    assert signed_in.json()["second_factor_enrolment_required"] is False
