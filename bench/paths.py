"""Real paths through the running platform, each measured beside its floor in the same run.

The platform is started as `make run` starts it (on PostgreSQL when DATABASE_URL names one),
on the benchmark's own virtual host, with 10,000 published posts in the jobs database; load
comes from a separate process (wrk).

* posts read through the gateway: 10,000 distinct posts at random while an officer closes
  some of them, against the constant-answer floor; afterwards every closed post must read as
  closed (a read model that missed a change shows here as a stale read);
* one activity read through the gateway (a single RPC call), and the dashboard (kept in the
  gateway's read model until an event about the person arrives; five services asked at once
  when it is not) against it, at 16 connections (what each costs) and with one caller at a
  time (how long one waits), with the read model's hit ratio over the dashboard reads;
* applying to a post through the gateway at a steady 200 a second: the answer's latency, and
  each `application.submitted` event's time from its commit in jobs to its message in
  notify's inbox;
* what an application and a dashboard cost the machine: CPU time summed over every process,
  over 300 of each made one after another (bench/cpu.py);
* the resident memory of every process after the load.
"""

from __future__ import annotations

import random
import tempfile
import time
from datetime import date
from pathlib import Path

import eventlet
import requests
import sqlalchemy as sa

from gateway.settings import GatewaySettings
from services.common.config import database_url_for
from services.common.db import create_engine_for
from tests.support.api import Api
from tests.support.jobs import seed_posts
from tests.support.people import signed_in
from tests.support.platform import processes_of, running_platform

from .cpu import cpu_per_call
from .harness import Measurement, http_load, median, percentile, rss_mb

POSTS = 10_000
CLOSES_PER_SECOND = 10
APPLICATIONS_PER_SECOND = 200
APPLICATION_SECONDS = 10


def published_activity(officer, capacity: int, title: str) -> str:
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


def seeded_posts(platform) -> list[str]:
    url = database_url_for("jobs", platform.env)
    started = time.perf_counter()
    seed_posts(url, POSTS)
    engine = create_engine_for(url)
    try:
        with engine.connect() as conn:
            ids = list(
                conn.execute(sa.text("SELECT id FROM post WHERE state = 'published'")).scalars()
            )
    finally:
        engine.dispose()
    print(f"paths: {len(ids)} posts seeded in {time.perf_counter() - started:.0f}s")
    return ids


def open_to_everyone(platform, count: int = 100) -> list[str]:
    """Published posts anyone may apply to (a traineeship takes eligible people only)."""
    engine = create_engine_for(database_url_for("jobs", platform.env))
    query = (
        "SELECT id FROM post WHERE state = 'published' AND kind <> 'traineeship' "
        "ORDER BY id LIMIT :count"
    )
    try:
        with engine.connect() as conn:
            return list(conn.execute(sa.text(query), {"count": count}).scalars())
    finally:
        engine.dispose()


def _read_model_reads(platform, kind: str) -> dict[str, float]:
    """The gateway's read-model counters of reads of `kind` (posts, dashboards), by outcome
    (hit or miss)."""
    from prometheus_client.parser import text_string_to_metric_families

    text = requests.get(f"{platform.metrics['gateway']}/metrics", timeout=5).text
    counts = {"hit": 0.0, "miss": 0.0}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "youthcity_gateway_read_model_reads_total" and (
                sample.labels.get("kind") == kind
            ):
                counts[sample.labels["outcome"]] += sample.value
    return counts


def _hit_ratio(before: dict[str, float], after: dict[str, float]) -> float:
    hits, misses = (after[o] - before[o] for o in ("hit", "miss"))
    return round(hits / max(1, hits + misses), 3)


