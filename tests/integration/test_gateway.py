"""The API's conventions, proven against a real gateway: accounts, tokens, roles, problems in
both languages, limits, request ids, ETags, CORS, masking, and the OpenAPI document."""

import json
import time

import jwt
import pytest
import requests
from openapi_spec_validator import validate

from tests.support.api import PASSWORD, born_aged, citizen_id, unique
from tests.support.messaging import Subscriber


@pytest.fixture
def api(start_gateway):
    return start_gateway()


def youth_body(**overrides):
    username = unique("youth")
    body = {
        "username": username,
        "password": PASSWORD,
        "role": "youth",
        "phone": "13912345678",
        "profile": {"name": "王青", "citizen_id": citizen_id(born_aged(23))},
    }
    profile = overrides.pop("profile", {})
    body.update(overrides)
    body["profile"].update(profile)
    return body


def problem(response, status, code):
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code and body["status"] == status
    return body


def test_a_young_person_registers_signs_in_and_sees_their_whole_profile(api):
    body = youth_body()
    created = api.anonymous.post("/api/v1/accounts", json=body)
    assert created.status_code == 201
    assert created.headers["Location"] == f"/api/v1/accounts/{created.json()['id']}"
    me = api.sign_in(body["username"], PASSWORD).get("/api/v1/accounts/me").json()
    assert me["role"] == "youth"
    assert me["profile"]["citizen_id"] == body["profile"]["citizen_id"]
    assert me["phone"] == "+8613912345678"
    assert me["profile"]["age"] == 23
    assert "password" not in created.text and "password_hash" not in created.text


@pytest.mark.parametrize(
    ("change", "field", "code", "zh", "en"),
    [
        (
            {"profile": {"citizen_id": "110105194912310021"}},
            "profile.citizen_id",
            "citizen_id.checksum",
            "身份证号码校验码不正确",
            "The citizen ID's check character is wrong",
        ),
        (
            {"profile": {"citizen_id": "110105194902310020"}},
            "profile.citizen_id",
            "citizen_id.checksum",
            "身份证号码校验码不正确",
            "The citizen ID's check character is wrong",
        ),
        (
            {"phone": "12800138000"},
            "phone",
            "mobile.format",
            "手机号码应为11位,以13–19开头",
            "A mobile number has 11 digits starting with 13 to 19",
        ),
        (
            {"password": "short"},
            "password",
            "length_between",
            "长度应在8到128之间",
            "Length must be between 8 and 128",
        ),
        (
            {"role": "admin"},
            "role",
            "one_of",
            "取值应为以下之一:youth, employer",
            "Must be one of: youth, employer",
        ),
    ],
)
def test_invalid_registrations_are_refused_field_by_field_in_both_languages_and_change_nothing(
    api, change, field, code, zh, en
):
    body = youth_body(**change)
    for locale, text in (("zh-CN", zh), ("en", en)):
        answer = api.anonymous.post(
            "/api/v1/accounts", json=body, headers={"Accept-Language": locale}
        )
        refused = problem(answer, 422, "validation_failed")
        assert refused["errors"] == [{"field": field, "code": code, "message": text}]
        assert answer.headers["Content-Language"] == locale
    assert (
        api.anonymous.post(
            "/api/v1/auth/token", json={"username": body["username"], "password": PASSWORD}
        ).status_code
        == 401
    )


def test_an_impossible_birth_date_is_refused_even_with_a_right_check_character(api):
    from stdnum.cn import ric

    first17 = "11010519490231002"
    body = youth_body(profile={"citizen_id": first17 + ric.calc_check_digit(first17 + "0")})
    refused = problem(api.anonymous.post("/api/v1/accounts", json=body), 422, "validation_failed")
    assert refused["errors"][0]["code"] == "citizen_id.birth_date"
    assert refused["errors"][0]["message"] == "身份证号码中的出生日期不存在"


def test_usernames_and_citizen_ids_are_unique(api):
    body = youth_body()
    assert api.anonymous.post("/api/v1/accounts", json=body).status_code == 201
    problem(api.anonymous.post("/api/v1/accounts", json=body), 409, "username_taken")
    again = youth_body(profile={"citizen_id": body["profile"]["citizen_id"]})
    refused = problem(
        api.anonymous.post("/api/v1/accounts", json=again, headers={"Accept-Language": "en"}),
        409,
        "identity_unavailable",
    )
    # the same answer as any ID number that cannot be bound: it is not built to say who exists
    assert refused["title"].startswith("This citizen ID cannot be bound to a new account")


