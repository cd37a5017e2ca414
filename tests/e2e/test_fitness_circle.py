"""The 15-minute circle (15分钟健身圈, plan 三.4) over HTTP through the gateway: the education and
sports bureau puts venues on the map and offers a school ground's slots; a young person finds the
venues within 15 minutes' walk and books a slot whose capacity holds; the bureau keeps the club
register; a company asks for a mental-health session that the health commission schedules and
holds; a counselling booking is seen by its person and the health commission only, leaves no
detail on any exchange, and counts in the indicators."""

from __future__ import annotations

import json
import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.common.clock import clock
from tests.support.api import unique
from tests.support.events import Staff, venue_body
from tests.support.messaging import Subscriber, wait_for
from tests.support.platform import outboxes_published

DISTRICT = ZoneInfo("Asia/Shanghai")
#: metres of one degree of latitude (services/events/circle.py)
METRES_PER_DEGREE = 111_195


@pytest.fixture(scope="module")
def staff(api):
    return Staff(api)


def problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code and body["status"] == status
    return body


def figures(session) -> dict:
    """This month's indicator values, once every service answered."""
    period = clock.today().strftime("%Y-%m")

    def complete():
        answer = session.get("/api/v1/indicators", params={"period": period}).json()
        if answer["degraded"]:
            return None
        return {i["code"]: i["value"] for task in answer["tasks"] for i in task["indicators"]}

    return wait_for(complete, timeout=60, interval=1, message="a complete indicators answer")


def tomorrow_at(hour: int) -> datetime:
    day = datetime.now(DISTRICT).date() + timedelta(days=1)
    return datetime.combine(day, time(hour), tzinfo=DISTRICT)


