"""Factories and helpers for the events service's tests: activity, venue and story bodies, an
RPC client that calls the service as an officer, a young person or an administrator, and a
virtual host of the events integration tests' own.

    events = EventsRpc(cluster)
    activity = events.as_officer("youth_league").create_activity(activity=activity_body())
    events.as_youth(person_id).register(activity_id=..., person=registrant(person_id))
"""

from __future__ import annotations

import json
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from services.common.context import CallContext

WEEKDAYS = [1, 2, 3, 4, 5, 6, 7]


@contextmanager
def running(service_cls: type, database_url: str, amqp_uri: str, replicas: int = 1):
    """`replicas` containers of a service on one database and virtual host, stopped after
    (`start_service` always uses the run's own vhost)."""
    from nameko.containers import ServiceContainer

    from .fixtures import settings_for, stop_container

    containers = []
    try:
        for _ in range(replicas):
            settings = settings_for(service_cls.name, amqp_uri, database_url)
            containers.append(ServiceContainer(service_cls, settings.nameko_config()))
            containers[-1].start()
        yield containers
    finally:
        for container in reversed(containers):
            stop_container(container)


def iso(moment: datetime) -> str:
    return moment.isoformat()


def activity_body(
    starts_in: timedelta = timedelta(days=10),
    lasts: timedelta = timedelta(hours=3),
    **overrides,
) -> dict:
    """A valid activity starting `starts_in` from now (negative: it started already)."""
    starts = datetime.now(UTC).replace(microsecond=0) + starts_in
    body = {
        "title": "青年音乐节",
        "category": "music_festival",
        "venue": "文化广场",
        "area": "城关街道",
        "starts_at": iso(starts),
        "ends_at": iso(starts + lasts),
        "capacity": 2,
        "min_age": 14,
        "max_age": 35,
    }
    return body | overrides


def venue_body(opening_hours=None, **overrides) -> dict:
    body = {
        "name": "滨河全民健身中心",
        "kind": "fitness_centre",
        "area": "城关街道",
        "address": "滨河路 1 号",
        "opening_hours": opening_hours
        if opening_hours is not None
        else [{"weekdays": WEEKDAYS, "opens": "06:00", "closes": "22:00"}],
    }
    return body | overrides


def story_body(**overrides) -> dict:
    body = {
        "title": "返乡种茶的第三年",
        "body": "大学毕业后我回到家乡,和乡亲们一起把茶园做成了直播间里的爆款。" * 3,
        "byline": "茶园青年",
    }
    return body | overrides


def registrant(person_id: str, age: int = 22) -> dict:
    return {"person_id": person_id, "age": age}


def new_person() -> str:
    return str(uuid.uuid4())


class EventsRpc:
    """The events service over RPC, as one actor or another."""

    def __init__(self, cluster):
        self.cluster = cluster

    def as_actor(self, actor_id: str | None, role: str | None, unit: str | None = None):
        context = CallContext.system().with_actor(actor_id, role, unit)
        return self.cluster.with_context(context).events

    def as_officer(self, unit: str = "youth_league", actor_id: str | None = None):
        return self.as_actor(actor_id or new_person(), "officer", unit)

    def as_youth(self, person_id: str):
        return self.as_actor(person_id, "youth")

    def as_admin(self):
        return self.as_actor(new_person(), "admin")

    @property
    def anonymous(self):
        return self.as_actor(None, None)

    def published_activity(self, unit: str = "youth_league", **overrides) -> dict:
        officer = self.as_officer(unit)
        draft = officer.create_activity(activity=activity_body(**overrides))
        return officer.publish_activity(activity_id=draft["id"])


class EventTap:
    """Every event the events service publishes from now on, decoded (a plain kombu queue on
    `events.events`, as any subscriber would bind it)."""

    def __init__(self, amqp_uri: str):
        from .api import unique
        from .messaging import Subscriber

        self.subscriber = Subscriber(amqp_uri, "events.events", unique("events-tap"))

    def events(self, count: int, timeout: float = 15) -> list[dict]:
        received = self.subscriber.drain(until_count=count, timeout=timeout)
        decoded = []
        for _, message in received:
            body = message.body
            decoded.append(json.loads(body.decode() if isinstance(body, bytes) else body))
        return decoded

    def of_type(self, events: list[dict], short_type: str) -> list[dict]:
        return [e for e in events if e["type"] == f"youthcity.events.{short_type}"]

    def close(self) -> None:
        self.subscriber.close()


def inbox_message(session, event_type: str, timeout: float = 20) -> dict:
    """The first message of `youthcity.events.<event_type>` in the session's inbox, once there."""
    from .messaging import wait_for

    def find():
        inbox = session.get("/api/v1/me/messages", params={"limit": 100}).json()
        return next(
            (m for m in inbox["items"] if m["event_type"] == f"youthcity.events.{event_type}"),
            None,
        )

    return wait_for(find, timeout=timeout, interval=0.2, message=f"a {event_type} message")


class Staff:
    """Officers made through one administrator sign-in. `Api.staff` signs the administrator in
    for every account, and the platform allows 10 sign-ins a minute per username
    (`LOGIN_RATE_LIMIT_ACCOUNT`), which a module creating many officers would exceed."""

    def __init__(self, api):
        self.api = api
        self._admin = None

    def admin(self):
        if self._admin is None:
            self._admin = self.api.admin()
        return self._admin

    def officer(self, unit: str):
        from .api import PASSWORD, unique

        username = unique("officer")
        body = {"username": username, "password": PASSWORD, "role": "officer", "unit": unit}
        answer = self.admin().post("/api/v1/admin/accounts", json=body)
        assert answer.status_code == 201, answer.text
        return self.api.sign_in(username, PASSWORD)
