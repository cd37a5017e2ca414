"""A second factor for staff on the platform `make run` starts, where it is not required
(STAFF_SECOND_FACTOR_REQUIRED is off for local runs): an officer who enrols an authenticator
app all the same needs its code at every sign-in, each code works once, young people sign in
as before, and an administrator's reset takes the factor back (gateway/second_factor.py)."""

from __future__ import annotations

from tests.support.api import PASSWORD
from tests.support.second_factor import enrol, sign_in_with_code


def sign_in(api, username):
    return api.anonymous.post(
        "/api/v1/auth/token", json={"username": username, "password": PASSWORD}
    )


def test_an_officer_who_enrols_needs_the_code_even_where_it_is_not_required(api):
    officer = api.staff("officer", unit="hrss")
    username = officer.account["username"]
    first = sign_in(api, username)
    assert first.status_code == 200 and first.json()["second_factor_enrolment_required"] is False
    assert officer.get("/api/v1/plan/items").status_code == 200
    state = officer.get("/api/v1/me/second-factor").json()
    assert (state["enrolled"], state["required"]) == (False, False)

    authenticator, confirmed = enrol(officer)
    assert len(confirmed["recovery_codes"]) == 8
    refused = sign_in(api, username)
    assert (refused.status_code, refused.json()["code"]) == (401, "second_factor_required")
    assert refused.headers["Content-Type"] == "application/problem+json"
    code = authenticator.code()
    assert sign_in_with_code(api, username, PASSWORD, code).status_code == 200
    replayed = sign_in_with_code(api, username, PASSWORD, code)
    assert (replayed.status_code, replayed.json()["code"]) == (401, "second_factor_invalid")

    youth = api.youth()
    assert sign_in(api, youth.account["username"]).status_code == 200

    admin = api.admin()
    assert admin.delete(f"/api/v1/accounts/{officer.id}/second-factor").status_code == 204
    trail = admin.get(
        "/api/v1/admin/audit", params={"service": "gateway", "subject_id": officer.id}
    ).json()["items"]
    actions = [(entry["action"], entry["actor_id"]) for entry in trail]
    assert ("account.second_factor_reset", admin.id) in actions
    assert ("account.second_factor_enrolled", officer.id) in actions
    again = sign_in(api, username)
    assert again.status_code == 200 and again.json()["second_factor_enrolment_required"] is False
