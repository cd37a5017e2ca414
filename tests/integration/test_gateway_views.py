"""The gateway's aggregated views against a real gateway: the four lists with their history, and
a dashboard and indicators that degrade part by part instead of failing."""

import time

import pytest

from services.common.registry import DOMAIN_SERVICES


@pytest.fixture
def api(start_gateway):
    return start_gateway(VIEW_TIMEOUT="1")


def test_with_every_service_down_the_dashboard_answers_at_once_and_names_them(api):
    youth = api.youth()
    started = time.monotonic()
    answer = youth.get("/api/v1/me/dashboard")
    assert answer.status_code == 200
    assert time.monotonic() - started < 1.5
    body = answer.json()
    assert {d["service"] for d in body["degraded"]} == set(DOMAIN_SERVICES)
    assert {d["reason"] for d in body["degraded"]} == {"unavailable"}
    assert body["unread_messages"] is None


def test_indicators_are_for_staff_and_degrade_without_the_services(api):
    assert api.youth().get("/api/v1/indicators").status_code == 403
    officer = api.staff("officer", unit="hrss")
    answer = officer.get("/api/v1/indicators", params={"period": "2026"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["period"] == {"name": "2026", "since": "2026-01-01", "until": "2027-01-01"}
    assert len(body["series_months"]) == 12
    headline = next(
        i
        for t in body["tasks"]
        for i in t["indicators"]
        if i["code"] == "headline.graduates_staying"
    )
    assert headline["value"] is None and headline["target"] == {
        "comparison": ">=",
        "value": 1000,
        "per": "year",
    }
    assert {"jobs", "startup"} <= {d["service"] for d in body["degraded"]}
    csv = officer.get("/api/v1/indicators.csv", params={"period": "2026-Q4"})
    assert csv.headers["Content-Type"].startswith("text/csv")
    assert "indicators-2026-Q4.csv" in csv.headers["Content-Disposition"]
    bad = officer.in_english().get("/api/v1/indicators", params={"period": "2026-13"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "period"


def test_officers_keep_their_units_plan_items_and_every_change_is_in_the_history(api):
    officer = api.staff("officer", unit="hrss")
    other = api.staff("officer", unit="housing")
    body = {
        "kind": "practical_project",
        "title": "百名大学生助龙计划:见习岗位",
        "task_code": "一.2",
        "unit": "hrss",
        "owner": "就业促进科",
        "due_date": "2026-12-31",
    }
    refused = other.post("/api/v1/plan/items", json=body)
    assert refused.status_code == 403 and refused.json()["code"] == "not_unit_officer"
    created = officer.post("/api/v1/plan/items", json=body)
    assert created.status_code == 201
    item = created.json()
    assert (item["progress"], item["status"], item["version"]) == (0, "planned", 1)
    assert other.patch(f"/api/v1/plan/items/{item['id']}", json={"progress": 90}).status_code == 403
    updated = officer.patch(
        f"/api/v1/plan/items/{item['id']}", json={"progress": 40, "status": "in_progress"}
    )
    assert updated.json()["progress"] == 40 and updated.json()["version"] == 2
    history = officer.get(f"/api/v1/plan/items/{item['id']}/history").json()["items"]
    assert [h["version"] for h in history] == [1, 2]
    assert history[1]["changes"] == {"progress": [0, 40], "status": ["planned", "in_progress"]}
    assert history[1]["changed_by"] == officer.id
    listed = other.get(
        "/api/v1/plan/items", params={"unit": "hrss", "kind": "practical_project"}
    ).json()
    assert item["id"] in [i["id"] for i in listed["items"]]
    assert api.youth().get("/api/v1/plan/items").status_code == 403
