"""A guaranteed loan after disbursement: the quarters its interest subsidy is claimed for, and
the arrears that stop it. No I/O.

The district pays the lending bank the subsidised share of each instalment's interest
(`Instalment.subsidy` of the schedule, `loans.py`) quarterly in arrears, per calendar quarter
(按季结算): a quarter's claim is the sum of the subsidies of the instalments **falling due in
it**, once the quarter has ended and those instalments are repaid. A loan in arrears beyond
the policy's threshold loses its subsidy from the first overdue day (逾期贷款不予贴息): an
instalment falling due on or after that day is not subsidised, and a quarter left with none is
refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from services.common.errors import Conflict

from .loans import Instalment, Schedule

QUARTER_PATTERN = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter, written `2035-Q1`."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        found = QUARTER_PATTERN.match(text)
        if found is None:
            raise ValueError(f"{text!r} is not a quarter like 2035-Q1")
        return cls(int(found.group(1)), int(found.group(2)))

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> date:
        if self.number == 4:
            return date(self.year, 12, 31)
        return date(self.year, 3 * self.number + 1, 1) - timedelta(days=1)

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"


def days_overdue(overdue_since: date | None, today: date) -> int:
    """Days since the first unpaid day (0 when the loan is not in arrears)."""
    if overdue_since is None:
        return 0
    return max(0, (today - overdue_since).days)


def stops_subsidy(overdue_since: date | None, today: date, threshold_days: int) -> bool:
    """Arrears beyond the threshold stop the subsidy (on the threshold day it still runs)."""
    return days_overdue(overdue_since, today) > threshold_days


@dataclass(frozen=True)
class QuarterClaim:
    """What the district owes the bank for one quarter of one loan."""

    quarter: Quarter
    instalments: tuple[Instalment, ...]

    @property
    def amount(self) -> Decimal:
        return sum((item.subsidy for item in self.instalments), Decimal("0.00"))

    @property
    def numbers(self) -> list[int]:
        return [item.number for item in self.instalments]


def quarter_claim(
    schedule: Schedule,
    quarter: Quarter,
    today: date,
    repaid: set[int],
    stopped_from: date | None,
) -> QuarterClaim:
    """The quarter's claim, or the refusal: the quarter has not ended (409
    `loan_quarter_not_ended`), no subsidised instalment falls due in it
    (`loan_quarter_without_subsidy`), the subsidy stopped before any did
    (`loan_subsidy_stopped`), or one of them is not repaid (`loan_quarter_not_repaid`)."""
    if today <= quarter.last_day:
        raise Conflict(
            "loan_quarter_not_ended",
            field="quarter",
            params={"quarter": str(quarter), "ends_on": quarter.last_day.isoformat()},
        )
    due = [
        item
        for item in schedule.instalments
        if quarter.first_day <= item.due_on <= quarter.last_day
        and item.number <= schedule.subsidised_months
    ]
    if not due:
        raise Conflict(
            "loan_quarter_without_subsidy", field="quarter", params={"quarter": str(quarter)}
        )
    if stopped_from is not None:
        due = [item for item in due if item.due_on < stopped_from]
        if not due:
            raise Conflict(
                "loan_subsidy_stopped",
                field="quarter",
                params={"quarter": str(quarter), "since": stopped_from.isoformat()},
            )
    unpaid = [item.number for item in due if item.number not in repaid]
    if unpaid:
        raise Conflict(
            "loan_quarter_not_repaid",
            field="quarter",
            params={"quarter": str(quarter), "instalments": ", ".join(map(str, unpaid))},
        )
    return QuarterClaim(quarter, tuple(due))
