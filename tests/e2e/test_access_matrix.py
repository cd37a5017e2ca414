"""Who may call what, for every operation of the OpenAPI document and every role, on the running
platform: no token is a 401, a role the operation's `x-roles` does not name a 403, and an allowed
caller gets an answer the document lists for the operation (never a 401 or 403 from the role
check). Then ownership: a young person asking for another's application, registration, booking,
loan or message, and an employer for another employer's applicant, get 404, as if it did not
exist, while the owner gets it.

The operations and their roles are read from the document, so a new route is in the matrix
without touching this file.
"""

from __future__ import annotations

import uuid

import pytest

from tests.support.access import (
    GRADUATE,
    ROLES,
    STARTUP,
    Scenery,
    caller_for,
    documented_operations,
    role_sessions,
    same_operations,
)

CALLERS = ("anonymous", *ROLES)


def _matrix() -> list:
    return [
        pytest.param(method, path, operation, caller, id=f"{method} {path} as {caller}")
        for method, path, operation in documented_operations()
        for caller in CALLERS
    ]


def _expected(operation: dict, caller: str) -> int | None:
    """The one answer the role check must give, or None when the caller is let through."""
    allowed = operation["x-roles"]
    if allowed == ["public"]:
        return None
    if caller == "anonymous":
        return 401
    return None if caller in allowed else 403


def _concrete(path: str) -> str:
    """The path with every parameter an id that names nothing."""
    parts = path.split("/")
    return "/".join(str(uuid.uuid4()) if p.startswith("{") else p for p in parts)


@pytest.fixture(scope="module")
def scenery(api):
    return Scenery.build(api)


@pytest.fixture(scope="module")
def callers(api, scenery):
    served = api.anonymous.get("/api/v1/openapi.json").json()
    assert same_operations(served), "the gateway serves another document than its routes build"
    return role_sessions(api, scenery)


@pytest.mark.parametrize(("method", "path", "operation", "caller"), _matrix())
def test_each_role_gets_the_answer_the_document_allows(
    api, callers, method, path, operation, caller
):
    kwargs = {"json": {}} if "requestBody" in operation else {}
    answer = caller_for(api, callers, method, path, caller).request(
        method, _concrete(path), **kwargs
    )
    documented = {int(status) for status in operation["responses"] if status.isdigit()}
    if answer.status_code != 304:
        assert answer.status_code in documented, (answer.status_code, answer.text[:300])
    expected = _expected(operation, caller)
    if expected is not None:
        assert answer.status_code == expected, answer.text[:300]
        assert answer.headers["Content-Type"] == "application/problem+json"
    else:
        assert answer.status_code not in (401, 403) or (
            answer.status_code == 403 and answer.json()["code"] != "role_not_allowed"
        ), answer.text[:300]
    assert answer.status_code < 500, answer.text[:300]


# -- ownership ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(api, scenery):
    """Two young people and two employers, each with their own application, registration,
    station booking, loan and message."""
    people = {}
    for name in ("a", "b"):
        employer = scenery.verified_employer(api)
        youth = api.youth(age=23, **GRADUATE)
        people[name] = {"youth": youth, "employer": employer}
        people[name].update(scenery.resources(youth, employer))
    return people


def own(role: str, method: str, path: str, body: dict | None = None, *, id: str):
    """A request `role` makes about a resource of its own, the path's `{names}` filled from it."""
    return pytest.param(role, method, path, body, id=id)


OWNED = [
    own("youth", "GET", "/api/v1/job-applications/{application}", id="job application"),
    own(
        "youth",
        "POST",
        "/api/v1/job-applications/{application}/status",
        {"status": "withdrawn"},
        id="withdraw a job application",
    ),
    own("youth", "GET", "/api/v1/me/registrations/{registration}", id="activity registration"),
    own(
        "youth",
        "POST",
        "/api/v1/me/registrations/{registration}/cancel",
        id="cancel an activity registration",
    ),
    own("youth", "GET", "/api/v1/housing/station-bookings/{booking}", id="station booking"),
    own(
        "youth",
        "POST",
        "/api/v1/housing/station-bookings/{booking}/cancel",
        id="cancel a station booking",
    ),
    own("youth", "GET", f"{STARTUP}/loans/{{loan}}", id="loan"),
    own("youth", "GET", f"{STARTUP}/loans/{{loan}}/schedule", id="loan schedule"),
    own("youth", "GET", "/api/v1/me/messages/{message}", id="message"),
    own("youth", "POST", "/api/v1/me/messages/{message}/read", id="mark a message read"),
    own("youth", "GET", "/api/v1/evidence/{evidence}", id="evidence document"),
    own("youth", "DELETE", "/api/v1/me/evidence/{evidence}", id="take back evidence"),
    own("employer", "GET", "/api/v1/job-applications/{application}", id="employer: applicant"),
    own(
        "employer",
        "POST",
        "/api/v1/job-applications/{application}/status",
        {"status": "viewed"},
        id="employer: move an applicant on",
    ),
]


@pytest.mark.parametrize(("role", "method", "path", "body"), OWNED)
def test_another_persons_resource_is_404_and_ones_own_is_not(world, role, method, path, body):
    mine, theirs = world["a"], world["b"]
    kwargs = {"json": body} if body is not None else {}
    other = mine[role].request(method, path.format(**theirs), **kwargs)
    assert other.status_code == 404, other.text[:300]
    assert other.headers["Content-Type"] == "application/problem+json"
    if method == "GET":
        own = mine[role].get(path.format(**mine))
        assert own.status_code == 200, own.text[:300]
