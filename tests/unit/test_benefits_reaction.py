"""The gateway's reaction to a fact that changed (`gateway/benefits.py`, 政策找人), with fake
services and a fake unit of work: a person is told of each programme they became eligible for
through the changed facts, once; an automatic programme (免申即享) applies itself; a service
that does not answer makes the event retry instead of skipping its programmes."""

from datetime import date
from types import SimpleNamespace

import pytest

from gateway import benefits
from gateway.models import Account, BenefitNotice, YouthProfile

SETTINGS = SimpleNamespace(view_timeout=2.0)


def verdict(key: str, state: str, facts: tuple[str, ...], automatic: bool = False, service="x"):
    return {
        "key": key,
        "service": service,
        "name": {"zh-CN": f"{key}(中文)", "en": key},
        "automatic": automatic,
        "facts": list(facts),
        "verdict": state,
        "rules": [],
    }


class FakeService:
    def __init__(self, answers=(), fails: bool = False):
        self.answers, self.fails, self.applied = list(answers), fails, []

    def benefits(self, person):
        if self.fails:
            raise RuntimeError("down")
        return self.answers

    def apply_automatically(self, programme, person_id):
        self.applied.append((programme, person_id))
        return {"id": "claim-1"}


class FakeCluster:
    def __init__(self, **services):
        self.services = {name: FakeService() for name in benefits.PROGRAMME_SERVICES} | services

    def __getattr__(self, name):
        return self.services[name]

    def with_context(self, context):
        assert context.actor_role == "system"  # the platform's own work, not the person's
        return self

    def with_timeout(self, timeout):
        return self


class FakeSession:
    def __init__(self, account):
        self.account, self.notices = account, []

    def get(self, model, key):
        return self.account if model is Account and key == self.account.id else None

    def execute(self, query):
        keys = [row.programme for row in self.notices]
        return SimpleNamespace(scalars=lambda: keys)

    def add(self, row):
        assert isinstance(row, BenefitNotice)
        self.notices.append(row)


class FakeUow:
    def __init__(self, session):
        self.session, self.recorded = session, []

    def record(self, event_type, subject, data):
        self.recorded.append((event_type, subject, data))


@pytest.fixture
def session():
    account = Account(id="p1", role="youth", status="active")
    account.profile = YouthProfile(
        account_id="p1",
        birth_date=date(2003, 5, 1),
        degree="bachelor",
        graduation_date=date(2025, 7, 1),
        employment_status="unemployed",
        local_social_insurance_months=12,
    )
    return FakeSession(account)


def changed(*facts: str, source: str = "officer"):
    return SimpleNamespace(data={"person_id": "p1", "facts": list(facts), "source": source})


def test_a_person_is_told_once_of_what_the_changed_fact_made_them_eligible_for(session):
    insurance = ("age", "local_social_insurance_months")
    housing = FakeService(
        [
            verdict("affordable_rental", "eligible", insurance),
            verdict("public_rental", "not_eligible", insurance),
            verdict("youth_station", "eligible", ("graduation_date",)),
        ]
    )
    cluster = FakeCluster(housing=housing)
    uow = FakeUow(session)
    benefits.react(
        changed("local_social_insurance_months"), uow, services=cluster, settings=SETTINGS
    )

    assert [(t, s, d["programme"]) for t, s, d in uow.recorded] == [
        ("benefit.found", "p1", "affordable_rental")
    ]
    assert uow.recorded[0][2]["programme_zh"] == "affordable_rental(中文)"
    assert [(n.person_id, n.programme, n.source) for n in session.notices] == [
        ("p1", "affordable_rental", "officer")
    ]

    again = FakeUow(session)
    benefits.react(
        changed("local_social_insurance_months"), again, services=cluster, settings=SETTINGS
    )
    assert again.recorded == []


def test_an_automatic_programme_applies_itself_when_found(session):
    jobs = FakeService(
        [verdict("hiring_subsidy", "eligible", ("employment_status",), True, "jobs")]
    )
    uow = FakeUow(session)
    hired = changed("employment_status", source="jobs.application.hired")
    benefits.react(hired, uow, services=FakeCluster(jobs=jobs), settings=SETTINGS)

    assert jobs.applied == [("hiring_subsidy", "p1")]
    assert uow.recorded[0][2]["applied_automatically"] is True
    assert session.notices[0].applied_automatically is True


def test_a_service_that_does_not_answer_makes_the_event_retry(session):
    uow = FakeUow(session)
    cluster = FakeCluster(startup=FakeService(fails=True))
    with pytest.raises(RuntimeError):
        benefits.react(changed("degree"), uow, services=cluster, settings=SETTINGS)
    assert uow.recorded == [] and session.notices == []


def test_fact_states_name_each_fact_a_rule_uses(session):
    states = benefits.fact_states(session.account)
    assert states == {
        "graduation_date": "declared",
        "degree": "declared",
        "employment_status": "declared",
        "local_social_insurance_months": "declared",
        "age": "declared",
    }
    shown = benefits.with_fact_states(
        {"key": "k", "rules": [{"rule": "r", "facts": ["age", "degree"]}]},
        {"age": "declared", "degree": "verified"},
    )
    assert shown["rules"][0]["facts"] == [
        {"fact": "age", "state": "declared"},
        {"fact": "degree", "state": "verified"},
    ]
