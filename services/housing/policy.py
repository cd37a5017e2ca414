"""The housing service's policy parameters (二.1): each default with its source.

A district overrides any of them in `POLICY_FILE` (section "housing") or `HOUSING_POLICY`
(services/common/policy.py); unknown names and rule names are refused at start.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .vocabulary import ALLOCATION_METHODS

#: the eligibility rules a kind may require (domain.RULES evaluates each)
RULE_NAMES = ("age", "social_insurance", "no_property", "not_on_payroll")

_RENTAL_RULES = ("age", "social_insurance", "no_property", "not_on_payroll")


@dataclass(frozen=True)
class HousingPolicy:
    """The numbers of the housing rules; MISSION.md "Housing" gives the defaults."""

    # -- eligibility (MISSION.md: "default age 18–35 (40 for master's degree or above)") ----
    min_age: int = 18  # youth housing starts at adulthood: age 18
    max_age: int = 35  # the plan's youth (14–35) and the local talent-housing rule: 35
    max_age_advanced_degree: int = 40  # master's degree or above: up to 40
    advanced_degrees: tuple[str, ...] = ("master", "doctor")  # "master's degree or above"
    social_insurance_months: int = 12  # 12 consecutive months of social insurance in the district
    property_lookback_years: int = 5  # no property in the district within 5 years
    # the rules each kind requires (any of RULE_NAMES); all four for rentals by default
    rules_talent_apartment: tuple[str, ...] = _RENTAL_RULES
    rules_public_rental: tuple[str, ...] = _RENTAL_RULES
    rules_affordable_rental: tuple[str, ...] = _RENTAL_RULES
    # purchase subsidies and housing-fund use are for buyers: no "no property" rule
    rules_purchase_subsidy: tuple[str, ...] = ("age", "social_insurance", "not_on_payroll")
    rules_housing_fund: tuple[str, ...] = ("age", "social_insurance")

    # -- inventory -----------------------------------------------------------------------
    affordable_rental_max_area_m2: Decimal = Decimal("70")  # 保障性租赁住房: ≤ 70 m² default

    # -- allocation (MISSION.md: "first-come waitlist or a reproducible lottery") ----------
    allocation_talent_apartment: str = "waitlist"  # talent apartments: first come, first served
    allocation_public_rental: str = "lottery"  # 公租房 are over-subscribed: allocated by lottery
    allocation_affordable_rental: str = "lottery"  # 保租房 likewise
    # lottery preference groups, drawn in this order (officers assign one at approval)
    preference_groups: tuple[str, ...] = ("priority", "general")
    offer_response_days: int = 7  # an offer is accepted or declined within 7 days
    # units matched to household size (MISSION.md gives no numbers: PLACEHOLDERS until the
    # district sets them, listed as such in services/housing/README.md). A rental is offered
    # only to a household that fits it (`domain.households_fitting`):
    max_persons_per_room: int = 2  # placeholder: at most 2 persons per room (a studio: 1 room)
    # placeholder: None, no limit; N keeps a unit with more than household + N rooms for
    # a larger household (a single person is not offered a three-room flat with N = 1)
    max_spare_rooms: int | None = None

    # -- youth station 青年驿站 (MISSION.md: "1 year before to 2 years after graduation") --
    station_years_before_graduation: int = 1
    station_years_after_graduation: int = 2
    station_nights_per_person: int = 7  # at most 7 free nights per person, over all bookings
    station_booking_horizon_days: int = 30  # nights bookable up to 30 days ahead
    station_job_seekers_only: bool = True  # free stays are for job seekers: not the employed

    # -- subsidies (MISSION.md gives no amounts: PLACEHOLDERS until the district sets them,
    #    listed as such in services/housing/README.md) ---------------------------------------
    # 购房补贴 by household size: 1 person, 2 persons, 3 or more (the last covers larger ones)
    purchase_subsidy_cny_by_household_size: tuple[Decimal, ...] = (
        Decimal("50000"),  # placeholder
        Decimal("60000"),  # placeholder
        Decimal("80000"),  # placeholder
    )
    housing_fund_cap_cny: Decimal = Decimal("600000")  # placeholder: 住房公积金使用 at most

    def __post_init__(self):
        for kind in ("talent_apartment", "public_rental", "affordable_rental"):
            method = getattr(self, f"allocation_{kind}")
            if method not in ALLOCATION_METHODS:
                raise ValueError(f"allocation_{kind} must be one of {ALLOCATION_METHODS}")
        for kind in (
            "talent_apartment",
            "public_rental",
            "affordable_rental",
            "purchase_subsidy",
            "housing_fund",
        ):
            unknown = set(getattr(self, f"rules_{kind}")) - set(RULE_NAMES)
            if unknown:
                raise ValueError(f"rules_{kind} names unknown rules: {sorted(unknown)}")
        if not self.purchase_subsidy_cny_by_household_size:
            raise ValueError("purchase_subsidy_cny_by_household_size needs at least one amount")
        if not self.preference_groups:
            raise ValueError("preference_groups needs at least one group")
        if self.max_persons_per_room < 1:
            raise ValueError("max_persons_per_room must be at least 1")
        if self.max_spare_rooms is not None and self.max_spare_rooms < 0:
            raise ValueError("max_spare_rooms must be 0 or more (or unset: no limit)")

    def rules_for(self, kind: str) -> tuple[str, ...]:
        return getattr(self, f"rules_{kind}")

    def subsidy_cap(self, kind: str, household_size: int) -> Decimal:
        """The most a subsidy of `kind` may be for a household of `household_size`."""
        if kind == "housing_fund":
            return self.housing_fund_cap_cny
        schedule = self.purchase_subsidy_cny_by_household_size
        return schedule[min(household_size, len(schedule)) - 1]

    def allocation_for(self, kind: str) -> str:
        return getattr(self, f"allocation_{kind}")
