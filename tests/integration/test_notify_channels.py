"""Notify with its real parts: RabbitMQ, the gateway for contact details, a real SMTP server, a
local HTTP server playing Alibaba Cloud SMS, on SQLite and PostgreSQL."""

import time

from prometheus_client import REGISTRY

from tests.support.messaging import wait_for
from tests.support.notify import SMS_KEY_ID

CONFIRMED = "youthcity.events.registration.confirmed"


def registration(person_id: str, title: str = "青年音乐节") -> dict:
    return {
        "registration_id": "reg-1",
        "activity_id": "act-1",
        "person_id": person_id,
        "state": "confirmed",
        "activity_title": title,
        "starts_at": "2026-12-20T06:00:00+00:00",
        "venue": "文化广场",
    }


def duplicates_skipped(event_type: str) -> float:
    labels = {"service": "notify", "event_type": event_type, "outcome": "duplicate"}
    return REGISTRY.get_sample_value("youthcity_events_applied_total", labels) or 0.0


def message_titled(session, title: str):
    items = session.get("/api/v1/me/messages").json()["items"]
    return [m for m in items if m["title"] == title]


def mails_titled(stack, title: str) -> list:
    return [mail for mail in stack.smtp.received() if mail["Subject"] == title]


def delivery(session, message_id: str, channel: str) -> dict:
    view = session.get(f"/api/v1/me/messages/{message_id}").json()
    return next(d for d in view["deliveries"] if d["channel"] == channel)


def test_a_redelivered_event_makes_one_message_and_one_email_read_from_the_smtp_server(
    notify_stack,
):
    stack = notify_stack(sms=False)
    youth = stack.api.youth()
    skipped_before = duplicates_skipped(CONFIRMED)
    event_id = stack.publish("events", "registration.confirmed", registration(youth.id))
    stack.publish("events", "registration.confirmed", registration(youth.id), event_id=event_id)

    (message,) = wait_for(lambda: message_titled(youth, "报名成功:青年音乐节"), message="message")
    (mail,) = wait_for(lambda: mails_titled(stack, "报名成功:青年音乐节"), message="email")
    wait_for(lambda: duplicates_skipped(CONFIRMED) == skipped_before + 1, message="duplicate")
    time.sleep(0.3)
    assert len(message_titled(youth, "报名成功:青年音乐节")) == 1
    assert len(mails_titled(stack, "报名成功:青年音乐节")) == 1

    assert mail["To"] == youth.account["email"]
    assert mail["From"].addresses[0].addr_spec == "notify@youthcity.example"
    assert mail["Content-Language"] == "zh-CN"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["X-Youthcity-Message-Id"] == message["id"]
    assert mail["Message-ID"].startswith(f"<{message['id']}@")
    text = mail.get_content()
    assert "2026-12-20 14:00" in text and "文化广场" in text

    email = wait_for(
        lambda: (d := delivery(youth, message["id"], "email"))["state"] == "delivered" and d
    )
    assert email["attempts"] == 1 and email["reason"] is None
    assert delivery(youth, message["id"], "inapp")["state"] == "delivered"
    outcomes = stack.rows(
        "SELECT type, data FROM outbox WHERE type = 'youthcity.notify.notification.delivered'"
    )
    assert any(message["id"] in data and "@" not in data for _, data in outcomes)


def test_an_english_speaker_gets_the_english_email(notify_stack):
    stack = notify_stack(sms=False)
    body = {
        "username": "alex_en",
        "password": "a-good-password",
        "role": "youth",
        "email": "alex@example.org",
        "locale": "en",
        "profile": {"name": "Alex", "citizen_id": "11010519491231002X"},
    }
    assert stack.api.anonymous.post("/api/v1/accounts", json=body).status_code == 201
    english = stack.api.sign_in(body["username"], body["password"])
    stack.publish("events", "registration.confirmed", registration(english.id))
    (mail,) = wait_for(lambda: mails_titled(stack, "You're registered: 青年音乐节"), message="mail")
    assert mail["To"] == "alex@example.org" and mail["Content-Language"] == "en"
    assert "You have a place" in mail.get_content()


def test_email_retries_a_temporary_refusal_and_records_a_permanent_one_with_its_reason(
    notify_stack,
):
    stack = notify_stack(sms=False)
    youth = stack.api.youth()
    wait_for(lambda: stack.smtp.received(), message="the welcome email")
    stack.smtp.refuse_next("451")
    stack.publish("events", "registration.confirmed", registration(youth.id, "篮球赛"))
    (message,) = wait_for(lambda: message_titled(youth, "报名成功:篮球赛"), message="message")
    email = wait_for(
        lambda: (d := delivery(youth, message["id"], "email"))["state"] == "delivered" and d,
        message="delivered after a retry",
    )
    assert email["attempts"] == 2
    assert len(mails_titled(stack, "报名成功:篮球赛")) == 1

    stack.smtp.refuse_next("550")
    stack.publish("events", "registration.confirmed", registration(youth.id, "读书会"))
    (message,) = wait_for(lambda: message_titled(youth, "报名成功:读书会"), message="message")
    email = wait_for(
        lambda: (d := delivery(youth, message["id"], "email"))["state"] == "failed" and d,
        message="failed for good",
    )
    assert (email["attempts"], email["reason"]) == (1, "smtp_550")
    failed = stack.rows(
        "SELECT data FROM outbox WHERE type = 'youthcity.notify.notification.failed'"
    )
    assert len(failed) == 1 and '"reason":"smtp_550"' in failed[0][0]