def read_posts_under_writes(platform, api: Api, youth, ids: list[str]) -> Measurement:
    """Random reads of `ids` through the gateway while an officer closes some of them; then
    every closed post read once more, each expected to say so."""
    officer = api.staff("officer", unit="hrss")
    chooser = random.Random(11)
    closing = chooser.sample(ids, 2_000)
    closed: list[str] = []

    def close_some(load) -> None:
        while load.poll() is None and closing:
            post_id = closing.pop()
            if officer.post(f"/api/v1/posts/{post_id}/close").status_code == 200:
                closed.append(post_id)
            time.sleep(1 / CLOSES_PER_SECOND)

    load = {
        "url": platform.url,
        "headers": {"Authorization": f"Bearer {youth.token}"},
        "paths": [f"/api/v1/posts/{post_id}" for post_id in ids],
    }
    # every post read once first: the steady state of a gateway whose posts are read more
    # often than GATEWAY_READ_MODEL_MAX_AGE (a miss costs one RPC hop: the activity read); when
    # this takes longer than that, the posts read first age out before the load reads them
    pool = eventlet.GreenPool(16)
    started = time.monotonic()
    for path in load["paths"]:
        pool.spawn_n(youth.get, path)
    pool.waitall()
    warmed_in = round(time.monotonic() - started, 1)
    before = _read_model_reads(platform, "posts")
    reads = http_load("gateway-read-post", during=close_some, **load)
    after = _read_model_reads(platform, "posts")
    stale = [p for p in closed if youth.get(f"/api/v1/posts/{p}").json()["state"] != "closed"]
    reads.extra["read_model_hit_ratio"] = _hit_ratio(before, after)
    reads.extra["warm_up_seconds"] = warmed_in
    reads.extra.update({"posts_closed_during_load": len(closed), "stale_reads_after": len(stale)})
    return reads


