"""Guaranteed loans and the startup grant through their handlers (loans.py, grants.py) against
the in-memory repository: the bank's review, the officer's decision, the payout, the claim."""

import json
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from services.common.clock import clock
from services.common.errors import (
    Conflict,
    DomainError,
    Forbidden,
    IllegalTransition,
    InvalidInput,
    NotFound,
)
from services.startup import grants, loans
from services.startup.contract.loans import LoanInput, LoanQuoteInput, LoanReviewInput
from services.startup.models import BusinessRegistration, Loan
from tests.support.fake_startup import (
    ADMIN,
    POLICY,
    FakeStartupRepository,
    a_lender,
    officer,
    partner,
    person,
    unit_of_work,
    youth,
)

#: a working day in 2026, when the one-year LPR is 3.00 % (since 2025-05-20)
MONDAY = datetime(2026, 3, 9, 10, 0, tzinfo=clock.zone)
BANK = partner("bank-1")
HRSS = officer("hrss")


def application(**overrides) -> dict:
    body = {
        "borrower_kind": "individual",
        "amount_cny": "100000.00",
        "term_months": 24,
        "purpose": "购置设备",
        "lender_id": "lender-bank-1",
        **overrides,
    }
    return LoanInput().load(body)


def applied(repo, person_id: str = "p1", **overrides) -> Loan:
    clock.travel_to(MONDAY)
    return loans.apply(
        unit_of_work(repo),
        youth(person_id),
        person(person_id),
        application(**overrides),
        POLICY,
    )


def reviewed(repo, loan: Loan, **review) -> Loan:
    fields = LoanReviewInput().load(
        {"decision": "approve", "contract_rate_percent": "3.5", **review}
    )
    return loans.bank_review(unit_of_work(repo), BANK, loan.id, fields, POLICY)


def approved(repo, person_id: str = "p1") -> Loan:
    loan = applied(repo, person_id)
    reviewed(repo, loan)
    loans.decide(unit_of_work(repo), HRSS, loan.id, {"decision": "approve"}, POLICY)
    return loan


def error_code(raised) -> str:
    error = raised.value
    return error.errors[0]["code"] if error.errors else error.code


# -- loans ------------------------------------------------------------------------------------


def test_a_quote_defaults_to_the_capped_rate_and_shows_the_subsidy():
    clock.travel_to(MONDAY)
    terms = LoanQuoteInput().load({"amount_cny": "100000", "term_months": 12})
    quoted = loans.quote(terms, POLICY)
    assert quoted["estimate"] is True
    assert (quoted["contract_rate_percent"], quoted["borrower_rate_percent"]) == ("3.5", "1.5")
    # (3.5 − 1.5) % of 100,000 for a year, each month's figures rounded to the cent
    assert quoted["totals"]["subsidy"] == "2000.04"


def test_a_loan_application_to_an_active_lender_is_recorded():
    repo = FakeStartupRepository(a_lender())
    uow = unit_of_work(repo)
    clock.travel_to(MONDAY)
    loan = loans.apply(uow, youth("p1"), person("p1"), application(), POLICY)

    assert loan.state == "applied" and loan.age == 23
    assert uow.committed and uow.event_types() == ["loan.applied"]
    assert uow.recorded[0].data["amount_cny"] == "100000.00"


@pytest.mark.parametrize(
    ("facts", "overrides", "code"),
    [
        ({"age": 17}, {}, "loan_applicant_too_young"),
        ({"age": None}, {}, "loan_age_unknown"),
        ({}, {"amount_cny": "300000.01"}, "loan_amount_over_limit"),
        ({}, {"lender_id": "lender-nobody"}, "lender_unknown"),
    ],
)
def test_a_loan_the_rules_refuse_records_nothing(facts, overrides, code):
    repo = FakeStartupRepository(a_lender())
    uow = unit_of_work(repo)
    with pytest.raises(DomainError) as refused:
        loans.apply(uow, youth("p1"), person("p1", **facts), application(**overrides), POLICY)
    assert error_code(refused) == code
    assert uow.recorded == [] and repo.rows(Loan) == []


def test_an_inactive_lender_takes_no_application():
    repo = FakeStartupRepository(a_lender(active=False))
    with pytest.raises(InvalidInput) as refused:
        applied(repo)
    assert error_code(refused) == "lender_inactive"


