"""Helpers for the housing tests: a housing service of the test's own, callers with an identity,
profile facts, the district's date, and the jobs service's hire event as its contract defines it.

The e2e platform runs for the whole session on the run's virtual host, with a housing service
consuming `rpc-housing` and `housing.inbox`; a housing container started there by an
integration test would share both queues with it. So these tests get a virtual host of their
own (`housing_amqp_uri`).

Make the fixtures a test module's own (assignments, so the tests' `housing` parameter does not
shadow an import)::

    from tests.support import housing as support

    housing_amqp_uri = support.housing_amqp_uri
    housing = support.housing
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from nameko.containers import ServiceContainer

from services.common.clock import DistrictClock, clock
from services.common.context import CallContext
from services.common.db import create_engine_for
from services.common.rpc import ClusterProxy, StandaloneRpc

from .fixtures import settings_for, stop_container
from .infra import virtual_host
from .messaging import delete_consumer_queues, publish_structured

HOUSING_OFFICER = ("officer", "housing")


def person(**facts) -> dict:
    """Profile facts as the gateway passes them: an eligible job-seeking graduate by default."""
    return {
        "person_id": str(uuid.uuid4()),
        "age": 25,
        "degree": "bachelor",
        "local_social_insurance_months": 24,
        "graduation_date": clock.today().isoformat(),
        "employment_status": "unemployed",
        **facts,
    }


def declared(kind: str = "public_rental", **fields) -> dict:
    return {
        "kind": kind,
        "owns_property_in_district": False,
        "on_government_payroll": False,
        **fields,
    }


def unit_body(kind: str = "public_rental", **fields) -> dict:
    return {
        "kind": kind,
        "title": f"{kind} {uuid.uuid4().hex[:6]}",
        "address": "XX区青年路1号",
        "area_m2": "45.00",
        "rooms": 1,
        "rent_cny": "800.00" if kind != "station_bed" else "0",
        **fields,
    }


def hired_event(person_id: str, in_district: bool = True, event_id: str | None = None) -> dict:
    """`youthcity.jobs.application.hired` following the jobs service's contract."""
    return {
        "specversion": "1.0",
        "id": event_id or str(uuid.uuid4()),
        "source": "/youthcity/jobs",
        "type": "youthcity.jobs.application.hired",
        "time": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "subject": str(uuid.uuid4()),
        "datacontenttype": "application/json",
        "data": {
            "application_id": str(uuid.uuid4()),
            "post_id": str(uuid.uuid4()),
            "post_kind": "job",
            "employer_id": str(uuid.uuid4()),
            "person_id": person_id,
            "hired_at": datetime.now(UTC).isoformat(),
            "graduate": True,
            "in_district": in_district,
            "contract_with_social_insurance": True,
        },
    }


def publish_hired(amqp_uri: str, event: dict) -> None:
    """Publish a hire as the jobs service would: structured CloudEvent on `jobs.events`."""
    publish_structured(amqp_uri, "jobs.events", event)


@pytest.fixture(scope="session")
def housing_amqp_uri():
    with virtual_host("housing") as uri:
        yield uri


@dataclass
class HousingUnderTest:
    """A running housing service, its database and clock, and callers with an identity."""

    container: ServiceContainer
    database_url: str
    amqp_uri: str
    rpc: ClusterProxy

    @property
    def clock(self) -> DistrictClock:
        """The process's clock, which the service in this process reads."""
        return clock

    def as_actor(self, actor_id: str, role: str, unit: str | None = None) -> ClusterProxy:
        context = CallContext(
            request_id=uuid.uuid4().hex, actor_id=actor_id, actor_role=role, actor_unit=unit
        )
        return self.rpc.with_context(context).housing

    def officer(self, unit: str = "housing") -> ClusterProxy:
        return self.as_actor(f"officer-{unit}", "officer", unit)

    def admin(self) -> ClusterProxy:
        """An administrator: the only one who reads the audit trail."""
        return self.as_actor("admin-1", "admin")

    def youth(self, facts: dict) -> ClusterProxy:
        return self.as_actor(facts["person_id"], "youth")

    def scalar(self, sql: str, **params):
        engine = create_engine_for(self.database_url)
        try:
            with engine.connect() as conn:
                return conn.execute(sa.text(sql), params).scalar()
        finally:
            engine.dispose()

    def event_types(self, subject: str | None = None) -> list[str]:
        """Types this service wrote to its outbox, in order (what it will publish)."""
        engine = create_engine_for(self.database_url)
        where, params = ("WHERE subject = :subject", {"subject": subject}) if subject else ("", {})
        try:
            with engine.connect() as conn:
                rows = conn.execute(
                    sa.text(f"SELECT type FROM outbox {where} ORDER BY seq"), params
                ).scalars()
                return [row.split(".", 2)[2] for row in rows]
        finally:
            engine.dispose()


