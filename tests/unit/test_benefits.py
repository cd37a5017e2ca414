"""The policy catalogue (政策目录) and the benefits finder (政策找人), in memory.

The catalogue lists every programme the platform runs, each with its names in both languages,
its unit, the plan's clause, its conditions and amount from the service's policy. The verdict
the finder gives a person equals, programme by programme, what the service decides when the
person applies: the same generated profiles are put through both paths.
"""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gateway.units import UNITS
from services.common.actor import Actor
from services.common.benefits import (
    DECLARATION,
    ELIGIBLE,
    FACT_MISSING,
    FAILED,
    NOT_ELIGIBLE,
    PASSED,
    RuleCheck,
    verdict,
)
from services.common.clock import clock
from services.common.errors import DomainError
from services.events import programmes as events_programmes
from services.events import registrations
from services.events.events import EVENTS as EVENTS_EVENTS
from services.events.policy import EventsPolicy
from services.events.schemas import Registrant
from services.housing import applications as housing_applications
from services.housing import programmes as housing_programmes
from services.housing import station, subsidies
from services.housing.contract import HousingApplicationInput, HousingSubsidyInput
from services.housing.policy import HousingPolicy
from services.housing.vocabulary import STATION_BED
from services.jobs import applications as job_applications
from services.jobs import programmes as jobs_programmes
from services.jobs import subsidies as job_subsidies
from services.jobs.contract import PersonFactsInput
from services.jobs.events import EVENTS as JOBS_EVENTS
from services.jobs.policy import JobsPolicy
from services.startup import grants, loans
from services.startup import programmes as startup_programmes
from services.startup.contract import StartupPersonFacts
from services.startup.contract.loans import LoanInput
from services.startup.policy import StartupPolicy
from tests.support import fake_events, fake_housing, fake_jobs, fake_startup
from tests.support.fakes import FakeUnitOfWork
from tests.unit.test_startup_handlers_money import a_business


def jobs_uow(repo) -> FakeUnitOfWork:
    return FakeUnitOfWork(repo, JOBS_EVENTS)


def events_uow(repo) -> FakeUnitOfWork:
    return FakeUnitOfWork(repo, EVENTS_EVENTS)


TODAY = datetime(2026, 9, 14, 10, 0, tzinfo=clock.zone)
JOBS, HOUSING, STARTUP = JobsPolicy(), HousingPolicy(), StartupPolicy()

#: every programme the issue names: traineeship, hiring subsidy, each housing kind and
#: subsidy, youth-station stay, startup loan and its interest subsidy, startup grant, incubator
#: space, training, activities with an audience
PROGRAMMES = {
    "traineeship",
    "hiring_subsidy",
    "talent_apartment",
    "public_rental",
    "affordable_rental",
    "purchase_subsidy",
    "housing_fund",
    "youth_station",
    "startup_loan",
    "loan_interest_subsidy",
    "startup_grant",
    "incubator_space",
    "startup_training",
    "rural_leaders_training",
    "young_doers",
    "youth_activities",
}


def the_catalogue() -> list[dict]:
    return [
        *(p.as_dict() for p in jobs_programmes.catalogue(JOBS)),
        *(p.as_dict() for p in housing_programmes.catalogue(HOUSING)),
        *(p.as_dict() for p in startup_programmes.catalogue(STARTUP)),
        events_programmes.PROGRAMME.as_dict(),
    ]


# -- the catalogue ---------------------------------------------------------------------------


def test_the_catalogue_lists_every_programme_the_platform_runs_once():
    keys = [p["key"] for p in the_catalogue()]
    assert sorted(keys) == sorted(PROGRAMMES)


def test_every_programme_names_its_unit_source_conditions_and_amount_in_both_languages():
    units = set(UNITS)
    for programme in the_catalogue():
        assert programme["unit"] in units, programme["key"]
        bilingual = [programme["name"], programme["legal_source"], programme["amount"]]
        for text in [*bilingual, *programme["conditions"]]:
            assert text["zh-CN"] and text["en"], programme["key"]
        assert programme["conditions"], programme["key"]
        assert "实施方案" in programme["legal_source"]["zh-CN"]
        assert programme["apply_at"].startswith("/api/v1/")


def test_the_hiring_subsidy_is_the_automatic_programme_and_says_why():
    automatic = [p for p in the_catalogue() if p["automatic"]]
    assert [p["key"] for p in automatic] == ["hiring_subsidy"]
    assert "免申" not in automatic[0]["why_automatic"]["en"]
    assert automatic[0]["why_automatic"]["zh-CN"]


def test_amounts_and_conditions_follow_the_policy_a_district_sets():
    jobs = {p.key: p for p in jobs_programmes.catalogue(JobsPolicy(hiring_subsidy_cny=2000))}
    assert "2000" in jobs["hiring_subsidy"].amount["en"]
    housing = {
        p.key: p for p in housing_programmes.catalogue(HousingPolicy(social_insurance_months=6))
    }
    assert any("6 consecutive months" in c["en"] for c in housing["affordable_rental"].conditions)
    # a district that drops a rule drops its condition and its fact too
    no_insurance = HousingPolicy(rules_housing_fund=("age",))
    fund = next(p for p in housing_programmes.catalogue(no_insurance) if p.key == "housing_fund")
    assert fund.facts == ("age", "degree")
    assert len(fund.conditions) == 1


