"""Notify's part in a person's data rights (PIPL), with the real gateway, SMTP server, SMS
provider and webhook subscriber, on SQLite and PostgreSQL: the export shows the messages (whose
texts may quote what officers wrote about the person), their deliveries and the preferences;
after the gateway's erasure nothing in notify's database names or reaches the person, the counts
hold, and an event about them that arrives later recreates nothing."""

import json

from tests.support.api import PASSWORD, born_aged, citizen_id, unique
from tests.support.messaging import Subscriber, wait_for
from tests.support.notify import publish_event
from tests.support.privacy import found_in_database, row_counts

NAME, PHONE, EMAIL = "林晓雨", "13912345678", "lin.xiaoyu@example.com"
ID_NUMBER = citizen_id(born_aged(24))
CANCELLED, REJECTED = "活动取消:青年音乐节", "您的故事未通过审核"


def activity_cancelled(person_id: str, title: str = "青年音乐节") -> dict:
    return {
        "registration_id": "reg-1",
        "activity_id": "act-1",
        "person_id": person_id,
        "state": "cancelled",
        "activity_title": title,
        "starts_at": "2026-12-20T06:00:00+00:00",
        "venue": "文化广场",
        "waitlist_position": None,
        "reason": f"负责人{NAME}({PHONE})通知:场地维修",
    }


def story_rejected(person_id: str) -> dict:
    return {
        "story_id": "story-1",
        "author_id": person_id,
        "state": "rejected",
        "submitted_at": "2026-12-01T02:00:00+00:00",
        "published_at": None,
        "reason": f"请勿在故事中留下联系方式 {EMAIL}",
    }


def types_of(subscriber: Subscriber, short_type: str, count: int = 999, timeout: float = 0.3):
    found = []
    for _, message in subscriber.drain(until_count=count, timeout=timeout):
        event = json.loads(message.body)
        if event["type"].endswith(f".{short_type}"):
            found.append(event)
    return found