def test_a_young_person_finds_venues_within_a_walk_and_books_a_slot_that_never_overbooks(
    api, staff
):
    keeper = staff.officer("education_sports")
    before = figures(keeper)
    # a point of our own, far from any other test's venues
    lat, lng = round(random.uniform(24, 40), 5), round(random.uniform(100, 120), 5)
    north_500m = lat + 500 / METRES_PER_DEGREE
    ground = keeper.post(
        "/api/v1/venues",
        json=venue_body(
            name=unique("实验中学操场"),
            kind="school_ground",
            latitude=north_500m,
            longitude=lng,
        ),
    )
    assert ground.status_code == 201, ground.text
    assert (ground.json()["latitude"], ground.json()["datum"]) == (north_500m, "GCJ-02")
    far = keeper.post(
        "/api/v1/venues",
        json=venue_body(name=unique("远郊体育公园"), latitude=lat + 0.02, longitude=lng),
    )
    assert far.status_code == 201, far.text
    half = keeper.post("/api/v1/venues", json=venue_body(name="半个坐标", latitude=lat))
    assert problem(half, 422, "validation_failed")["errors"][0]["field"] == "longitude"

    anna, bo, chen = api.youth(), api.youth(), api.youth()
    near = anna.get("/api/v1/venues", params={"near": f"{lat},{lng}", "minutes": 15})
    assert near.status_code == 200, near.text
    (found,) = near.json()["items"]
    assert found["id"] == ground.json()["id"]
    assert found["distance_m"] == pytest.approx(500, abs=2)
    assert found["walking_minutes"] == pytest.approx(500 * 1.3 / 75, abs=0.1)
    wider = anna.get("/api/v1/venues", params={"near": f"{lat},{lng}", "minutes": 60}).json()
    assert [v["id"] for v in wider["items"]] == [ground.json()["id"], far.json()["id"]]
    for locale, words in (("zh-CN", "纬度,经度"), ("en", "latitude,longitude")):
        bad = anna.get(
            "/api/v1/venues", params={"near": "north"}, headers={"Accept-Language": locale}
        )
        body = problem(bad, 422, "validation_failed")
        assert body["errors"][0]["field"] == "near" and words in body["errors"][0]["message"]
    problem(anna.get("/api/v1/venues", params={"minutes": 15}), 422, "validation_failed")

    slot = keeper.post(
        f"/api/v1/venues/{ground.json()['id']}/slots",
        json={
            "starts_at": tomorrow_at(18).isoformat(),
            "ends_at": tomorrow_at(20).isoformat(),
            "capacity": 2,
        },
    )
    assert slot.status_code == 201, slot.text
    closed = keeper.post(
        f"/api/v1/venues/{ground.json()['id']}/slots",
        json={
            "starts_at": tomorrow_at(21).isoformat(),
            "ends_at": tomorrow_at(23).isoformat(),
            "capacity": 2,
        },
    )
    assert problem(closed, 422, "validation_failed")["errors"][0]["field"] == "starts_at"
    problem(
        staff.officer("health").post(
            f"/api/v1/venues/{ground.json()['id']}/slots",
            json={
                "starts_at": tomorrow_at(8).isoformat(),
                "ends_at": tomorrow_at(9).isoformat(),
                "capacity": 1,
            },
        ),
        403,
        "not_venue_keeper",
    )

    slot_id = slot.json()["id"]
    first = anna.post(f"/api/v1/slots/{slot_id}/bookings")
    assert first.status_code == 201, first.text
    assert bo.post(f"/api/v1/slots/{slot_id}/bookings").status_code == 201
    full = chen.in_english().post(f"/api/v1/slots/{slot_id}/bookings")
    assert "full" in problem(full, 409, "slot_full")["title"]
    listed = anna.get(f"/api/v1/venues/{ground.json()['id']}/slots").json()["items"]
    assert [(s["booked_count"], s["places_left"]) for s in listed] == [(2, 0)]

    given_up = anna.post(f"/api/v1/me/slot-bookings/{first.json()['id']}/cancel")
    assert given_up.status_code == 200 and given_up.json()["state"] == "cancelled"
    assert chen.post(f"/api/v1/slots/{slot_id}/bookings").status_code == 201
    problem(bo.post(f"/api/v1/me/slot-bookings/{first.json()['id']}/cancel"), 404, "not_found")
    mine = chen.get("/api/v1/me/slot-bookings").json()["items"]
    assert [(b["state"], b["slot"]["venue"]) for b in mine] == [("booked", ground.json()["name"])]

    club = keeper.post(
        "/api/v1/sports-clubs",
        json={
            "name": unique("青翼篮球俱乐部"),
            "sports": ["basketball"],
            "area": "城关街道",
            "venue_id": ground.json()["id"],
            "youth_members": 45,
        },
    )
    assert club.status_code == 201, club.text
    register = api.anonymous.get("/api/v1/sports-clubs", params={"limit": 100}).json()["items"]
    assert club.json()["id"] in [c["id"] for c in register]

    after = figures(keeper)
    assert after["events.venues_located"] - before["events.venues_located"] == 2
    assert after["events.slot_bookings"] - before["events.slot_bookings"] == 3
    assert after["events.sports_clubs"] - before["events.sports_clubs"] == 1


