"""Real paths through the running platform, each measured beside its floor in the same run.

The platform is started as `make run` starts it (on PostgreSQL when DATABASE_URL names one),
on the benchmark's own virtual host; load comes from a separate process (wrk).

* a read of one service through the gateway (one RPC), against the constant-answer floor;
* the dashboard (five services asked at once), against that single read: the goal is that
  asking five at once costs about one;
* commit-to-inbox: registrations made at a steady rate, each event's time from its commit in
  the events service to its message in notify's inbox;
* the resident memory of every process after the load.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import eventlet
import sqlalchemy as sa

from services.common.config import database_url_for
from services.common.db import create_engine_for
from tests.support.api import Api
from tests.support.platform import running_platform

from .harness import Measurement, http_load, median, percentile, rss_mb


def _children(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in children.read_text().split()] if children.exists() else []


def _process_names(platform) -> dict[str, int]:
    names = {}
    for child in _children(platform.process.pid):
        command = Path(f"/proc/{child}/cmdline").read_text().split("\0")
        if "run" in command:
            names[command[command.index("run") + 1]] = child
    return names


def _activity(officer, capacity: int, title: str) -> str:
    body = {
        "title": title,
        "category": "youth_mixer",
        "venue": "青年之家",
        "starts_at": "2027-03-20T14:00:00+08:00",
        "ends_at": "2027-03-20T17:00:00+08:00",
        "capacity": capacity,
    }
    activity = officer.post("/api/v1/activities", json=body).json()
    officer.post(f"/api/v1/activities/{activity['id']}/publish")
    return activity["id"]


def commit_to_inbox(
    platform, api: Api, rate: float = 200, seconds: float = 10, youths: int = 40
) -> Measurement:
    """Registrations at `rate` per second; for each event, inbox time minus commit time."""
    officer = api.staff("officer", unit="youth_league")
    people = [api.youth(age=21) for _ in range(youths)]
    wanted = int(rate * seconds)
    activities = [_activity(officer, 10_000, f"联谊 {n}") for n in range(wanted // youths + 1)]
    pairs = [(person, activity) for activity in activities for person in people][:wanted]
    pool = eventlet.GreenPool(32)
    started = time.monotonic()
    for index, (person, activity) in enumerate(pairs):
        eventlet.sleep(max(0.0, started + index / rate - time.monotonic()))
        pool.spawn_n(person.post, f"/api/v1/activities/{activity}/registrations")
    pool.waitall()
    sent_rate = len(pairs) / (time.monotonic() - started)
    time.sleep(3)
    latencies = _commit_to_inbox_latencies(platform)
    return Measurement(
        "commit-to-notify-inbox",
        "events/s",
        sent_rate,
        median(latencies),
        percentile(latencies, 99),
        len(latencies),
        {"events_sent": len(pairs), "messages_found": len(latencies)},
    )


def _commit_to_inbox_latencies(platform) -> list[float]:
    """Milliseconds from each registration event's commit (events' outbox) to its message."""
    from services.events.models import Base as EventsBase
    from services.notify.models import Message

    outbox = EventsBase.metadata.tables["outbox"]
    confirmed = "youthcity.events.registration.confirmed"
    events_db = create_engine_for(database_url_for("events", platform.env))
    notify_db = create_engine_for(database_url_for("notify", platform.env))
    try:
        with events_db.connect() as conn:
            query = sa.select(outbox.c.event_id, outbox.c.time).where(outbox.c.type == confirmed)
            committed = dict(conn.execute(query).all())
        with notify_db.connect() as conn:
            query = sa.select(Message.event_id, Message.created_at).where(
                Message.event_type == confirmed
            )
            arrived = conn.execute(query).all()
    finally:
        events_db.dispose()
        notify_db.dispose()
    return [
        (created_at - committed[event_id]).total_seconds() * 1000
        for event_id, created_at in arrived
        if event_id in committed
    ]


def measure(amqp_uri: str) -> tuple[list[Measurement], dict]:
    with (
        tempfile.TemporaryDirectory() as folder,
        running_platform(
            amqp_uri,
            Path(folder),
            label="bench",
            extra_env={"LOG_LEVEL": "WARNING", "RATE_LIMIT_ACCOUNT": "10000000/minute"},
        ) as platform,
    ):
        api = Api(platform.url)
        officer = api.staff("officer", unit="youth_league")
        activity = _activity(officer, 100, "青年读书会")
        youth = api.youth(age=22)
        auth = {"Authorization": f"Bearer {youth.token}"}
        single = http_load(
            "gateway-read-one-service", f"{platform.url}/api/v1/activities/{activity}", headers=auth
        )
        dashboard = http_load(
            "dashboard-five-services", f"{platform.url}/api/v1/me/dashboard", headers=auth
        )
        latency = commit_to_inbox(platform, api)
        memory = {name: round(rss_mb(pid), 1) for name, pid in _process_names(platform).items()}
    return [single, dashboard, latency], {"rss_mb_after_load": memory}
