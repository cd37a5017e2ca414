"""The one-off startup grant (一次性创业补贴): who earns it, and its decision. No I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from services.common.errors import DomainError
from services.common.i18n import bilingual

from ..vocabulary import GRANT_APPLIED, GRANT_APPROVED, GRANT_REJECTED
from .registration import is_recent_graduate
from .working_time import add_months

GRANT_TRANSITIONS = {
    "approve": ((GRANT_APPLIED,), GRANT_APPROVED),
    "reject": ((GRANT_APPLIED,), GRANT_REJECTED),
}


@dataclass(frozen=True)
class GrantRules:
    """5,000 CNY once, for a graduate within 2 years whose first business has run 6 months."""

    amount: Decimal
    graduate_within_years: int
    degrees: tuple[str, ...]
    min_operating_months: int

    def refusal(
        self,
        graduation_date: date | None,
        degree: str | None,
        registered_on: date,
        first_business: bool,
        today: date,
    ) -> DomainError | None:
        """Why this business does not earn its founder the grant, or None. The founder must
        have been a recent graduate when the business was registered."""
        if not is_recent_graduate(
            graduation_date, degree, registered_on, self.graduate_within_years, self.degrees
        ):
            return DomainError(
                "grant_not_recent_graduate",
                status=422,
                field="graduation_date",
                params={"years": self.graduate_within_years},
            )
        if not first_business:
            return DomainError("grant_not_first_business", status=422, field="registration_id")
        eligible_on = add_months(registered_on, self.min_operating_months)
        if today < eligible_on:
            return DomainError(
                "grant_business_too_young",
                status=422,
                field="registration_id",
                params={"months": self.min_operating_months, "eligible_on": eligible_on},
            )
        return None


GRANT_NEXT_STEPS = {GRANT_APPLIED: bilingual("等待审核", "Waiting for the officer's decision")}
