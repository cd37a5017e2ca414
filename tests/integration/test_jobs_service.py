"""The jobs service against real RabbitMQ and a real database (SQLite and PostgreSQL): the hiring
journey and its events, one application per person under concurrency, subsidies once per person,
the traineeship subsidy at the host's retention, search that stays put while posts arrive, and
the figures the gateway aggregates."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta

import eventlet
import pytest

from services.common.clock import clock
from services.common.errors import DomainError
from tests.support.infra import virtual_host
from tests.support.jobs import (
    acting,
    employer_body,
    graduate_facts,
    post_body,
)
from tests.support.messaging import scalar, wait_for

HRSS = {"role": "officer", "unit": "hrss"}


@pytest.fixture(scope="module")
def jobs_broker(amqp_uri):
    """A virtual host of these tests' own (see `tests.support.infra.virtual_host`)."""
    with virtual_host("jobs") as uri:
        yield uri


def verified_employer(amqp_uri: str, name: str = "XX文旅发展有限公司") -> str:
    employer_id = str(uuid.uuid4())
    with acting(amqp_uri, employer_id, "employer") as rpc:
        rpc.jobs.register_employer(employer=employer_body(), name=name)
    with acting(amqp_uri, "officer-1", **HRSS) as rpc:
        rpc.jobs.verify_employer(employer_id=employer_id)
    return employer_id


def published_post(amqp_uri: str, employer_id: str, **body) -> dict:
    with acting(amqp_uri, employer_id, "employer") as rpc:
        post = rpc.jobs.create_post(post=post_body(**body))
        rpc.jobs.post_step(post_id=post["id"], action="submit")
    with acting(amqp_uri, "officer-1", **HRSS) as rpc:
        return rpc.jobs.post_step(post_id=post["id"], action="approve")


def outbox(url: str, event_type: str) -> list[dict]:
    """The data of every recorded event of a type, in order (what the relay publishes)."""
    from services.common.db import create_engine_for

    engine = create_engine_for(url)
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT data FROM outbox WHERE type = %s ORDER BY seq"
                if engine.dialect.name == "postgresql"
                else "SELECT data FROM outbox WHERE type = ? ORDER BY seq",
                (f"youthcity.jobs.{event_type}",),
            ).all()
        return [json.loads(row[0]) for row in rows]
    finally:
        engine.dispose()


