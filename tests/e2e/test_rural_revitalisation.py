"""Rural revitalisation (plan 三.3) over HTTP through the gateway: the agriculture bureau
publishes a partnership project, a young person and a company apply with their contributions,
one is accepted and followed up, the other declined with its reason; the organisation
department opens a call for village support teams, selects a young applicant and posts them to
a village for a term; a leaders-of-getting-rich course is completed; a farm-product showcase
takes entrants and their sales. Each lands in 三.3's indicators."""

from datetime import timedelta

import pytest

from services.common.clock import clock
from tests.support.api import unique
from tests.support.events import Staff, activity_body
from tests.support.messaging import wait_for

BASE = "/api/v1/startup"
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def staff(api):
    return Staff(api)


def created(answer) -> dict:
    assert answer.status_code == 201, answer.text
    return answer.json()


def ok(answer) -> dict:
    assert answer.status_code == 200, answer.text
    return answer.json()


def problem(answer, status: int, code: str) -> dict:
    assert answer.status_code == status, answer.text
    assert answer.headers["Content-Type"] == PROBLEM
    assert answer.json()["code"] == code, answer.json()
    return answer.json()


def rural_indicators(officer, period: str) -> dict:
    """三.3's indicators once every service answered."""
    answer = wait_for(
        lambda: (
            (found := officer.get("/api/v1/indicators", params={"period": period}).json())[
                "degraded"
            ]
            == []
            and found
        ),
        timeout=30,
        interval=1,
        message="the indicators with every service's part",
    )
    task = next(t for t in answer["tasks"] if t["code"] == "三.3")
    return {i["code"]: i["value"] for i in task["indicators"]}


def test_a_partnership_project_takes_partners_who_are_selected_and_followed_up(api, staff):
    agriculture = staff.officer("agriculture")
    hrss = staff.officer("hrss")
    year = str(clock.today().year)
    before = rural_indicators(agriculture, year)

    body = {
        "title": unique("高山茶叶深加工合伙项目"),
        "village": "XX乡XX村",
        "sector": "特色种植",
        "seeks": ["capital", "technical_service"],
        "needs": "茶叶加工技术指导和设备投资",
    }
    problem(hrss.post(f"{BASE}/rural-projects", json=body), 403, "not_responsible_unit")
    project = created(agriculture.post(f"{BASE}/rural-projects", json=body))
    assert project["state"] == "open" and project["organiser_unit"] == "agriculture"
    listed = api.anonymous.get(f"{BASE}/rural-projects").json()["items"]
    assert project["id"] in [p["id"] for p in listed]

    youth = api.youth(age=26)
    company = api.employer()
    applications = f"{BASE}/rural-projects/{project['id']}/applications"
    problem(
        youth.post(applications, json={"contribution_form": "company", "contribution": "开公司"}),
        409,
        "contribution_not_sought",
    )
    expert = created(
        youth.post(
            applications,
            json={"contribution_form": "technical_service", "contribution": "每月驻村5天指导"},
        )
    )
    assert (expert["applicant_kind"], expert["state"]) == ("person", "applied")
    investor = created(
        company.post(
            applications,
            json={
                "contribution_form": "capital",
                "contribution": "投资加工设备",
                "capital_cny": "500000.00",
            },
        )
    )
    assert investor["applicant_kind"] == "company"
    problem(
        youth.post(
            applications,
            json={"contribution_form": "technical_service", "contribution": "再次申请"},
        ),
        409,
        "partner_already_applied",
    )

    queue = ok(agriculture.get(f"{BASE}/partner-applications", params={"state": "applied"}))
    assert {expert["id"], investor["id"]} <= {a["id"] for a in queue["items"]}
    assert hrss.get(f"{BASE}/partner-applications").status_code == 403
    mine = ok(youth.get(f"{BASE}/partner-applications"))["items"]
    assert [a["id"] for a in mine] == [expert["id"]]

    accepted = ok(
        agriculture.post(
            f"{BASE}/partner-applications/{investor['id']}/decision", json={"decision": "accept"}
        )
    )
    assert accepted["state"] == "accepted"
    problem(
        agriculture.post(
            f"{BASE}/partner-applications/{expert['id']}/decision", json={"decision": "decline"}
        ),
        422,
        "validation_failed",
    )
    declined = ok(
        agriculture.post(
            f"{BASE}/partner-applications/{expert['id']}/decision",
            json={"decision": "decline", "reason": "本期技术服务名额已满"},
        )
    )
    assert declined["state"] == "declined"
    seen = ok(youth.get(f"{BASE}/partner-applications/{expert['id']}"))
    assert seen["decision_reason"] == "本期技术服务名额已满"

    problem(
        agriculture.post(
            f"{BASE}/partner-applications/{expert['id']}/follow-ups",
            json={"recorded_on": clock.today().isoformat(), "progress": "on_track"},
        ),
        409,
        "partner_not_accepted",
    )
    follow_up = created(
        agriculture.post(
            f"{BASE}/partner-applications/{investor['id']}/follow-ups",
            json={
                "recorded_on": clock.today().isoformat(),
                "progress": "on_track",
                "note": "设备已到位",
                "invested_cny": "300000.00",
                "jobs_created": 6,
            },
        )
    )
    assert follow_up["invested_cny"] == "300000.00"
    shown = ok(company.get(f"{BASE}/partner-applications/{investor['id']}"))
    assert [f["progress"] for f in shown["follow_ups"]] == ["on_track"]
    assert youth.get(f"{BASE}/partner-applications/{investor['id']}").status_code == 404

    after = rural_indicators(agriculture, year)
    assert (
        after["startup.rural_projects_published"] >= before["startup.rural_projects_published"] + 1
    )
    assert (
        after["startup.rural_partner_applications"]
        >= before["startup.rural_partner_applications"] + 2
    )
    assert after["startup.rural_partners_accepted"] >= before["startup.rural_partners_accepted"] + 1
    assert (
        after["startup.rural_partner_capital_accepted_cny"]
        >= before["startup.rural_partner_capital_accepted_cny"] + 500000
    )
    assert (
        after["startup.rural_partner_invested_cny"]
        >= before["startup.rural_partner_invested_cny"] + 300000
    )


