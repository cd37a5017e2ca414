"""Eligibility that changes as days pass (issue 23, `gateway/benefits.py`): the daily check
keeps each person's answer; a programme eligible today, not at the last check, with the
facts unchanged since, is told once (source `daily_check`); a first check, or one after the
facts changed, only records the answer; a person is checked once a district day. Fake
services over a real SQLite session."""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from gateway import benefits
from gateway.models import Account, Base, BenefitCheck, BenefitNotice, YouthProfile
from services.common.clock import utcnow
from tests.unit.test_benefits_reaction import SETTINGS, FakeCluster, FakeService, verdict

DAY = date(2026, 12, 1)


class Uow:
    def __init__(self, session: Session):
        self.session, self.recorded = session, []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if exc[0] is not None:
            self.session.rollback()

    def record(self, event_type, subject, data):
        self.recorded.append((event_type, subject, data))

    def commit(self):
        self.session.commit()


class Db:
    """`reading()` and `unit_of_work()` over one in-memory database."""

    def __init__(self):
        self.engine = sa.create_engine("sqlite://")
        Base.metadata.create_all(self.engine)
        self.recorded = []

    @contextmanager
    def reading(self):
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def unit_of_work(self, context=None):
        with Session(self.engine) as session, Uow(session) as uow:
            yield uow
            self.recorded.extend(uow.recorded)


@pytest.fixture
def db():
    database = Db()
    yield database
    database.engine.dispose()


def young(db, person_id: str = "p-1", **profile) -> None:
    with Session(db.engine) as session:
        session.add(Account(id=person_id, role="youth", created_at=utcnow(), status="active"))
        values = {"birth_date": date(2010, 12, 2), "employment_status": "unemployed"} | profile
        session.add(YouthProfile(account_id=person_id, name="某人", updated_at=utcnow(), **values))
        session.commit()


def cluster(state: str, automatic: bool = False) -> FakeCluster:
    answer = verdict("traineeship", state, ("age",), automatic=automatic, service="jobs")
    return FakeCluster(jobs=FakeService([answer]))


def found(db) -> list[tuple[str, str]]:
    return [(s, d["programme"]) for t, s, d in db.recorded if t == "benefit.found"]


def test_a_programme_eligible_once_a_day_passes_is_told_once(db):
    young(db)
    first = benefits.check_as_days_pass(db, cluster("not_eligible"), SETTINGS, DAY)
    assert first == {"checked": 1, "found": 0}
    again = benefits.check_as_days_pass(db, cluster("eligible"), SETTINGS, DAY)
    assert again == {"checked": 0, "found": 0}  # once a district day

    tomorrow = DAY + timedelta(days=1)
    told = benefits.check_as_days_pass(db, cluster("eligible"), SETTINGS, tomorrow)
    assert told == {"checked": 1, "found": 1}
    assert found(db) == [("p-1", "traineeship")]
    with Session(db.engine) as session:
        [notice] = session.execute(sa.select(BenefitNotice)).scalars()
        assert (notice.programme, notice.source) == ("traineeship", "daily_check")
        check = session.get(BenefitCheck, "p-1")
        assert (check.checked_on, json.loads(check.eligible)) == (tomorrow, ["traineeship"])

    later = DAY + timedelta(days=5)
    assert benefits.check_as_days_pass(db, cluster("eligible"), SETTINGS, later)["found"] == 0


def test_the_first_check_only_records_the_answer(db):
    young(db)
    assert benefits.check_as_days_pass(db, cluster("eligible"), SETTINGS, DAY)["found"] == 0
    assert found(db) == []


def test_an_answer_that_changed_with_the_facts_is_not_the_days_doing(db):
    young(db)
    benefits.check_as_days_pass(db, cluster("not_eligible"), SETTINGS, DAY)
    with Session(db.engine) as session:
        session.get(YouthProfile, "p-1").degree = "bachelor"  # the person's own edit
        session.commit()
    tomorrow = DAY + timedelta(days=1)
    assert benefits.check_as_days_pass(db, cluster("eligible"), SETTINGS, tomorrow) == {
        "checked": 1,
        "found": 0,
    }
    # the new answer is the baseline: a day later, nothing more to tell
    later = tomorrow + timedelta(days=1)
    assert benefits.check_as_days_pass(db, cluster("eligible"), SETTINGS, later)["found"] == 0


def test_an_automatic_programme_found_as_days_pass_applies_itself(db):
    young(db)
    benefits.check_as_days_pass(db, cluster("not_eligible", automatic=True), SETTINGS, DAY)
    services = cluster("eligible", automatic=True)
    benefits.check_as_days_pass(db, services, SETTINGS, DAY + timedelta(days=1))
    assert services.services["jobs"].applied == [("traineeship", "p-1")]


def test_a_service_that_does_not_answer_leaves_the_person_for_the_next_run(db):
    young(db)
    down = FakeCluster(housing=FakeService(fails=True))
    assert benefits.check_as_days_pass(db, down, SETTINGS, DAY) == {"checked": 0, "found": 0}
    assert benefits.due_for_check(db, DAY) == ["p-1"]


def test_the_batch_is_the_people_not_checked_today_erased_ones_aside(db):
    young(db, "p-1")
    young(db, "p-2")
    with Session(db.engine) as session:
        session.get(Account, "p-2").status = "erased"
        session.commit()
    assert benefits.due_for_check(db, DAY) == ["p-1"]
    benefits.check_as_days_pass(db, cluster("eligible"), SETTINGS, DAY)
    assert benefits.due_for_check(db, DAY) == []
    assert benefits.due_for_check(db, DAY + timedelta(days=1)) == ["p-1"]
