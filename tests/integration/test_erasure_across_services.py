"""An erasure confirmed at the gateway reaches the jobs, housing and startup services over the
real broker, and their answers mark it applied there, with the number of records each holds."""

from __future__ import annotations

import os

import pytest

from services.housing.service import HousingService
from services.jobs.service import JobsService
from services.startup.service import StartupService
from tests.support.infra import virtual_host
from tests.support.messaging import wait_for
from tests.support.startup import rpc_as

ANSWERING = ("housing", "jobs", "startup")


@pytest.fixture(scope="module")
def amqp_uri():
    """A virtual host of this module's own: the services here would otherwise take the calls
    and events of other tests' containers."""
    with virtual_host("erasure-across") as uri:
        yield uri


@pytest.fixture
def platform(start_gateway, start_service, databases):
    for service in (JobsService, HousingService, StartupService):
        start_service(service, databases.migrated(f"services.{service.name}"), env=os.environ)
    return start_gateway(ERASURE_RETRY_SECONDS="1")


def test_each_service_answers_the_gateways_erasure_with_its_records(platform, amqp_uri):
    youth = platform.youth()
    with rpc_as(amqp_uri, "officer", "hrss") as trainer:
        course = trainer.startup.create_course(
            course={
                "title": "SYB创业培训",
                "mode": "online",
                "starts_on": "2030-12-10",
                "ends_on": "2030-12-20",
                "hours": 56,
                "capacity": 5,
            }
        )
    with rpc_as(amqp_uri, "youth", actor_id=youth.id) as caller:
        caller.startup.enrol(course_id=course["id"], person={"person_id": youth.id})

    asked = youth.post("/api/v1/me/erasure").json()
    admin = platform.admin()
    assert admin.post(f"/api/v1/admin/erasures/{asked['id']}/confirm").status_code == 200

    def answered():
        view = admin.get("/api/v1/admin/erasures").json()["items"][0]
        states = {s["service"]: s for s in view["services"]}
        return states if all(states[s]["status"] == "applied" for s in ANSWERING) else None

    states = wait_for(answered, timeout=30, interval=0.5, message="the three services' answers")
    assert {s: states[s]["records"] for s in ANSWERING} == {"housing": 0, "jobs": 0, "startup": 1}