def test_a_young_doer_is_selected_and_posted_to_a_village_for_a_term(api, staff):
    organisation = staff.officer("organisation")
    agriculture = staff.officer("agriculture")
    year = str(clock.today().year)
    before = rural_indicators(organisation, year)

    body = {"title": unique("驻村帮扶工作队青年队员选派"), "villages": ["XX乡XX村"], "places": 1}
    problem(agriculture.post(f"{BASE}/doer-calls", json=body), 403, "not_responsible_unit")
    call = created(organisation.post(f"{BASE}/doer-calls", json=body))
    assert (call["places"], call["selected_count"]) == (1, 0)

    doer = api.youth(age=25, degree="bachelor")
    older = api.youth(age=40)
    applying = f"{BASE}/doer-calls/{call['id']}/applications"
    problem(older.post(applying, json={"statement": "愿意驻村"}), 409, "doer_too_old")
    application = created(doer.post(applying, json={"statement": "农学专业,愿做电商助农"}))
    assert application["state"] == "applied"
    problem(doer.post(applying, json={"statement": "再次报名"}), 409, "doer_already_applied")

    queue = ok(organisation.get(f"{BASE}/doer-applications", params={"call_id": call["id"]}))
    assert [a["id"] for a in queue["items"]] == [application["id"]]
    selected = ok(
        organisation.post(
            f"{BASE}/doer-applications/{application['id']}/decision",
            json={"decision": "select"},
        )
    )
    assert selected["state"] == "selected"

    posting = f"{BASE}/doer-applications/{application['id']}/posting"
    start = clock.today() + timedelta(days=7)
    problem(
        organisation.post(
            posting,
            json={
                "village": "别的村",
                "posted_from": start.isoformat(),
                "posted_until": (start + timedelta(days=700)).isoformat(),
            },
        ),
        422,
        "village_not_in_call",
    )
    problem(
        organisation.post(
            posting,
            json={
                "village": "XX乡XX村",
                "posted_from": start.isoformat(),
                "posted_until": (start + timedelta(days=1000)).isoformat(),
            },
        ),
        422,
        "posting_term",
    )
    posted = ok(
        organisation.post(
            posting,
            json={
                "village": "XX乡XX村",
                "posted_from": start.isoformat(),
                "posted_until": (start + timedelta(days=700)).isoformat(),
            },
        )
    )
    assert (posted["state"], posted["village"]) == ("posted", "XX乡XX村")
    mine = ok(doer.get(f"{BASE}/doer-applications/{application['id']}"))
    assert mine["posted_from"] == start.isoformat()
    board = ok(doer.get("/api/v1/me/startup"))["items"]
    [item] = [i for i in board if i["kind"] == "startup.doer_application"]
    assert (item["id"], item["state"]) == (application["id"], "posted")
    assert item["next_step"]["en"] == "Serve your term in the village"
    assert ok(api.anonymous.get(f"{BASE}/doer-calls/{call['id']}"))["selected_count"] == 1

    after = rural_indicators(organisation, year)
    assert after["startup.doer_applications"] >= before["startup.doer_applications"] + 1
    assert after["startup.doers_posted"] >= before["startup.doers_posted"] + 1