def test_a_verdict_is_missing_a_fact_only_when_every_failed_rule_lacks_one():
    lacking = RuleCheck("a", FAILED, {}, ("age",), ("age",))
    failing = RuleCheck("b", FAILED, {}, ("degree",))
    passing = RuleCheck("c", PASSED, {})
    declared = RuleCheck("d", DECLARATION, {})
    assert verdict(True, [passing, declared]) == ELIGIBLE
    assert verdict(False, [lacking, passing, declared]) == FACT_MISSING
    assert verdict(False, [lacking, failing]) == NOT_ELIGIBLE


def test_a_housing_rule_on_a_missing_fact_names_it_and_declarations_are_listed():
    clock.travel_to(TODAY)
    person = {"person_id": "p1", "age": 25, "local_social_insurance_months": None}
    answer = housing_programmes.rules_answer("affordable_rental", person, HOUSING)
    assert answer["verdict"] == FACT_MISSING
    rules = {rule["rule"]: rule for rule in answer["rules"]}
    assert rules["social_insurance"]["missing"] == ["local_social_insurance_months"]
    assert rules["social_insurance"]["reason"]["en"].startswith("Your profile has no months")
    assert (rules["no_property"]["state"], rules["not_on_payroll"]["state"]) == (
        DECLARATION,
        DECLARATION,
    )


# -- the finder's verdict equals the service's decision on applying --------------------------

profiles = st.fixed_dictionaries(
    {
        "age": st.one_of(st.none(), st.integers(14, 45)),
        "degree": st.sampled_from([None, "high_school", "associate", "bachelor", "master"]),
        "graduated_days_ago": st.one_of(st.none(), st.integers(-500, 1200)),
        "employment_status": st.sampled_from([None, "unemployed", "employed", "student"]),
        "local_social_insurance_months": st.one_of(st.none(), st.integers(0, 30)),
    }
)
EXAMPLES = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def as_gateway_passes(profile: dict, person_id: str = "p1") -> dict:
    """A generated profile as the gateway passes it to a service (`store.youth_facts`)."""
    days = profile["graduated_days_ago"]
    graduated = None if days is None else (clock.today() - timedelta(days=days)).isoformat()
    return {
        "person_id": person_id,
        "birth_date": None,
        "age": profile["age"],
        "degree": profile["degree"],
        "graduation_date": graduated,
        "employment_status": profile["employment_status"],
        "residence": None,
        "local_social_insurance_months": profile["local_social_insurance_months"],
    }


def succeeds(apply) -> bool:
    try:
        apply()
    except DomainError:
        return False
    return True


def verdicts(answers: list[dict]) -> dict[str, bool]:
    return {answer["key"]: answer["verdict"] == ELIGIBLE for answer in answers}


@pytest.fixture
def today():
    clock.travel_to(TODAY)
    yield clock.today()
    clock.reset()


@EXAMPLES
@given(profile=profiles, hire=st.sampled_from([None, (True, True), (True, False), (False, True)]))
def test_jobs_verdicts_equal_applying_for_a_traineeship_and_claiming_the_subsidy(
    today, profile, hire
):
    facts = PersonFactsInput().load(as_gateway_passes(profile))
    rows = [fake_jobs.employer(), fake_jobs.post(kind="traineeship", positions=5)]
    if hire is not None:
        rows += [
            fake_jobs.post(id="job-1", kind="job"),
            fake_jobs.application(
                id="hire-1",
                post_id="job-1",
                state="hired",
                hired_at=TODAY,
                graduate=hire[0],
                contract_with_social_insurance=hire[1],
            ),
        ]
    repo = fake_jobs.FakeJobsRepository(*rows)
    found = verdicts(jobs_programmes.benefits(jobs_uow(repo), facts, JOBS))

    applied = succeeds(
        lambda: job_applications.apply(
            jobs_uow(repo), Actor("p1", "youth"), "post-1", facts, {"cover_letter": ""}, JOBS
        )
    )
    assert found["traineeship"] == applied
    claimed = succeeds(
        lambda: job_subsidies.claim(
            jobs_uow(repo),
            Actor("e1", "employer"),
            {"application_id": "hire-1"},
            JOBS,
        )
    )
    assert found["hiring_subsidy"] == claimed


