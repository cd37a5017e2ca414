"""Startup guaranteed loans (创业担保贷款): limits, the LPR-linked rate caps, and the repayment
and interest-subsidy schedule, month by month, in exact decimal arithmetic. No I/O."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext

from services.common.errors import InvalidInput
from services.common.i18n import bilingual

from ..messages import MESSAGES
from ..vocabulary import (
    BANK_APPROVED,
    BANK_DECLINED,
    DISBURSED,
    EQUAL_INSTALMENT,
    EQUAL_PRINCIPAL,
    INDIVIDUAL,
    LOAN_APPLIED,
    LOAN_APPROVED,
    LOAN_REJECTED,
    LOAN_WITHDRAWN,
)
from .working_time import add_months

#: a person has one loan of each borrower kind under way at a time
LOAN_OPEN_STATES = (LOAN_APPLIED, BANK_APPROVED, LOAN_APPROVED)
LOAN_TRANSITIONS = {
    "bank_approve": ((LOAN_APPLIED,), BANK_APPROVED),
    "bank_decline": ((LOAN_APPLIED,), BANK_DECLINED),
    "approve": ((BANK_APPROVED,), LOAN_APPROVED),
    "reject": ((BANK_APPROVED,), LOAN_REJECTED),
    "disburse": ((LOAN_APPROVED,), DISBURSED),
    "withdraw": ((LOAN_APPLIED, BANK_APPROVED), LOAN_WITHDRAWN),
}

CENT = Decimal("0.01")
BASIS_POINT = Decimal("0.01")  # of a percentage point


def cents(value: Decimal) -> Decimal:
    """To the cent, half up: how every figure of a schedule is rounded."""
    return value.quantize(CENT, ROUND_HALF_UP)


def parse_lpr_history(entries: Iterable[str]) -> tuple[tuple[date, Decimal], ...]:
    """`("2025-05-20=3.00", …)` → ((date, percent), …) sorted by date."""
    history = []
    for entry in entries:
        day, sep, rate = entry.partition("=")
        if not sep:
            raise ValueError(f"LPR entry {entry!r} is not YYYY-MM-DD=percent")
        percent = Decimal(rate.strip())
        if not Decimal(0) < percent < Decimal(100):
            raise ValueError(f"LPR {percent} % is not a plausible rate")
        history.append((date.fromisoformat(day.strip()), percent))
    if not history:
        raise ValueError("at least one one-year LPR is needed")
    return tuple(sorted(history))


@dataclass(frozen=True)
class LoanRules:
    """MISSION.md's loan rules, as the policy sets them."""

    individual_limit: Decimal
    small_business_limit: Decimal
    max_term_months: int
    lpr_history: tuple[tuple[date, Decimal], ...]
    cap_over_lpr_bp: int
    borrower_under_lpr_bp: int
    subsidised_months: int

    def limit_for(self, kind: str) -> Decimal:
        return self.individual_limit if kind == INDIVIDUAL else self.small_business_limit

    def check_terms(self, kind: str, amount: Decimal, term_months: int) -> None:
        """Refuses an amount over the kind's limit or a term over the maximum."""
        limit = self.limit_for(kind)
        if amount > limit:
            raise InvalidInput.for_field(
                "amount_cny", "loan_amount_over_limit", MESSAGES, limit=limit, kind=kind
            )
        if term_months > self.max_term_months:
            raise InvalidInput.for_field(
                "term_months", "loan_term_over_limit", MESSAGES, months=self.max_term_months
            )

    def lpr_on(self, day: date) -> Decimal:
        """The one-year LPR in force on `day` (the contract date)."""
        in_force = [rate for published, rate in self.lpr_history if published <= day]
        return in_force[-1] if in_force else self.lpr_history[0][1]

    def rate_cap(self, day: date) -> Decimal:
        """The highest contract rate: LPR + 50 bp by default."""
        return self.lpr_on(day) + self.cap_over_lpr_bp * BASIS_POINT

    def borrower_rate(self, contract_rate: Decimal, day: date) -> Decimal:
        """What the borrower pays while subsidised: at most LPR − 150 bp; the rest is the
        subsidy (贴息)."""
        ceiling = max(Decimal(0), self.lpr_on(day) - self.borrower_under_lpr_bp * BASIS_POINT)
        return min(contract_rate, ceiling)

    def check_contract_rate(self, contract_rate: Decimal, day: date) -> None:
        cap = self.rate_cap(day)
        if contract_rate > cap:
            raise InvalidInput.for_field(
                "contract_rate_percent",
                "contract_rate_over_cap",
                MESSAGES,
                cap=cap,
                lpr=self.lpr_on(day),
                bp=self.cap_over_lpr_bp,
            )


