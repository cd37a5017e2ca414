"""The jobs service's rules at their boundaries: eligibility, subsidies, workflows, who may act."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from services.common.actor import Actor
from services.common.errors import DomainError, Forbidden, IllegalTransition, InvalidInput, NotFound
from services.jobs import domain
from services.jobs.domain import PersonFacts
from services.jobs.policy import JobsPolicy

POLICY = JobsPolicy()
TODAY = date(2026, 7, 1)
OFFICER = Actor("o1", "officer", "hrss")


def eligibility(**facts):
    defaults = {"person_id": "p1", "age": 23, "employment_status": "unemployed"}
    return domain.traineeship_eligibility(PersonFacts(**(defaults | facts)), TODAY, POLICY)


def outcome(result, rule):
    return next(o for o in result.rules if o.rule == rule)


# -- the traineeship programme ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("graduated", "eligible"),
    [
        (date(2024, 7, 1), True),  # exactly two years ago today
        (date(2024, 6, 30), False),  # two years and a day
        (date(2026, 7, 1), True),  # graduated today
        (date(2026, 7, 2), False),  # not graduated yet
    ],
)
def test_graduates_are_eligible_up_to_exactly_two_years_after_graduating(graduated, eligible):
    result = eligibility(graduation_date=graduated, age=30)
    assert outcome(result, "recent_graduate").passed is eligible
    assert result.eligible is eligible
    assert result.route == ("recent_graduate" if eligible else None)


def test_a_leap_day_graduate_is_within_two_years_until_the_28th_of_february():
    assert domain.is_recent_graduate(date(2024, 2, 29), date(2026, 2, 28), POLICY)
    assert not domain.is_recent_graduate(date(2024, 2, 29), date(2026, 3, 1), POLICY)


@pytest.mark.parametrize(("age", "eligible"), [(15, False), (16, True), (24, True), (25, False)])
def test_unemployed_youth_aged_16_to_24_are_eligible_without_a_degree(age, eligible):
    result = eligibility(age=age, graduation_date=None)
    assert outcome(result, "age_range").passed is eligible
    assert result.eligible is eligible
    assert outcome(result, "age_range").params == {"min_age": 16, "max_age": 24, "age": age}


def test_employed_people_are_not_eligible_by_either_route():
    result = eligibility(employment_status="employed", graduation_date=date(2026, 6, 30), age=22)
    assert not result.eligible
    assert outcome(result, "not_employed").passed is False
    assert outcome(result, "not_employed").message == "rule.employment.failed"
    assert outcome(result, "recent_graduate").passed and outcome(result, "age_range").passed


def test_every_rule_is_named_with_what_it_was_judged_on_even_when_facts_are_missing():
    result = eligibility(age=None, employment_status=None)
    assert [(o.rule, o.passed, o.message) for o in result.rules] == [
        ("recent_graduate", False, "rule.graduate.unknown"),
        ("not_employed", False, "rule.employment.unknown"),
        ("age_range", False, "rule.age.unknown"),
    ]
    assert not result.eligible


def test_the_rules_follow_the_policy_a_district_sets():
    policy = replace(POLICY, graduate_years=3, unemployed_max_age=29)
    facts = PersonFacts("p1", age=29, employment_status="unemployed")
    assert domain.traineeship_eligibility(facts, TODAY, policy).eligible
    assert domain.is_recent_graduate(date(2023, 7, 1), TODAY, policy)


@pytest.mark.parametrize(
    ("retained", "ended", "rate"),
    [
        (0, 0, Decimal("0.70")),  # nobody has finished yet
        (1, 3, Decimal("0.70")),
        (1, 2, Decimal("1.10")),  # exactly half kept
        (2, 3, Decimal("1.10")),
        (49, 99, Decimal("0.70")),  # just under half
    ],
)
def test_a_host_that_keeps_at_least_half_of_its_trainees_earns_110_percent(retained, ended, rate):
    assert domain.traineeship_subsidy_rate(retained, ended, POLICY) == rate


def test_the_monthly_subsidy_is_a_share_of_the_minimum_wage_rounded_to_the_fen():
    assert domain.monthly_traineeship_subsidy(Decimal("0.70"), POLICY) == Decimal("1400.00")
    assert domain.monthly_traineeship_subsidy(Decimal("1.10"), POLICY) == Decimal("2200.00")
    odd = replace(POLICY, minimum_wage_cny=Decimal("1975"))
    assert domain.monthly_traineeship_subsidy(Decimal("0.70"), odd) == Decimal("1382.50")


@pytest.mark.parametrize(
    ("outcome_", "ended_on", "months"),
    [
        ("retained", date(2026, 3, 15), 6),  # hired early: the remaining months are kept
        ("completed", date(2026, 7, 1), 6),
        ("left", date(2026, 3, 31), 2),  # two full months served
        ("left", date(2026, 4, 1), 3),
        ("left", date(2026, 1, 10), 0),
    ],
)
def test_months_paid_to_the_host(outcome_, ended_on, months):
    assert domain.subsidised_months(outcome_, 6, date(2026, 1, 1), ended_on) == months


def test_a_traineeship_lasts_3_to_12_months_and_only_traineeships_have_a_length():
    for months in (3, 12):
        domain.check_traineeship_length("traineeship", months, POLICY)
    for months in (2, 13):
        with pytest.raises(InvalidInput) as refused:
            domain.check_traineeship_length("traineeship", months, POLICY)
        assert refused.value.errors[0]["code"] == "traineeship_months_range"
    with pytest.raises(InvalidInput):
        domain.check_traineeship_length("job", 6, POLICY)
    domain.check_traineeship_length("job", None, POLICY)


def test_completed_means_the_planned_end_was_reached():
    with pytest.raises(InvalidInput):
        domain.check_traineeship_end(
            "completed", date(2026, 1, 1), date(2026, 7, 1), date(2026, 6, 30)
        )
    domain.check_traineeship_end("completed", date(2026, 1, 1), date(2026, 7, 1), date(2026, 7, 1))
    with pytest.raises(InvalidInput):
        domain.check_traineeship_end("left", date(2026, 1, 1), date(2026, 7, 1), date(2025, 12, 31))


# -- the hiring subsidy ----------------------------------------------------------------------


def hire(**changes):
    base = {
        "state": "hired",
        "employer_id": "e1",
        "graduate": True,
        "contract_with_social_insurance": True,
    }
    return domain.Hire(**(base | changes))


def test_a_recent_graduate_hired_on_an_insured_contract_earns_the_hiring_subsidy():
    domain.check_hiring_subsidy_claim(hire(), "e1")


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"state": "offer"}, "subsidy_needs_hire"),
        ({"graduate": False}, "subsidy_needs_recent_graduate"),
        ({"contract_with_social_insurance": False}, "subsidy_needs_insured_contract"),
    ],
)
def test_no_hiring_subsidy_without_each_condition(changes, code):
    with pytest.raises(DomainError) as refused:
        domain.check_hiring_subsidy_claim(hire(**changes), "e1")
    assert refused.value.code == code


def test_another_employers_hire_does_not_exist_for_the_claimant():
    with pytest.raises(NotFound):
        domain.check_hiring_subsidy_claim(hire(), "e2")


def test_a_subsidy_is_decided_once_and_a_refusal_needs_a_reason():
    assert domain.decide_subsidy("claimed", "grant", None) == "granted"
    with pytest.raises(InvalidInput):
        domain.decide_subsidy("claimed", "reject", " ")
    with pytest.raises(IllegalTransition):
        domain.decide_subsidy("granted", "reject", "late")


# -- workflows and who may act ---------------------------------------------------------------


def test_employer_verification_is_decided_once_and_a_rejected_employer_may_ask_again():
    assert domain.next_employer_state("pending", "verify") == "verified"
    assert domain.next_employer_state("rejected", "resubmit") == "pending"
    with pytest.raises(IllegalTransition):
        domain.next_employer_state("verified", "reject")


def test_only_verified_employers_publish():
    domain.check_may_publish("verified")
    for state, code in (("pending", "employer_not_verified"), (None, "employer_not_registered")):
        with pytest.raises(DomainError) as refused:
            domain.check_may_publish(state)
        assert refused.value.code == code


def test_only_officers_of_the_deciding_unit_decide():
    domain.check_decides(OFFICER, POLICY)
    for actor in (
        Actor("o2", "officer", "youth_league"),
        Actor("a", "admin"),
        Actor("e", "employer"),
    ):
        with pytest.raises(Forbidden):
            domain.check_decides(actor, POLICY)


def post_step(state, action, actor, owner="e1", reason=None):
    return domain.next_post_state(state, action, actor, owner, POLICY, reason)


def test_a_post_moves_draft_pending_published_closed_each_step_by_its_side():
    owner = Actor("e1", "employer")
    assert post_step("draft", "submit", owner) == "pending_review"
    assert post_step("pending_review", "approve", OFFICER) == "published"
    assert post_step("pending_review", "return", OFFICER, reason="薪资不明确") == "draft"
    assert post_step("published", "fill", owner) == "filled"
    assert post_step("published", "close", OFFICER) == "closed"


def test_post_steps_refuse_the_wrong_side_someone_elses_post_and_the_wrong_state():
    with pytest.raises(Forbidden):
        post_step("pending_review", "approve", Actor("e1", "employer"))
    with pytest.raises(Forbidden):
        post_step("draft", "submit", OFFICER)
    with pytest.raises(NotFound):
        post_step("draft", "submit", Actor("e2", "employer"))
    with pytest.raises(IllegalTransition):
        post_step("published", "submit", Actor("e1", "employer"))
    with pytest.raises(InvalidInput):
        post_step("pending_review", "return", OFFICER, reason="")


def test_only_a_draft_is_edited():
    domain.check_editable("draft")
    with pytest.raises(IllegalTransition):
        domain.check_editable("published")


def app_step(state, target, actor):
    return domain.next_application_state(state, target, actor, "p1", "e1")


def test_an_application_moves_through_its_workflow():
    employer, youth = Actor("e1", "employer"), Actor("p1", "youth")
    path = ["submitted", "viewed", "interview", "offer", "hired"]
    for before, after in zip(path, path[1:], strict=False):
        assert app_step(before, after, employer) == after
    assert app_step("viewed", "offer", employer) == "offer"  # an interview is not compulsory
    assert app_step("offer", "withdrawn", youth) == "withdrawn"
    assert app_step("interview", "rejected", employer) == "rejected"


@pytest.mark.parametrize(
    ("state", "target", "actor", "error"),
    [
        ("submitted", "hired", Actor("e1", "employer"), IllegalTransition),
        ("hired", "rejected", Actor("e1", "employer"), IllegalTransition),
        ("withdrawn", "withdrawn", Actor("p1", "youth"), IllegalTransition),
        ("offer", "hired", Actor("p1", "youth"), Forbidden),
        ("offer", "withdrawn", Actor("e1", "employer"), Forbidden),
        ("offer", "hired", Actor("e2", "employer"), NotFound),
        ("offer", "withdrawn", Actor("p2", "youth"), NotFound),
    ],
)
def test_application_steps_refused(state, target, actor, error):
    with pytest.raises(error):
        app_step(state, target, actor)


def test_an_application_is_seen_by_its_applicant_its_employer_and_deciding_officers_only():
    for actor in (Actor("p1", "youth"), Actor("e1", "employer"), OFFICER):
        domain.check_may_see_application(actor, "p1", "e1", POLICY)
    for actor in (Actor("p2", "youth"), Actor("e2", "employer"), Actor("o", "officer", "housing")):
        with pytest.raises(NotFound):
            domain.check_may_see_application(actor, "p1", "e1", POLICY)


def test_month_arithmetic_keeps_month_ends():
    assert domain.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert domain.add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
    assert domain.whole_months_between(date(2026, 1, 31), date(2026, 2, 28)) == 1