def promoted(person_id: str, title: str) -> dict:
    return {**registration(person_id, title), "state": "confirmed"}


def test_an_sms_goes_through_the_provider_signed_as_it_documents_with_retries_and_a_reason(
    notify_stack,
):
    stack = notify_stack(smtp=False)
    youth = stack.api.youth()
    stack.sms.answer_next("isv.BUSINESS_LIMIT_CONTROL")
    stack.publish("events", "registration.promoted", promoted(youth.id, "青年音乐节"))
    (message,) = wait_for(lambda: message_titled(youth, "候补成功:青年音乐节"), message="message")
    sms = wait_for(
        lambda: (d := delivery(youth, message["id"], "sms"))["state"] == "delivered" and d,
        message="the SMS delivered after flow control",
    )
    assert sms["attempts"] == 2
    assert stack.sms.problems == []
    (request,) = stack.sms.requests
    assert request["PhoneNumbers"] == "13800138000"
    assert request["SignName"] == "青春XX" and request["TemplateCode"] == "SMS_000001"
    assert request["OutId"] == message["id"]
    assert request["TemplateParam"] == '{"title": "候补成功:青年音乐节"}'
    assert delivery(youth, message["id"], "email")["reason"] == "channel_not_configured"

    stack.sms.answer_next("isv.MOBILE_NUMBER_ILLEGAL")
    stack.publish("events", "registration.promoted", promoted(youth.id, "篮球赛"))
    (message,) = wait_for(lambda: message_titled(youth, "候补成功:篮球赛"), message="message")
    sms = wait_for(
        lambda: (d := delivery(youth, message["id"], "sms"))["state"] == "failed" and d,
        message="the SMS failed for good",
    )
    assert sms["reason"] == "aliyun_isv.MOBILE_NUMBER_ILLEGAL" and sms["attempts"] == 1
    logged = "".join(row[0] for row in stack.rows("SELECT data FROM outbox"))
    assert "13800138000" not in logged and SMS_KEY_ID not in logged


def test_opting_out_keeps_ordinary_messages_away_but_mandatory_ones_reach_the_inbox(
    notify_stack,
):
    stack = notify_stack()
    youth = stack.api.youth()
    choices = youth.put(
        "/api/v1/me/preferences",
        json={
            "items": [
                {"channel": "inapp", "category": "activities", "enabled": False},
                {"channel": "email", "category": "activities", "enabled": False},
            ]
        },
    )
    assert choices.status_code == 200, choices.text
    off = {(i["channel"], i["category"]) for i in choices.json()["items"] if not i["enabled"]}
    assert off == {("inapp", "activities"), ("email", "activities")}
    unknown = youth.put(
        "/api/v1/me/preferences",
        json={"items": [{"channel": "sms", "category": "nonsense", "enabled": False}]},
    )
    assert unknown.status_code == 422 and unknown.json()["field"] == "items.0.category"

    ordinary = stack.publish("events", "registration.confirmed", registration(youth.id))
    mandatory = stack.publish("events", "registration.promoted", promoted(youth.id, "篮球赛"))
    wait_for(
        lambda: (
            len(
                stack.rows(
                    "SELECT id FROM message WHERE event_id IN (:a, :b)", a=ordinary, b=mandatory
                )
            )
            == 2
        ),
        message="both messages made",
    )
    titles = [m["title"] for m in youth.get("/api/v1/me/messages").json()["items"]]
    assert "候补成功:篮球赛" in titles and "报名成功:青年音乐节" not in titles
    ((hidden_id,),) = stack.rows("SELECT id FROM message WHERE event_id = :e", e=ordinary)
    states = dict(
        stack.rows("SELECT channel, reason FROM delivery WHERE message_id = :m", m=hidden_id)
    )
    assert states == {"inapp": "opted_out", "email": "opted_out"}
    (shown,) = message_titled(youth, "候补成功:篮球赛")
    assert shown["mandatory"] is True
    assert delivery(youth, shown["id"], "email")["reason"] == "opted_out"
    wait_for(lambda: delivery(youth, shown["id"], "sms")["state"] == "delivered", message="sms")
    assert youth.get(f"/api/v1/me/messages/{hidden_id}").status_code == 404
