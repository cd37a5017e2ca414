"""District–university cooperation in the jobs service against real RabbitMQ and a real database
(SQLite, and PostgreSQL when DATABASE_URL names one): the RPCs from a university's registration
to a roadshow an employer joined, placements and a city fair's registration, the figures the
gateway's indicators read, and an employer's export."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from services.common.clock import clock
from services.common.errors import DomainError
from tests.integration.test_jobs_service import HRSS, outbox, published_post, verified_employer
from tests.support.infra import virtual_host
from tests.support.jobs import acting

ORGANISATION = {"role": "officer", "unit": "organisation"}


@pytest.fixture(scope="module")
def jobs_broker(amqp_uri):
    with virtual_host("jobs-cooperation") as uri:
        yield uri


def test_cooperation_from_publication_to_participation_is_counted(jobs):
    amqp_uri, url = jobs
    today = clock.today()
    with acting(amqp_uri, "officer-9", **ORGANISATION) as rpc:
        university = rpc.jobs.register_university(university={"name": "XX大学", "city": "杭州市"})
        project = rpc.jobs.publish_cooperation_project(
            project={
                "university_id": university["id"],
                "kind": "industry_education",
                "title": "文旅产业学院",
                "starts_on": today.isoformat(),
                "milestones": [{"title": "挂牌", "due_on": today.isoformat()}],
            }
        )
        [milestone] = project["milestones"]
        rpc.jobs.complete_project_milestone(project_id=project["id"], milestone_id=milestone["id"])
        rpc.jobs.record_project_outcome(
            project_id=project["id"],
            outcome={"title": "共建实训基地", "achieved_on": today.isoformat()},
        )
        starts = clock.utcnow() + timedelta(hours=2)
        roadshow = rpc.jobs.organise_roadshow(
            roadshow={
                "university_id": university["id"],
                "title": "文旅产业专题推介会",
                "industry": "culture_tourism",
                "venue": "报告厅",
                "starts_at": starts.isoformat(),
                "ends_at": (starts + timedelta(hours=2)).isoformat(),
                "employer_capacity": 3,
            }
        )
    employer_id = verified_employer(amqp_uri)
    post = published_post(amqp_uri, employer_id, kind="internship")
    with acting(amqp_uri, employer_id, "employer") as rpc:
        joined = rpc.jobs.join_roadshow(
            roadshow_id=roadshow["id"], joining={"post_ids": [post["id"]]}
        )
    with acting(amqp_uri, "officer-1", **HRSS) as rpc:
        rpc.jobs.designate_practice_unit(
            employer_id=employer_id, partners=[], term={"university_ids": [university["id"]]}
        )
        fair = rpc.jobs.list_city_fair(
            fair={
                "title": "市级招聘会",
                "organiser": "市人社局",
                "mode": "online",
                "url": "https://jobs.example.gov.cn/city",
                "starts_at": starts.isoformat(),
                "ends_at": (starts + timedelta(hours=5)).isoformat(),
            }
        )
    with acting(amqp_uri, employer_id, "employer") as rpc:
        rpc.jobs.record_practice_placement(
            placement={
                "university_id": university["id"],
                "students": 7,
                "starts_on": today.isoformat(),
                "ends_on": (today + timedelta(days=30)).isoformat(),
            }
        )
        with pytest.raises(DomainError) as refused:
            rpc.jobs.book_booth(fair_id=fair["id"], booth={})
        export = rpc.jobs.export_person(person_id=employer_id)
    assert refused.value.code == "city_fair_no_booths"
    person = str(uuid.uuid4())
    with acting(amqp_uri, person, "youth") as rpc:
        rpc.jobs.register_for_fair(fair_id=fair["id"], person={"person_id": person})

    period = {"since": today.isoformat(), "until": (today + timedelta(days=1)).isoformat()}
    with acting(amqp_uri, None, "system") as rpc:
        figures = rpc.jobs.indicators(**period)
    assert {
        code: figures[code] for code in figures if "cooperation" in code or "practice" in code
    } == {
        "jobs.cooperation_projects": 1,
        "jobs.cooperation_projects.technology_transfer": 0,
        "jobs.cooperation_projects.platform_building": 0,
        "jobs.cooperation_projects.talent_exchange": 0,
        "jobs.cooperation_projects.industry_education": 1,
        "jobs.cooperation_milestones_done": 1,
        "jobs.cooperation_outcomes": 1,
        "jobs.practice_units_verified": 1,
        "jobs.practice_students_placed": 7,
    }
    assert (figures["jobs.roadshows"], figures["jobs.roadshow_employers"]) == (1, 1)
    assert (figures["jobs.city_fair_registrations"], figures["jobs.fair_registrations"]) == (1, 0)

    assert [p["id"] for p in joined["posts"]] == [post["id"]]
    [placed] = outbox(url, "practice_unit.students_placed")
    assert placed["students"] == 7 and placed["employer_id"] == employer_id
    [registered] = outbox(url, "fair.registered")
    assert registered["level"] == "city"
    assert [r["roadshow_id"] for r in export["roadshows_joined"]] == [roadshow["id"]]
    assert [p["students"] for p in export["practice_placements"]] == [7]
