"""Facts that follow events (issue 23): the end of a traineeship and a completed business
registration change the person's employment status through `facts.change_facts`, verified by
the event and announced (`profile.facts_changed`); an identity appeal's release and binding
are announced too. Handlers on an in-memory unit of work."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from gateway import facts
from gateway.events import EVENTS
from gateway.models import YouthProfile
from tests.support.fakes import FakeRepository, FakeUnitOfWork

TRAINEESHIP_DAY = date(2026, 11, 30)


class ProfileSession:
    """The two things the handlers ask of the session: the locked profile and a flush."""

    def __init__(self, *profiles: YouthProfile):
        self.profiles = {p.account_id: p for p in profiles}

    def get(self, model, key, with_for_update=False):
        assert model is YouthProfile and with_for_update
        return self.profiles.get(key)

    def flush(self) -> None:
        pass


class EventUow(FakeUnitOfWork):
    def __init__(self, *profiles: YouthProfile):
        super().__init__(FakeRepository(), EVENTS)
        self._session = ProfileSession(*profiles)

    @property
    def session(self):
        return self._session


def profile(status: str | None = "unemployed", **values) -> YouthProfile:
    row = YouthProfile(account_id="person-1", employment_status=status, **values)
    row.verifications = []
    return row


def ended(outcome: str, ended_on: date = TRAINEESHIP_DAY):
    data = facts.JobsTraineeshipEnded().load(
        {
            "traineeship_id": "t-1",
            "employer_id": "host-1",
            "person_id": "person-1",
            "outcome": outcome,
            "ended_on": ended_on.isoformat(),
            "post_title": "tolerated: a field the gateway does not read",
        }
    )
    return SimpleNamespace(data=data)


def completed(at: str = "2026-11-30T03:00:00+00:00"):
    data = facts.StartupRegistrationCompleted().load(
        {"registration_id": "r-1", "person_id": "person-1", "completed_at": at, "graduate": True}
    )
    return SimpleNamespace(data=data)


def announced(uow) -> list[tuple[list[str], str]]:
    return [(e.data["facts"], e.data["source"]) for e in uow.recorded]


def test_a_trainee_the_host_retains_is_employed_by_it_from_the_last_day_verified():
    person = profile()
    uow = EventUow(person)
    facts.record_traineeship_end(ended("retained"), uow)
    assert (person.employment_status, person.employer_id, person.employed_since) == (
        "employed",
        "host-1",
        TRAINEESHIP_DAY,
    )
    assert facts.facts_state(person)["employment_status"] == "verified"
    [row] = person.verifications
    assert (row.source, row.as_of) == ("jobs.traineeship.ended", TRAINEESHIP_DAY)
    assert announced(uow) == [(["employment_status"], "jobs.traineeship.ended")]


@pytest.mark.parametrize("outcome", ["completed", "left"])
def test_a_trainee_who_completes_or_leaves_is_a_job_seeker_again(outcome):
    person = profile(status="student")
    uow = EventUow(person)
    facts.record_traineeship_end(ended(outcome), uow)
    assert person.employment_status == "unemployed"
    assert facts.facts_state(person)["employment_status"] == "verified"
    assert announced(uow) == [(["employment_status"], "jobs.traineeship.ended")]


@pytest.mark.parametrize("status", ["employed", "self_employed"])
def test_a_trainee_hired_or_in_business_meanwhile_stays_so_when_the_traineeship_ends(status):
    person = profile(status=status, employer_id="other", employed_since=date(2026, 12, 1))
    uow = EventUow(person)
    facts.record_traineeship_end(ended("completed"), uow)
    assert (person.employment_status, person.employer_id) == (status, "other")
    assert uow.recorded == []


def test_a_retention_older_than_a_later_hire_changes_nothing():
    person = profile(status="employed", employer_id="later", employed_since=date(2026, 12, 5))
    uow = EventUow(person)
    facts.record_traineeship_end(ended("retained"), uow)
    assert person.employer_id == "later" and uow.recorded == []


def test_a_completed_registration_makes_the_founder_self_employed_from_the_districts_day():
    person = profile(employer_id=None)
    uow = EventUow(person)
    # 19:00 UTC on 30 November is 1 December in the district
    facts.record_registration(completed("2026-11-30T19:00:00+00:00"), uow)
    assert (person.employment_status, person.employer_id, person.employed_since) == (
        "self_employed",
        None,
        date(2026, 12, 1),
    )
    assert announced(uow) == [(["employment_status"], "startup.registration.completed")]


def test_an_event_about_a_person_without_a_profile_changes_nothing():
    uow = EventUow()
    facts.record_traineeship_end(ended("completed"), uow)
    facts.record_registration(completed(), uow)
    assert uow.recorded == []


def test_a_withdrawal_declares_every_verified_fact_and_is_announced_with_the_age():
    person = profile(degree="master", birth_date=date(2000, 1, 1))
    officer = facts.Source("officer", "o-1", "ok")
    facts.change_facts(EventUow(person), person, {"degree": "master"}, officer)
    before = facts.snapshot(person)
    person.birth_date = None
    uow = EventUow(person)
    withdrawn = facts.Source(facts.APPEAL_SOURCE, withdraws=True)
    changed = facts.change_facts(uow, person, {}, withdrawn, before=before)
    assert changed == ["degree", "age"]
    assert facts.facts_state(person)["degree"] == "declared"
    assert announced(uow) == [(["degree", "age"], "identity_appeal")]
