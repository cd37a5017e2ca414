"""The jobs journey over HTTP through the gateway, with every real part running: an employer
registers and is verified, posts a traineeship that an officer approves, a young person finds it
by a Chinese keyword and applies, the employer hires them, claims the one-off hiring subsidy and
an officer grants it. Each step's event is seen on `jobs.events`, and notify puts the decisions
in the inboxes of the people they concern."""

from __future__ import annotations

import json

from tests.support.api import unique, verify_facts
from tests.support.jobs import (
    employer_body,
    events_until,
    post_body,
    published,
    recent_graduate,
    registered_employer,
    unique_area,
)
from tests.support.messaging import Subscriber, wait_for


def inbox_message(session, event_type: str, subject_text: str):
    def find():
        inbox = session.get("/api/v1/me/messages").json()["items"]
        return next(
            (m for m in inbox if m["event_type"] == event_type and subject_text in m["body"]),
            None,
        )

    return wait_for(find, timeout=20, interval=0.2, message=f"a {event_type} message")


def test_a_graduate_is_found_hired_and_subsidised_and_told(api, platform_amqp_uri):
    tap = Subscriber(platform_amqp_uri, "jobs.events", unique("jobs-tap"))
    area = unique_area()
    officer = api.staff("officer", unit="hrss")

    employer = api.employer("XX文旅发展有限公司")
    registered = employer.post("/api/v1/employers", json=employer_body(area=area))
    assert registered.status_code == 201, registered.text
    assert registered.json()["state"] == "pending"
    pending = officer.get("/api/v1/employers", params={"state": "pending", "limit": 100}).json()
    assert employer.id in [e["id"] for e in pending["items"]]
    verified = officer.post(f"/api/v1/employers/{employer.id}/verify", json={"note": "材料齐全"})
    assert verified.json()["state"] == "verified"

    draft = employer.post(
        "/api/v1/posts", json=post_body(title="景区文旅讲解见习生", area=area, positions=1)
    )
    assert draft.status_code == 201, draft.text
    post_id = draft.json()["id"]
    assert employer.post(f"/api/v1/posts/{post_id}/submit").json()["state"] == "pending_review"
    queue = officer.get("/api/v1/review/posts", params={"limit": 100}).json()["items"]
    assert post_id in [p["id"] for p in queue]
    approved = officer.post(f"/api/v1/posts/{post_id}/approve")
    assert approved.json()["state"] == "published"

    youth = recent_graduate(api)
    eligibility = youth.get("/api/v1/traineeships/eligibility").json()
    assert eligibility["eligible"] is True and eligibility["route"] == "recent_graduate"
    assert {r["rule"]: r["passed"] for r in eligibility["rules"]} == {
        "recent_graduate": True,
        "not_employed": True,
        "age_range": True,
    }
    assert "离校2年内" in eligibility["rules"][0]["message"]["zh-CN"]
    found = youth.get(
        "/api/v1/posts", params={"keyword": "见习", "area": area, "kind": "traineeship"}
    ).json()
    assert [p["id"] for p in found["items"]] == [post_id]
    assert found["items"][0]["employer_name"] == "XX文旅发展有限公司"

    applied = youth.post(f"/api/v1/posts/{post_id}/applications", json={"cover_letter": "您好"})
    assert applied.status_code == 201, applied.text
    application_id = applied.json()["id"]
    assert applied.headers["Location"] == f"/api/v1/job-applications/{application_id}"
    for status in ("viewed", "interview", "offer"):
        moved = employer.post(
            f"/api/v1/job-applications/{application_id}/status", json={"status": status}
        )
        assert moved.status_code == 200 and moved.json()["state"] == status, moved.text
    hired = employer.post(
        f"/api/v1/job-applications/{application_id}/status",
        json={"status": "hired", "contract_with_social_insurance": True, "note": "下周一报到"},
    ).json()
    assert hired["state"] == "hired" and hired["graduate"] is True and hired["traineeship_id"]
    assert youth.get(f"/api/v1/job-applications/{application_id}").json()["history"][-1] == {
        "from_state": "offer",
        "to_state": "hired",
        "actor_role": "employer",
        "note": "下周一报到",
        "at": hired["history"][-1]["at"],
    }
    assert youth.get(f"/api/v1/posts/{post_id}").json()["state"] == "filled"

    claim = employer.post("/api/v1/employment-subsidies", json={"application_id": application_id})
    assert claim.status_code == 201, claim.text
    assert (claim.json()["amount_cny"], claim.json()["state"]) == ("1500.00", "claimed")
    verify_facts(officer, youth.id, "graduation_date")
    granted = officer.post(
        f"/api/v1/employment-subsidies/{claim.json()['id']}/decision", json={"decision": "grant"}
    )
    assert granted.status_code == 200 and granted.json()["state"] == "granted"

    expected = {
        ("youthcity.jobs.employer.verified", employer.id),
        ("youthcity.jobs.posting.published", post_id),
        ("youthcity.jobs.application.submitted", application_id),
        ("youthcity.jobs.application.status_changed", application_id),
        ("youthcity.jobs.application.hired", application_id),
        ("youthcity.jobs.traineeship.started", hired["traineeship_id"]),
        ("youthcity.jobs.subsidy.claimed", claim.json()["id"]),
        ("youthcity.jobs.subsidy.decided", claim.json()["id"]),
    }

    events = events_until(tap, expected)
    tap.close()
    mine = [e for e in events if e["subject"] in {s for _, s in expected}]
    statuses = [
        e["data"]["status"] for e in mine if e["type"].endswith("application.status_changed")
    ]
    assert statuses == ["viewed", "interview", "offer", "hired"]
    [hire] = [e for e in mine if e["type"].endswith("application.hired")]
    assert hire["data"]["person_id"] == youth.id and hire["data"]["post_kind"] == "traineeship"
    assert hire["data"]["graduate"] and hire["data"]["in_district"]
    assert hire["data"]["contract_with_social_insurance"]
    for event in mine:  # ids and facts only: no name, ID number or phone on the wire
        body = json.dumps(event, ensure_ascii=False)
        assert youth.account["profile"]["citizen_id"] not in body
        assert youth.account["profile"]["name"] not in body and "13800138000" not in body

    hired_message = inbox_message(youth, "youthcity.jobs.application.status_changed", "已录用")
    assert hired_message["title"] == "申请进展:景区文旅讲解见习生"
    english = youth.in_english().get("/api/v1/me/messages").json()["items"]
    assert any(m["body"].endswith("is now: hired.") for m in english)
    inbox_message(youth, "youthcity.jobs.traineeship.started", "为期6个月")
    decided = inbox_message(employer, "youthcity.jobs.subsidy.decided", "1500.00")
    assert decided["title"] == "补贴审核结果:已批准"

    trail = (
        api.admin()
        .get("/api/v1/admin/audit", params={"service": "jobs", "subject_id": employer.id})
        .json()["items"]
    )
    assert [(e["action"], e["actor_id"]) for e in trail] == [("employer.verified", officer.id)]