def test_a_graduate_is_hired_into_a_traineeship_with_its_history_events_and_subsidy(jobs):
    amqp_uri, url = jobs
    employer_id = verified_employer(amqp_uri)
    post = published_post(amqp_uri, employer_id, positions=1)
    person = graduate_facts()
    with acting(amqp_uri, person["person_id"], "youth") as rpc:
        application = rpc.jobs.apply(post_id=post["id"], person=person, application={})
        # the answer, made from what was written, is what a later read finds
        assert rpc.jobs.get_application(application_id=application["id"]) == application
    assert application["state"] == "submitted"
    with acting(amqp_uri, employer_id, "employer") as rpc:
        for status in ("viewed", "interview", "offer"):
            rpc.jobs.change_application_status(
                application_id=application["id"], change={"status": status}
            )
        hired = rpc.jobs.change_application_status(
            application_id=application["id"],
            change={"status": "hired", "contract_with_social_insurance": True, "note": "欢迎加入"},
        )
        post_now = rpc.jobs.get_post(post_id=post["id"])
        history = rpc.jobs.post_history(post_id=post["id"])["items"]
    assert [step["to_state"] for step in hired["history"]] == [
        "submitted",
        "viewed",
        "interview",
        "offer",
        "hired",
    ]
    assert hired["graduate"] is True and hired["in_district"] is True
    assert post_now["state"] == "filled" and post_now["hired_count"] == 1
    assert [(s["action"], s["to_state"]) for s in history] == [
        ("create", "draft"),
        ("submit", "pending_review"),
        ("approve", "published"),
        ("fill", "filled"),
    ]

    [hire] = outbox(url, "application.hired")
    assert set(hire) == {
        "application_id",
        "post_id",
        "post_kind",
        "employer_id",
        "person_id",
        "hired_at",
        "graduate",
        "in_district",
        "contract_with_social_insurance",
    }
    assert hire["post_kind"] == "traineeship" and hire["graduate"] is True
    assert hire["in_district"] is True and hire["contract_with_social_insurance"] is True
    assert hire["hired_at"].endswith("+00:00")
    changes = outbox(url, "application.status_changed")
    assert [c["status"] for c in changes] == ["viewed", "interview", "offer", "hired"]
    assert changes[-1]["status_label_zh"] == "已录用"
    [started] = outbox(url, "traineeship.started")
    assert (started["months"], started["subsidy_rate"], started["monthly_subsidy_cny"]) == (
        6,
        "0.70",
        "1400.00",
    )
    for recorded in outbox(url, "application.submitted") + changes + [hire, started]:
        assert "citizen_id" not in json.dumps(recorded) and "name" not in recorded

    with acting(amqp_uri, employer_id, "employer") as rpc:
        claim = rpc.jobs.claim_subsidy(claim={"application_id": application["id"]})
    assert (claim["kind"], claim["amount_cny"], claim["state"]) == ("hiring", "1500.00", "claimed")
    with acting(amqp_uri, "officer-1", **HRSS) as rpc:
        granted = rpc.jobs.decide_subsidy(
            claim_id=claim["id"],
            decision={"decision": "grant"},
            # what the gateway holds verified: the hire's graduation date, checked by 区人社局
            verified_facts={"graduation_date": person["graduation_date"]},
        )
    with acting(amqp_uri, "admin-1", "admin") as rpc:  # the trail is the administrators'
        trail = rpc.jobs.audit_trail(filters={"subject_id": claim["id"]})["items"]
    assert granted["state"] == "granted"
    assert [entry["action"] for entry in trail] == ["subsidy.granted"]
    assert outbox(url, "subsidy.decided")[0]["decision"] == "granted"
    wait_for(
        lambda: scalar(url, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0,
        message="the relay publishing every recorded event",
    )


def test_one_application_per_person_even_when_sent_at_once(jobs):
    amqp_uri, url = jobs
    post = published_post(amqp_uri, verified_employer(amqp_uri), kind="job")
    person = graduate_facts()

    def apply():
        with acting(amqp_uri, person["person_id"], "youth") as rpc:
            try:
                return rpc.jobs.apply(post_id=post["id"], person=person, application={})["state"]
            except DomainError as error:
                return error.code

    pool = eventlet.GreenPool()
    outcomes = sorted(pool.imap(lambda _: apply(), range(6)))
    assert outcomes == ["application_exists"] * 5 + ["submitted"]
    assert scalar(url, "SELECT count(*) FROM application") == 1


def test_the_hiring_subsidy_is_paid_once_per_person_ever(jobs):
    amqp_uri, url = jobs
    person = graduate_facts()
    claims = []
    for name in ("甲公司", "乙公司"):
        employer_id = verified_employer(amqp_uri, name)
        post = published_post(amqp_uri, employer_id, kind="job")
        with acting(amqp_uri, person["person_id"], "youth") as rpc:
            application = rpc.jobs.apply(post_id=post["id"], person=person, application={})
        with acting(amqp_uri, employer_id, "employer") as rpc:
            for status in ("viewed", "offer"):
                rpc.jobs.change_application_status(
                    application_id=application["id"], change={"status": status}
                )
            rpc.jobs.change_application_status(
                application_id=application["id"],
                change={"status": "hired", "contract_with_social_insurance": True},
            )
            try:
                claims.append(rpc.jobs.claim_subsidy(claim={"application_id": application["id"]}))
            except DomainError as error:
                claims.append(error.code)
    assert claims[0]["state"] == "claimed"
    assert claims[1] == "hiring_subsidy_once_per_person"
    assert scalar(url, "SELECT count(*) FROM subsidy_claim") == 1


def test_the_host_earns_110_percent_once_it_keeps_half_its_trainees(jobs):
    amqp_uri, url = jobs
    employer_id = verified_employer(amqp_uri)
    post = published_post(amqp_uri, employer_id, positions=5, traineeship_months=6)
    starts = date(2026, 1, 1)
    traineeships = []
    for _ in range(3):
        person = graduate_facts()
        with acting(amqp_uri, person["person_id"], "youth") as rpc:
            application = rpc.jobs.apply(post_id=post["id"], person=person, application={})
        with acting(amqp_uri, employer_id, "employer") as rpc:
            for status in ("viewed", "offer"):
                rpc.jobs.change_application_status(
                    application_id=application["id"], change={"status": status}
                )
            hired = rpc.jobs.change_application_status(
                application_id=application["id"],
                change={"status": "hired", "starts_on": starts.isoformat()},
            )
            traineeships.append(hired["traineeship_id"])
    with acting(amqp_uri, employer_id, "employer") as rpc:
        left = rpc.jobs.end_traineeship(
            traineeship_id=traineeships[0], end={"outcome": "left", "ended_on": "2026-03-15"}
        )
        kept = rpc.jobs.end_traineeship(
            traineeship_id=traineeships[1], end={"outcome": "retained", "ended_on": "2026-02-10"}
        )
        third = rpc.jobs.get_traineeship(traineeship_id=traineeships[2])
        with pytest.raises(DomainError) as again:
            rpc.jobs.end_traineeship(
                traineeship_id=traineeships[0], end={"outcome": "left", "ended_on": "2026-03-16"}
            )
    assert again.value.code == "illegal_transition" and again.value.status == 409
    # the trainee who left earned two full months at the base rate (nobody kept yet)
    assert (left["subsidy_months"], left["subsidy_rate"], left["subsidy_total_cny"]) == (
        2,
        "0.70",
        "2800.00",
    )
    # hired early: the remaining months are kept, and the host now keeps 1 of 2 (50 %)
    assert (kept["subsidy_months"], kept["subsidy_rate"], kept["subsidy_total_cny"]) == (
        6,
        "1.10",
        "13200.00",
    )
    assert third["state"] == "active" and third["subsidy_total_cny"] == "8400.00"
    with acting(amqp_uri, employer_id, "employer") as rpc:
        claim = rpc.jobs.claim_subsidy(claim={"traineeship_id": kept["id"]})
        with pytest.raises(DomainError) as early:
            rpc.jobs.claim_subsidy(claim={"traineeship_id": traineeships[2]})
    assert (claim["kind"], claim["amount_cny"]) == ("traineeship", "13200.00")
    assert early.value.code == "subsidy_needs_ended_traineeship"
    assert [e["outcome"] for e in outbox(url, "traineeship.ended")] == ["left", "retained"]


def test_search_finds_chinese_keywords_and_a_page_stays_put_while_posts_arrive(jobs):
    amqp_uri, _ = jobs
    employer_id = verified_employer(amqp_uri, "宋城旅游集团")
    titles = ["景区文旅讲解见习生", "旅游线路策划实习生", "酒店前台接待", "UI设计师", "文旅讲解员"]
    for title in titles:
        published_post(amqp_uri, employer_id, kind="job", title=title)
    with acting(amqp_uri, None, "anonymous") as rpc:

        def titles_for(**query):
            return [p["title"] for p in rpc.jobs.search_posts(query=query)["items"]]

        assert titles_for(keyword="见习") == ["景区文旅讲解见习生"]
        assert titles_for(keyword="文旅讲解") == ["文旅讲解员", "景区文旅讲解见习生"]
        assert titles_for(keyword="讲解 见习") == ["景区文旅讲解见习生"]
        # every post: the employer is 宋城旅游集团
        assert titles_for(keyword="旅游") == titles[::-1]
        assert titles_for(keyword="ui") == ["UI设计师"]
        assert titles_for(keyword="接") == ["酒店前台接待"]
        assert titles_for(keyword="实习 见习") == []
        first = rpc.jobs.search_posts(query={"keyword": "旅游", "limit": 2})
    published_post(amqp_uri, employer_id, kind="job", title="新到的旅游岗位")
    with acting(amqp_uri, None, "anonymous") as rpc:
        second = rpc.jobs.search_posts(
            query={"keyword": "旅游", "limit": 2, "after": first["next_cursor"]}
        )
        third = rpc.jobs.search_posts(
            query={"keyword": "旅游", "limit": 2, "after": second["next_cursor"]}
        )
        newest = rpc.jobs.search_posts(query={"keyword": "旅游", "limit": 1})
    paged = [p["title"] for page in (first, second, third) for p in page["items"]]
    assert paged == titles[::-1]
    assert newest["items"][0]["title"] == "新到的旅游岗位"


def test_filters_and_sorts(jobs):
    amqp_uri, _ = jobs
    employer_id = verified_employer(amqp_uri)
    published_post(
        amqp_uri,
        employer_id,
        kind="job",
        title="会计",
        area="北门街道",
        salary_min=5000,
        salary_max=8000,
        education="master",
        industry="finance",
    )
    published_post(
        amqp_uri,
        employer_id,
        kind="internship",
        title="文员",
        area="宋城街道",
        salary_min=2000,
        salary_max=2500,
        education="high_school",
    )
    published_post(amqp_uri, employer_id, title="讲解", salary_min=3000, salary_max=3500)
    with acting(amqp_uri, None, "anonymous") as rpc:

        def titles_for(**query):
            return [p["title"] for p in rpc.jobs.search_posts(query=query)["items"]]

        assert titles_for(kind="internship") == ["文员"]
        assert titles_for(area="北门街道") == ["会计"]
        assert titles_for(industry="finance") == ["会计"]
        assert titles_for(education="bachelor") == ["讲解", "文员"]
        assert titles_for(salary_min=3500) == ["讲解", "会计"]
        assert titles_for(salary_max=2800) == ["文员"]
        assert titles_for(sort="salary") == ["会计", "讲解", "文员"]
        with pytest.raises(DomainError) as refused:
            rpc.jobs.search_posts(query={"kind": "gig"})
    assert refused.value.status == 422 and refused.value.errors[0]["field"] == "kind"


def test_indicators_dashboard_and_graduates_hired_in_the_district(jobs):
    amqp_uri, _ = jobs
    employer_id = verified_employer(amqp_uri)
    job = published_post(amqp_uri, employer_id, kind="job")
    published_post(amqp_uri, employer_id, kind="internship")
    graduate, other = graduate_facts(), graduate_facts(graduation_date="2015-07-01", age=33)
    for person in (graduate, other):
        with acting(amqp_uri, person["person_id"], "youth") as rpc:
            application = rpc.jobs.apply(post_id=job["id"], person=person, application={})
        with acting(amqp_uri, employer_id, "employer") as rpc:
            for status in ("viewed", "offer", "hired"):
                rpc.jobs.change_application_status(
                    application_id=application["id"], change={"status": status}
                )
    today = clock.today()
    period = {"since": today.isoformat(), "until": (today + timedelta(days=1)).isoformat()}
    with acting(amqp_uri, None, "system") as rpc:
        figures = rpc.jobs.indicators(**period)
        hired = rpc.jobs.graduates_hired_in_district(**period)
        before = rpc.jobs.indicators(since="2020-01-01", until="2020-02-01")
    with acting(amqp_uri, graduate["person_id"], "youth") as rpc:  # a dashboard is its owner's
        board = rpc.jobs.dashboard()
    assert figures["jobs.posts_published.job"] == 1
    assert figures["jobs.posts_published.internship"] == 1
    assert figures["jobs.posts_published.traineeship"] == 0
    assert (figures["jobs.applications"], figures["jobs.hires"]) == (2, 2)
    assert figures["jobs.graduates_hired_in_district"] == 1
    assert hired == [graduate["person_id"]]
    assert set(before.values()) == {0}
    [item] = board["items"]
    assert item["kind"] == "jobs.application" and item["state"] == "hired"
    assert item["title"]["zh-CN"] == "岗位申请:景区文旅讲解见习生"
    assert item["next_step"] is None and item["link"] == f"/api/v1/job-applications/{item['id']}"


def test_fairs_give_free_booths_while_they_last_and_register_young_people_once(jobs):
    amqp_uri, url = jobs
    first, second = verified_employer(amqp_uri, "甲公司"), verified_employer(amqp_uri, "乙公司")
    post = published_post(amqp_uri, first, kind="job")
    with acting(amqp_uri, "officer-1", **HRSS) as rpc:
        fair = rpc.jobs.create_fair(
            fair={
                "title": "2027年春风行动专场招聘会",
                "mode": "on_site",
                "venue": "区人力资源市场",
                "starts_at": "2030-03-01T09:00:00+08:00",
                "ends_at": "2030-03-01T17:00:00+08:00",
                "booth_capacity": 1,
            }
        )
    assert (fair["booths_left"], fair["organiser_unit"]) == (1, "hrss")

    def book(employer_id, post_ids):
        with acting(amqp_uri, employer_id, "employer") as rpc:
            try:
                return rpc.jobs.book_booth(fair_id=fair["id"], booth={"post_ids": post_ids})
            except DomainError as error:
                return error.code

    pool = eventlet.GreenPool()
    outcomes = list(pool.starmap(book, [(first, [post["id"]]), (second, [])]))
    booked = [o for o in outcomes if isinstance(o, dict)]
    assert len(booked) == 1 and "fair_booths_full" in outcomes
    assert book(booked[0]["employer_id"], []) == "booth_already_booked"
    assert book(second, [post["id"]]) in ("booth_already_booked", "fair_booths_full")

    person = graduate_facts()
    with acting(amqp_uri, person["person_id"], "youth") as rpc:
        registration = rpc.jobs.register_for_fair(fair_id=fair["id"], person=person)
        with pytest.raises(DomainError) as twice:
            rpc.jobs.register_for_fair(fair_id=fair["id"], person=person)
        mine = rpc.jobs.my_fair_registrations(person_id=person["person_id"], query={})
        detail = rpc.jobs.get_fair(fair_id=fair["id"])
        listed = rpc.jobs.list_fairs(query={"mode": "on_site"})
    assert twice.value.code == "fair_already_registered"
    assert [r["id"] for r in mine["items"]] == [registration["id"]]
    assert detail["registration_count"] == 1 and detail["booths_left"] == 0
    [booth] = detail["booths"]
    assert booth["fee_cny"] == "0.00"
    assert [p["id"] for p in booth["posts"]] == (
        [post["id"]] if booth["employer_id"] == first else []
    )
    assert [f["id"] for f in listed["items"]] == [fair["id"]]
    [event] = outbox(url, "fair.registered")
    assert (event["person_id"], event["place"]) == (person["person_id"], "区人力资源市场")
    with acting(amqp_uri, person["person_id"], "youth") as rpc:
        board = rpc.jobs.dashboard()
    assert board["items"][0]["kind"] == "jobs.fair_registration"
    assert board["items"][0]["next_step"]["zh-CN"] == "请于2030-03-01 09:00参加招聘会"


def test_practice_units_are_designated_by_officers_and_listed_with_their_posts(jobs):
    amqp_uri, _ = jobs
    unit = verified_employer(amqp_uri, "XX文旅发展有限公司")
    post = published_post(amqp_uri, unit, kind="internship")
    verified_employer(amqp_uri, "不是实践单位的公司")
    with acting(amqp_uri, "officer-1", **HRSS) as rpc:
        designated = rpc.jobs.designate_practice_unit(employer_id=unit, partners=["XX职业技术学院"])
    with acting(amqp_uri, "admin-1", "admin") as rpc:
        trail = rpc.jobs.audit_trail(filters={"subject_id": unit})["items"]
    assert designated["practice_unit"] is True
    assert [e["action"] for e in trail] == [
        "employer.practice_unit_designated",
        "employer.verified",
    ]
    with acting(amqp_uri, None, "anonymous") as rpc:
        [listed] = rpc.jobs.practice_units(query={})["items"]
    assert (listed["employer_id"], listed["partners"]) == (unit, ["XX职业技术学院"])
    assert [p["id"] for p in listed["posts"]] == [post["id"]]
