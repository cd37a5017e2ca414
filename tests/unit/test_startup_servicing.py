"""The quarterly interest subsidy of a disbursed loan and the arrears that stop it
(services/startup/domain/servicing.py), against figures worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.common.errors import Conflict
from services.startup.domain import EQUAL_PRINCIPAL, INTEREST_MONTHLY, repayment_schedule
from services.startup.domain.servicing import Quarter, quarter_claim, stops_subsidy

# 120,000 CNY over 12 months at 3.5 %, the borrower paying 1.5 %: 200.00 subsidy a month
FLAT = repayment_schedule(
    Decimal("120000.00"), 12, Decimal("3.5"), Decimal("1.5"), 24, INTEREST_MONTHLY, date(2035, 1, 5)
)


def test_a_quarter_is_the_subsidy_of_the_instalments_falling_due_in_it():
    claim = quarter_claim(FLAT, Quarter(2035, 1), date(2035, 4, 1), {1, 2}, None)
    # instalments fall due on Feb 5 and Mar 5: two months of (350.00 − 150.00)
    assert (claim.numbers, claim.amount) == ([1, 2], Decimal("400.00"))
    q2 = quarter_claim(FLAT, Quarter(2035, 2), date(2035, 7, 1), {3, 4, 5}, None)
    assert (q2.numbers, q2.amount) == ([3, 4, 5], Decimal("600.00"))


def test_a_declining_balance_is_claimed_to_the_cent():
    loan = repayment_schedule(
        Decimal("100000.00"), 12, Decimal("3.45"), Decimal("1.45"), 24, EQUAL_PRINCIPAL,
        date(2035, 1, 5),
    )  # fmt: skip
    claim = quarter_claim(loan, Quarter(2035, 1), date(2035, 4, 1), {1, 2}, None)
    # 100000 then 91666.67 opening: 287.50 − 120.83 and 263.54 − 110.76
    assert claim.amount == Decimal("166.67") + Decimal("152.78")


@pytest.mark.parametrize(
    ("today", "repaid", "stopped", "code"),
    [
        (date(2035, 3, 31), {1, 2}, None, "loan_quarter_not_ended"),
        (date(2035, 4, 1), {1}, None, "loan_quarter_not_repaid"),
        (date(2035, 4, 1), {1, 2}, date(2035, 2, 5), "loan_subsidy_stopped"),
    ],
)
def test_a_quarter_is_refused_until_it_ends_and_is_repaid_and_after_a_stop(
    today, repaid, stopped, code
):
    with pytest.raises(Conflict) as refused:
        quarter_claim(FLAT, Quarter(2035, 1), today, repaid, stopped)
    assert refused.value.code == code


def test_a_stop_keeps_the_instalments_due_before_it():
    claim = quarter_claim(FLAT, Quarter(2035, 1), date(2035, 4, 1), {1}, date(2035, 3, 1))
    assert (claim.numbers, claim.amount) == ([1], Decimal("200.00"))


def test_no_subsidy_after_the_subsidised_months():
    short = repayment_schedule(
        Decimal("1000.00"), 6, Decimal("3.5"), Decimal("1.5"), 1, INTEREST_MONTHLY,
        date(2035, 1, 5),
    )  # fmt: skip
    with pytest.raises(Conflict) as refused:
        quarter_claim(short, Quarter(2035, 2), date(2035, 7, 1), {3, 4, 5}, None)
    assert refused.value.code == "loan_quarter_without_subsidy"


def test_arrears_stop_the_subsidy_only_beyond_the_threshold():
    since = date(2035, 7, 5)
    assert not stops_subsidy(since, date(2035, 10, 3), 90)  # day 90
    assert stops_subsidy(since, date(2035, 10, 4), 90)
    assert not stops_subsidy(None, date(2040, 1, 1), 90)
    assert (Quarter.parse("2035-Q4").first_day, Quarter.parse("2035-Q4").last_day) == (
        date(2035, 10, 1),
        date(2035, 12, 31),
    )