def test_one_open_loan_of_a_kind_per_person():
    repo = FakeStartupRepository(a_lender())
    applied(repo)
    with pytest.raises(Conflict) as refused:
        applied(repo)
    assert refused.value.code == "loan_already_open"


def test_the_bank_approves_at_a_rate_within_the_cap_and_the_borrower_pays_lpr_minus_150bp():
    repo = FakeStartupRepository(a_lender())
    loan = applied(repo)
    uow = unit_of_work(repo)
    fields = LoanReviewInput().load(
        {"decision": "approve", "contract_rate_percent": "3.4", "amount_cny": "80000"}
    )
    loans.bank_review(uow, BANK, loan.id, fields, POLICY)

    assert (loan.state, loan.amount_cny) == ("bank_approved", Decimal("80000.00"))
    assert (loan.lpr_percent, loan.borrower_rate_percent) == (Decimal("3.00"), Decimal("1.50"))
    assert uow.event_types() == ["loan.reviewed"]
    assert uow.audited[0][0] == "loan.bank_approved"


def test_a_rate_over_lpr_plus_50bp_is_refused():
    repo = FakeStartupRepository(a_lender())
    loan = applied(repo)
    with pytest.raises(InvalidInput) as refused:
        reviewed(repo, loan, contract_rate_percent="3.51")
    assert error_code(refused) == "contract_rate_over_cap"
    assert loan.state == "applied" and loan.contract_rate_percent is None


def test_only_the_loans_own_bank_reviews_it():
    repo = FakeStartupRepository(a_lender(), a_lender("bank-2"))
    loan = applied(repo)
    fields = LoanReviewInput().load({"decision": "decline", "reason": "资料不全"})
    with pytest.raises(NotFound):  # another bank does not see the loan at all
        loans.bank_review(unit_of_work(repo), partner("bank-2"), loan.id, fields, POLICY)
    with pytest.raises(Forbidden) as refused:  # the officer sees it, but is not the bank
        loans.bank_review(unit_of_work(repo), HRSS, loan.id, fields, POLICY)
    assert refused.value.code == "not_responsible_unit"


def test_the_loan_units_officer_decides_after_the_bank():
    repo = FakeStartupRepository(a_lender())
    loan = applied(repo)
    with pytest.raises(IllegalTransition):
        loans.decide(unit_of_work(repo), HRSS, loan.id, {"decision": "approve"}, POLICY)
    reviewed(repo, loan)
    with pytest.raises(Forbidden):
        loans.decide(
            unit_of_work(repo), officer("taxation"), loan.id, {"decision": "approve"}, POLICY
        )
    uow = unit_of_work(repo)
    loans.decide(uow, HRSS, loan.id, {"decision": "reject", "reason": "不符合条件"}, POLICY)
    assert loan.state == "rejected" and uow.event_types() == ["loan.decided"]
    assert uow.audited[0][:3] == ("loan.rejected", ("loan", loan.id), "不符合条件")


def test_the_payout_is_reported_on_a_day_between_the_approval_and_today():
    repo = FakeStartupRepository(a_lender())
    loan = approved(repo)
    clock.travel_to(MONDAY + timedelta(days=3))
    for day, code in (
        (date(2026, 3, 8), "disbursed_before_approval"),
        (date(2026, 3, 13), "disbursed_in_future"),
    ):
        with pytest.raises(InvalidInput) as refused:
            loans.disburse(unit_of_work(repo), BANK, loan.id, {"disbursed_on": day}, POLICY)
        assert error_code(refused) == code
    uow = unit_of_work(repo)
    loans.disburse(uow, BANK, loan.id, {"disbursed_on": date(2026, 3, 10)}, POLICY)

    assert loan.state == "disbursed" and uow.event_types() == ["loan.disbursed"]
    data = uow.recorded[0].data
    schedule = loans.schedule_of(loan, POLICY, clock.today())
    assert schedule["estimate"] is False and schedule["starts_on"] == "2026-03-10"
    assert data["total_subsidy_cny"] == schedule["totals"]["subsidy"] == "4000.08"


def test_a_loan_is_withdrawn_by_its_applicant_only_before_the_officer_decides():
    repo = FakeStartupRepository(a_lender())
    loan = applied(repo)
    with pytest.raises(NotFound):
        loans.withdraw(unit_of_work(repo), youth("p2"), loan.id, POLICY)
    reviewed(repo, loan)
    loans.decide(unit_of_work(repo), HRSS, loan.id, {"decision": "approve"}, POLICY)
    with pytest.raises(IllegalTransition):
        loans.withdraw(unit_of_work(repo), youth("p1"), loan.id, POLICY)


