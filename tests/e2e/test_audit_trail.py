"""Every officer decision, in every service, is in the audit trail with who, when, what and why,
read by administrators through the gateway, and by nobody else."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tests.support.dates import district_time
from tests.support.housing import station_room
from tests.support.jobs import employer_body, published_post, unique_area
from tests.support.startup import Staff, business, complete_steps, unit_officers


def trail(admin, service: str, subject_id: str) -> list[dict]:
    answer = admin.get("/api/v1/admin/audit", params={"service": service, "subject_id": subject_id})
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def decided(admin, service: str, subject_id: str, action: str, officer, reason=None) -> dict:
    entries = [e for e in trail(admin, service, subject_id) if e["action"] == action]
    assert entries, f"{service} recorded no {action} on {subject_id}"
    entry = entries[0]
    assert entry["actor_id"] == officer.id, entry
    assert entry["actor_role"] == "officer" and entry["at"] and entry["request_id"], entry
    assert entry["subject_id"] == subject_id
    if reason is not None:
        assert entry["reason"] == reason, entry
    return entry


def test_officer_decisions_in_every_service_are_in_the_audit_trail(api):
    admin = api.admin()
    hr = api.staff("officer", unit="hrss")

    refused = api.employer("XX无证经营部")
    refused.post("/api/v1/employers", json=employer_body(area=unique_area()))
    hr.post(f"/api/v1/employers/{refused.id}/reject", json={"reason": "营业执照已过期"})
    decided(admin, "jobs", refused.id, "employer.rejected", hr, reason="营业执照已过期")

    employer, post = published_post(api, hr, kind="job")
    decided(admin, "jobs", employer.id, "employer.verified", hr)
    decided(admin, "jobs", post["id"], "post.approve", hr)
    hr.post(f"/api/v1/posts/{post['id']}/close", json={"reason": "岗位信息有误"})
    decided(admin, "jobs", post["id"], "post.close", hr, reason="岗位信息有误")

    housing = api.staff("officer", unit="housing")
    unit = station_room(housing, beds=1)
    housing.post(f"/api/v1/housing/units/{unit['id']}/maintenance", json={"reason": "热水器维修"})
    decided(admin, "housing", unit["id"], "unit.maintenance", housing, reason="热水器维修")

    officers = unit_officers(Staff(api))
    founder = api.youth(age=25)
    registration = founder.post("/api/v1/startup/registrations", json=business()).json()
    complete_steps(officers, registration["id"])
    steps = [
        e
        for e in trail(admin, "startup", registration["id"])
        if e["action"] == "registration.step_completed"
    ]
    assert {e["actor_unit"] for e in steps} == {o.account["unit"] for o in officers.values()}

    league = api.staff("officer", unit="youth_league")
    activity = league.post(
        "/api/v1/activities",
        json={
            "title": "青年志愿服务",
            "category": "volunteering",
            "venue": "社区中心",
            "capacity": 10,
            "starts_at": district_time(days=30, hour=9).isoformat(),
            "ends_at": district_time(days=30, hour=12).isoformat(),
        },
    ).json()
    league.post(f"/api/v1/activities/{activity['id']}/publish")
    decided(admin, "events", activity["id"], "activity.published", league)

    for reader in (hr, founder):
        answer = reader.get("/api/v1/admin/audit", params={"service": "jobs"})
        assert answer.status_code == 403


def test_without_a_service_the_trail_is_every_services_merged_newest_first(api):
    """Issue 26: `/admin/audit` without `service` answered 422; it now answers every service's
    trail merged, newest first, each entry naming its service, paged with one cursor."""
    admin = api.admin()
    hr = api.staff("officer", unit="hrss")  # the administrator's creating it: the gateway's
    refused = api.employer("XX无证经营部")
    refused.post("/api/v1/employers", json=employer_body(area=unique_area()))
    hr.post(f"/api/v1/employers/{refused.id}/reject", json={"reason": "营业执照已过期"})

    seen, wanted, after = [], {hr.id: "gateway", refused.id: "jobs"}, None
    for _ in range(20):
        answer = admin.get("/api/v1/admin/audit", params={"limit": 3, "after": after})
        assert answer.status_code == 200, answer.text
        seen.extend(answer.json()["items"])
        found = {e["subject_id"]: e["service"] for e in seen if e["subject_id"] in wanted}
        following = answer.json()["next"]
        after = following and parse_qs(urlsplit(following).query)["after"][0]
        if found == wanted or not after:
            break
    assert found == wanted
    ids = [e["id"] for e in seen]
    assert len(ids) == len(set(ids)), "an entry on two pages"
    moments = [e["at"] for e in seen]
    assert moments == sorted(moments, reverse=True)
    only_jobs = admin.get("/api/v1/admin/audit", params={"service": "jobs", "limit": 5}).json()
    assert {e["service"] for e in only_jobs["items"]} == {"jobs"}
