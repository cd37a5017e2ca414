"""What the jobs API refuses, over HTTP: each refusal is a specific problem a front end can act
on, in the caller's language, and changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.common.clock import clock
from tests.support.jobs import (
    credit_code,
    employer_body,
    post_body,
    published,
    recent_graduate,
    registered_employer,
    unique_area,
    wrong_check_character,
)


def problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code, body
    return body


@pytest.fixture(scope="module")
def hrss(api):
    return api.staff("officer", unit="hrss")


def test_an_invalid_credit_code_is_refused_by_field_and_registers_nothing(api):
    employer = api.employer()
    code = credit_code()
    wrong = employer.in_english().post(
        "/api/v1/employers", json=employer_body(credit_code=wrong_check_character(code))
    )
    body = problem(wrong, 422, "validation_failed")
    assert body["errors"] == [
        {
            "field": "credit_code",
            "code": "credit_code.checksum",
            "message": "The unified social credit code's check character is wrong",
        }
    ]
    short = employer.post("/api/v1/employers", json=employer_body(credit_code=code[:17]))
    assert problem(short, 422, "validation_failed")["errors"][0]["code"] == "credit_code.length"
    problem(employer.get("/api/v1/employers/me"), 404, "not_found")
    taken = api.employer().post("/api/v1/employers", json=employer_body(credit_code=code))
    assert taken.status_code == 201
    problem(
        employer.post("/api/v1/employers", json=employer_body(credit_code=code)),
        409,
        "credit_code_registered",
    )


def test_wrong_roles_and_units_are_403_and_leave_the_employer_pending(api, hrss):
    employer = registered_employer(api)
    youth = api.youth()
    league = api.staff("officer", unit="youth_league")
    refused = problem(
        league.post(f"/api/v1/employers/{employer.id}/verify", json={}), 403, "not_responsible_unit"
    )
    assert refused["title"] == "只有责任单位(hrss)的工作人员可以作出此决定"
    body = problem(youth.post("/api/v1/posts", json=post_body()), 403, "role_not_allowed")
    assert body["title"] == "您的角色无权执行此操作(允许:employer)"
    problem(
        employer.post(f"/api/v1/employers/{employer.id}/verify", json={}), 403, "role_not_allowed"
    )
    assert hrss.get(f"/api/v1/employers/{employer.id}").json()["state"] == "pending"


def test_an_unverified_employer_drafts_but_cannot_submit(api, hrss):
    employer = registered_employer(api)
    draft = employer.post("/api/v1/posts", json=post_body())
    assert draft.status_code == 201
    refused = problem(
        employer.in_english().post(f"/api/v1/posts/{draft.json()['id']}/submit"),
        409,
        "employer_not_verified",
    )
    assert "not verified" in refused["title"]
    assert employer.get(f"/api/v1/posts/{draft.json()['id']}").json()["state"] == "draft"
    problem(api.youth().get(f"/api/v1/posts/{draft.json()['id']}"), 404, "not_found")
    rejected = hrss.post(f"/api/v1/employers/{employer.id}/reject", json={"reason": "营业执照模糊"})
    assert rejected.json()["rejection_reason"] == "营业执照模糊"
    again = employer.patch("/api/v1/employers/me", json={"address": "XX区文旅大道2号"})
    assert again.json()["state"] == "pending" and again.json()["rejection_reason"] is None


def test_someone_elses_application_does_not_exist_for_the_caller(api, hrss):
    employer = registered_employer(api, hrss)
    post = published(employer, hrss, kind="job", area=unique_area())
    applicant = recent_graduate(api)
    application = applicant.post(f"/api/v1/posts/{post['id']}/applications", json={}).json()
    path = f"/api/v1/job-applications/{application['id']}"

    other_youth = api.youth()
    other_employer = registered_employer(api, hrss, name="另一家公司")
    problem(other_youth.get(path), 404, "not_found")
    problem(other_youth.post(path + "/status", json={"status": "withdrawn"}), 404, "not_found")
    problem(other_employer.get(path), 404, "not_found")
    problem(other_employer.post(path + "/status", json={"status": "viewed"}), 404, "not_found")
    problem(other_employer.get(f"/api/v1/posts/{post['id']}/applications"), 404, "not_found")
    problem(
        other_employer.post(
            "/api/v1/employment-subsidies", json={"application_id": application["id"]}
        ),
        404,
        "not_found",
    )
    assert applicant.get(path).json()["state"] == "submitted"
    mine = employer.get(f"/api/v1/posts/{post['id']}/applications").json()["items"]
    assert [a["id"] for a in mine] == [application["id"]]
    assert [a["id"] for a in applicant.get("/api/v1/me/job-applications").json()["items"]] == [
        application["id"]
    ]
    assert other_youth.get("/api/v1/me/job-applications").json()["items"] == []


def test_illegal_transitions_are_409_and_change_nothing(api, hrss):
    employer = registered_employer(api, hrss)
    post = published(employer, hrss, kind="job", area=unique_area())
    applicant = recent_graduate(api)
    application = applicant.post(f"/api/v1/posts/{post['id']}/applications", json={}).json()
    path = f"/api/v1/job-applications/{application['id']}"

    refused = problem(
        employer.in_english().post(path + "/status", json={"status": "hired"}),
        409,
        "illegal_transition",
    )
    assert refused["title"] == "Cannot hire while the state is submitted"
    problem(
        applicant.post(path + "/status", json={"status": "offer"}),
        403,
        "application_step_for_employer",
    )
    problem(
        applicant.post(f"/api/v1/posts/{post['id']}/applications", json={}),
        409,
        "application_exists",
    )
    problem(employer.post(f"/api/v1/posts/{post['id']}/submit"), 409, "illegal_transition")
    problem(hrss.post(f"/api/v1/posts/{post['id']}/approve"), 409, "illegal_transition")
    problem(
        employer.post("/api/v1/employment-subsidies", json={"application_id": application["id"]}),
        409,
        "subsidy_needs_hire",
    )
    after = applicant.get(path).json()
    assert after["state"] == "submitted" and len(after["history"]) == 1
    assert employer.get(f"/api/v1/posts/{post['id']}").json()["state"] == "published"

    assert (
        applicant.post(path + "/status", json={"status": "withdrawn"}).json()["state"]
        == "withdrawn"
    )
    problem(employer.post(path + "/status", json={"status": "viewed"}), 409, "illegal_transition")


def test_traineeships_take_eligible_people_only_and_say_which_rule_failed(api, hrss):
    employer = registered_employer(api, hrss)
    post = published(employer, hrss, area=unique_area())
    older = api.youth(
        age=27,
        graduation_date=(clock.today() - timedelta(days=4 * 365)).isoformat(),
        employment_status="unemployed",
    )
    answer = older.in_english().get("/api/v1/traineeships/eligibility").json()
    assert answer["eligible"] is False
    assert {r["rule"]: r["passed"] for r in answer["rules"]} == {
        "recent_graduate": False,
        "not_employed": True,
        "age_range": False,
    }
    assert answer["rules"][2]["message"]["en"] == "Aged 27, outside 16 to 24"
    refused = problem(
        older.post(f"/api/v1/posts/{post['id']}/applications", json={}),
        422,
        "traineeship_not_eligible",
    )
    assert [e["field"] for e in refused["errors"]] == ["recent_graduate", "age_range"]
    assert refused["errors"][1]["message"] == "年龄27岁,不在16至24岁之间"
    assert employer.get(f"/api/v1/posts/{post['id']}/applications").json()["items"] == []


def test_a_hiring_subsidy_needs_an_insured_contract_and_a_refusal_needs_a_reason(api, hrss):
    employer = registered_employer(api, hrss)
    post = published(employer, hrss, kind="job", area=unique_area())
    applicant = recent_graduate(api)
    application = applicant.post(f"/api/v1/posts/{post['id']}/applications", json={}).json()
    path = f"/api/v1/job-applications/{application['id']}/status"
    for status in ("viewed", "offer", "hired"):
        assert employer.post(path, json={"status": status}).status_code == 200
    problem(
        employer.post("/api/v1/employment-subsidies", json={"application_id": application["id"]}),
        422,
        "subsidy_needs_insured_contract",
    )
    assert employer.get("/api/v1/employment-subsidies").json()["items"] == []
    problem(employer.post("/api/v1/employment-subsidies", json={}), 422, "validation_failed")