def test_leaders_of_getting_rich_are_trained_on_the_agriculture_bureaus_course(api, staff):
    agriculture = staff.officer("agriculture")
    year = str(clock.today().year)
    before = rural_indicators(agriculture, year)
    start = clock.today() + timedelta(days=3)
    course = created(
        agriculture.post(
            f"{BASE}/courses",
            json={
                "kind": "rural_leaders",
                "title": unique("致富带头人培训"),
                "mode": "onsite",
                "venue": "XX乡农民培训中心",
                "starts_on": start.isoformat(),
                "ends_on": (start + timedelta(days=2)).isoformat(),
                "hours": 24,
                "capacity": 30,
            },
        )
    )
    assert (course["kind"], course["organiser_unit"]) == ("rural_leaders", "agriculture")
    listed = api.anonymous.get(f"{BASE}/courses", params={"kind": "rural_leaders"}).json()
    assert course["id"] in [c["id"] for c in listed["items"]]
    assert all(c["kind"] == "rural_leaders" for c in listed["items"])

    trainee = api.youth(age=28)
    enrolment = created(trainee.post(f"{BASE}/courses/{course['id']}/enrolments"))
    roster = ok(agriculture.get(f"{BASE}/enrolments", params={"course_id": course["id"]}))
    assert [e["id"] for e in roster["items"]] == [enrolment["id"]]
    ok(agriculture.post(f"{BASE}/enrolments/{enrolment['id']}/complete"))

    after = rural_indicators(agriculture, year)
    assert after["startup.rural_leaders_trained"] >= before["startup.rural_leaders_trained"] + 1


def test_a_farm_product_showcase_takes_entrants_and_their_sales(api, staff):
    commerce = staff.officer("commerce")
    year = str(clock.today().year)
    before = rural_indicators(commerce, year)
    body = activity_body(
        starts_in=timedelta(hours=-1),
        lasts=timedelta(hours=6),
        title=unique("XX特色农产品展销会"),
        category="product_showcase",
        capacity=50,
    )
    draft = created(commerce.post("/api/v1/activities", json=body))
    showcase = ok(commerce.post(f"/api/v1/activities/{draft['id']}/publish"))
    entrants = f"/api/v1/activities/{showcase['id']}/entrants"

    seller = api.youth(age=24)
    company = api.employer()
    entry = created(seller.post(entrants, json={"products": "高山绿茶、土蜂蜜"}))
    assert entry["entrant_kind"] == "person" and entry["sales_cny"] is None
    created(company.post(entrants, json={"products": "脐橙礼盒"}))
    problem(seller.post(entrants, json={"products": "again"}), 409, "showcase_already_entered")

    music = created(commerce.post("/api/v1/activities", json=activity_body(title=unique("音乐会"))))
    ok(commerce.post(f"/api/v1/activities/{music['id']}/publish"))
    problem(
        seller.post(f"/api/v1/activities/{music['id']}/entrants", json={"products": "茶"}),
        409,
        "not_a_showcase",
    )

    assert len(ok(commerce.get(entrants))["items"]) == 2
    assert [e["id"] for e in ok(seller.get(entrants))["items"]] == [entry["id"]]
    problem(
        seller.post(f"{entrants}/{entry['id']}/sales", json={"sales_cny": "1", "orders": 1}),
        403,
        "role_not_allowed",
    )
    reported = ok(
        commerce.post(
            f"{entrants}/{entry['id']}/sales", json={"sales_cny": "12800.00", "orders": 96}
        )
    )
    assert (reported["sales_cny"], reported["orders"]) == ("12800.00", 96)

    after = rural_indicators(commerce, year)
    assert after["events.showcases_held"] >= before["events.showcases_held"] + 1
    assert after["events.showcase_entrants"] >= before["events.showcase_entrants"] + 2
    assert after["events.showcase_sales_cny"] >= before["events.showcase_sales_cny"] + 12800