def test_a_malformed_body_is_a_400_problem(api):
    answer = api.anonymous.post(
        "/api/v1/accounts", data=b"{not json", headers={"Content-Type": "application/json"}
    )
    problem(answer, 400, "malformed_json")


@pytest.mark.parametrize("escaped", [r"XX\u0000中学", r"\udb5a"], ids=["NUL", "lone surrogate"])
def test_text_no_database_column_can_hold_is_a_422_naming_the_field(api, escaped):
    # found by the API fuzz: PostgreSQL refuses NUL in text, and neither database takes an
    # unpaired surrogate, so each was a 500 from the service that tried to store it
    body = youth_body(profile={"school": "PLACEHOLDER"})
    text = json.dumps(body).replace('"PLACEHOLDER"', f'"{escaped}"')
    answer = api.anonymous.post(
        "/api/v1/accounts", data=text.encode(), headers={"Content-Type": "application/json"}
    )
    refused = problem(answer, 422, "validation_failed")
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [
        ("profile.school", "invalid_characters")
    ]
    listed = api.admin().get("/api/v1/admin/accounts", params={"role": "you\x00th"})
    refused = problem(listed, 422, "validation_failed")
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("role", "invalid_characters")]


def test_a_number_with_a_fraction_for_an_integer_is_refused_not_truncated(api):
    # found by the API fuzz: marshmallow's Integer truncates 1.5 to 1 and accepted it
    body = youth_body(profile={"local_social_insurance_months": 12.5})
    refused = problem(api.anonymous.post("/api/v1/accounts", json=body), 422, "validation_failed")
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [
        ("profile.local_social_insurance_months", "not_integer")
    ]
    whole = youth_body(profile={"local_social_insurance_months": 12.0})
    created = api.anonymous.post("/api/v1/accounts", json=whole)
    assert created.status_code == 201, created.text
    assert created.json()["profile"]["local_social_insurance_months"] == 12


def test_wrong_password_and_unknown_user_get_the_same_answer(api):
    body = youth_body()
    api.anonymous.post("/api/v1/accounts", json=body)
    wrong = problem(
        api.anonymous.post(
            "/api/v1/auth/token", json={"username": body["username"], "password": "nope-nope"}
        ),
        401,
        "invalid_credentials",
    )
    unknown = api.anonymous.post(
        "/api/v1/auth/token",
        json={"username": "nobody_here", "password": "nope-nope"},
        headers={"Accept-Language": "en"},
    )
    assert problem(unknown, 401, "invalid_credentials")["title"] == "Wrong username or password"
    assert wrong["title"] == "用户名或密码错误"


def test_a_token_gives_its_type_and_lifetime(api):
    body = youth_body()
    api.anonymous.post("/api/v1/accounts", json=body)
    token = api.anonymous.post(
        "/api/v1/auth/token", json={"username": body["username"], "password": PASSWORD}
    ).json()
    assert token["token_type"] == "Bearer" and token["expires_in"] == 900 and token["access_token"]
    assert token["refresh_token"] and token["refresh_expires_in"] == 14 * 86400
    assert token["password_change_required"] is False


def test_no_token_tampered_token_and_expired_token_are_401(start_gateway):
    # long enough for the sign-up's own calls on a loaded machine, short enough to wait out
    api = start_gateway(JWT_SECRET="a-secret-for-this-test-of-forty-bytes!!", TOKEN_LIFETIME="3")
    problem(api.anonymous.get("/api/v1/accounts/me"), 401, "unauthenticated")
    session = api.youth()
    header, payload, signature = session.token.split(".")
    tampered = f"{header}.{payload}.{signature[:-4]}AAAA"
    answer = api.anonymous.get(
        "/api/v1/accounts/me", headers={"Authorization": f"Bearer {tampered}"}
    )
    assert problem(answer, 401, "token_invalid")["title"] == "登录凭证无效,请重新登录"
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    forged = jwt.encode(
        {
            "sub": session.id,
            "role": "admin",
            "iat": int(time.time()),
            "exp": int(time.time()) + 60,
            "aud": "youthcity-api",
        },
        "another-secret-that-is-long-enough-to-sign-with",
        algorithm="HS256",
    )
    problem(
        api.anonymous.get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {forged}"}),
        401,
        "token_invalid",
    )
    time.sleep(3.1)
    expired = session.in_english().get("/api/v1/accounts/me")
    assert (
        problem(expired, 401, "token_expired")["title"]
        == "The access token has expired; sign in again"
    )


