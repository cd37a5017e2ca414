"""The jobs service's workflows from an application to a hire, the traineeship it starts and
the subsidies an employer claims for them, run against an in-memory unit of work."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.common.actor import Actor
from services.common.clock import clock
from services.common.errors import Conflict, DomainError, Forbidden, IllegalTransition, NotFound
from services.jobs import applications, subsidies, traineeships
from services.jobs.events import EVENTS
from services.jobs.models import Application, ApplicationTransition, Post, Traineeship
from services.jobs.policy import JobsPolicy
from tests.support.fake_jobs import (
    VERIFIED_FACTS,
    WRITTEN_AT,
    FakeJobsRepository,
    application,
    post,
    traineeship,
)
from tests.support.fakes import FakeUnitOfWork

POLICY = JobsPolicy()
OFFICER = Actor("o1", "officer", "hrss")
HOST = Actor("e1", "employer")
OTHER_EMPLOYER = Actor("e2", "employer")
APPLICANT = Actor("p1", "youth")
PLATFORM = Actor(None, "system")
#: what the gateway passes about `p1`: graduated a year ago, looking for work
FACTS = {
    "person_id": "p1",
    "age": 23,
    "degree": "bachelor",
    "graduation_date": date(2025, 7, 1),
    "employment_status": "unemployed",
}
HIRE = {"status": "hired", "contract_with_social_insurance": True}


@pytest.fixture(autouse=True)
def _district_day():
    clock.travel_to(WRITTEN_AT)
    yield
    clock.reset()


def unit_of_work(*rows) -> FakeUnitOfWork:
    return FakeUnitOfWork(FakeJobsRepository(*rows), EVENTS)


def apply(uow, facts: dict = FACTS):
    """`p1` applies to `post-1` without a cover letter."""
    return applications.apply(uow, APPLICANT, "post-1", facts, {"cover_letter": ""}, POLICY)


def move(uow, actor: Actor, change: dict) -> Application:
    """`actor` moves `app-1` as `change` says."""
    return applications.change_status(uow, actor, "app-1", change, POLICY)


def history_of(uow, application_id: str = "app-1") -> list[tuple]:
    rows = uow.repo.rows(ApplicationTransition, lambda row: row.application_id == application_id)
    return [(row.from_state, row.to_state, row.actor_role, row.note) for row in rows]


# -- applications -----------------------------------------------------------------------------


def test_a_young_person_applies_and_the_facts_judged_on_are_kept_with_the_application():
    uow = unit_of_work(post())
    row, submitted = applications.apply(
        uow, APPLICANT, "post-1", FACTS, {"cover_letter": "我熟悉本地历史"}, POLICY
    )
    assert (row.state, row.employer_id, row.degree, row.graduation_date) == (
        "submitted",
        "e1",
        "bachelor",
        date(2025, 7, 1),
    )
    assert (submitted.from_state, submitted.to_state, submitted.actor_id) == (
        None,
        "submitted",
        "p1",
    )
    assert uow.event_types() == ["application.submitted"]
    assert uow.recorded[0].data["person_id"] == "p1"
    assert uow.committed


def test_a_second_application_to_the_same_post_is_refused_and_records_nothing():
    uow = unit_of_work(post(), application())
    with pytest.raises(Conflict) as refused:
        apply(uow)
    assert refused.value.code == "application_exists"
    assert uow.recorded == [] and not uow.committed


def test_an_unpublished_post_does_not_exist_for_applicants_and_a_closed_one_says_so():
    for state in ("draft", "pending_review"):
        with pytest.raises(NotFound):
            apply(unit_of_work(post(state=state)))
    with pytest.raises(DomainError) as refused:
        apply(unit_of_work(post(state="filled")))
    assert (refused.value.code, refused.value.status) == ("post_not_open", 409)


def test_a_traineeship_post_refuses_an_ineligible_person_naming_each_failed_rule():
    employed = {**FACTS, "employment_status": "employed", "graduation_date": date(2020, 7, 1)}
    uow = unit_of_work(post(kind="traineeship"))
    with pytest.raises(DomainError) as refused:
        apply(uow, employed)
    assert (refused.value.code, refused.value.status) == ("traineeship_not_eligible", 422)
    assert [error["field"] for error in refused.value.errors] == [
        "recent_graduate",
        "not_employed",
    ]
    assert uow.repo.rows(Application) == []


def test_the_employer_moves_an_application_on_and_the_applicant_is_told_with_the_note():
    uow = unit_of_work(post(), application())
    row = move(uow, HOST, {"status": "interview", "note": "周三面试"})
    assert row.state == "interview"
    assert history_of(uow) == [("submitted", "interview", "employer", "周三面试")]
    changed = uow.recorded[0]
    assert (changed.type, changed.data["from_status"], changed.data["status"]) == (
        "application.status_changed",
        "submitted",
        "interview",
    )
    assert changed.data["status_label_en"]


def test_the_applicant_withdraws_but_does_not_hire_and_other_employers_see_nothing():
    with pytest.raises(Forbidden) as refused:
        move(unit_of_work(post(), application(state="offer")), APPLICANT, HIRE)
    assert refused.value.code == "application_step_for_employer"
    with pytest.raises(NotFound):
        move(unit_of_work(post(), application()), OTHER_EMPLOYER, {"status": "viewed"})
    withdrawn = move(
        unit_of_work(post(), application(state="offer")), APPLICANT, {"status": "withdrawn"}
    )
    assert withdrawn.state == "withdrawn"


def test_a_hire_records_the_contract_and_the_last_position_fills_the_post():
    uow = unit_of_work(post(), application(state="offer"))
    row = move(uow, HOST, HIRE)
    assert (row.graduate, row.in_district, row.contract_with_social_insurance) == (True, True, True)
    filled = uow.repo.get(Post, "post-1")
    assert (filled.state, filled.hired_count) == ("filled", 1)
    assert uow.event_types() == [
        "posting.closed",
        "application.status_changed",
        "application.hired",
    ]
    hired = uow.recorded[-1].data
    assert (hired["post_kind"], hired["graduate"], hired["in_district"]) == ("job", True, True)


def test_a_hire_on_a_traineeship_post_starts_the_traineeship_at_the_hosts_rate():
    uow = unit_of_work(
        post(kind="traineeship", positions=3),
        application(state="offer", post_kind="traineeship"),
        traineeship(id="t-0", application_id="app-0", state="retained"),
    )
    move(uow, HOST, {**HIRE, "starts_on": date(2026, 7, 6)})
    [started] = uow.repo.rows(Traineeship, lambda row: row.application_id == "app-1")
    # the host kept its one ended trainee: 110 % of the minimum wage
    assert (started.subsidy_rate, started.monthly_subsidy_cny) == (
        Decimal("1.10"),
        Decimal("2200.00"),
    )
    assert (started.planned_end_on, started.subsidy_total_cny) == (
        date(2027, 1, 6),
        Decimal("13200.00"),
    )
    assert uow.event_types()[0] == "traineeship.started"
    assert uow.repo.get(Post, "post-1").state == "published"


def test_an_erased_persons_applications_in_progress_are_withdrawn_on_their_behalf():
    uow = unit_of_work(
        post(),
        post(id="post-2"),
        application(state="interview"),
        application(id="app-2", post_id="post-2", state="hired"),
    )
    applications.withdraw_for_erased_person(uow, PLATFORM, "p1", POLICY)
    assert uow.repo.get(Application, "app-1").state == "withdrawn"
    assert uow.repo.get(Application, "app-2").state == "hired"
    assert history_of(uow) == [("interview", "withdrawn", "system", None)]
    assert uow.event_types() == ["application.status_changed"]
    assert not uow.committed  # the erasure's transaction commits it


# -- traineeships (百名大学生助龙计划) ----------------------------------------------------------


def test_eligibility_names_each_rule_judged_on_todays_date():
    result = traineeships.eligibility(FACTS, POLICY)
    assert (result.eligible, result.route) == (True, "recent_graduate")
    too_old = traineeships.eligibility(
        {"person_id": "p1", "age": 25, "employment_status": "unemployed"}, POLICY
    )
    assert not too_old.eligible


def test_a_host_that_keeps_its_trainee_is_paid_the_planned_months_at_the_retention_rate():
    uow = unit_of_work(traineeship())
    row = traineeships.end(
        uow, HOST, "t-1", {"outcome": "retained", "ended_on": date(2026, 3, 15)}, POLICY
    )
    assert (row.state, row.subsidy_rate, row.subsidy_months) == ("retained", Decimal("1.10"), 6)
    assert row.subsidy_total_cny == Decimal("13200.00")
    assert uow.event_types() == ["traineeship.ended"]
    assert uow.recorded[0].data["outcome"] == "retained"


def test_a_trainee_who_left_early_earns_the_host_the_full_months_served_at_70_percent():
    uow = unit_of_work(traineeship())
    row = traineeships.end(
        uow, HOST, "t-1", {"outcome": "left", "ended_on": date(2026, 3, 31)}, POLICY
    )
    assert (row.subsidy_rate, row.subsidy_months, row.subsidy_total_cny) == (
        Decimal("0.70"),
        2,
        Decimal("2800.00"),
    )


def test_only_the_host_ends_a_traineeship_and_only_once():
    ending = {"outcome": "completed", "ended_on": date(2026, 7, 1)}
    with pytest.raises(NotFound):
        traineeships.end(unit_of_work(traineeship()), OTHER_EMPLOYER, "t-1", ending, POLICY)
    with pytest.raises(IllegalTransition):
        traineeships.end(unit_of_work(traineeship(state="left")), HOST, "t-1", ending, POLICY)


# -- subsidies --------------------------------------------------------------------------------


def hired(**changes) -> Application:
    """`app-1` hired: a recent graduate on a contract with social insurance."""
    facts = {"graduate": True, "contract_with_social_insurance": True, "hired_at": WRITTEN_AT}
    return application(state="hired", **{**facts, **changes})


def test_the_hiring_subsidy_is_claimed_for_a_recent_graduate_hired_on_an_insured_contract():
    uow = unit_of_work(hired())
    row = subsidies.claim(uow, HOST, {"application_id": "app-1"}, POLICY)
    assert (row.kind, row.amount_cny, row.state, row.person_key) == (
        "hiring",
        Decimal("1500"),
        "claimed",
        "p1",
    )
    assert uow.event_types() == ["subsidy.claimed"]
    assert uow.recorded[0].data["amount_cny"] == "1500.00"


def test_the_hiring_subsidy_is_paid_once_per_person_ever_whoever_hired_them():
    uow = unit_of_work(hired(), hired(id="app-2", post_id="post-2", employer_id="e2"))
    subsidies.claim(uow, HOST, {"application_id": "app-1"}, POLICY)
    with pytest.raises(Conflict) as refused:
        subsidies.claim(uow, OTHER_EMPLOYER, {"application_id": "app-2"}, POLICY)
    assert refused.value.code == "hiring_subsidy_once_per_person"


def test_no_hiring_subsidy_without_an_insured_contract_or_for_someone_elses_hire():
    with pytest.raises(DomainError) as refused:
        subsidies.claim(
            unit_of_work(hired(contract_with_social_insurance=False)),
            HOST,
            {"application_id": "app-1"},
            POLICY,
        )
    assert refused.value.code == "subsidy_needs_insured_contract"
    with pytest.raises(NotFound):
        subsidies.claim(unit_of_work(hired()), OTHER_EMPLOYER, {"application_id": "app-1"}, POLICY)


def test_a_rejected_claim_tells_the_reason_is_audited_and_frees_the_person_for_a_new_claim():
    uow = unit_of_work(hired(), hired(id="app-2", post_id="post-2"))
    claim = subsidies.claim(uow, HOST, {"application_id": "app-1"}, POLICY)
    decided = subsidies.decide(
        uow, OFFICER, claim.id, {"decision": "reject", "reason": "合同未备案"}, POLICY
    )
    assert (decided.state, decided.person_key, decided.decided_by) == ("rejected", None, "o1")
    assert uow.recorded[-1].type == "subsidy.decided"
    assert uow.recorded[-1].data["reason"] == "合同未备案"
    assert uow.audited == [
        (
            "subsidy.rejected",
            ("subsidy_claim", claim.id),
            "合同未备案",
            {"kind": "hiring", "amount_cny": "1500", "person_id": "p1"},
        )
    ]
    assert subsidies.claim(uow, HOST, {"application_id": "app-2"}, POLICY).state == "claimed"


def test_a_claim_is_decided_once_by_a_deciding_officer_and_a_rejection_needs_a_reason():
    uow = unit_of_work(hired())
    claim = subsidies.claim(uow, HOST, {"application_id": "app-1"}, POLICY)
    with pytest.raises(Forbidden):
        subsidies.decide(
            uow, Actor("o2", "officer", "housing"), claim.id, {"decision": "grant"}, POLICY
        )
    with pytest.raises(DomainError) as refused:
        subsidies.decide(uow, OFFICER, claim.id, {"decision": "reject"}, POLICY)
    assert refused.value.errors[0]["field"] == "reason"
    granted = subsidies.decide(
        uow, OFFICER, claim.id, {"decision": "grant"}, POLICY, VERIFIED_FACTS
    )
    assert granted.state == "granted"
    with pytest.raises(IllegalTransition):
        subsidies.decide(uow, OFFICER, claim.id, {"decision": "grant"}, POLICY, VERIFIED_FACTS)


def test_the_hiring_subsidy_is_granted_only_on_the_verified_graduation_date_and_says_so():
    uow = unit_of_work(hired())
    claim = subsidies.claim(uow, HOST, {"application_id": "app-1"}, POLICY)
    for verified in (None, {}, {"graduation_date": "2024-07-01"}):  # none, or another value
        with pytest.raises(DomainError) as refused:
            subsidies.decide(uow, OFFICER, claim.id, {"decision": "grant"}, POLICY, verified)
        assert (refused.value.code, refused.value.status) == ("facts_unverified", 409)
        assert refused.value.field == "graduation_date"
    assert claim.state == "claimed" and uow.audited == []
    subsidies.decide(uow, OFFICER, claim.id, {"decision": "grant"}, POLICY, VERIFIED_FACTS)
    assert uow.audited[-1][3]["facts"] == {"graduation_date": "verified"}


def test_the_traineeship_subsidy_is_the_settled_amount_of_an_ended_traineeship_claimed_once():
    with pytest.raises(DomainError) as refused:
        subsidies.claim(unit_of_work(traineeship()), HOST, {"traineeship_id": "t-1"}, POLICY)
    assert (refused.value.code, refused.value.status) == ("subsidy_needs_ended_traineeship", 409)
    uow = unit_of_work(traineeship(state="completed", subsidy_total_cny=Decimal("8400.00")))
    row = subsidies.claim(uow, HOST, {"traineeship_id": "t-1"}, POLICY)
    assert (row.kind, row.amount_cny, row.person_id) == ("traineeship", Decimal("8400.00"), "p1")
    with pytest.raises(Conflict) as again:
        subsidies.claim(uow, HOST, {"traineeship_id": "t-1"}, POLICY)
    assert again.value.code == "traineeship_subsidy_claimed"
