"""The 15-minute fitness circle in the browser (issue 28, plan 三.4): the education and sports
bureau puts a school ground on the map with a bookable slot; a young person finds it within a
15-minute walk and books a place, then books counselling with their separate consent; the health
commission's officer sees the booking in their queue and schedules it, while another unit's
officer sees no counselling at all; a company asks for a mental-health session, which the
health commission schedules."""

from __future__ import annotations

import random
import uuid

from tests.support.api import PASSWORD
from tests.support.dates import days_ahead


def test_a_young_person_books_a_slot_near_them_and_counselling_the_health_unit_schedules(
    console, console_api
):
    api = console_api
    keeper = api.staff("officer", unit="education_sports")
    health = api.staff("officer", unit="health")
    youth = api.youth(age=21)
    tag = uuid.uuid4().hex[:6]
    name, area = f"0{tag} 实验中学操场", f"城南{tag}"
    lat, lng = round(random.uniform(24, 40), 5), round(random.uniform(100, 120), 5)

    console.sign_in(keeper.account["username"], PASSWORD, "/review")
    console.go("/circle/keep")
    console.fill(
        "venue",
        {
            "name": name,
            "kind": "school_ground",
            "area": area,
            # about 445 m north, typed as a map gives it (five decimals): lat + 0.004 in binary
            # floating point has a tail of nines the form would send as typed
            "latitude": round(lat + 0.004, 5),
            "longitude": lng,
        },
    )
    console.submit("venue")
    console.wait_text('form[data-form="venue"]', "已保存")
    [venue] = keeper.get("/api/v1/venues", params={"area": area}).json()["items"]
    assert (venue["latitude"], venue["kind"]) == (round(lat + 0.004, 5), "school_ground")
    console.fill(
        "slot",
        {
            "venue_id": venue["id"],
            "starts_at": f"{days_ahead(1)}T18:00",
            "ends_at": f"{days_ahead(1)}T20:00",
            "capacity": 2,
        },
    )
    console.submit("slot")
    console.wait_text('form[data-form="slot"]', "已保存")
    [slot] = api.anonymous.get(f"/api/v1/venues/{venue['id']}/slots").json()["items"]
    assert (slot["capacity"], slot["places_left"]) == (2, 2)
    console.screenshot("keeper-circle")
    console.sign_out()

    console.sign_in(youth.account["username"], PASSWORD, "/dashboard")
    console.go("/circle")
    console.fill("near", {"near": f"{lat},{lng}", "minutes": 15})
    console.submit("near")
    console.wait_text(f'section[data-venue="{venue["id"]}"]', "步行约")
    console.click(f'[data-action="slots-{venue["id"]}"]')
    console.click(f'[data-action="book-{slot["id"]}"]')
    console.wait_text('[data-results="my-slot-bookings"]', "已预约")
    console.wait_text(f'[data-places="{slot["id"]}"]', "1")
    [booking] = youth.get("/api/v1/me/slot-bookings").json()["items"]
    assert (booking["state"], booking["slot"]["id"]) == ("booked", slot["id"])
    console.screenshot("youth-circle")

    concern = f"考试前总是焦虑 {tag}"
    console.go("/counselling")
    console.wait_text('[data-consent-text="counselling"]', "单独同意")
    console.fill("counselling", {"mode": "in_person", "concern": concern})
    console.submit("counselling")
    console.wait_text('form[data-form="counselling"] .status', "须单独同意")  # refused
    console.fill("counselling", {"consent": True})
    console.submit("counselling")
    console.wait_text('form[data-form="counselling"]', "已保存")
    console.wait_text('[data-results="my-counselling"]', "待安排")
    [mine] = youth.get("/api/v1/me/counselling").json()["items"]
    console.sign_out()

    console.sign_in(keeper.account["username"], PASSWORD, "/review")
    console.go("/mental-health")
    console.find('form[data-form="outreach"]')
    assert concern not in console.text()
    console.sign_out()

    company = api.employer()
    organisation = f"XX科技有限公司 {tag}"
    console.sign_in(company.account["username"], PASSWORD, "/employer")
    console.go("/mental-health")
    console.fill(
        "outreach",
        {
            "setting": "enterprise",
            "organisation": organisation,
            "audience_size": 60,
            "preferred_from": days_ahead(3),
            "preferred_until": days_ahead(20),
        },
    )
    console.submit("outreach")
    console.wait_text('[data-results="outreach"]', organisation)
    [request] = company.get("/api/v1/mental-health/outreach").json()["items"]
    console.sign_out()

    console.sign_in(health.account["username"], PASSWORD, "/review")
    console.go("/mental-health")
    console.wait_text('[data-results="outreach"]', organisation)
    when = console.find(f"#when-outreach-{request['id']}")
    console.driver.execute_script(
        "arguments[0].value = arguments[1]", when, f"{days_ahead(5)}T14:30"
    )
    console.find(f"#place-outreach-{request['id']}").send_keys("公司三楼会议室")
    console.click(f'[data-action="schedule-outreach-{request["id"]}"]')
    # the row of this request (another test's session may be at a room of the same name), so
    # that its refresh has replaced the counselling queue before anyone types into it
    console.wait_text(f"tr:has(#when-outreach-{request['id']})", "公司三楼会议室")
    console.wait_text(f'[data-counselling="{mine["id"]}"]', concern)
    when = console.find(f"#when-counselling-{mine['id']}")
    console.driver.execute_script(
        "arguments[0].value = arguments[1]", when, f"{days_ahead(2)}T10:00"
    )
    console.find(f"#place-counselling-{mine['id']}").send_keys("城关青年之家")
    console.click(f'[data-action="schedule-counselling-{mine["id"]}"]')
    # the health unit sees every booking (other tests' too): the row of this one says so
    console.wait_text(f'tr:has([data-counselling="{mine["id"]}"])', "已安排")
    console.screenshot("health-counselling")
    console.sign_out()
    assert company.get(f"/api/v1/mental-health/outreach/{request['id']}").json()["state"] == (
        "scheduled"
    )
    [scheduled] = youth.get("/api/v1/me/counselling").json()["items"]
    assert (scheduled["state"], scheduled["place"]) == ("scheduled", "城关青年之家")
