"""A dependency that is away is the gateway's own answer: problem+json 503 with Retry-After."""

import json

from gateway.api import RETRY_AFTER_UNAVAILABLE, problem_response
from services.common.errors import DomainError, ServiceUnavailable


def test_a_service_away_is_a_503_problem_that_says_when_to_try_again():
    response = problem_response(ServiceUnavailable("jobs"), "en", "req-1", "/api/v1/posts")
    assert response.status_code == 503
    assert response.content_type == "application/problem+json"
    assert response.headers["Retry-After"] == str(RETRY_AFTER_UNAVAILABLE)
    assert json.loads(response.get_data())["code"] == "service_unavailable"


def test_the_database_away_is_answered_the_same_way_in_the_callers_language():
    error = DomainError("database_unavailable", status=503)
    response = problem_response(error, "zh-CN", "req-2", "/api/v1/me")
    assert response.headers["Retry-After"] == str(RETRY_AFTER_UNAVAILABLE)
    body = json.loads(response.get_data())
    assert body["code"] == "database_unavailable" and body["title"]


def test_other_problems_carry_no_retry_after():
    response = problem_response(DomainError("internal_error", status=500), "en", "r", "/")
    assert "Retry-After" not in response.headers
