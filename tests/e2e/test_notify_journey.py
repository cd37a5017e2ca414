"""Notify through the platform as `make run` starts it: the event catalogue, an administrator's
template edit, a partner system's webhook, and the young person's inbox and preferences."""

from standardwebhooks.webhooks import Webhook

from tests.support.dates import district_time
from tests.support.messaging import wait_for

CANCELLED = "/api/v1/admin/templates/events/registration.cancelled"


def test_the_event_catalogue_is_served_as_asyncapi(api):
    answer = api.anonymous.get("/api/v1/asyncapi.json")
    assert answer.status_code == 200
    document = answer.json()
    assert document["asyncapi"] == "3.0.0"
    channel = document["channels"]["events-registration-confirmed"]
    assert channel["address"] == "youthcity.events.registration.confirmed"
    assert channel["bindings"]["amqp"]["exchange"]["name"] == "events.events"
    assert "notify-webhook-endpoint_disabled" in document["channels"]
    paths = api.anonymous.get("/api/v1/openapi.json").json()["paths"]
    assert paths["/api/v1/webhooks"]["post"]["x-roles"] == ["partner", "admin"]


def test_a_registration_and_its_cancellation_reach_the_inbox_and_a_partners_webhook(
    api, webhook_receiver
):
    receiver = webhook_receiver.start()
    admin = api.admin()
    edited = admin.put(
        CANCELLED,
        json={
            "recipient": "person_id",
            "category": "activities",
            "title": {"zh-CN": "已取消报名:{activity_title}", "en": "Cancelled: {activity_title}"},
            "body": {"zh-CN": "您已取消报名。", "en": "Your registration is cancelled."},
        },
    )
    assert edited.status_code == 200, edited.text
    partner = api.staff("partner")
    granted = admin.put(
        f"/api/v1/partners/{partner.id}/purposes/activity_coorganising",
        json={"reference": "青年活动协办协议"},
    )
    assert granted.status_code == 200, granted.text
    subscription = partner.post(
        "/api/v1/webhooks",
        json={"url": receiver.url, "event_types": ["youthcity.events.registration.*"]},
    ).json()

    officer = api.staff("officer", unit="youth_league")
    activity = officer.post(
        "/api/v1/activities",
        json={
            "title": "青年读书会",
            "category": "training",
            "venue": "图书馆",
            "starts_at": district_time(days=30, hour=14).isoformat(),
            "ends_at": district_time(days=30, hour=16).isoformat(),
            "capacity": 20,
        },
    ).json()
    officer.post(f"/api/v1/activities/{activity['id']}/publish")
    youth = api.youth()
    registration = youth.post(f"/api/v1/activities/{activity['id']}/registrations").json()
    cancel = youth.post(f"/api/v1/me/registrations/{registration['id']}/cancel")
    assert cancel.status_code == 200, cancel.text

    def titles():
        return [m["title"] for m in youth.get("/api/v1/me/messages").json()["items"]]

    wait_for(lambda: "已取消报名:青年读书会" in titles(), timeout=15, message="the notice")
    assert "报名成功:青年读书会" in titles()
    message = youth.get("/api/v1/me/messages").json()["items"][0]
    detail = youth.get(f"/api/v1/me/messages/{message['id']}").json()
    channels = {d["channel"]: (d["state"], d["reason"]) for d in detail["deliveries"]}
    assert channels == {
        "inapp": ("delivered", None),
        "email": ("skipped", "channel_not_configured"),  # the platform has no SMTP_URL here
    }

    wait_for(lambda: len(receiver.received) >= 2, timeout=15, message="both webhooks")
    events = [Webhook(subscription["secret"]).verify(r.body, r.headers) for r in receiver.received]
    assert [e["type"] for e in events] == [
        "youthcity.events.registration.confirmed",
        "youthcity.events.registration.cancelled",
    ]
    assert {e["subject"] for e in events} == {registration["id"]}
    assert "name" not in events[0]["data"] and "phone" not in events[0]["data"]

    preferences = youth.get("/api/v1/me/preferences").json()["items"]
    assert {"channel": "sms", "category": "activities", "enabled": True} in preferences
    # the platform outlives this test: cancellations send nothing again, as the files decide
    assert admin.put(CANCELLED, json={"sends": False}).status_code == 200