@dataclass(frozen=True)
class Instalment:
    """One month of a loan: what is owed, what the borrower pays and what is subsidised."""

    number: int
    due_on: date
    opening_balance: Decimal
    principal: Decimal
    interest: Decimal
    borrower_interest: Decimal
    subsidy: Decimal
    borrower_payment: Decimal
    closing_balance: Decimal


@dataclass(frozen=True)
class Schedule:
    """A loan's instalments with the terms they were computed from."""

    amount: Decimal
    term_months: int
    method: str
    contract_rate: Decimal
    borrower_rate: Decimal
    subsidised_months: int
    instalments: tuple[Instalment, ...]

    def total(self, name: str) -> Decimal:
        """The sum of one figure (`principal`, `subsidy`, …) over every instalment."""
        return sum((getattr(item, name) for item in self.instalments), Decimal("0.00"))

    @property
    def totals(self) -> dict[str, Decimal]:
        return {
            name: self.total(name)
            for name in ("principal", "interest", "borrower_interest", "subsidy")
        } | {"borrower_payments": self.total("borrower_payment")}


def repayment_schedule(
    amount: Decimal,
    term_months: int,
    contract_rate: Decimal,
    borrower_rate: Decimal,
    subsidised_months: int,
    method: str,
    starts_on: date,
) -> Schedule:
    """The loan month by month, every figure rounded to the cent, half up.

    Each month's interest is the opening balance × the contract rate / 12; while the month is
    subsidised the borrower pays the opening balance × the borrower rate / 12 and the rest is
    the subsidy, after that (year 3 by default) the borrower pays all of it. The principal
    follows `method`; the last month repays whatever is left, so the principal adds up to the
    amount exactly and interest = borrower interest + subsidy in every month.
    """
    if term_months < 1:
        raise ValueError("a loan runs at least one month")
    with localcontext() as context:
        context.prec = 34
        monthly_rate = contract_rate / Decimal(1200)
        regular_principal = _principal_rule(method, amount, term_months, monthly_rate)
        balance = amount
        instalments = []
        for number in range(1, term_months + 1):
            interest = cents(balance * monthly_rate)
            # the last month repays whatever is left, so the principal adds up exactly
            last = number == term_months
            principal = balance if last else regular_principal(balance, interest)
            if number <= subsidised_months:
                borrower_interest = min(interest, cents(balance * borrower_rate / Decimal(1200)))
            else:
                borrower_interest = interest
            instalments.append(
                Instalment(
                    number=number,
                    due_on=add_months(starts_on, number),
                    opening_balance=balance,
                    principal=principal,
                    interest=interest,
                    borrower_interest=borrower_interest,
                    subsidy=interest - borrower_interest,
                    borrower_payment=principal + borrower_interest,
                    closing_balance=balance - principal,
                )
            )
            balance -= principal
    return Schedule(
        amount=amount,
        term_months=term_months,
        method=method,
        contract_rate=contract_rate,
        borrower_rate=borrower_rate,
        subsidised_months=subsidised_months,
        instalments=tuple(instalments),
    )


def _principal_rule(
    method: str, amount: Decimal, term_months: int, monthly_rate: Decimal
) -> Callable[[Decimal, Decimal], Decimal]:
    """What a month before the last repays of the principal, from its opening balance and its
    interest: the rest of a level payment (等额本息), an even share (等额本金), or nothing
    until the end (按月付息到期还本). Called in the schedule's decimal context."""
    if method == EQUAL_INSTALMENT:
        if monthly_rate == 0:
            payment = cents(amount / term_months)
        else:
            growth = (1 + monthly_rate) ** term_months
            payment = cents(amount * monthly_rate * growth / (growth - 1))
        return lambda balance, interest: min(balance, payment - interest)
    if method == EQUAL_PRINCIPAL:
        share = cents(amount / term_months)
        return lambda balance, interest: min(balance, share)
    return lambda balance, interest: Decimal("0.00")


LOAN_NEXT_STEPS = {
    LOAN_APPLIED: bilingual("等待银行审核", "Waiting for the bank's review"),
    BANK_APPROVED: bilingual("等待人社部门审批", "Waiting for the officer's decision"),
    LOAN_APPROVED: bilingual("等待银行放款", "Waiting for the bank to pay out"),
}