@pytest.fixture
def housing(housing_amqp_uri, databases):
    from services.housing.service import HousingService

    url = databases.migrated("services.housing")
    delete_consumer_queues(housing_amqp_uri, "housing")
    settings = settings_for("housing", housing_amqp_uri, url)
    container = ServiceContainer(HousingService, settings.nameko_config())
    container.start()
    try:
        with StandaloneRpc(housing_amqp_uri, timeout=15) as cluster:
            yield HousingUnderTest(container, url, housing_amqp_uri, cluster)
    finally:
        stop_container(container)


#: the public value a test round names, and the value "published" for it
PUBLIC_VALUE_SOURCE = "中国福利彩票双色球第2026081期开奖号码(红球升序+蓝球)"
PUBLIC_VALUE = "03 12 19 25 28 33 + 07"


def draw_round(housing: HousingUnderTest, kind: str = "public_rental") -> dict:
    """A draw round of `kind` opened, closed and drawn through the service: its public value is
    due an hour on, so the process's clock moves past it (real time again after the test)."""
    officer = housing.officer()
    due = housing.clock.utcnow() + timedelta(hours=1)
    opened = officer.open_lottery(
        lottery={
            "kind": kind,
            "public_value_source": PUBLIC_VALUE_SOURCE,
            "public_value_at": due.isoformat(),
        }
    )
    officer.close_lottery(lottery_id=opened["id"])
    housing.clock.advance(timedelta(hours=1))
    return officer.draw_lottery(lottery_id=opened["id"], draw={"public_value": PUBLIC_VALUE})


def station_room(officer, beds: int) -> dict:
    """A youth-station room with `beds` beds, created by a housing officer through the API."""
    created = officer.post(
        "/api/v1/housing/units",
        json={
            "kind": "station_bed",
            "title": "青年驿站 2号房",
            "address": "XX区人才大厦3楼",
            "area_m2": "30",
            "rooms": 1,
            "rent_cny": "0",
            "beds": beds,
        },
    )
    assert created.status_code == 201, created.text
    assert created.headers["Location"] == f"/api/v1/housing/units/{created.json()['id']}"
    return created.json()


def approved_over_http(api, officer, kind: str, group: str = "general"):
    """A young person whose application for `kind` an officer approved, over the API: the
    person's session and the application."""
    applicant = api.youth(age=26, local_social_insurance_months=24)
    submitted = applicant.post(
        "/api/v1/housing/applications",
        json={"kind": kind, "owns_property_in_district": False, "on_government_payroll": False},
    )
    assert submitted.status_code == 201, submitted.text
    decided = officer.post(
        f"/api/v1/housing/applications/{submitted.json()['id']}/decision",
        json={"decision": "approved", "preference_group": group},
    )
    assert decided.status_code == 200, decided.text
    return applicant, submitted.json()


def open_and_close_over_http(officer, kind: str, due: datetime) -> dict:
    """A round of `kind` opened naming a public value due at `due`, then closed, over the API:
    its public view as the close answered it."""
    opened = officer.post(
        "/api/v1/housing/lotteries",
        json={
            "kind": kind,
            "title": "2026年第3批摇号",
            "public_value_source": PUBLIC_VALUE_SOURCE,
            "public_value_at": due.isoformat(),
        },
    )
    assert opened.status_code == 201, opened.text
    closed = officer.post(f"/api/v1/housing/lotteries/{opened.json()['id']}/close")
    assert closed.status_code == 200, closed.text
    return closed.json()