def test_an_erased_person_leaves_no_message_contact_or_choice_and_later_events_recreate_none(
    notify_stack, webhook_receiver
):
    stack = notify_stack()
    webhook_receiver.start()
    partner = stack.api.staff("partner")
    stack.grant(partner, "activity_coorganising", "youth_stories")
    subscribed = partner.post(
        "/api/v1/webhooks",
        json={
            "url": webhook_receiver.url,
            "event_types": [
                "youthcity.events.registration.#",
                "youthcity.events.story.#",
                "youthcity.gateway.person.erased",
            ],
        },
    )
    assert subscribed.status_code == 201, subscribed.text
    account = {
        "username": unique("youth"),
        "password": PASSWORD,
        "role": "youth",
        "phone": PHONE,
        "email": EMAIL,
        "profile": {"name": NAME, "citizen_id": ID_NUMBER},
    }
    assert stack.api.anonymous.post("/api/v1/accounts", json=account).status_code == 201
    youth = stack.api.sign_in(account["username"], PASSWORD)
    person = youth.id
    choice = {"items": [{"channel": "email", "category": "activities", "enabled": False}]}
    assert youth.put("/api/v1/me/preferences", json=choice).status_code == 200
    stack.publish("events", "registration.activity_cancelled", activity_cancelled(person))
    stack.publish("events", "story.rejected", story_rejected(person))

    def titles():
        return {m["title"] for m in youth.get("/api/v1/me/messages").json()["items"]}

    wait_for(lambda: {CANCELLED, REJECTED} <= titles(), timeout=20, message="the messages")
    wait_for(
        lambda: stack.rows("SELECT count(*) FROM delivery WHERE state = 'pending'")[0][0] == 0,
        timeout=20,
        message="every delivery settled",
    )
    wait_for(lambda: len(webhook_receiver.received) >= 2, timeout=20, message="webhooks sent")
    assert any(mail["To"] == EMAIL for mail in stack.smtp.received())

    with stack.rpc(as_person=person) as cluster:
        export = cluster.notify.export_person()
        by_title = {m["title"]["zh-CN"]: m for m in export["messages"]}
        assert NAME in by_title[CANCELLED]["body"]["zh-CN"]
        assert EMAIL in by_title[REJECTED]["body"]["en"]
        assert {d["channel"] for d in by_title[CANCELLED]["deliveries"]} == {
            "inapp",
            "email",
            "sms",
        }
        assert export["preferences"] == [
            {
                "channel": "email",
                "category": "activities",
                "enabled": False,
                "updated_at": export["preferences"][0]["updated_at"],
            }
        ]
        held = (
            len(export["messages"])
            + sum(len(m["deliveries"]) for m in export["messages"])
            + len(export["preferences"])
            + 2  # the two webhook copies of events naming the person
        )
        before = cluster.notify.indicators(since="2020-01-01", until="2100-01-01")
    rows_before = row_counts(stack.notify_url, ("message", "delivery"))

    erasures = Subscriber(stack.amqp_uri, "gateway.events", unique("erasure-tap"))
    answers = Subscriber(stack.amqp_uri, "notify.events", unique("anonymised-tap"))
    asked = youth.post("/api/v1/me/erasure")
    admin = stack.api.admin()
    assert admin.post(f"/api/v1/admin/erasures/{asked.json()['id']}/confirm").status_code == 200
    wait_for(lambda: types_of(answers, "person.anonymised"), timeout=20, message="the answer")
    (erased,) = types_of(erasures, "person.erased")
    again = publish_event(
        stack.amqp_uri, "gateway", "person.erased", erased["data"], event_id=erased["id"]
    )
    assert again == erased["id"]  # redelivered: the inbox skips it
    publish_event(stack.amqp_uri, "gateway", "person.erased", erased["data"])  # asked again
    wait_for(lambda: len(types_of(answers, "person.anonymised")) == 2, timeout=20, message="2nd")
    answered = types_of(answers, "person.anonymised", timeout=1)
    erasure_id = asked.json()["id"]
    assert [a["data"] for a in answered] == [
        {"person_id": person, "erasure_id": erasure_id, "records": held},
        {"person_id": person, "erasure_id": erasure_id, "records": 0},
    ]
    for answer in answered:
        text = json.dumps(answer, ensure_ascii=False)
        assert not any(detail in text for detail in (NAME, PHONE, EMAIL, ID_NUMBER))

    def notify_applied():
        states = admin.get("/api/v1/admin/erasures").json()["items"][0]["services"]
        return [s for s in states if s["service"] == "notify" and s["status"] == "applied"]

    (applied,) = wait_for(notify_applied, timeout=20, message="the gateway saw the answer")
    assert applied["records"] == held

    # sent before the erasure, arriving after it: no message, and the partner gets no data
    late = stack.publish(
        "events", "registration.activity_cancelled", activity_cancelled(person, "篮球赛")
    )
    copy = wait_for(
        lambda: [r.body for r in webhook_receiver.received if late.encode() in r.body],
        timeout=20,
        message="the late event's webhook copy",
    )[0]
    assert json.loads(copy)["data"] == {} and json.loads(copy)["datawithheld"] == "erasure"
    notice = [
        json.loads(r.body)
        for r in webhook_receiver.received
        if b"youthcity.gateway.person.erased" in r.body
    ]
    assert notice and notice[0]["data"]["person_id"] == person  # partners are told whole

    details = {"name": NAME, "phone": PHONE, "email": EMAIL, "id number": ID_NUMBER}
    assert found_in_database(stack.notify_url, details) == {}
    # the id stays in the history of published events, the erased list, and the erasure
    # notices queued for partners; nowhere else
    assert (
        found_in_database(
            stack.notify_url,
            {"person id": person},
            skip=("outbox", "erased_person", "webhook_delivery"),
        )
        == {}
    )
    naming = stack.rows(
        "SELECT event_type FROM webhook_delivery WHERE payload LIKE :id", id=f"%{person}%"
    )
    assert {event_type for (event_type,) in naming} == {"youthcity.gateway.person.erased"}

    assert row_counts(stack.notify_url, ("message", "delivery")) == rows_before
    with stack.rpc() as cluster:
        after = cluster.notify.indicators(since="2020-01-01", until="2100-01-01")
        assert {k: v for k, v in after.items() if k.startswith("notify.messages")} == {
            k: v for k, v in before.items() if k.startswith("notify.messages")
        }
    with stack.rpc(as_person=person) as cluster:
        assert cluster.notify.export_person() == {"messages": [], "preferences": []}
    erasures.close()
    answers.close()