def test_a_spring_fair_with_a_free_booth_and_a_practice_unit_with_its_posts(api):
    officer = api.staff("officer", unit="hrss")
    employer = registered_employer(api, officer)
    post = published(employer, officer, kind="internship", area=unique_area())
    fair = officer.post(
        "/api/v1/fairs",
        json={
            "title": "春风行动线上招聘会",
            "mode": "online",
            "url": "https://jobs.example.gov.cn/fair/2027",
            "starts_at": "2030-03-01T09:00:00+08:00",
            "ends_at": "2030-03-01T17:00:00+08:00",
            "booth_capacity": 50,
        },
    )
    assert fair.status_code == 201, fair.text
    fair_id = fair.json()["id"]
    booth = employer.post(f"/api/v1/fairs/{fair_id}/booths", json={"post_ids": [post["id"]]})
    assert booth.status_code == 201 and booth.json()["fee_cny"] == "0.00", booth.text
    youth = api.youth()
    registered = youth.post(f"/api/v1/fairs/{fair_id}/registrations")
    assert registered.status_code == 201, registered.text
    shown = api.anonymous.get(f"/api/v1/fairs/{fair_id}").json()
    assert [p["id"] for b in shown["booths"] for p in b["posts"]] == [post["id"]]
    assert youth.get("/api/v1/me/fair-registrations").json()["items"][0]["fair_id"] == fair_id
    message = inbox_message(youth, "youthcity.jobs.fair.registered", "jobs.example.gov.cn")
    assert message["title"] == "招聘会报名成功:春风行动线上招聘会"

    designated = officer.post(
        f"/api/v1/employers/{employer.id}/practice-unit", json={"partners": ["XX大学"]}
    )
    assert designated.status_code == 200 and designated.json()["practice_unit"] is True
    units = api.anonymous.get("/api/v1/practice-units", params={"limit": 100}).json()["items"]
    mine = next(u for u in units if u["employer_id"] == employer.id)
    assert mine["partners"] == ["XX大学"] and [p["id"] for p in mine["posts"]] == [post["id"]]
