"""A young person's dashboard from the gateway's read model, over the real broker with every
domain service running: an event about the person changes their next read within a second,
another person's kept dashboard stays kept, notify publishes a message reaching an inbox (ids
only), and what the person does through the gateway is in their next read at once.

A row written straight into notify's database, which no event reports, is what shows a read
came from memory."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime

import pytest
from prometheus_client import REGISTRY

from services.common.db import create_engine_for
from services.events.service import EventsService
from services.housing.service import HousingService
from services.jobs.service import JobsService
from services.notify.service import NotifyService
from services.startup.service import StartupService
from tests.support.api import unique
from tests.support.infra import virtual_host
from tests.support.messaging import Subscriber, wait_for
from tests.support.notify import publish_event

EVENT_BOUND = 1.0
SERVICES = (JobsService, HousingService, EventsService, StartupService, NotifyService)


@pytest.fixture(scope="module")
def amqp_uri():
    """A virtual host of this module's own: the services here would otherwise take the calls
    and events of other tests' containers."""
    with virtual_host("gateway-dashboard") as uri:
        yield uri


@pytest.fixture
def platform(start_gateway, start_service, databases):
    """Every domain service and a gateway; returns (Api, notify's database url)."""
    urls = {}
    for service in SERVICES:
        urls[service.name] = databases.migrated(f"services.{service.name}")
        start_service(service, urls[service.name], env=os.environ)
    return start_gateway(VIEW_TIMEOUT="5"), urls["notify"]


def _unread(person) -> int:
    answer = person.get("/api/v1/me/dashboard").json()
    assert answer["degraded"] == [], "a partial dashboard is never kept"
    return answer["unread_messages"]


def _welcomed(person) -> int:
    """The person's unread count once notify's welcome (`account.registered`) is in it."""
    return wait_for(lambda: _unread(person), timeout=10, message="the welcome message")


def _dashboard_hits() -> float:
    labels = {"kind": "dashboards", "outcome": "hit"}
    return REGISTRY.get_sample_value("youthcity_gateway_read_model_reads_total", labels) or 0


def _message_no_event_reports(notify_url: str, person_id: str) -> str:
    """An unread inbox message for the person, written behind notify's back."""
    from sqlalchemy.orm import Session

    from services.notify.models import Message

    message_id = str(uuid.uuid4())
    engine = create_engine_for(notify_url)
    try:
        with Session(engine) as session:
            session.add(
                Message(
                    id=message_id,
                    person_id=person_id,
                    event_id=str(uuid.uuid4()),
                    event_type="youthcity.jobs.application.status_changed",
                    category="jobs",
                    mandatory=True,
                    title_zh="申请进展",
                    title_en="Your application",
                    body_zh="",
                    body_en="",
                    created_at=datetime.now(UTC),
                )
            )
            session.commit()
    finally:
        engine.dispose()
    return message_id


def test_an_event_about_a_person_changes_their_next_read_and_keeps_anothers(platform, amqp_uri):
    api, notify_url = platform
    ann, bob = api.youth(), api.youth()
    assert _welcomed(ann) == 1 and _welcomed(bob) == 1
    for person in (ann, bob):
        _message_no_event_reports(notify_url, person.id)
    hits = _dashboard_hits()
    assert _unread(ann) == 1 and _unread(bob) == 1, "expected the kept dashboards"
    assert _dashboard_hits() == hits + 2

    message_id = _message_no_event_reports(notify_url, ann.id)
    data = {
        "message_id": message_id,
        "person_id": ann.id,
        "event_type": "youthcity.jobs.application.status_changed",
        "category": "jobs",
        "at": datetime.now(UTC).isoformat(),
    }
    publish_event(amqp_uri, "notify", "message.received", data, subject=message_id)
    wait_for(lambda: _unread(ann) == 3, timeout=EVENT_BOUND, interval=0.02)
    assert _unread(bob) == 1, "an event about ann dropped bob's dashboard"


def test_a_message_reaching_an_inbox_is_published_and_read_on_the_dashboard(platform, amqp_uri):
    api, _ = platform
    ann = api.youth()
    assert _welcomed(ann) == 1
    tap = Subscriber(amqp_uri, "notify.events", unique("inbox-tap"))
    title = unique("见习岗位")
    changed = {
        "application_id": str(uuid.uuid4()),
        "post_id": str(uuid.uuid4()),
        "post_title": title,
        "employer_id": str(uuid.uuid4()),
        "person_id": ann.id,
        "from_status": "submitted",
        "status": "viewed",
        "status_label_zh": "已查看",
        "status_label_en": "viewed",
        "changed_at": datetime.now(UTC).isoformat(),
    }
    publish_event(amqp_uri, "jobs", "application.status_changed", changed)
    wait_for(lambda: _unread(ann) == 2, timeout=10, interval=0.1, message="the new message")

    def received():
        return [
            m.body
            for _, m in tap.drain(until_count=1, timeout=1)
            if "youthcity.notify.message.received" in m.body
        ]

    body = wait_for(received, timeout=10, message="message.received")[0]
    tap.close()
    assert ann.id in body and title not in body, "ids and codes only"

    # what she does herself is in her next read at once, before its event arrives
    assert ann.post("/api/v1/me/messages/read").json()["marked"] == 2
    assert _unread(ann) == 0