def apply_at_a_steady_rate(platform, api: Api, ids: list[str]) -> tuple[Measurement, Measurement]:
    """Applications at APPLICATIONS_PER_SECOND: their answers' latency, and for each
    `application.submitted` event the time from its commit to its message in notify's inbox."""
    youths = 40
    wanted = APPLICATIONS_PER_SECOND * APPLICATION_SECONDS
    people = [api.youth(age=22, graduation_date="2026-06-30") for _ in range(youths)]
    pairs = [(person, post) for post in ids[: wanted // youths + 1] for person in people][:wanted]
    random.Random(13).shuffle(pairs)  # people apply to many posts at once, as they would
    answers: list[float] = []
    failures = []

    def apply(person, post_id) -> None:
        started = time.perf_counter()
        answer = person.post(f"/api/v1/posts/{post_id}/applications", json={})
        answers.append((time.perf_counter() - started) * 1000)
        if answer.status_code != 201:
            failures.append(answer.status_code)

    pool = eventlet.GreenPool(64)
    started = time.monotonic()
    for index, (person, post_id) in enumerate(pairs):
        eventlet.sleep(max(0.0, started + index / APPLICATIONS_PER_SECOND - time.monotonic()))
        pool.spawn_n(apply, person, post_id)
    pool.waitall()
    sent_rate = len(pairs) / (time.monotonic() - started)
    time.sleep(3)
    latencies = _commit_to_inbox_latencies(platform)
    writes = Measurement(
        "gateway-apply-to-post",
        "req/s",
        sent_rate,
        median(answers),
        percentile(answers, 99),
        len(answers),
        {"refused": len(failures), "statuses": sorted(set(failures))},
    )
    inbox = Measurement(
        "commit-to-notify-inbox",
        "events/s",
        sent_rate,
        median(latencies),
        percentile(latencies, 99),
        len(latencies),
        {"events_sent": len(pairs) - len(failures), "messages_found": len(latencies)},
    )
    return writes, inbox


def _commit_to_inbox_latencies(platform) -> list[float]:
    """Milliseconds from each application event's commit (jobs' outbox) to its first message."""
    from services.jobs.models import Base as JobsBase
    from services.notify.models import Message

    outbox = JobsBase.metadata.tables["outbox"]
    submitted = "youthcity.jobs.application.submitted"
    jobs_db = create_engine_for(database_url_for("jobs", platform.env))
    notify_db = create_engine_for(database_url_for("notify", platform.env))
    try:
        with jobs_db.connect() as conn:
            query = sa.select(outbox.c.event_id, outbox.c.time).where(outbox.c.type == submitted)
            committed = dict(conn.execute(query).all())
        with notify_db.connect() as conn:
            query = (
                sa.select(Message.event_id, sa.func.min(Message.created_at))
                .where(Message.event_type == submitted)
                .group_by(Message.event_id)
            )
            arrived = conn.execute(query).all()
    finally:
        jobs_db.dispose()
        notify_db.dispose()
    return [
        (created_at - committed[event_id]).total_seconds() * 1000
        for event_id, created_at in arrived
        if event_id in committed
    ]


def measure(amqp_uri: str) -> tuple[dict[str, Measurement], dict]:
    with (
        tempfile.TemporaryDirectory() as folder,
        running_platform(
            amqp_uri,
            Path(folder),
            label="bench",
            extra_env={
                "LOG_LEVEL": "WARNING",
                "RATE_LIMIT_ACCOUNT": "10000000/minute",
                # six processes of up to twice DB_POOL_SIZE connections each, within a default
                # PostgreSQL's 100 (more does not help on two cores: the CPU bounds first)
                "DB_POOL_SIZE": "6",
                # the production bound on a request's wait for a worker, not the tests' patience
                "GATEWAY_QUEUE_SECONDS": str(GatewaySettings.gateway_queue_seconds),
            },
        ) as platform,
    ):
        api = Api(platform.url)
        ids = seeded_posts(platform)
        officer = api.staff("officer", unit="youth_league")
        activity = published_activity(officer, 100, "青年读书会")
        youth = api.youth(age=22)
        auth = {"Authorization": f"Bearer {youth.token}"}
        posts = read_posts_under_writes(platform, api, youth, ids)
        reads = {
            "single": f"{platform.url}/api/v1/activities/{activity}",
            "dashboard": f"{platform.url}/api/v1/me/dashboard",
        }
        # at 16 connections what each costs the machine; with one caller at a time, how long
        # one waits (a dashboard kept in the gateway's read model costs less than one RPC hop)
        before = _read_model_reads(platform, "dashboards")
        measured = {
            f"{name}{suffix}": http_load(f"{name}{suffix}", url, connections, headers=auth)
            for suffix, connections in (("", 16), ("-alone", 1))
            for name, url in reads.items()
        }
        hit_ratio = _hit_ratio(before, _read_model_reads(platform, "dashboards"))
        measured["dashboard"].extra["read_model_hit_ratio"] = hit_ratio
        measured["posts"] = posts
        open_posts = open_to_everyone(platform)
        measured["writes"], measured["inbox"] = apply_at_a_steady_rate(platform, api, open_posts)
        cpu = cpu_per_operation(api, platform, open_posts, youth, officer)
        memory = {name: round(rss_mb(pid), 1) for name, pid in processes_of(platform).items()}
    return measured, {"rss_mb_after_load": memory, **cpu}


def cpu_per_operation(api: Api, platform, posts: list[str], youth, officer) -> dict:
    """CPU ms per operation by process: applying to a post (a new applicant per 100 posts),
    registering for an activity (a new person each), reading one's dashboard, a post, and the
    plan's indicators for a year."""
    count = 300
    applicants = [api.youth(age=22) for _ in range(count // len(posts) + 1)]
    registrants = signed_in(platform, count, date(2004, 6, 1))
    activity = published_activity(officer, count, "青年志愿者培训")

    def apply(index: int) -> None:
        person = applicants[index // len(posts)]
        answer = person.post(f"/api/v1/posts/{posts[index % len(posts)]}/applications", json={})
        assert answer.status_code == 201, answer.text

    def register(index: int) -> None:
        answer = requests.post(
            f"{platform.url}/api/v1/activities/{activity}/registrations",
            headers={"Authorization": f"Bearer {registrants[index]}"},
            json={},
            timeout=30,
        )
        assert answer.status_code == 201, answer.text

    def dashboard(index: int) -> None:
        assert youth.get("/api/v1/me/dashboard").status_code == 200

    def post(index: int) -> None:
        assert youth.get(f"/api/v1/posts/{posts[index % len(posts)]}").status_code == 200

    def indicators(index: int) -> None:
        assert officer.get("/api/v1/indicators", params={"period": "2026"}).status_code == 200

    operations = {"application": apply, "registration": register, "dashboard": dashboard}
    operations["post_read"] = post
    figures = {
        f"cpu_ms_per_{name}": cpu_per_call(platform, call, count)
        for name, call in operations.items()
    }
    # a year's indicators asks every service for each month: heavy, and asked by officers only
    figures["cpu_ms_per_year_of_indicators"] = cpu_per_call(platform, indicators, 20)
    return figures
