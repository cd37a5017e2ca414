"""A person's rights over their data (PIPL), across the session's platform: they see everything
held about them, each service's part labelled; after their erasure no table of any service holds
their name, ID number or phone, the indicators count what they counted, and a service that was
down during the erasure applies it when it returns."""

from __future__ import annotations

import json
import os
import signal

from services.common.clock import clock
from services.common.config import database_url_for
from services.common.registry import PROCESSES
from tests.support.api import PASSWORD, unique
from tests.support.dates import days_ago, district_time
from tests.support.housing import station_room
from tests.support.jobs import hire, published_post
from tests.support.messaging import wait_for
from tests.support.platform import process_of
from tests.support.privacy import Identity, found_in_database
from tests.support.startup import business

#: the platform's ERASURE_RETRY_SECONDS (tests/support/platform.py)
RETRY_SECONDS = 2
#: what was still ahead is given up by an erasure (the station bed goes to someone else), and
#: notify may tell of that before it hears of the erasure itself; all that happened still counts
GIVEN_UP = {"housing.station_nights", "housing.station_nights.freed", "notify.messages"}


#: a moment of this module's own: the indicators it compares before and after an erasure are
#: those of 2032, which no other test of the session's platform touches
OWN_PERIOD = "2032-03-09T10:00:00+08:00"


def a_person(api, who: Identity):
    body = {
        "username": unique("youth"),
        "password": PASSWORD,
        "role": "youth",
        "phone": who.phone,
        "profile": {
            "name": who.name,
            "citizen_id": who.id_number,
            "graduation_date": days_ago(160),
            "employment_status": "unemployed",
            "degree": "bachelor",
        },
    }
    assert api.anonymous.post("/api/v1/accounts", json=body).status_code == 201, body
    return api.sign_in(body["username"], PASSWORD)


def records_in_every_service(api, youth, who: Identity) -> dict:
    """A hire, a station stay, a business registration and an activity place, each with the
    person's details where a person would write them; returns the ids made."""
    employer, post = published_post(api, api.staff("officer", unit="hrss"))
    hire(employer, youth, post["id"], cover_letter=who.in_words())

    housing = api.staff("officer", unit="housing")
    bed = station_room(housing, beds=2)
    stay = youth.post(
        "/api/v1/housing/station-bookings",
        json={"unit_id": bed["id"], "first_night": clock.today().isoformat(), "nights": 2},
    )
    assert stay.status_code == 201, stay.text

    founders = [{"name": who.name, "share_percent": "100"}]
    registration = youth.post("/api/v1/startup/registrations", json=business(founders=founders))
    assert registration.status_code == 201, registration.text

    league = api.staff("officer", unit="youth_league")
    activity = league.post(
        "/api/v1/activities",
        json={
            "title": "青年读书会",
            "category": "youth_mixer",
            "venue": "青年之家",
            "capacity": 10,
            "starts_at": district_time(days=30, hour=19).isoformat(),
            "ends_at": district_time(days=30, hour=21).isoformat(),
        },
    ).json()
    league.post(f"/api/v1/activities/{activity['id']}/publish")
    place = youth.post(f"/api/v1/activities/{activity['id']}/registrations")
    assert place.status_code == 201, place.text
    wait_for(
        lambda: youth.get("/api/v1/me/messages").json()["unread"] >= 3,
        timeout=30,
        interval=0.5,
        message="the journey's messages in the inbox",
    )
    return {"stay": stay.json()["id"], "place": place.json()["id"]}


def figures(api) -> dict:
    officer = api.staff("officer", unit="hrss")
    answer = officer.get("/api/v1/indicators").json()
    return {i["code"]: i["value"] for task in answer["tasks"] for i in task["indicators"]}


def erase(api, youth) -> str:
    asked = youth.post("/api/v1/me/erasure")
    assert asked.status_code == 202, asked.text
    confirmed = api.admin().post(f"/api/v1/admin/erasures/{asked.json()['id']}/confirm")
    assert confirmed.status_code == 200, confirmed.text
    return asked.json()["id"]


def erasure(api, erasure_id: str) -> dict:
    items = api.admin().get("/api/v1/admin/erasures").json()["items"]
    return next(item for item in items if item["id"] == erasure_id)


def test_a_person_sees_everything_held_then_is_erased_everywhere_and_the_counts_stay(
    api, platform, platform_clock
):
    platform_clock(OWN_PERIOD)
    who = Identity.new()
    youth = a_person(api, who)
    made = records_in_every_service(api, youth, who)

    export = youth.get("/api/v1/me/data")
    assert export.status_code == 200, export.text
    parts = export.json()["parts"]
    assert set(parts) == set(PROCESSES)
    text = {name: json.dumps(part, ensure_ascii=False) for name, part in parts.items()}
    assert who.id_number in text["gateway"] and who.phone in text["gateway"]
    assert who.name in text["jobs"] and who.name in text["startup"]
    assert made["stay"] in text["housing"] and made["place"] in text["events"]
    assert len(parts["notify"]["messages"]) >= 3
    before = figures(api)

    erasure_id = erase(api, youth)
    wait_for(
        lambda: erasure(api, erasure_id)["status"] == "completed",
        timeout=60,
        interval=0.5,
        message="every service applying the erasure",
    )
    assert set(_states(api, erasure_id).values()) == {"applied"}

    for service in PROCESSES:
        url = database_url_for(service, platform.env)
        assert found_in_database(url, who.details) == {}, f"{service} still holds them"
    after = figures(api)
    assert {code: after[code] for code in before if code not in GIVEN_UP} == {
        code: value for code, value in before.items() if code not in GIVEN_UP
    }
    gone = youth.get("/api/v1/me/data")
    assert gone.status_code == 401
    assert gone.headers["Content-Type"].startswith("application/problem+json")


def test_a_service_down_during_the_erasure_applies_it_when_it_returns(
    api, platform, platform_clock
):
    platform_clock(OWN_PERIOD)
    who = Identity.new()
    youth = a_person(api, who)
    records_in_every_service(api, youth, who)
    housing = process_of(platform, "housing")
    os.kill(housing, signal.SIGSTOP)  # down: it holds its queue but takes nothing from it
    try:
        erasure_id = erase(api, youth)
        wait_for(
            lambda: _states(api, erasure_id)["notify"] == "applied",
            timeout=30,
            interval=0.5,
            message="the services that are up applying the erasure",
        )
        states = _states(api, erasure_id)
        assert states["housing"] != "applied" and erasure(api, erasure_id)["status"] != "completed"
        asked = next(s for s in erasure(api, erasure_id)["services"] if s["service"] == "housing")
        wait_for(lambda: _asked(api, erasure_id) > asked["times_asked"], timeout=RETRY_SECONDS * 5)
    finally:
        os.kill(housing, signal.SIGCONT)
    wait_for(
        lambda: erasure(api, erasure_id)["status"] == "completed",
        timeout=60,
        interval=0.5,
        message="housing applying the erasure once it is back",
    )
    url = database_url_for("housing", platform.env)
    assert found_in_database(url, who.details) == {}


def _states(api, erasure_id: str) -> dict:
    return {s["service"]: s["status"] for s in erasure(api, erasure_id)["services"]}


def _asked(api, erasure_id: str) -> int:
    services = erasure(api, erasure_id)["services"]
    return next(s["times_asked"] for s in services if s["service"] == "housing")
