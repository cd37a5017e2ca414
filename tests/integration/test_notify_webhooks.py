"""Webhooks for other government systems, end to end through the gateway's API: Standard
Webhooks signatures checked by the standardwebhooks library itself, secret rotation, an outage
ridden out in order, disabling after a run of failures, and replays."""

from datetime import UTC, datetime, timedelta

from cloudevents.core.bindings.http import HTTPMessage, from_http_event
from standardwebhooks.webhooks import Webhook

from tests.support.messaging import wait_for


def subscribe(session, url: str, *patterns: str) -> dict:
    answer = session.post("/api/v1/webhooks", json={"url": url, "event_types": list(patterns)})
    assert answer.status_code == 201, answer.text
    return answer.json()


def activity(n: int) -> dict:
    return {
        "activity_id": f"act-{n}",
        "title": f"活动{n}",
        "category": "festival",
        "organiser_unit": "youth_league",
        "area": None,
        "starts_at": "2026-12-20T06:00:00+00:00",
        "ends_at": "2026-12-20T08:00:00+00:00",
        "capacity": 10,
    }


def test_a_delivery_verifies_with_the_libraries_own_verifier_and_after_rotation_with_the_new_secret(
    notify_stack, webhook_receiver
):
    stack = notify_stack(smtp=False, sms=False)
    webhook_receiver.start()
    partner = stack.api.staff("partner")
    stack.grant(partner, "activity_coorganising")
    subscription = subscribe(partner, webhook_receiver.url, "youthcity.events.activity.*")
    assert subscription["secret"].startswith("whsec_") and subscription["state"] == "active"

    event_id = stack.publish("events", "activity.published", activity(1), subject="act-1")
    registration = {"registration_id": "r", "activity_id": "act-1", "person_id": "p", "state": "x"}
    stack.publish("events", "registration.cancelled", registration)  # not subscribed
    (first,) = wait_for(lambda: webhook_receiver.received, message="the first delivery")
    event = Webhook(subscription["secret"]).verify(first.body, first.headers)
    assert (event["id"], event["type"]) == (event_id, "youthcity.events.activity.published")
    assert event["source"] == "/youthcity/events" and event["data"]["title"] == "活动1"
    assert first.headers["content-type"].startswith("application/cloudevents+json")
    assert first.headers["webhook-id"].startswith("msg_")
    decoded = from_http_event(HTTPMessage(first.headers, first.body))  # the official SDK reads it
    assert decoded.get_id() == event_id and decoded.get_data()["activity_id"] == "act-1"

    rotated = partner.post(f"/api/v1/webhooks/{subscription['id']}/secret/rotate")
    assert rotated.status_code == 200, rotated.text
    new_secret = rotated.json()["secret"]
    assert new_secret != subscription["secret"]
    stack.publish("events", "activity.published", activity(2), subject="act-2")
    second = wait_for(lambda: webhook_receiver.received[1:], message="the second delivery")[0]
    assert Webhook(new_secret).verify(second.body, second.headers)["data"]["title"] == "活动2"
    # during the overlap the previous secret still verifies, so a subscriber can switch later
    Webhook(subscription["secret"]).verify(second.body, second.headers)
    assert len(second.headers["webhook-signature"].split(" ")) == 2
    assert len(webhook_receiver.received) == 2

    other = stack.api.staff("partner")
    assert other.get(f"/api/v1/webhooks/{subscription['id']}").status_code == 404
    assert other.get("/api/v1/webhooks").json()["items"] == []
    assert stack.api.youth().get("/api/v1/webhooks").status_code == 403
    bad = partner.post(
        "/api/v1/webhooks", json={"url": webhook_receiver.url, "event_types": ["a..b"]}
    )
    assert bad.status_code == 422 and bad.json()["field"] == "event_types"


