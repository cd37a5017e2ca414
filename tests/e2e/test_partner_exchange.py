"""A partner system that reads its events from the broker: it subscribes like a webhook, within
its purpose grants, and gets exactly what a webhook would carry (signed, without the acting
officer's id) on `partners.events`, routed by its subscription's id; never a service's
exchange."""

import contextlib
import json

from kombu import Connection, Exchange, Queue
from standardwebhooks.webhooks import Webhook

from services.notify.contract import PARTNER_EXCHANGE, PARTNER_EXCHANGE_URL
from tests.support.dates import district_time
from tests.support.messaging import wait_for


def test_a_partner_reads_its_granted_events_from_the_broker_without_the_officers_id(
    api, platform_amqp_uri
):
    admin = api.admin()
    partner = api.staff("partner")
    outside = partner.post(
        "/api/v1/webhooks",
        json={"url": PARTNER_EXCHANGE_URL, "event_types": ["youthcity.events.registration.*"]},
    )
    assert outside.status_code == 422, outside.text  # nothing granted yet
    granted = admin.put(
        f"/api/v1/partners/{partner.id}/purposes/activity_coorganising",
        json={"reference": "青年活动协办协议"},
    )
    assert granted.status_code == 200, granted.text
    created = partner.post(
        "/api/v1/webhooks",
        json={"url": PARTNER_EXCHANGE_URL, "event_types": ["youthcity.events.registration.*"]},
    )
    assert created.status_code == 201, created.text
    subscription = created.json()

    # the operator binds the partner's queue with the subscription's id (the amqp-subscriber
    # component); the partner's own user could bind with nothing else
    received = []
    with Connection(platform_amqp_uri) as connection:
        queue = Queue(
            f"partner-{subscription['id'][:8]}.events",
            Exchange(PARTNER_EXCHANGE, "topic", durable=True),
            routing_key=subscription["id"],
            auto_delete=True,
        )
        with connection.Consumer(queue, callbacks=[lambda body, m: received.append(m)]):
            officer = api.staff("officer", unit="youth_league")
            activity = officer.post(
                "/api/v1/activities",
                json={
                    "title": "青年志愿者培训",
                    "category": "training",
                    "venue": "区青年之家",
                    "starts_at": district_time(days=40, hour=9).isoformat(),
                    "ends_at": district_time(days=40, hour=11).isoformat(),
                    "capacity": 10,
                },
            ).json()
            officer.post(f"/api/v1/activities/{activity['id']}/publish")
            youth = api.youth()
            registration = youth.post(f"/api/v1/activities/{activity['id']}/registrations")
            assert registration.status_code == 201, registration.text

            mine = registration.json()["id"]

            def delivered():
                with contextlib.suppress(TimeoutError):
                    connection.drain_events(timeout=0.5)
                return [m for m in received if json.loads(m.body)["subject"] == mine]

            (message,) = wait_for(delivered, timeout=20, message="the partner's delivery")

    headers = {key: str(value) for key, value in message.headers.items()}
    event = Webhook(subscription["secret"]).verify(message.body, headers)
    assert event["type"] == "youthcity.events.registration.confirmed"
    assert "actorid" not in json.loads(message.body)
    # the broker confirmed it: delivered, as a webhook's 2xx is
    path = f"/api/v1/webhooks/{subscription['id']}/deliveries"
    wait_for(
        lambda: "delivered" in {d["state"] for d in partner.get(path).json()["items"]},
        message="the delivery recorded",
    )