def test_a_company_asks_for_a_mental_health_session_and_the_health_commission_holds_it(api, staff):
    company = api.employer()
    health = staff.officer("health")
    before = figures(health)
    asked = company.post(
        "/api/v1/mental-health/outreach",
        json={
            "setting": "enterprise",
            "organisation": unique("XX科技有限公司"),
            "topic": "职场压力与情绪调节",
            "audience_size": 60,
            "preferred_from": (clock.today() + timedelta(days=3)).isoformat(),
            "preferred_until": (clock.today() + timedelta(days=20)).isoformat(),
        },
    )
    assert asked.status_code == 201, asked.text
    request_id = asked.json()["id"]
    queue = health.get("/api/v1/mental-health/outreach", params={"state": "requested"})
    assert request_id in [r["id"] for r in queue.json()["items"]]
    other = staff.officer("culture_tourism")
    problem(other.get(f"/api/v1/mental-health/outreach/{request_id}"), 404, "not_found")

    scheduled = health.post(
        f"/api/v1/mental-health/outreach/{request_id}/schedule",
        json={"scheduled_at": tomorrow_at(14).isoformat(), "place": "公司三楼会议室"},
    )
    assert scheduled.status_code == 200, scheduled.text
    assert scheduled.json()["state"] == "scheduled"
    held = health.post(f"/api/v1/mental-health/outreach/{request_id}/hold", json={"attendance": 52})
    assert held.status_code == 200 and held.json()["state"] == "held"
    seen = company.get(f"/api/v1/mental-health/outreach/{request_id}").json()
    assert (seen["state"], seen["place"], seen["attendance"]) == ("held", "公司三楼会议室", 52)

    after = figures(health)
    assert after["events.outreach_requested"] - before["events.outreach_requested"] == 1
    assert after["events.outreach_held"] - before["events.outreach_held"] == 1
    assert after["events.outreach_attendance"] - before["events.outreach_attendance"] == 52


def test_a_counselling_booking_is_seen_by_its_person_and_the_health_commission_only(
    api, staff, platform, platform_amqp_uri
):
    tap = Subscriber(platform_amqp_uri, "events.events", unique("counselling-tap"))
    person, health = api.youth(), staff.officer("health")
    before = figures(health)
    concern = unique("最近总是失眠")
    without = person.post("/api/v1/me/counselling", json={"mode": "online", "concern": concern})
    assert problem(without, 422, "validation_failed")["errors"][0]["field"] == "consent"
    refused = person.post(
        "/api/v1/me/counselling", json={"mode": "online", "concern": concern, "consent": False}
    )
    body = problem(refused, 422, "validation_failed")
    assert (body["field"], body["errors"][0]["code"]) == ("consent", "consent_required")
    booked = person.post(
        "/api/v1/me/counselling", json={"mode": "in_person", "concern": concern, "consent": True}
    )
    assert booked.status_code == 201, booked.text
    booking = booked.json()
    assert booking["consent_version"] and booking["consented_at"]

    queue = health.get("/api/v1/mental-health/counselling").json()["items"]
    assert concern in [b["concern"] for b in queue]
    for stranger in (staff.officer("education_sports"), staff.admin(), api.youth()):
        answer = stranger.get(f"/api/v1/mental-health/counselling/{booking['id']}")
        assert answer.status_code in (403, 404), answer.text
        assert concern not in answer.text
    problem(
        staff.officer("youth_league").get("/api/v1/mental-health/counselling"),
        403,
        "not_health_officer",
    )

    scheduled = health.post(
        f"/api/v1/mental-health/counselling/{booking['id']}/schedule",
        json={"scheduled_at": tomorrow_at(10).isoformat(), "place": "城关青年之家 心理咨询室"},
    )
    assert scheduled.status_code == 200, scheduled.text
    mine = person.get("/api/v1/me/counselling").json()["items"]
    assert [(b["state"], b["place"]) for b in mine] == [("scheduled", "城关青年之家 心理咨询室")]
    export = person.get("/api/v1/me/data").json()["parts"]["events"]
    assert [b["concern"] for b in export["counselling_bookings"]] == [concern]

    after = figures(health)
    assert after["events.counselling_booked"] - before["events.counselling_booked"] == 1

    outboxes_published(platform)
    published = [json.loads(message.body) for _, message in tap.drain_until_quiet()]
    tap.close()
    about = [e for e in published if e["type"].startswith("youthcity.events.counselling.")]
    assert [e["type"].rsplit(".", 1)[-1] for e in about] == ["requested", "scheduled"]
    everything = json.dumps(published, ensure_ascii=False)
    assert concern not in everything and "青年之家 心理咨询室" not in everything
    for event in about:
        assert set(event["data"]) == {"booking_id", "state"}