def test_a_missing_role_is_403_in_both_languages(api):
    youth = api.youth()
    refused = problem(youth.get("/api/v1/admin/accounts"), 403, "role_not_allowed")
    assert refused["title"] == "您的角色无权执行此操作(允许:admin)"
    english = problem(youth.in_english().get("/api/v1/admin/accounts"), 403, "role_not_allowed")
    assert english["title"] == "Your role may not do this (allowed: admin)"


def test_a_disabled_account_loses_access_at_once_and_cannot_sign_in(api):
    youth = api.youth()
    admin = api.admin()
    assert youth.get("/api/v1/accounts/me").status_code == 200
    changed = admin.patch(f"/api/v1/admin/accounts/{youth.id}", json={"status": "disabled"})
    assert changed.status_code == 200 and changed.json()["status"] == "disabled"
    problem(youth.get("/api/v1/accounts/me"), 401, "account_disabled")
    signing_in = api.anonymous.post(
        "/api/v1/auth/token", json={"username": youth.account["username"], "password": PASSWORD}
    )
    problem(signing_in, 401, "account_disabled")
    assert (
        admin.patch(f"/api/v1/admin/accounts/{youth.id}", json={"status": "active"}).status_code
        == 200
    )
    # re-enabling does not revive the tokens it had: the person signs in again
    problem(youth.get("/api/v1/accounts/me"), 401, "session_ended")
    assert api.sign_in(youth.account["username"], PASSWORD).get("/api/v1/accounts/me").ok


def test_an_admin_cannot_disable_itself_and_officers_need_a_unit(api):
    admin = api.admin()
    problem(
        admin.patch(f"/api/v1/admin/accounts/{admin.id}", json={"status": "disabled"}),
        409,
        "cannot_disable_self",
    )
    officer = {"username": unique("officer"), "password": PASSWORD, "role": "officer"}
    refused = problem(admin.post("/api/v1/admin/accounts", json=officer), 422, "validation_failed")
    assert refused["errors"][0] == {
        "field": "unit",
        "code": "unit_required",
        "message": "工作人员账号须指定责任单位",
    }


def early_in_a_minute(needed: float = 10) -> None:
    """Wait, if need be, for a minute with `needed` seconds left: the limiter counts in windows
    aligned to the minute and weighs the previous window's hits into the current one, so
    attempts that straddle two windows would be counted as fewer than they are."""
    left = 60 - time.time() % 60
    if left < needed:
        time.sleep(left + 0.05)


def test_sign_in_attempts_are_rate_limited_per_username(api):
    body = youth_body()
    api.anonymous.post("/api/v1/accounts", json=body)
    early_in_a_minute()
    attempt = {"username": body["username"], "password": "wrong-password"}
    statuses = [
        api.anonymous.post("/api/v1/auth/token", json=attempt).status_code for _ in range(10)
    ]
    assert statuses == [401] * 10
    limited = api.anonymous.post("/api/v1/auth/token", json={**attempt, "password": PASSWORD})
    problem(limited, 429, "rate_limited")
    assert int(limited.headers["Retry-After"]) >= 1


def test_requests_are_rate_limited_per_account(start_gateway):
    api = start_gateway(RATE_LIMIT_ACCOUNT="5/minute")
    early_in_a_minute()
    youth = api.youth()
    statuses = [youth.get("/api/v1/accounts/me").status_code for _ in range(6)]
    assert statuses.count(200) == 4 and statuses[-1] == 429  # sign-in fetched /me once already


def test_request_ids_are_kept_or_made_and_returned(api):
    kept = api.anonymous.get("/api/v1/units", headers={"X-Request-ID": "trace-123"})
    assert kept.headers["X-Request-ID"] == "trace-123"
    made = api.anonymous.get("/api/v1/units", headers={"X-Request-ID": "not a sane id; drop table"})
    assert (
        made.headers["X-Request-ID"] != "not a sane id; drop table"
        and len(made.headers["X-Request-ID"]) == 32
    )
    problem_answer = api.anonymous.get("/api/v1/nothing", headers={"X-Request-ID": "trace-404"})
    assert problem(problem_answer, 404, "route_not_found")["request_id"] == "trace-404"


