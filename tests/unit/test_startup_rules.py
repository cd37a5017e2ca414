"""The other startup rules: registration steps and their order, who counts as a graduate, the
startup grant, tenancies, training places, who sees what, and the indicators' statistics."""

from datetime import date
from decimal import Decimal as D

import pytest

from services.common.actor import Actor
from services.common.errors import DomainError, Forbidden, IllegalTransition, InvalidInput, NotFound
from services.startup import domain
from services.startup.contract import BusinessRegistrationInput
from services.startup.policy import StartupPolicy

POLICY = StartupPolicy()


def test_every_step_has_a_unit_by_default():
    assert POLICY.step_unit_map == {
        "name_check": "market_regulation",
        "licence": "market_regulation",
        "seal": "public_security",
        "tax": "taxation",
        "bank_account": "admin_service_center",
        "social_insurance": "hrss",
    }


def test_the_licence_waits_for_the_name_and_the_rest_wait_for_the_licence():
    assert domain.ready_steps(set()) == ["name_check"]
    assert domain.ready_steps({"name_check"}) == ["licence"]
    assert domain.ready_steps({"name_check", "licence"}) == [
        "seal",
        "tax",
        "bank_account",
        "social_insurance",
    ]
    with pytest.raises(DomainError) as raised:
        domain.check_step_may_complete("seal", "pending", {"name_check"}, "in_progress")
    assert (raised.value.code, raised.value.status) == ("step_prerequisites_pending", 409)


def test_a_step_is_completed_once_and_only_while_in_progress():
    with pytest.raises(DomainError) as raised:
        domain.check_step_may_complete("name_check", "completed", set(), "in_progress")
    assert raised.value.code == "step_already_completed"
    with pytest.raises(IllegalTransition):
        domain.check_step_may_complete("name_check", "pending", set(), "withdrawn")


def test_founders_shares_add_up_to_100_percent():
    base = {
        "company_name": "XX青禾科技有限公司",
        "company_type": "limited_company",
        "registered_capital_cny": "100000",
        "address": "XX区双创智慧港A座301",
        "business_scope": "软件开发",
    }
    BusinessRegistrationInput().load(
        {
            **base,
            "founders": [
                {"name": "甲", "share_percent": "60"},
                {"name": "乙", "share_percent": 40},
            ],
        }
    )
    errors = BusinessRegistrationInput().validate(
        {**base, "founders": [{"name": "甲", "share_percent": "60"}]}
    )
    assert errors == {"founders": ["founders_shares_total"]}
    errors = BusinessRegistrationInput().validate(
        {
            **base,
            "registered_capital_cny": "1.001",
            "founders": [{"name": "甲", "share_percent": 100}],
        }
    )
    assert errors == {"registered_capital_cny": ["money_places"]}


def test_a_founder_share_out_of_range_is_refused_by_name_not_by_a_crash():
    # found by the API fuzz: the shares' total was summed over a founder whose share had failed
    errors = BusinessRegistrationInput().validate(
        {
            "company_name": "00",
            "company_type": "partnership",
            "registered_capital_cny": "0",
            "address": "0",
            "business_scope": "0",
            "founders": [{"name": "0", "share_percent": "0"}],
        }
    )
    assert list(errors) == ["founders"]
    assert list(errors["founders"][0]) == ["share_percent"]


@pytest.mark.parametrize(
    ("graduated", "degree", "on", "graduate"),
    [
        (date(2025, 6, 30), "bachelor", date(2026, 12, 1), True),
        (date(2024, 12, 1), "master", date(2026, 12, 1), True),  # exactly 2 years
        (date(2024, 11, 30), "bachelor", date(2026, 12, 1), False),  # a day more
        (date(2027, 6, 30), "bachelor", date(2026, 12, 1), False),  # still a student
        (date(2025, 6, 30), "high_school", date(2026, 12, 1), False),  # not higher education
        (None, "bachelor", date(2026, 12, 1), False),
    ],
)
def test_who_counts_as_a_recent_graduate(graduated, degree, on, graduate):
    assert POLICY.is_graduate(graduated, degree, on) is graduate


GRANT = POLICY.grant_rules


def test_the_grant_is_for_a_recent_graduates_first_business_after_six_months():
    registered = date(2026, 3, 15)
    ok = GRANT.refusal(date(2025, 7, 1), "bachelor", registered, True, date(2026, 9, 15))
    assert ok is None
    assert GRANT.amount == D("5000")


