"""Faults survived by the running platform: a service's database taken away and given back,
replicas that share the work, and a consumer killed in the middle of a stream.

These run against the session's platform on PostgreSQL (they need a database server to take
away, and real replicas sharing one database)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from services.common.config import database_url_for
from services.common.db import normalise_url
from tests.support.dates import district_time
from tests.support.infra import free_port
from tests.support.messaging import Subscriber, wait_for
from tests.support.platform import outboxes_published

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def postgres_platform(platform, postgres):
    if "DATABASE_URL" not in platform.env:
        pytest.fail("the platform runs on PostgreSQL whenever the postgres fixture is available")
    return platform


def database_of(platform, service: str) -> str:
    return database_url_for(service, platform.env)


def admin_engine(platform) -> sa.Engine:
    url = normalise_url(database_of(platform, "events")).set(database="postgres")
    return sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)


def activity(officer, capacity=1000, title="社区夜跑"):
    body = {
        "title": title,
        "category": "fitness",
        "venue": "滨江步道",
        "starts_at": district_time(days=30, hour=19).isoformat(),
        "ends_at": district_time(days=30, hour=21).isoformat(),
        "capacity": capacity,
    }
    created = officer.post("/api/v1/activities", json=body).json()
    officer.post(f"/api/v1/activities/{created['id']}/publish")
    return created["id"]


def test_a_service_without_its_database_answers_503_quickly_others_keep_working_and_it_recovers(
    postgres_platform, api
):
    officer = api.staff("officer", unit="youth_league")
    youth = api.youth()
    activity_id = activity(officer)
    database = normalise_url(database_of(postgres_platform, "events")).database
    admin = admin_engine(postgres_platform)
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
            conn.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d"
                ),
                {"d": database},
            )
        started = time.monotonic()
        answer = youth.get(f"/api/v1/activities/{activity_id}")
        elapsed = time.monotonic() - started
        assert answer.status_code == 503, answer.text
        assert answer.json()["code"] == "database_unavailable"
        assert elapsed < 3.0
        assert youth.get("/api/v1/accounts/me").status_code == 200
        assert youth.get("/api/v1/me/messages").status_code == 200
        not_ready = requests.get(f"{postgres_platform.metrics['events']}/readyz", timeout=5)
        assert not_ready.status_code == 503
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')
        admin.dispose()

    def recovered():
        return youth.get(f"/api/v1/activities/{activity_id}").status_code == 200

    wait_for(recovered, timeout=20, interval=0.5, message="events answering again")
    registered = youth.post(f"/api/v1/activities/{activity_id}/registrations")
    assert registered.status_code == 201


def start_replica(platform, name: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "youthcity", "run", name],
        cwd=ROOT,
        env={**platform.env, "METRICS_PORT": str(port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    wait_for(lambda: _ready(url), timeout=30, interval=0.2, message=f"a {name} replica ready")
    return process, url


def _ready(url: str) -> bool:
    try:
        return requests.get(f"{url}/readyz", timeout=1).status_code == 200
    except requests.RequestException:
        return False


def applied(metrics_url: str) -> float:
    from prometheus_client.parser import text_string_to_metric_families

    text = requests.get(f"{metrics_url}/metrics", timeout=5).text
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "youthcity_events_applied_total"
        and sample.labels.get("event_type") == "youthcity.events.registration.confirmed"
    )


def test_replicas_share_the_work_publish_each_event_once_and_lose_nothing_when_one_is_killed(
    postgres_platform, api
):
    officer = api.staff("officer", unit="youth_league")
    activities = [activity(officer, title=f"青年夜跑 {n}") for n in range(6)]
    youths = [api.youth() for _ in range(12)]
    tap = Subscriber(
        postgres_platform.env["AMQP_URI"], "events.events", f"tap-replicas-{os.getpid()}"
    )
    events_replica, _ = start_replica(postgres_platform, "events")
    notify_replica, replica_metrics = start_replica(postgres_platform, "notify")
    platform_applied_before = applied(postgres_platform.metrics["notify"])
    replica_applied_before = applied(replica_metrics)
    try:
        expected = 0
        for index, youth in enumerate(youths):
            for activity_id in activities:
                assert (
                    youth.post(f"/api/v1/activities/{activity_id}/registrations").status_code == 201
                )
                expected += 1
            if index == len(youths) // 2:
                wait_for(
                    lambda: applied(replica_metrics) > replica_applied_before,
                    timeout=10,
                    message="the second notify replica taking its share",
                )
                notify_replica.send_signal(signal.SIGKILL)  # in the middle of the stream
                notify_replica.wait(timeout=10)
        outboxes_published(postgres_platform)
        received = tap.drain_until_quiet()
        confirmed_ids = [
            message.properties.get("message_id")
            for _, message in received
            if message.properties.get("type") == "youthcity.events.registration.confirmed"
            and json.loads(message.body)["data"]["activity_id"] in activities
        ]
        assert len(confirmed_ids) == expected == len(set(confirmed_ids))

        def all_delivered():
            counts = [
                sum(
                    1
                    for m in youth.get("/api/v1/me/messages", params={"limit": 100}).json()["items"]
                    if m["event_type"] == "youthcity.events.registration.confirmed"
                )
                for youth in youths
            ]
            return counts == [len(activities)] * len(youths)

        wait_for(
            all_delivered,
            timeout=30,
            interval=0.5,
            message="every registration message delivered once",
        )
        assert applied(postgres_platform.metrics["notify"]) > platform_applied_before
    finally:
        for replica in (events_replica, notify_replica):
            if replica.poll() is None:
                replica.send_signal(signal.SIGTERM)
                replica.wait(timeout=30)
        tap.close()