@EXAMPLES
@given(profile=profiles)
def test_housing_verdicts_equal_applying_with_the_qualifying_declarations(today, profile):
    person = as_gateway_passes(profile)
    repo = fake_housing.FakeHousingRepository(
        fake_housing.housing_unit("room-1", STATION_BED, beds=3)
    )
    found = verdicts(housing_programmes.benefits(fake_housing.unit_of_work(repo), person, HOUSING))
    declarations = {"owns_property_in_district": False, "on_government_payroll": False}
    for kind in ("talent_apartment", "public_rental", "affordable_rental"):
        fields = HousingApplicationInput().load({"kind": kind, **declarations})
        row = housing_applications.submit(fake_housing.unit_of_work(repo), person, fields, HOUSING)
        assert found[kind] == row.eligible, kind
    for kind in ("purchase_subsidy", "housing_fund"):
        fields = HousingSubsidyInput().load(
            {"kind": kind, "amount_requested_cny": "1000", **declarations}
        )
        row = subsidies.submit(fake_housing.unit_of_work(repo), person, fields, HOUSING)
        assert found[kind] == row.eligible, kind
    booking = {"unit_id": "room-1", "first_night": today, "nights": 1}
    booked = succeeds(
        lambda: station.book(fake_housing.unit_of_work(repo), person, booking, HOUSING)
    )
    assert found["youth_station"] == booked


@EXAMPLES
@given(profile=profiles, business_days_ago=st.one_of(st.none(), st.integers(0, 400)))
def test_startup_verdicts_equal_borrowing_and_claiming_the_grant(today, profile, business_days_ago):
    facts = StartupPersonFacts().load(as_gateway_passes(profile))
    rows = [fake_startup.a_lender("bank-1")]
    business = None
    if business_days_ago is not None:
        business = a_business(completed_at=TODAY - timedelta(days=business_days_ago))
        rows.append(business)
    repo = fake_startup.FakeStartupRepository(*rows)
    found = verdicts(startup_programmes.benefits(fake_startup.unit_of_work(repo), facts, STARTUP))

    loan = LoanInput().load(
        {
            "borrower_kind": "individual",
            "amount_cny": "100000.00",
            "term_months": 24,
            "purpose": "购置设备",
            "lender_id": "lender-bank-1",
        }
    )
    youth = fake_startup.youth("p1")
    borrowed = succeeds(
        lambda: loans.apply(fake_startup.unit_of_work(repo), youth, facts, loan, STARTUP)
    )
    assert found["startup_loan"] == found["loan_interest_subsidy"] == borrowed
    claimed = business is not None and succeeds(
        lambda: grants.apply(
            fake_startup.unit_of_work(repo),
            youth,
            facts,
            {"registration_id": business.id},
            STARTUP,
        )
    )
    assert found["startup_grant"] == claimed


@EXAMPLES
@given(
    profile=profiles,
    audience=st.tuples(
        st.one_of(st.none(), st.integers(10, 30)), st.one_of(st.none(), st.integers(18, 40))
    ),
)
def test_the_activities_found_are_those_registering_accepts(today, profile, audience):
    person = as_gateway_passes(profile)
    facts = Registrant().load({key: person[key] for key in ("person_id", "age", "birth_date")})
    low, high = audience
    row = fake_events.activity(min_age=low, max_age=high)
    repo = fake_events.FakeEventsRepository(row)
    [answer] = events_programmes.benefits(events_uow(repo), facts)
    registered = succeeds(
        lambda: registrations.register(
            events_uow(repo), Actor("p1", "youth"), row.id, facts, EventsPolicy()
        )
    )
    assert (answer["verdict"] == ELIGIBLE) == registered
    assert [a["id"] for a in answer["activities"]] == ([row.id] if registered else [])


def test_an_automatic_claim_opens_once_in_the_hiring_employers_name(today):
    repo = fake_jobs.FakeJobsRepository(
        fake_jobs.employer(),
        fake_jobs.post(),
        fake_jobs.application(
            state="hired", hired_at=TODAY, graduate=True, contract_with_social_insurance=True
        ),
    )
    uow = jobs_uow(repo)
    claim = job_subsidies.claim_automatically(uow, "p1", JOBS)
    assert (claim.employer_id, claim.state, claim.amount_cny) == ("e1", "claimed", Decimal("1500"))
    assert uow.event_types() == ["subsidy.claimed"]
    assert job_subsidies.claim_automatically(jobs_uow(repo), "p1", JOBS) is None
    again = jobs_programmes.benefits(jobs_uow(repo), {"person_id": "p1"}, JOBS)
    assert verdicts(again)["hiring_subsidy"] is False


def test_the_employer_claiming_a_claim_that_opened_itself_is_given_that_claim(today):
    repo = fake_jobs.FakeJobsRepository(
        fake_jobs.employer(),
        fake_jobs.post(),
        fake_jobs.application(
            state="hired", hired_at=TODAY, graduate=True, contract_with_social_insurance=True
        ),
    )
    opened = job_subsidies.claim_automatically(jobs_uow(repo), "p1", JOBS)
    uow = jobs_uow(repo)
    claimed = job_subsidies.claim(uow, Actor("e1", "employer"), {"application_id": "app-1"}, JOBS)
    assert claimed.id == opened.id
    assert uow.event_types() == []


def test_no_claim_opens_for_a_hire_that_does_not_qualify(today):
    repo = fake_jobs.FakeJobsRepository(
        fake_jobs.employer(),
        fake_jobs.post(),
        fake_jobs.application(
            state="hired", hired_at=TODAY, graduate=False, contract_with_social_insurance=True
        ),
    )
    assert job_subsidies.claim_automatically(jobs_uow(repo), "p1", JOBS) is None
