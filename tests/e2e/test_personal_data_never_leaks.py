"""A young person's ID number and phone never appear in a log line, an event on any exchange or a
metric, whatever journey they take through the platform."""

from __future__ import annotations

import random

import requests

from services.common.clock import clock
from tests.support.api import PASSWORD, born_aged, citizen_id, unique
from tests.support.dates import days_ago, district_time
from tests.support.housing import station_room
from tests.support.jobs import employer_body, post_body, unique_area
from tests.support.messaging import Subscriber, wait_for
from tests.support.platform import outboxes_published

EXCHANGES = ("gateway", "jobs", "housing", "startup", "events", "notify")


def test_id_numbers_and_phones_appear_in_no_log_event_or_metric(api, platform, platform_amqp_uri):
    taps = [
        Subscriber(platform_amqp_uri, f"{name}.events", unique(f"pii-{name}")) for name in EXCHANGES
    ]
    number = citizen_id(born_aged(23))
    phone = f"139{random.randrange(10**8):08d}"
    body = {
        "username": unique("youth"),
        "password": PASSWORD,
        "role": "youth",
        "phone": phone,
        "email": f"{unique('mail')}@example.org",
        "profile": {
            "name": "钱多多",
            "citizen_id": number,
            "graduation_date": days_ago(160),
            "employment_status": "unemployed",
            "degree": "bachelor",
        },
    }
    assert api.anonymous.post("/api/v1/accounts", json=body).status_code == 201
    youth = api.sign_in(body["username"], PASSWORD)

    # mistakes that carry the values: in a query string, and in a body refused as invalid
    api.anonymous.get(f"/api/v1/activities?phone={phone}&citizen_id={number}")
    api.anonymous.post(
        "/api/v1/accounts", json={**body, "username": "x", "profile": {"citizen_id": number + "1"}}
    )

    hr = api.staff("officer", unit="hrss")
    area = unique_area()
    employer = api.employer("XX青年创业园")
    registered = employer.post(
        "/api/v1/employers", json=employer_body(area=area, description=f"联系电话 {phone}")
    )
    assert registered.status_code == 201, registered.text
    hr.post(f"/api/v1/employers/{employer.id}/verify", json={"note": "ok"})
    post = employer.post("/api/v1/posts", json=post_body(area=area)).json()
    employer.post(f"/api/v1/posts/{post['id']}/submit")
    hr.post(f"/api/v1/posts/{post['id']}/approve")
    application = youth.post(
        f"/api/v1/posts/{post['id']}/applications", json={"cover_letter": f"电话 {phone}"}
    )
    assert application.status_code == 201, application.text

    housing = api.staff("officer", unit="housing")
    room = station_room(housing, beds=1)
    youth.post(
        "/api/v1/housing/station-bookings",
        json={"unit_id": room["id"], "first_night": clock.today().isoformat(), "nights": 1},
    )

    league = api.staff("officer", unit="youth_league")
    activity = league.post(
        "/api/v1/activities",
        json={
            "title": "夜跑",
            "category": "fitness",
            "venue": "江边",
            "capacity": 5,
            "starts_at": district_time(days=30, hour=19).isoformat(),
            "ends_at": district_time(days=30, hour=21).isoformat(),
        },
    ).json()
    league.post(f"/api/v1/activities/{activity['id']}/publish")
    youth.post(f"/api/v1/activities/{activity['id']}/registrations")
    youth.get("/api/v1/me/data")

    wait_for(
        lambda: youth.get("/api/v1/me/messages").json()["unread"] >= 3,
        timeout=20,
        interval=0.5,
        message="the journey's messages",
    )
    outboxes_published(platform)
    events = [message for tap in taps for _, message in tap.drain_until_quiet()]
    for tap in taps:
        tap.close()
    assert len(events) >= 8

    def text(value) -> str:
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)

    evidence = {
        "events": "\n".join(text(m.body) + text(m.properties) for m in events),
        "logs": platform.log_path.read_text(encoding="utf-8", errors="replace"),
        "metrics": "\n".join(
            requests.get(f"{url}/metrics", timeout=5).text for url in platform.metrics.values()
        ),
    }
    digits = phone[-11:]
    for where, found in evidence.items():
        assert number not in found and number.lower() not in found, (
            f"the ID number is in the {where}"
        )
        assert digits not in found, f"the phone number is in the {where}"
    assert "钱多多" not in evidence["events"] and "钱多多" not in evidence["logs"]