def test_only_an_admin_registers_a_lender_and_once_per_partner_account():
    repo = FakeStartupRepository(a_lender())
    fields = {"name": "XX银行", "partner_account_id": "bank-9"}
    with pytest.raises(Forbidden):
        loans.create_lender(unit_of_work(repo), HRSS, fields)
    uow = unit_of_work(repo)
    loans.create_lender(uow, ADMIN, fields)
    assert uow.audited[0][0] == "lender.created"
    with pytest.raises(Conflict) as refused:
        loans.create_lender(unit_of_work(repo), ADMIN, fields)
    assert refused.value.code == "lender_account_taken"


# -- the startup grant ------------------------------------------------------------------------


def a_business(person_id: str = "p1", completed_at: datetime = MONDAY, state: str = "completed"):
    """A registration of the person's, completed on `completed_at`."""
    return BusinessRegistration(
        id=f"reg-{person_id}-{completed_at:%Y%m%d}",
        person_id=person_id,
        company_name="XX青禾科技有限公司",
        company_type="limited_company",
        registered_capital_cny=Decimal("100000.00"),
        address="XX区",
        business_scope="软件开发",
        founders=json.dumps([{"name": "李青", "share_percent": "100"}]),
        state=state,
        submitted_at=completed_at,
        completed_at=completed_at,
        updated_at=completed_at,
    )


def claim(repo, business, person_id: str = "p1", **facts):
    uow = unit_of_work(repo)
    grant = grants.apply(
        uow, youth(person_id), person(person_id, **facts), {"registration_id": business.id}, POLICY
    )
    return uow, grant


def test_a_graduates_first_business_earns_the_grant_after_six_months():
    business = a_business()
    repo = FakeStartupRepository(business)
    clock.travel_to(MONDAY + timedelta(days=184))
    uow, grant = claim(repo, business)

    assert (grant.state, grant.amount_cny, grant.registered_on) == (
        "applied",
        Decimal("5000"),
        date(2026, 3, 9),
    )
    assert uow.event_types() == ["grant.applied"]
    with pytest.raises(Conflict) as again:
        claim(repo, business)
    assert again.value.code == "grant_already_claimed"


@pytest.mark.parametrize(
    ("days", "facts", "code"),
    [
        (30, {}, "grant_business_too_young"),
        (200, {"graduation_date": date(2020, 6, 30)}, "grant_not_recent_graduate"),
    ],
)
def test_a_grant_the_rules_refuse_records_nothing(days, facts, code):
    business = a_business()
    repo = FakeStartupRepository(business)
    clock.travel_to(MONDAY + timedelta(days=days))
    with pytest.raises(DomainError) as refused:
        claim(repo, business, **facts)
    assert refused.value.code == code


def test_the_grant_is_for_the_first_business_only():
    first = a_business(completed_at=MONDAY - timedelta(days=400))
    second = a_business()
    repo = FakeStartupRepository(first, second)
    clock.travel_to(MONDAY + timedelta(days=200))
    with pytest.raises(DomainError) as refused:
        claim(repo, second)
    assert refused.value.code == "grant_not_first_business"


def test_an_unfinished_or_someone_elses_business_earns_nothing():
    business = a_business(state="in_progress")
    repo = FakeStartupRepository(business)
    with pytest.raises(DomainError) as refused:
        claim(repo, business)
    assert refused.value.code == "grant_registration_not_completed"
    with pytest.raises(NotFound):
        claim(repo, business, "p2")


def test_the_grant_units_officer_decides_the_claim():
    business = a_business()
    repo = FakeStartupRepository(business)
    clock.travel_to(MONDAY + timedelta(days=200))
    _, grant = claim(repo, business)
    with pytest.raises(Forbidden):
        grants.decide(
            unit_of_work(repo), officer("taxation"), grant.id, {"decision": "approve"}, POLICY
        )
    uow = unit_of_work(repo)
    grants.decide(uow, HRSS, grant.id, {"decision": "approve"}, POLICY)
    # the approval commits the grant from the envelope and queues its payment to the founder
    assert grant.state == "approved"
    assert uow.event_types() == ["grant.decided", "payment.queued"]
    assert uow.recorded[1].data["payee_id"] == grant.person_id
    assert uow.audited[0][0] == "grant.approved"