def test_a_subscriber_down_for_a_while_gets_every_event_in_order_per_subject_none_missing(
    notify_stack, webhook_receiver
):
    stack = notify_stack(
        smtp=False,
        sms=False,
        webhook_retry_delays=[0.2, 0.4, 0.8] + [1.0] * 15,
        webhook_disable_after_failures=1000,
    )
    partner = stack.api.staff("partner")
    stack.grant(partner, "activity_coorganising")
    subscription = subscribe(partner, webhook_receiver.url, "youthcity.events.activity.#")
    deliveries = f"/api/v1/webhooks/{subscription['id']}/deliveries"

    published: dict[str, list[str]] = {}
    start = datetime.now(UTC)
    for n in range(12):  # the subscriber is down: connections are refused
        subject = f"act-{n % 3}"
        at = start + timedelta(milliseconds=10 * n)
        published.setdefault(subject, []).append(
            stack.publish("events", "activity.published", activity(n), subject=subject, at=at)
        )

    def refused_heads():
        items = partner.get(deliveries, params={"limit": 100}).json()["items"]
        return len(items) == 12 and sum(d["failed_attempts"] >= 2 for d in items) == 3

    wait_for(refused_heads, timeout=15, message="each subject's first event refused twice")
    webhook_receiver.answer_with(503)
    webhook_receiver.start()
    wait_for(lambda: len(webhook_receiver.refused) >= 3, timeout=15, message="503 answers")
    webhook_receiver.answer_with(200)
    wait_for(
        lambda: len(webhook_receiver.received) >= 12, timeout=30, message="every event delivered"
    )

    arrived: dict[str, list[str]] = {}
    for delivery in webhook_receiver.received:
        event = delivery.event
        if event["id"] not in arrived.get(event["subject"], []):
            arrived.setdefault(event["subject"], []).append(event["id"])
    assert arrived == published

    page = partner.get(deliveries, params={"limit": 100}).json()["items"]
    assert {d["state"] for d in page} == {"delivered"}
    assert sum(d["failed_attempts"] >= 1 for d in page) >= 3
    assert {(d["last_status"], d["last_error"]) for d in page} == {(200, None)}

    one = page[0]
    replay = partner.post(f"{deliveries}/{one['id']}/replay")
    assert replay.status_code == 200 and replay.json() == {"replayed": 1}
    wait_for(lambda: len(webhook_receiver.received) >= 13, message="the replayed delivery")
    assert webhook_receiver.received[12].headers["webhook-id"] == one["id"]

    everything = partner.post(
        f"/api/v1/webhooks/{subscription['id']}/replay",
        json={
            "since": (start - timedelta(seconds=1)).isoformat(),
            "until": (datetime.now(UTC) + timedelta(seconds=1)).isoformat(),
        },
    )
    assert everything.json() == {"replayed": 12}
    wait_for(lambda: len(webhook_receiver.received) >= 25, message="the replayed range")
    assert {r.headers["webhook-id"] for r in webhook_receiver.received[13:]} == {
        d["id"] for d in page
    }
    reversed_range = partner.post(
        f"/api/v1/webhooks/{subscription['id']}/replay",
        json={"since": start.isoformat(), "until": start.isoformat()},
    )
    assert reversed_range.status_code == 422


def test_an_endpoint_failing_in_a_row_is_disabled_its_owner_told_and_enabling_resumes_in_order(
    notify_stack, webhook_receiver
):
    stack = notify_stack(smtp=False, sms=False, webhook_disable_after_failures=3)
    webhook_receiver.answer_with(503)
    webhook_receiver.start()
    partner = stack.api.staff("partner")
    stack.grant(partner, "activity_coorganising")
    subscription = subscribe(partner, webhook_receiver.url, "youthcity.events.activity.published")
    path = f"/api/v1/webhooks/{subscription['id']}"

    first = stack.publish("events", "activity.published", activity(1), subject="act-1")
    disabled = wait_for(
        lambda: (s := partner.get(path).json())["state"] == "disabled" and s, message="disabled"
    )
    assert disabled["disabled_reason"] == "consecutive_failures"
    assert disabled["consecutive_failures"] == 3
    # The partner's welcome message may arrive before or after the notice.
    notice = wait_for(
        lambda: [
            m
            for m in partner.get("/api/v1/me/messages").json()["items"]
            if m["title"] == "事件订阅端点已停用"
        ],
        message="owner's notice",
    )
    assert len(notice) == 1 and notice[0]["mandatory"] is True
    assert subscription["id"] in notice[0]["body"]
    assert len(webhook_receiver.refused) == 3

    second = stack.publish("events", "activity.published", activity(2), subject="act-1")
    wait_for(lambda: len(partner.get(f"{path}/deliveries").json()["items"]) == 2, message="held")
    webhook_receiver.answer_with(200)
    assert partner.post(f"{path}/enable").json()["state"] == "active"
    wait_for(lambda: len(webhook_receiver.received) == 2, message="the held deliveries")
    assert [r.event["id"] for r in webhook_receiver.received] == [first, second]
    assert partner.post(f"{path}/enable").status_code == 409
    assert partner.delete(path).status_code == 204
    assert partner.get(path).status_code == 404
