"""Startup guaranteed loans (创业担保贷款): limits, the LPR-linked rate caps, and the repayment
and subsidy schedule, to the cent."""

from datetime import date
from decimal import Decimal as D

import pytest

from services.common.errors import InvalidInput
from services.startup.domain import (
    EQUAL_INSTALMENT,
    EQUAL_PRINCIPAL,
    INTEREST_MONTHLY,
    REPAYMENT_METHODS,
    repayment_schedule,
)
from services.startup.policy import StartupPolicy

RULES = StartupPolicy().loan_rules
CONTRACT_DAY = date(2026, 12, 1)  # one-year LPR 3.00 % (since 2025-05-20)


def refusal(call) -> tuple[str, str]:
    with pytest.raises(InvalidInput) as raised:
        call()
    error = raised.value.errors[0]
    return error["field"], error["code"]


def test_an_individual_borrows_up_to_300000():
    RULES.check_terms("individual", D("300000.00"), 36)
    assert refusal(lambda: RULES.check_terms("individual", D("300000.01"), 36)) == (
        "amount_cny",
        "loan_amount_over_limit",
    )


def test_a_small_business_borrows_up_to_4000000():
    RULES.check_terms("small_business", D("4000000.00"), 12)
    assert refusal(lambda: RULES.check_terms("small_business", D("4000000.01"), 12)) == (
        "amount_cny",
        "loan_amount_over_limit",
    )


def test_a_loan_runs_at_most_three_years():
    RULES.check_terms("individual", D("1000"), 36)
    assert refusal(lambda: RULES.check_terms("individual", D("1000"), 37)) == (
        "term_months",
        "loan_term_over_limit",
    )


def test_the_limit_message_names_the_limit_in_both_languages():
    with pytest.raises(InvalidInput) as raised:
        RULES.check_terms("individual", D("500000"), 12)
    messages = raised.value.errors[0]["messages"]
    assert "300000" in messages["zh-CN"] and "300000" in messages["en"]


def test_the_lpr_in_force_on_the_contract_date_sets_the_caps():
    assert RULES.lpr_on(date(2025, 1, 2)) == D("3.10")
    assert RULES.lpr_on(CONTRACT_DAY) == D("3.00")
    assert RULES.rate_cap(CONTRACT_DAY) == D("3.50")  # LPR + 50 bp
    assert RULES.borrower_rate(D("3.50"), CONTRACT_DAY) == D("1.50")  # LPR - 150 bp
    assert RULES.borrower_rate(D("1.20"), CONTRACT_DAY) == D("1.20")  # nothing to subsidise
    RULES.check_contract_rate(D("3.50"), CONTRACT_DAY)
    assert refusal(lambda: RULES.check_contract_rate(D("3.5001"), CONTRACT_DAY)) == (
        "contract_rate_percent",
        "contract_rate_over_cap",
    )


def schedule(method, amount="300000.00", months=36, rate="3.50", borrower="1.50"):
    return repayment_schedule(
        D(amount), months, D(rate), D(borrower), RULES.subsidised_months, method, CONTRACT_DAY
    )


def test_interest_only_schedule_totals_to_the_cent():
    plan = schedule(INTEREST_MONTHLY)
    # 300,000 x 3.5 % / 12 = 875.00 a month; the borrower pays 1.5 % (375.00) for 24 months
    assert plan.totals == {
        "principal": D("300000.00"),
        "interest": D("31500.00"),
        "borrower_interest": D("19500.00"),  # 24 x 375.00 + 12 x 875.00
        "subsidy": D("12000.00"),  # 24 x 500.00, none in year 3
        "borrower_payments": D("319500.00"),
    }
    assert plan.instalments[-1].principal == D("300000.00")


def test_equal_instalments_total_to_the_cent():
    plan = schedule(EQUAL_INSTALMENT)
    first, last = plan.instalments[0], plan.instalments[-1]
    # level payment P r / (1 - (1 + r)^-n) = 8,790.6239 → 8,790.62
    assert first.principal + first.interest == D("8790.62")
    assert (first.interest, first.borrower_interest, first.subsidy) == (
        D("875.00"),
        D("375.00"),
        D("500.00"),
    )
    assert plan.totals == {
        "principal": D("300000.00"),
        "interest": D("16462.47"),
        "borrower_interest": D("8182.75"),
        "subsidy": D("8279.72"),
        "borrower_payments": D("308182.75"),
    }
    assert last.closing_balance == D("0.00")
    # an independent float computation agrees within a cent a month
    balance, interest = 300000.0, 0.0
    for _ in range(36):
        month = balance * 0.035 / 12
        interest += month
        balance -= 8790.6239 - month
    assert abs(float(plan.totals["interest"]) - interest) < 0.36


def test_equal_principal_repays_the_same_principal_each_month():
    plan = schedule(EQUAL_PRINCIPAL, amount="100000.00", months=3)
    assert [i.principal for i in plan.instalments] == [D("33333.33"), D("33333.33"), D("33333.34")]
    assert [i.interest for i in plan.instalments] == [D("291.67"), D("194.44"), D("97.22")]
    assert plan.totals["interest"] == D("583.33")


@pytest.mark.parametrize("method", REPAYMENT_METHODS)
def test_every_month_adds_up(method):
    plan = schedule(method, amount="123456.78", months=35, rate="3.45", borrower="1.50")
    assert plan.totals["principal"] == D("123456.78")
    assert plan.totals["interest"] == plan.totals["borrower_interest"] + plan.totals["subsidy"]
    for item in plan.instalments:
        assert item.interest == item.borrower_interest + item.subsidy
        assert item.borrower_payment == item.principal + item.borrower_interest
        assert item.closing_balance == item.opening_balance - item.principal
        assert all(value == value.quantize(D("0.01")) for value in (item.interest, item.subsidy))
        if item.number > 24:
            assert item.subsidy == D("0.00")  # no subsidy in year 3
    assert plan.instalments[-1].closing_balance == D("0.00")


def test_instalments_fall_due_monthly_on_the_start_day_or_the_months_last():
    plan = repayment_schedule(
        D("1000"), 3, D("3.5"), D("1.5"), 24, INTEREST_MONTHLY, date(2026, 1, 31)
    )
    assert [i.due_on for i in plan.instalments] == [
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]


def test_a_zero_rate_loan_repays_only_principal():
    plan = schedule(EQUAL_INSTALMENT, amount="1000.00", months=3, rate="0", borrower="0")
    assert [i.principal for i in plan.instalments] == [D("333.33"), D("333.33"), D("333.34")]
    assert plan.totals["interest"] == D("0.00")
