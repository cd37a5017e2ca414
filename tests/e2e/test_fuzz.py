"""Schemathesis against the running platform: every operation of the served OpenAPI document,
called with generated requests (valid and invalid) as each role the operation allows, and as an
anonymous caller of the public ones. Each answer must be no 5xx, a status code the document lists
for the operation, the content type it names, and a body its schema accepts; an invalid request
must be refused.

Run time is bounded and the run reproducible: Hypothesis is derandomized (the same cases every
run) with `MAX_EXAMPLES` cases per operation and role, and no example database.

Exclusions: none. Every operation is fuzzed, the destructive ones included: a generated id never
names a real resource, so `DELETE /webhooks/{id}` or an erasure confirmation answers 404, and the
caller's own erasure request is only a request (confirmed by an administrator after a grace
period), so it does not take the caller's access away from the cases after it.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support.access import ROLES, documented_operations, role_sessions, same_operations

pytestmark = pytest.mark.fuzz

MAX_EXAMPLES = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
CASES = {"run": 0}
STATUSES = {}


# Found by this test and left to the privacy work in progress (issue 13's export): the export
# asks every service for `export_person`, which the services do not answer yet, so it is a 503
# for everyone. Not strict: it passes once the services answer.
EXPORT_PENDING = pytest.mark.xfail(
    reason="services do not answer export_person yet: the export is a 503", strict=False
)
PENDING = {
    ("GET", "/api/v1/me/data"): EXPORT_PENDING,
    ("GET", "/api/v1/me/data/download"): EXPORT_PENDING,
}


def _fuzzed_pairs() -> list:
    """(method, path, role): the roles an operation allows, and anonymous for a public one."""
    pairs = []
    for method, path, operation in documented_operations():
        allowed = operation["x-roles"]
        roles = ["anonymous", *ROLES] if allowed == ["public"] else allowed
        marks = [PENDING[method, path]] if (method, path) in PENDING else []
        pairs.extend(pytest.param(method, path, role, marks=marks) for role in roles)
    return pairs


@pytest.fixture(scope="module")
def schema(platform):
    loaded = schemathesis.openapi.from_url(platform.api("/api/v1/openapi.json"))
    assert same_operations(loaded.raw_schema), "the gateway serves another document"
    return loaded


@pytest.fixture(scope="module")
def sessions(api):
    return role_sessions(api)


@pytest.fixture(scope="module", autouse=True)
def report_cases():
    yield
    print(f"\nfuzz: {CASES['run']} generated requests", sorted(STATUSES.items()))


def _strategy(operation, headers: dict):
    # the caller's own headers are fixed, so a negative case is never only a missing token
    positive = operation.as_strategy(headers=headers)
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
def test_generated_requests_get_documented_answers(schema, sessions, platform, method, path, role):
    operation = schema[path][method.upper()]
    session = sessions[role]

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_strategy(operation, session.headers()))
    def run(case):
        CASES["run"] += 1
        response = case.call_and_validate(
            base_url=platform.url,
            session=session.http,
            checks=CHECKS,
            timeout=30,
        )
        STATUSES[response.status_code] = STATUSES.get(response.status_code, 0) + 1

    run()
