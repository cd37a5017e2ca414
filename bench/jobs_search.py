"""Post search on PostgreSQL: does a page cost the same with 100 times more posts?

The search: the Chinese keyword 文旅 (written without spaces, as people type it), two filters
(traineeships, open to someone with a bachelor's degree), newest first, page 3 of 20 (reached
with the cursor of page 2, as a front end follows `next`). It is timed with 1,000 posts in the
database and again with 100,000, both through the service (an RPC to a running JobsService,
which is what the gateway does) and as the database query alone; the goal is a ratio of median
latencies (100k / 1k) under 2.

Runs only when DATABASE_URL names a PostgreSQL server; `python -m bench jobs_search` runs it
alone.
"""

from __future__ import annotations

import time
import uuid

from nameko.containers import ServiceContainer
from sqlalchemy.orm import Session

from services.common.db import create_engine_for
from services.common.migrations import upgrade
from services.common.rpc import StandaloneRpc
from services.jobs.contract import PostSearch
from services.jobs.queries.posts import search as search_page
from services.jobs.service import JobsService
from tests.support.infra import PostgresDatabases, postgres_base_url
from tests.support.jobs import seed_posts

from .harness import Measurement, bench_settings, median, percentile

QUERY = {"keyword": "文旅", "kind": "traineeship", "education": "bachelor", "limit": 20}
PAGE = 3
CALLS = 300
SIZES = (1_000, 100_000)


def _timed(name: str, call, calls: int = CALLS) -> Measurement:
    for _ in range(20):  # warm up: plans cached, pages in memory, connections open
        call()
    latencies = []
    for _ in range(calls):
        started = time.perf_counter()
        call()
        latencies.append((time.perf_counter() - started) * 1000)
    p50 = median(latencies)
    return Measurement(name, "calls/s", 1000 / p50, p50, percentile(latencies, 99), calls)


def _page_cursor(search) -> str:
    """The cursor of page PAGE, found by following `next` from page 1."""
    cursor = None
    for _ in range(PAGE - 1):
        page = search({**QUERY, "after": cursor} if cursor else QUERY)
        cursor = page["next_cursor"]
        assert cursor, "too few matching posts for page 3"
    return cursor


def _measure_size(amqp_uri: str, url: str, posts: int) -> tuple[Measurement, Measurement, int]:
    engine = create_engine_for(url)
    try:
        with StandaloneRpc(amqp_uri, timeout=30) as cluster:
            cursor = _page_cursor(lambda query: cluster.jobs.search_posts(query=query))
            page = {**QUERY, "after": cursor}
            matching = len(cluster.jobs.search_posts(query=page)["items"])
            through_rpc = _timed(
                f"jobs-search-rpc-{posts}", lambda: cluster.jobs.search_posts(query=page)
            )
        filters = PostSearch().load(page)
        with Session(engine) as session:
            database_only = _timed(
                f"jobs-search-db-{posts}", lambda: search_page(session, filters).items
            )
        return through_rpc, database_only, matching
    finally:
        engine.dispose()


def measure(amqp_uri: str) -> tuple[list, dict]:
    """(report rows, extra figures); nothing when DATABASE_URL names no PostgreSQL."""
    base = postgres_base_url()
    if not base:
        print("jobs search: skipped (DATABASE_URL names no PostgreSQL server)")
        return [], {}
    databases = PostgresDatabases(base)
    if databases.problem() is not None:
        print(f"jobs search: skipped ({databases.problem()})")
        return [], {}
    try:
        url = databases.create(f"ycb_jobs_{uuid.uuid4().hex[:6]}")
        upgrade("services.jobs", url)
        settings = bench_settings("jobs", amqp_uri, url)
        container = ServiceContainer(JobsService, settings.nameko_config())
        container.start()
        results, seeded = {}, 0
        try:
            for size in SIZES:
                started = time.perf_counter()
                total = seed_posts(url, size - seeded, seed=size)
                seeded = size
                print(f"jobs search: {total} posts seeded in {time.perf_counter() - started:.0f}s")
                results[size] = _measure_size(amqp_uri, url, size)
        finally:
            container.stop()
    finally:
        databases.drop_all()
    small, large = results[SIZES[0]], results[SIZES[-1]]
    rows = [
        (f"jobs search page 3, {SIZES[0]:,} posts, rpc", small[0], None),
        (f"jobs search page 3, {SIZES[-1]:,} posts, rpc", large[0], small[0]),
        (f"jobs search page 3, {SIZES[0]:,} posts, db", small[1], None),
        (f"jobs search page 3, {SIZES[-1]:,} posts, db", large[1], small[1]),
    ]
    extra = {
        "jobs search p50 ratio 100k/1k (rpc)": round(large[0].p50_ms / small[0].p50_ms, 2),
        "jobs search p50 ratio 100k/1k (db)": round(large[1].p50_ms / small[1].p50_ms, 2),
        "jobs search page 3 items (1k, 100k)": f"{small[2]}, {large[2]}",
    }
    return rows, extra