def test_gets_carry_an_etag_and_honour_if_none_match(api):
    youth = api.youth()
    first = youth.get("/api/v1/accounts/me")
    etag = first.headers["ETag"]
    assert youth.get("/api/v1/accounts/me", headers={"If-None-Match": etag}).status_code == 304
    youth.patch("/api/v1/accounts/me/profile", json={"school": "XX大学"})
    assert youth.get("/api/v1/accounts/me", headers={"If-None-Match": etag}).status_code == 200


def test_cors_preflight_and_headers_follow_the_configured_origins(start_gateway):
    api = start_gateway(CORS_ORIGINS="https://portal.example.gov.cn")
    preflight = requests.options(
        api.base + "/api/v1/accounts",
        headers={
            "Origin": "https://portal.example.gov.cn",
            "Access-Control-Request-Method": "POST",
        },
        timeout=5,
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://portal.example.gov.cn"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    other = requests.get(
        api.base + "/api/v1/units", headers={"Origin": "https://evil.example"}, timeout=5
    )
    assert "Access-Control-Allow-Origin" not in other.headers


def test_staff_see_id_numbers_and_phones_only_when_their_unit_needs_them(api):
    youth = api.youth()
    number = youth.account["profile"]["citizen_id"]
    hr_officer = api.staff("officer", unit="hrss")
    league_officer = api.staff("officer", unit="youth_league")
    purpose = {"reason": "核对一次性扩岗补助申请", "reference": "claim-1"}
    full = hr_officer.post(f"/api/v1/people/{youth.id}/reveal", json=purpose).json()
    masked = league_officer.get(f"/api/v1/people/{youth.id}").json()
    assert full["profile"]["citizen_id"] == number and full["phone"] == "+8613800138000"
    assert masked["profile"]["citizen_id"] == number[:6] + "********" + number[-4:]
    assert masked["phone"] == "138****8000"
    problem(youth.get(f"/api/v1/people/{hr_officer.id}"), 403, "role_not_allowed")


def test_revealing_a_persons_contacts_needs_a_purpose_a_unit_that_needs_them_and_is_recorded(api):
    youth = api.youth()
    email = youth.account["email"]
    hr_officer = api.staff("officer", unit="hrss")
    league_officer = api.staff("officer", unit="youth_league")
    everyday = hr_officer.get(f"/api/v1/people/{youth.id}").json()
    assert everyday["email"] != email and everyday["email"].endswith(email.split("@")[1])
    assert "*" in everyday["phone"] and "*" in everyday["profile"]["citizen_id"]
    problem(
        league_officer.post(
            f"/api/v1/people/{youth.id}/reveal", json={"reason": "想核实一下他的身份"}
        ),
        403,
        "not_a_personal_data_unit",
    )
    no_reason = hr_officer.in_english().post(f"/api/v1/people/{youth.id}/reveal", json={})
    assert problem(no_reason, 422, "validation_failed")["errors"][0]["field"] == "reason"

    purpose = {"reason": "核对见习补贴申请的身份信息", "reference": "claim-7"}
    revealed = hr_officer.post(f"/api/v1/people/{youth.id}/reveal", json=purpose).json()
    assert revealed["email"] == email and "*" not in revealed["phone"]
    trail = api.admin().get(
        "/api/v1/admin/audit", params={"service": "gateway", "subject_id": youth.id}
    )
    assert [e["action"] for e in trail.json()["items"]] == ["person.revealed"]


def test_lists_are_keyset_paginated_with_a_next_link(api):
    for _ in range(3):
        api.youth()
    admin = api.admin()
    first = admin.get("/api/v1/admin/accounts", params={"role": "youth", "limit": 2}).json()
    assert len(first["items"]) == 2 and first["next"]
    second = admin.get(first["next"]).json()
    assert {a["id"] for a in first["items"]}.isdisjoint({a["id"] for a in second["items"]})
    problem(
        admin.get("/api/v1/admin/accounts", params={"after": "garbage!"}), 422, "validation_failed"
    )


