"""Helpers for the jobs tests and the search benchmark: credit codes, bodies, RPC as a given
actor, and posts seeded in bulk."""

from __future__ import annotations

import itertools
import random
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from nameko.containers import ServiceContainer
from stdnum.cn import uscc

from services.common.clock import clock
from services.common.context import CallContext
from services.common.db import create_engine_for, is_sqlite, sqlite_gate
from services.common.rpc import StandaloneRpc
from services.jobs.domain import education_rank
from services.jobs.search import searchable_text, terms_of
from services.jobs.service import JobsService

from .fixtures import settings_for, stop_container
from .messaging import delete_consumer_queues

_serial = itertools.count(int(uuid.uuid4().int % 10**6) * 1000)


def credit_code(region: str = "410200") -> str:
    """A valid GB 32100 unified social credit code, unique per call in a run."""
    first17 = f"91{region}{next(_serial) % 10**9:09d}"
    return first17 + uscc.calc_check_digit(first17)


def wrong_check_character(code: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return code[:17] + alphabet[(alphabet.index(code[17]) + 1) % len(alphabet)]


def employer_body(**changes) -> dict:
    return {
        "credit_code": credit_code(),
        "industry": "culture_tourism",
        "area": "宋城街道",
        "address": "XX区文旅大道1号",
        "in_district": True,
        **changes,
    }


def post_body(kind: str = "traineeship", **changes) -> dict:
    body = {
        "kind": kind,
        "title": "景区文旅讲解见习生",
        "description": "负责游客讲解与活动组织",
        "tags": ["讲解", "导游"],
        "area": "宋城街道",
        "industry": "culture_tourism",
        "education": "bachelor",
        "salary_min": 2500,
        "salary_max": 3500,
        "positions": 2,
    }
    if kind == "traineeship":
        body["traineeship_months"] = 6
    return body | changes


def graduate_facts(person_id: str | None = None, **changes) -> dict:
    """A young person who graduated a year ago and is looking for work."""
    return {
        "person_id": person_id or str(uuid.uuid4()),
        "age": 23,
        "degree": "bachelor",
        "graduation_date": (clock.today() - timedelta(days=365)).isoformat(),
        "employment_status": "unemployed",
        **changes,
    }


@contextmanager
def acting(amqp_uri: str, actor_id: str | None, role: str, unit: str | None = None):
    """RPC to the platform's services on behalf of an actor, as the gateway would call."""
    context = CallContext(
        request_id=uuid.uuid4().hex, actor_id=actor_id, actor_role=role, actor_unit=unit
    )
    with StandaloneRpc(amqp_uri, timeout=10, context=context) as cluster:
        yield cluster


# -- bulk posts (search tests and the benchmark) ----------------------------------------------

TITLES = [
    "景区文旅讲解见习生",
    "旅游线路策划实习生",
    "民宿运营管理",
    "直播带货主播",
    "电商运营专员",
    "酒店前台接待",
    "文创产品设计师",
    "UI设计师",
    "Python开发工程师",
    "会计助理",
    "农产品销售代表",
    "幼儿教师",
    "护士",
    "物流配送专员",
    "新媒体编辑",
    "活动策划执行",
    "研学导师",
    "餐饮服务员",
    "数据分析实习生",
    "行政文员",
]
EMPLOYERS = ["XX文旅发展有限公司", "宋城旅游集团", "XX数字科技有限公司", "XX乡村振兴合作社"]
AREAS = ["宋城街道", "北门街道", "南关街道", "东郊乡", "西郊乡", "龙亭街道"]
INDUSTRIES = ["culture_tourism", "hospitality", "retail_ecommerce", "information_technology"]
KINDS = ["job", "internship", "traineeship"]
EDUCATIONS = ["high_school", "vocational", "associate", "bachelor", "master"]


def seed_posts(url: str, count: int, seed: int = 7, start: datetime | None = None) -> int:
    """Insert `count` published posts (and their keyword terms) straight into a migrated jobs
    database, spread over the last year. Returns how many posts the database then holds."""
    rng = random.Random(seed)
    engine = create_engine_for(url)
    start = start or datetime(2026, 1, 1, tzinfo=UTC)
    employer_ids = _ensure_employers(engine)
    now = datetime.now(UTC)
    try:
        for offset in range(0, count, 5000):
            posts, terms = [], []
            for _ in range(offset, min(count, offset + 5000)):
                employer = rng.randrange(len(EMPLOYERS))
                title = rng.choice(TITLES)
                kind = rng.choice(KINDS)
                education = rng.choice(EDUCATIONS)
                low = rng.randrange(2000, 8000, 500)
                post_id = str(uuid.UUID(int=rng.getrandbits(128)))
                text = searchable_text(title, EMPLOYERS[employer])
                posts.append(
                    {
                        "id": post_id,
                        "employer_id": employer_ids[employer],
                        "employer_name": EMPLOYERS[employer],
                        "kind": kind,
                        "title": title,
                        "description": "",
                        "tags": [],
                        "area": rng.choice(AREAS),
                        "industry": rng.choice(INDUSTRIES),
                        "education": education,
                        "education_rank": education_rank(education),
                        "salary_min": low,
                        "salary_max": low + 1500,
                        "positions": 1,
                        "hired_count": 0,
                        "address": "",
                        "in_district": True,
                        "traineeship_months": 6 if kind == "traineeship" else None,
                        "search_text": text,
                        "state": "published",
                        "created_at": now,
                        "updated_at": now,
                        "published_at": start + timedelta(minutes=rng.randrange(525_600)),
                    }
                )
                terms.extend({"term": t, "post_id": post_id} for t in terms_of(text))
            with writing(engine) as conn:
                conn.execute(_table(engine, "post").insert(), posts)
                conn.execute(_table(engine, "post_term").insert(), terms)
        with writing(engine) as conn:
            conn.exec_driver_sql("ANALYZE")
            return conn.execute(sa.text("SELECT count(*) FROM post")).scalar()
    finally:
        engine.dispose()


def _table(engine, name: str) -> sa.Table:
    from services.jobs.models import Base

    return Base.metadata.tables[name]


@contextmanager
def writing(engine):
    """A write transaction as the service's units of work take one: the file's green lock
    (a service running in this process writes the same file), then the write lock up front
    (BEGIN IMMEDIATE), so it neither fails to upgrade a read nor waits in SQLite's busy
    handler while the service's green thread holds the lock."""
    gate = sqlite_gate(engine)
    if gate is not None:
        gate.acquire()
    try:
        with engine.execution_options(youthcity_writer=True).begin() as conn:
            yield conn
    finally:
        if gate is not None:
            gate.release()


def _ensure_employers(engine) -> list[str]:
    ids = [str(uuid.UUID(int=n + 1)) for n in range(len(EMPLOYERS))]
    now = datetime.now(UTC)
    with writing(engine) as conn:
        existing = set(conn.execute(sa.text("SELECT id FROM employer")).scalars())
        rows = [
            {
                "id": employer_id,
                "name": name,
                "credit_code": credit_code(),
                "industry": "culture_tourism",
                "area": AREAS[0],
                "address": "",
                "in_district": True,
                "description": "",
                "state": "verified",
                "practice_unit": False,
                "practice_partners": [],
                "registered_at": now,
                "updated_at": now,
            }
            for employer_id, name in zip(ids, EMPLOYERS, strict=True)
            if employer_id not in existing
        ]
        if rows:
            conn.execute(_table(engine, "employer").insert(), rows)
    return ids


def explain(url: str, statement) -> str:
    """The database's plan for a SQLAlchemy statement, as text: the statement runs as the
    service would run it (same bound values and types), prefixed with EXPLAIN."""
    engine = create_engine_for(url)
    prefix = "EXPLAIN QUERY PLAN " if is_sqlite(engine) else "EXPLAIN "

    @sa.event.listens_for(engine, "before_cursor_execute", retval=True)
    def _explained(conn, cursor, sql, parameters, context, executemany):
        return prefix + sql, parameters

    try:
        with engine.connect() as conn:
            rows = conn.execute(statement).cursor.fetchall()
        return "\n".join(str(row[-1]) for row in rows)
    finally:
        engine.dispose()


# -- over HTTP (e2e) --------------------------------------------------------------------------


def unique_area() -> str:
    """A district area of one test's own, so searches see only that test's posts."""
    return f"测试街道{uuid.uuid4().hex[:8]}"


def registered_employer(api, officer=None, name: str = "XX文旅发展有限公司"):
    """An employer account with its organisation registered and, given an officer, verified."""
    employer = api.employer(name)
    answer = employer.post("/api/v1/employers", json=employer_body())
    assert answer.status_code == 201, answer.text
    if officer is not None:
        verified = officer.post(f"/api/v1/employers/{employer.id}/verify", json={})
        assert verified.status_code == 200, verified.text
    return employer


def published(employer, officer, **body) -> dict:
    draft = employer.post("/api/v1/posts", json=post_body(**body))
    assert draft.status_code == 201, draft.text
    post_id = draft.json()["id"]
    assert employer.post(f"/api/v1/posts/{post_id}/submit").status_code == 200
    approved = officer.post(f"/api/v1/posts/{post_id}/approve")
    assert approved.status_code == 200, approved.text
    return approved.json()


def recent_graduate(api, **profile):
    return api.youth(
        age=23,
        degree="bachelor",
        graduation_date=(clock.today() - timedelta(days=365)).isoformat(),
        employment_status="unemployed",
        **profile,
    )


def events_until(subscriber, expected: set[tuple[str, str]], timeout: float = 30) -> list[dict]:
    """CloudEvents a `Subscriber` receives until every (type, subject) in `expected` is among
    them, with one consumer throughout (a consumer per short drain would leave messages
    delivered to a cancelled consumer unseen)."""
    import contextlib
    import json
    import time

    def seen() -> set:
        return {(e["type"], e["subject"]) for e in events()}

    def events() -> list[dict]:
        return [json.loads(message.body) for _, message in subscriber.received]

    deadline = time.monotonic() + timeout
    with subscriber.connection.Consumer([subscriber.queue], on_message=subscriber._on_message):
        while not expected <= seen() and time.monotonic() < deadline:
            with contextlib.suppress(TimeoutError):
                subscriber.connection.drain_events(timeout=0.2)
    missing = expected - seen()
    assert not missing, f"events not seen within {timeout}s: {sorted(missing)}"
    return events()


def hire(employer, graduate, post_id: str, cover_letter: str = "您好") -> str:
    """The graduate applies, and the employer takes the application all the way to a hire
    (its id)."""
    applied = graduate.post(
        f"/api/v1/posts/{post_id}/applications", json={"cover_letter": cover_letter}
    )
    assert applied.status_code == 201, applied.text
    application = applied.json()["id"]
    for status in ("viewed", "interview", "offer"):
        employer.post(f"/api/v1/job-applications/{application}/status", json={"status": status})
    hired = employer.post(
        f"/api/v1/job-applications/{application}/status",
        json={"status": "hired", "contract_with_social_insurance": True},
    )
    assert hired.json()["state"] == "hired", hired.text
    return application


def published_post(api, hr, employer_name: str = "XX青年创业园", **post) -> tuple:
    """A verified employer of its own area and a post of theirs, published by `hr` (an officer
    of the HR bureau): (employer session, post)."""
    area = unique_area()
    employer = api.employer(employer_name)
    registered = employer.post("/api/v1/employers", json=employer_body(area=area))
    assert registered.status_code == 201, registered.text
    hr.post(f"/api/v1/employers/{employer.id}/verify", json={"note": "材料齐全"})
    created = employer.post("/api/v1/posts", json=post_body(area=area, **post)).json()
    employer.post(f"/api/v1/posts/{created['id']}/submit")
    approved = hr.post(f"/api/v1/posts/{created['id']}/approve")
    assert approved.status_code == 200, approved.text
    return employer, approved.json()


@pytest.fixture
def jobs(jobs_broker, databases):
    """A running jobs service on a fresh database, on the test module's own broker
    (`jobs_broker`), its inbox emptied of earlier tests' events: (amqp_uri, database url)."""
    url = databases.migrated("services.jobs")
    delete_consumer_queues(jobs_broker, "jobs")
    container = ServiceContainer(
        JobsService, settings_for("jobs", jobs_broker, url).nameko_config()
    )
    container.start()
    try:
        yield jobs_broker, url
    finally:
        stop_container(container)
