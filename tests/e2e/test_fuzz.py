"""Schemathesis against a running platform: every operation of the OpenAPI document it serves
(GET /api/v1/openapi.json), called with generated requests (valid and invalid) as each role the
operation allows, and as an anonymous caller of the public ones. Each answer must be no 5xx, a
status code the document lists for the operation, the content type it names, and a body its
schema accepts; an invalid request must be refused.

The platform is the session's, and the fuzz runs after every other test of the session
(`tests/conftest.py` orders it last): what the generated requests create (units, posts,
activities, accounts) would otherwise change what the other tests find, e.g. an allocation round
offering a fuzzed flat to another test's applicant.

Run time is bounded and the run reproducible: Hypothesis is derandomized (the same cases every
run) with `MAX_EXAMPLES` cases per operation and role, and no example database.

Path ids are generated, and, for resources the fuzzing accounts own or made (an application,
registrations, a booking, a loan, a message, a post, the employer, a housing application, a
story, a fair, a plan item, a webhook, the activity and the station room), also taken from those
resources, so the cases get past the 404 into the handlers.

Exclusions: none; every operation is fuzzed, the destructive ones included. What they can
destroy is the fuzzing accounts' own resources (a cancelled booking, a withdrawn loan), after
which the cases on them are 409s the document lists; no account id, erasure id or template is
seeded, so no case disables an account, confirms an erasure or rewrites a message template. One
guard instead of an exclusion: a webhook URL that would be accepted is replaced by a closed port
on 127.0.0.1 (`_keep_on_loopback`), as notify POSTs events to it and a generated host may be
anywhere.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError, validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from services.startup.domain import STEPS
from tests.support import housing, startup
from tests.support.access import (
    OFFICER_UNIT,
    ROLES,
    Scenery,
    caller_for,
    documented_operations,
    role_sessions,
    same_operations,
)
from tests.support.api import Api
from tests.support.dates import days_ago, days_ahead, district_time

pytestmark = pytest.mark.fuzz

MAX_EXAMPLES = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# the webhook schema's own rule (services.notify.contract.WebhookInput.url)
ACCEPTED_URL = validate.URL(relative=False, schemes={"http", "https"}, require_tld=False)
# the discard port, closed here: a delivery fails at once, and never leaves the machine
LOOPBACK_URL = "http://127.0.0.1:9/fuzz"
CASES = {"run": 0}
STATUSES: dict[int, int] = {}


def _fuzzed_pairs() -> list:
    """(method, path, role): the roles an operation allows, and anonymous for a public one."""
    pairs = []
    for method, path, operation in documented_operations():
        allowed = operation["x-roles"]
        roles = ["anonymous", *ROLES] if allowed == ["public"] else allowed
        pairs.extend(pytest.param(method, path, role) for role in roles)
    return pairs


@pytest.fixture(scope="module")
def api(platform):
    return Api(platform.url)


@pytest.fixture(scope="module")
def schema(platform):
    loaded = schemathesis.openapi.from_url(platform.api("/api/v1/openapi.json"))
    assert same_operations(loaded.raw_schema), "the gateway serves another document"
    return loaded


@pytest.fixture(scope="module")
def scenery(api):
    return Scenery.build(api)


@pytest.fixture(scope="module")
def sessions(api, scenery):
    return role_sessions(api, scenery)


@pytest.fixture(scope="module")
def seeds(scenery, sessions) -> dict[tuple[str, str], str]:
    """Real ids for path parameters, by (the path's first segment, the parameter): without
    them nearly every case with an id in its path would stop at a 404."""
    youth, officer, partner = sessions["youth"], sessions["officer"], sessions["partner"]
    mine = scenery.resources(youth, employer=sessions["employer"])
    business = created(youth.post("/api/v1/startup/registrations", json=startup.business()))
    rental = created(
        youth.post("/api/v1/housing/applications", json=housing.declared("public_rental"))
    )
    story = created(
        youth.post("/api/v1/stories", json={"title": "我的青春", "body": "返乡种茶的第三年," * 3})
    )
    fair = created(
        officer.post(
            "/api/v1/fairs",
            json={
                "title": "春风行动专场招聘会",
                "mode": "on_site",
                "venue": "人才市场",
                "starts_at": district_time(days=30, hour=9).isoformat(),
                "ends_at": district_time(days=30, hour=16).isoformat(),
                "booth_capacity": 20,
            },
        )
    )
    item = created(
        officer.post(
            "/api/v1/plan/items",
            json={
                "kind": "task",
                "title": "青年就业见习岗位",
                "unit": OFFICER_UNIT,
                "owner": "就业科",
                "due_date": days_ahead(200),
            },
        )
    )
    meeting = created(
        sessions["admin"].post(
            "/api/v1/plan/meetings",
            json={
                "held_on": days_ago(1),
                "title": "青年工作联席会议",
                "units": [OFFICER_UNIT],
                "action_items": [
                    {"title": "见习岗位扩容", "unit": OFFICER_UNIT, "due_date": days_ahead(60)}
                ],
            },
        )
    )
    # a survey open now, of a period no other test uses: the youth's cases can answer it
    survey = created(
        sessions["admin"].post(
            "/api/v1/plan/surveys",
            json={
                "period": "2099-Q4",
                "title": "青年感受调查",
                "opens_on": days_ago(1),
                "closes_on": days_ahead(30),
            },
        )
    )
    granted = sessions["admin"].put(
        f"/api/v1/partners/{partner.id}/purposes/loan_servicing",
        json={"reference": "创业担保贷款经办协议"},
    )
    assert granted.status_code == 200, granted.text
    webhook = created(
        partner.post(
            "/api/v1/webhooks",
            json={"url": LOOPBACK_URL, "event_types": ["youthcity.startup.loan.*"]},
        )
    )
    return {
        ("startup", "registration_id"): business["id"],
        ("startup", "step"): STEPS[0],
        ("housing", "application_id"): rental["id"],
        ("stories", "story_id"): story["id"],
        ("fairs", "fair_id"): fair["id"],
        ("plan", "item_id"): item["id"],
        ("plan", "meeting_id"): meeting["id"],
        ("me", "survey_id"): survey["id"],
        ("webhooks", "subscription_id"): webhook["id"],
        ("partners", "partner_id"): partner.id,
        ("activities", "activity_id"): scenery.activity_id,
        ("housing", "unit_id"): scenery.room_id,
        ("housing", "booking_id"): mine["booking"],
        ("job-applications", "application_id"): mine["application"],
        ("employers", "employer_id"): mine["employer_id"],
        ("posts", "post_id"): mine["post"],
        ("startup", "loan_id"): mine["loan"],
        ("me", "message_id"): mine["message"],
        ("me", "registration_id"): mine["registration"],
        ("people", "person_id"): mine["person"],
    }


def created(answer) -> dict:
    assert answer.status_code == 201, answer.text
    return answer.json()


def _keep_on_loopback(case) -> None:
    """A webhook's URL is where notify will POST events: a URL that would be accepted is pointed
    at a closed port of this machine, so no generated host is ever sent anything."""
    body = case.body
    if isinstance(body, dict) and isinstance(body.get("url"), str):
        try:
            ACCEPTED_URL(body["url"])
        except ValidationError:
            return
        body["url"] = LOOPBACK_URL


@pytest.fixture(scope="module", autouse=True)
def report_cases():
    yield
    print(f"\nfuzz: {CASES['run']} generated requests", sorted(STATUSES.items()))


def _strategy(operation, headers: dict, path: str, seeds: dict):
    # the caller's own headers are fixed, so a negative case is never only a missing token
    positive = operation.as_strategy(headers=headers)
    segment = path.removeprefix("/api/v1/").split("/")[0]
    known = {
        p["name"]: seeds[segment, p["name"]]
        for p in operation.definition.raw.get("parameters", [])
        if p.get("in") == "path" and (segment, p["name"]) in seeds
    }
    if known:
        positive = st.one_of(
            positive, operation.as_strategy(headers=headers, path_parameters=known)
        )
    definition = operation.definition.raw
    if "requestBody" not in definition and not any(
        p.get("in") == "query" for p in definition.get("parameters", [])
    ):
        return positive
    negative = operation.as_strategy(
        generation_mode=schemathesis.GenerationMode.NEGATIVE, headers=headers
    )
    return st.one_of(positive, negative)


@pytest.mark.parametrize(
    ("method", "path", "role"), _fuzzed_pairs(), ids=lambda v: v.replace("/api/v1", "")
)
def test_generated_requests_get_documented_answers(
    api, schema, sessions, seeds, platform, method, path, role
):
    operation = schema[path][method.upper()]
    session = caller_for(api, sessions, method, path, role)

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_strategy(operation, session.headers(), path, seeds))
    def run(case):
        CASES["run"] += 1
        _keep_on_loopback(case)
        response = case.call_and_validate(
            base_url=platform.url,
            session=session.http,
            checks=CHECKS,
            timeout=30,
        )
        STATUSES[response.status_code] = STATUSES.get(response.status_code, 0) + 1

    run()
