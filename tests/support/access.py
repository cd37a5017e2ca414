"""The API's operations and roles as the OpenAPI document states them, and a signed-in session
for each role, for the tests that walk every operation (fuzzing, the access matrix).

The operations come from the document the gateway builds from its routes (`x-roles` names who
may call each one, `public` for anyone), so a new route is covered without touching a test; the
tests check that the running gateway serves that same document.
"""

from __future__ import annotations

import functools

from .api import Api, Session
from .jobs import employer_body

ROLES = ("youth", "employer", "officer", "admin", "partner")
METHODS = ("get", "put", "post", "patch", "delete")
# 区人社局: the unit that decides most of what the jobs routes offer officers
OFFICER_UNIT = "hrss"


@functools.cache
def openapi_document() -> dict:
    from gateway.openapi import build_document
    from gateway.service import GatewayService

    return build_document(GatewayService.routes())


def documented_operations() -> list[tuple[str, str, dict]]:
    """(method, path, operation) for every operation of the document, in document order."""
    return [
        (method.upper(), path, operation)
        for path, item in openapi_document()["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def same_operations(served: dict) -> bool:
    """Whether a served document has the operations and roles of the one built here."""

    def shape(document: dict) -> dict:
        return {
            (method, path): operation["x-roles"]
            for path, item in document["paths"].items()
            for method, operation in item.items()
            if method in METHODS
        }

    return shape(served) == shape(openapi_document())


def role_sessions(api: Api) -> dict[str, Session]:
    """One account of each role, and `anonymous`; the employer has its organisation registered
    (pending verification), the young person a full profile."""
    employer = api.employer()
    registered = employer.post("/api/v1/employers", json=employer_body())
    assert registered.status_code == 201, registered.text
    return {
        "anonymous": api.anonymous,
        "youth": api.youth(
            age=23,
            degree="bachelor",
            graduation_date="2026-06-30",
            employment_status="unemployed",
        ),
        "employer": employer,
        "officer": api.staff("officer", unit=OFFICER_UNIT),
        "admin": api.staff("admin"),
        "partner": api.staff("partner", display_name="XX农村商业银行"),
    }
