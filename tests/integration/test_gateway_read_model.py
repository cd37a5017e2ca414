"""The gateway's read model: how stale a read may be, as the README states it.

A change reported by an event is read within a second of the event; a change no event reports
(made here straight in the database, which the platform itself never does) is read after
GATEWAY_READ_MODEL_MAX_AGE at the latest. Reading the old value in between is what proves the
answer came from memory."""

import time

import pytest

from services.jobs.service import JobsService
from tests.support.api import PASSWORD, unique
from tests.support.jobs import seed_posts
from tests.support.messaging import Subscriber, scalar, wait_for
from tests.support.notify import publish_event

MAX_AGE = 3
EVENT_BOUND = 1.0


@pytest.fixture
def gateway(start_gateway, start_service, databases):
    """A gateway and the jobs service, on one broker; returns (Api, jobs database url)."""
    jobs_url = databases.migrated("services.jobs")
    start_service(JobsService, jobs_url)
    return start_gateway(GATEWAY_READ_MODEL_MAX_AGE=str(MAX_AGE)), jobs_url


def _execute(url: str, sql: str, **params) -> None:
    import sqlalchemy as sa

    from services.common.db import create_engine_for

    engine = create_engine_for(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(sql), params)
    finally:
        engine.dispose()


def _a_published_post(api, jobs_url: str) -> str:
    seed_posts(jobs_url, 1, seed=int(time.time()))
    post_id = scalar(jobs_url, "SELECT id FROM post WHERE state = 'published' LIMIT 1")
    assert api.anonymous.get(f"/api/v1/posts/{post_id}").json()["state"] == "published"
    return post_id


def _seconds_until(predicate, timeout: float) -> float:
    started = time.monotonic()
    wait_for(predicate, timeout=timeout, interval=0.02)
    return time.monotonic() - started


def test_a_post_change_reported_by_an_event_is_read_within_a_second(gateway, amqp_uri):
    api, jobs_url = gateway
    post_id = _a_published_post(api, jobs_url)
    _execute(jobs_url, "UPDATE post SET state = 'closed' WHERE id = :id", id=post_id)
    read = lambda: api.anonymous.get(f"/api/v1/posts/{post_id}").json()["state"]  # noqa: E731
    assert read() == "published", "the second read should have come from memory"

    publish_event(amqp_uri, "jobs", "posting.closed", {"post_id": post_id}, subject=post_id)
    assert _seconds_until(lambda: read() == "closed", timeout=EVENT_BOUND) < EVENT_BOUND


def test_a_post_change_no_event_reports_is_read_after_the_maximum_age(gateway):
    api, jobs_url = gateway
    post_id = _a_published_post(api, jobs_url)
    _execute(jobs_url, "UPDATE post SET title = '改过的标题' WHERE id = :id", id=post_id)
    read = lambda: api.anonymous.get(f"/api/v1/posts/{post_id}").json()["title"]  # noqa: E731
    assert read() != "改过的标题"
    assert _seconds_until(lambda: read() == "改过的标题", timeout=MAX_AGE + 1) <= MAX_AGE + 0.5


def test_a_post_is_answered_with_an_etag_and_not_modified(gateway):
    api, jobs_url = gateway
    post_id = _a_published_post(api, jobs_url)
    first = api.anonymous.get(f"/api/v1/posts/{post_id}")
    again = api.anonymous.get(
        f"/api/v1/posts/{post_id}", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304


def test_a_post_not_yet_published_is_never_kept_for_anyone_else(gateway):
    api, jobs_url = gateway
    post_id = _a_published_post(api, jobs_url)
    _execute(
        jobs_url,
        "UPDATE post SET state = 'pending', published_at = NULL WHERE id = :id",
        id=post_id,
    )
    publish_event(api.container.config["AMQP_URI"], "jobs", "posting.closed", {"post_id": post_id})
    officer = api.staff("officer", unit="hrss")
    wait_for(lambda: officer.get(f"/api/v1/posts/{post_id}").json()["state"] == "pending")
    assert api.anonymous.get(f"/api/v1/posts/{post_id}").status_code == 404


def test_a_disabled_account_loses_access_on_every_replica_by_the_event(gateway, amqp_uri):
    api, _ = gateway
    tap = Subscriber(amqp_uri, "gateway.events", unique("disabled-tap"))
    youth = api.youth()
    assert youth.get("/api/v1/accounts/me").status_code == 200
    database = api.container.config["YOUTHCITY"].database_url
    # as another replica's administrator would: this replica hears of it only by the event
    _execute(database, "UPDATE account SET status = 'disabled' WHERE id = :id", id=youth.id)
    assert youth.get("/api/v1/accounts/me").status_code == 200, "expected the kept account"
    publish_event(amqp_uri, "gateway", "account.disabled", {"account_id": youth.id})
    wait_for(lambda: youth.get("/api/v1/accounts/me").status_code == 401, timeout=EVENT_BOUND)

    _execute(database, "UPDATE account SET status = 'active' WHERE id = :id", id=youth.id)
    admin = api.admin()
    assert admin.patch(f"/api/v1/admin/accounts/{youth.id}", json={"status": "disabled"}).ok
    assert youth.get("/api/v1/accounts/me").status_code == 401
    events = [m for _, m in tap.drain(until_count=3, timeout=5) if "account.disabled" in m.body]
    tap.close()
    assert len(events) == 2 and youth.id in events[-1].body
    assert PASSWORD not in events[-1].body