def test_registration_publishes_an_event_with_ids_only(api, amqp_uri):
    subscriber = Subscriber(amqp_uri, "gateway.events", unique("gateway-tap"))
    youth = api.youth()
    messages = [m for _, m in subscriber.drain(until_count=1, timeout=10)]
    body = messages[-1].body
    body = body.decode() if isinstance(body, bytes) else body
    assert youth.id in body and "account.registered" in body
    assert youth.account["profile"]["citizen_id"] not in body and "13800138000" not in body
    assert youth.account["profile"]["name"] not in body
    subscriber.close()


def test_the_openapi_document_is_valid_and_names_every_served_route(api):
    from gateway.http import GatewayWebServer
    from gateway.openapi import openapi_path

    document = api.anonymous.get("/api/v1/openapi.json").json()
    validate(document)
    documented = {
        (path, method.upper())
        for path, operations in document["paths"].items()
        for method in operations
    }
    server = next(ext for ext in api.container.subextensions if isinstance(ext, GatewayWebServer))
    served = {
        (openapi_path(rule.rule), method)
        for rule in server.make_url_map().iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert served - documented == set()
    me = document["paths"]["/api/v1/accounts/me"]["get"]
    assert me["x-roles"] == ["youth", "employer", "officer", "admin", "partner"]
    assert me["security"] == [{"bearer": []}]
    assert (
        "401" in me["responses"] and "application/problem+json" in me["responses"]["401"]["content"]
    )
    assert api.anonymous.get("/api/docs").headers["Content-Type"].startswith("text/html")
    assert api.anonymous.get("/api/docs/swagger-ui-bundle.js").status_code == 200


def test_the_console_is_served_from_the_root_with_its_types_and_revalidation(api):
    page = api.anonymous.get("/")
    assert page.status_code == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert page.headers["Cache-Control"] == "no-cache" and page.headers["ETag"]
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert '<script type="module" src="/console/js/app.js">' in page.text
    again = api.anonymous.get("/", headers={"If-None-Match": page.headers["ETag"]})
    assert again.status_code == 304
    for path, content_type in (
        ("/console/js/app.js", "text/javascript; charset=utf-8"),
        ("/console/app.css", "text/css; charset=utf-8"),
        ("/console/i18n/en.json", "application/json; charset=utf-8"),
    ):
        answer = api.anonymous.get(path)
        assert (answer.status_code, answer.headers["Content-Type"]) == (200, content_type), path
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
    problem(api.anonymous.get("/console/js/missing.js"), 404, "not_found")
    problem(api.anonymous.get("/console/%2e%2e/routes/console.py"), 404, "not_found")


def test_staff_decisions_are_in_the_audit_trail_and_it_cannot_be_edited(api):
    admin = api.admin()
    youth = api.youth()
    admin.patch(f"/api/v1/admin/accounts/{youth.id}", json={"status": "disabled"})
    trail = admin.get(
        "/api/v1/admin/audit", params={"service": "gateway", "subject_id": youth.id}
    ).json()
    entry = trail["items"][0]
    assert (entry["action"], entry["subject_type"], entry["actor_id"]) == (
        "account.disabled",
        "account",
        admin.id,
    )
    assert entry["at"] and entry["request_id"]
    problem(
        youth.get("/api/v1/admin/audit", params={"service": "gateway"}), 401, "account_disabled"
    )
    audit_url = "/api/v1/admin/audit"
    assert (
        admin.delete(audit_url).status_code == 405
        and admin.patch(audit_url, json={}).status_code == 405
    )


def test_the_openapi_document_builds_without_two_schemas_sharing_a_name():
    import warnings

    from gateway.openapi import build_document
    from gateway.service import GatewayService

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        document = build_document(GatewayService.routes())
    validate(document)


def test_amounts_answered_as_strings_are_documented_as_strings():
    # found by the API fuzz: Decimal(as_string=True) answers "600.00", apispec said "number"
    from gateway.openapi import build_document
    from gateway.service import GatewayService

    schemas = build_document(GatewayService.routes())["components"]["schemas"]
    assert schemas["HousingUnitView"]["properties"]["rent_cny"] == {
        "type": "string",
        "format": "decimal",
    }
    assert schemas["JobsSubsidyClaimView"]["properties"]["amount_cny"]["type"] == "string"


def test_a_body_past_a_mebibyte_is_413_and_a_deeply_nested_one_400_and_neither_registers(api):
    body = youth_body()
    huge = {**body, "display_name": "x" * (1024 * 1024)}
    too_large = api.anonymous.in_english().post("/api/v1/accounts", json=huge)
    assert problem(too_large, 413, "body_too_large")["title"].endswith("(at most 1048576 bytes)")
    deep = '{"username": "deep", "profile": ' + '{"n": ' * 5000 + "{}" + "}" * 5001
    nested = api.anonymous.post(
        "/api/v1/accounts", data=deep, headers={"Content-Type": "application/json"}
    )  # deeper than json.loads can recurse through
    problem(nested, 400, "body_too_deep")
    just_past: list = []
    for _ in range(32):
        just_past = [just_past]
    problem(
        api.anonymous.post("/api/v1/accounts", json={**body, "x": just_past}), 400, "body_too_deep"
    )
    signing_in = api.anonymous.post(
        "/api/v1/auth/token", json={"username": body["username"], "password": PASSWORD}
    )
    assert signing_in.status_code == 401


def test_answers_carry_the_security_headers_a_browser_needs(api):
    youth = api.youth()
    mine = youth.get("/api/v1/accounts/me")
    assert mine.headers["X-Content-Type-Options"] == "nosniff"
    assert mine.headers["Cache-Control"] == "private, no-store"
    public = api.anonymous.get("/api/v1/units")
    assert public.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" not in public.headers.get("Cache-Control", "")
    docs = api.anonymous.get("/api/docs")
    policy = docs.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'self' 'sha256-" in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";")[0]


def test_the_client_address_is_the_one_the_trusted_proxy_appended(start_gateway):
    """Behind one proxy, the address a client writes into X-Forwarded-For is not theirs: the
    limit per address counts the one the proxy appended, so changing the written one evades
    nothing."""
    api = start_gateway(TRUSTED_PROXY_HOPS="1", RATE_LIMIT_ADDRESS="3/minute")
    early_in_a_minute()
    statuses = [
        api.anonymous.get(
            "/api/v1/units", headers={"X-Forwarded-For": f"198.51.100.{n}, 203.0.113.7"}
        ).status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    elsewhere = api.anonymous.get("/api/v1/units", headers={"X-Forwarded-For": "203.0.113.8"})
    assert elsewhere.status_code == 200


def test_with_the_shared_limit_storage_unreachable_requests_are_still_answered(start_gateway):
    from prometheus_client import REGISTRY

    def failures() -> float:
        return REGISTRY.get_sample_value("youthcity_rate_limit_storage_failures_total") or 0

    before = failures()
    api = start_gateway(REDIS_URL="redis://127.0.0.1:1/0")  # nothing listens on port 1
    answers = [api.anonymous.get("/api/v1/units").status_code for _ in range(3)]
    assert answers == [200, 200, 200]
    assert failures() - before >= 3  # each hit counted in memory, and said so


def test_a_crowd_beyond_the_gateways_workers_is_told_429_with_retry_after_never_left_waiting(
    start_gateway,
):
    """One worker, a wait of at most 50 ms for it and two waiting at most: of twelve sign-ins
    at once (each an argon2 check), the ones it has no room for are answered at once 429
    `gateway_busy` with `Retry-After`, in both languages; none waits past its bound or fails."""
    import eventlet

    from tests.support.api import ADMIN

    api = start_gateway(
        MAX_WORKERS="1",
        GATEWAY_QUEUE_SECONDS="0.05",
        GATEWAY_QUEUE_LIMIT="2",
        LOGIN_RATE_LIMIT_ACCOUNT="100000/minute",
    )
    sign_in = {"username": ADMIN[0], "password": ADMIN[1]}

    def attempt(language):
        started = time.monotonic()
        answer = api.anonymous.post(
            "/api/v1/auth/token", json=sign_in, headers={"Accept-Language": language}
        )
        return answer, time.monotonic() - started

    pool = eventlet.GreenPool(12)
    answers = list(pool.imap(attempt, ["zh-CN", "en"] * 6))

    statuses = [answer.status_code for answer, _ in answers]
    assert set(statuses) == {200, 429}, statuses
    for answer, seconds in answers:
        if answer.status_code == 429:
            body = problem(answer, 429, "gateway_busy")
            assert int(answer.headers["Retry-After"]) >= 1
            assert body["title"] in (
                "当前访问人数过多,请按提示的时间稍后再试",
                "Too many people are asking at once; please try again after the time given",
            )
            assert seconds < 2
    assert api.anonymous.post("/api/v1/auth/token", json=sign_in).status_code == 200