@pytest.mark.parametrize(
    ("graduated", "first", "today", "code"),
    [
        (date(2023, 7, 1), True, date(2026, 9, 15), "grant_not_recent_graduate"),
        (date(2025, 7, 1), False, date(2026, 9, 15), "grant_not_first_business"),
        (date(2025, 7, 1), True, date(2026, 9, 14), "grant_business_too_young"),
    ],
)
def test_the_grant_is_refused_with_the_reason(graduated, first, today, code):
    refusal = GRANT.refusal(graduated, "bachelor", date(2026, 3, 15), first, today)
    assert refusal.code == code and refusal.status == 422


def test_a_tenancy_is_of_the_kind_applied_for_and_at_most_two_years():
    domain.check_tenancy("desk", "desk", date(2026, 12, 1), date(2028, 12, 1), 24)
    for args, code in (
        (("office", "desk", date(2026, 12, 1), date(2027, 12, 1), 24), "space_kind_mismatch"),
        (("desk", "desk", date(2026, 12, 1), date(2026, 12, 1), 24), "tenancy_dates_reversed"),
        (("desk", "desk", date(2026, 12, 1), date(2028, 12, 2), 24), "tenancy_too_long"),
    ):
        with pytest.raises(InvalidInput) as raised:
            domain.check_tenancy(*args)
        assert raised.value.errors[0]["code"] == code


def test_a_tenancy_holds_its_space_until_it_ends():
    assert domain.occupied_on(date(2026, 1, 1), date(2027, 1, 1), None, date(2026, 12, 31))
    assert not domain.occupied_on(date(2026, 1, 1), date(2027, 1, 1), None, date(2027, 1, 1))
    assert not domain.occupied_on(
        date(2026, 1, 1), date(2027, 1, 1), date(2026, 6, 1), date(2026, 6, 1)
    )


def test_a_full_course_takes_nobody_more():
    domain.check_place_left(2, 1)
    with pytest.raises(DomainError) as raised:
        domain.check_place_left(2, 2)
    assert (raised.value.code, raised.value.status) == ("course_full", 409)


def test_someone_elses_record_does_not_exist_for_the_caller():
    not_found = NotFound("loan", code="loan_not_found")
    owner = Actor("p1", "youth", None)
    domain.check_may_see(owner, "p1", ("hrss",), not_found)
    domain.check_may_see(Actor("o1", "officer", "hrss"), "p1", ("hrss",), not_found)
    domain.check_may_see(Actor("b1", "partner", None), "p1", (), not_found, "b1")
    for stranger in (
        Actor("p2", "youth", None),
        Actor("o2", "officer", "taxation"),
        Actor("b2", "partner", None),
    ):
        with pytest.raises(NotFound):
            domain.check_may_see(stranger, "p1", ("hrss",), not_found, "b1")


def test_only_an_officer_of_the_unit_decides():
    Actor("o1", "officer", "hrss").require_officer_of("hrss")
    Actor("a", "admin", None).require_officer_of("hrss", admin_may=True)
    for actor in (Actor("a", "admin", None), Actor("o2", "officer", "taxation")):
        with pytest.raises(Forbidden):
            actor.require_officer_of("hrss")


def test_the_median_and_the_90th_percentile_of_business_minutes():
    minutes = [D(m) for m in (30, 45, 60, 75, 90, 100, 110, 115, 118, 200)]
    assert domain.median(minutes) == D("95")
    assert domain.percentile(minutes, D("0.9")) == D("118")
    assert domain.percentile([D(7)], D("0.9")) == D(7)
    assert domain.median([]) is None and domain.percentile([], D("0.9")) is None


@pytest.mark.parametrize(
    ("amount", "outcome"),
    [
        ("300000", D("300000.00")),
        (300000.5, D("300000.50")),
        ("1.100", D("1.10")),
        ("1.001", "money_places"),
        ("1e20", "range"),
        ("-1", "range"),
        ("NaN", "special_number"),
    ],
)
def test_money_is_read_exactly_or_refused_with_the_reason(amount, outcome):
    from services.common.errors import InvalidInput as Invalid
    from services.startup.contract.loans import LoanQuoteInput
    from services.startup.messages import MESSAGES

    try:
        loaded = LoanQuoteInput().load({"amount_cny": amount, "term_months": 12})
    except Exception as exc:
        code = Invalid.from_validation_error(exc, MESSAGES).errors[0]["code"]
        assert code == outcome
    else:
        assert loaded["amount_cny"] == outcome


def test_an_erased_registration_keeps_its_founders_shares_but_not_their_names():
    founders = [{"name": "李青", "share_percent": "70"}, {"name": "王禾", "share_percent": "30"}]
    kept = domain.founders_without_names(founders, "[erased]")
    assert kept == [
        {"name": "[erased]", "share_percent": "70"},
        {"name": "[erased]", "share_percent": "30"},
    ]
    assert domain.founders_without_names(kept, "[erased]") == kept
    assert founders[0]["name"] == "李青"  # the input is not changed in place
