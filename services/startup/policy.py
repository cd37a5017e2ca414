"""The startup service's policy parameters: documented defaults a district overrides.

Override any of them with `POLICY_FILE` (`{"startup": {...}}`) or `STARTUP_POLICY` (the same
section as JSON), as `services/common/policy.py` describes; a value that does not parse stops the
service at start. Example, next year's holidays as data::

    STARTUP_POLICY='{"extra_holidays": ["2027-01-01", "2027-02-06"],
                     "extra_workdays": ["2027-02-14"]}'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property

from . import domain


@dataclass(frozen=True)
class StartupPolicy:
    # -- one-stop business registration (企业开办) --
    # plan 一.4: 新开办企业时间压缩至2小时 (the 2-hour promise, in business time)
    registration_target_minutes: int = 120
    # MISSION.md / issue 7: warn when 75 % of the promised time is used
    registration_warning_ratio: Decimal = Decimal("0.75")
    # the service centre's window hours (政务服务大厅 weekday hours, 9:00–12:00 and 13:00–17:00
    # in most districts); each "HH:MM-HH:MM"
    working_hours: tuple[str, ...] = ("09:00-12:00", "13:00-17:00")
    # State Council holiday schedule and make-up workdays (chinese-calendar: 2004–2026); off
    # means Monday to Friday plus the district's own dates
    official_holiday_calendar: bool = True
    # the district's own holidays and make-up workdays (调休), as data: next year's schedule as
    # soon as it is published, or a local closure; they win over the official calendar
    extra_holidays: tuple[date, ...] = ()
    extra_workdays: tuple[date, ...] = ()
    # the unit that completes each step (区市场监管局 name and licence, 区公安分局 seal, 区税务局
    # tax, the centre's bank window 银行开户 at 区行政服务保障中心, 区人社局 social insurance)
    step_units: tuple[str, ...] = (
        "name_check=market_regulation",
        "licence=market_regulation",
        "seal=public_security",
        "tax=taxation",
        "bank_account=admin_service_center",
        "social_insurance=hrss",
    )
    # plan 一.2: graduates within 2 years of leaving school (离校2年内) count toward the goal
    # of 1,000 graduates a year who stay to work or start a business
    graduate_within_years: int = 2
    # 高校毕业生: associate degree (大专, incl. 高职) and above
    graduate_degrees: tuple[str, ...] = ("associate", "bachelor", "master", "doctor")

    # -- startup guaranteed loans (创业担保贷款) --
    # MISSION.md: individual up to 300,000 CNY (个人最高30万元)
    individual_loan_limit_cny: Decimal = Decimal("300000")
    # MISSION.md: small business up to 4,000,000 CNY (小微企业最高400万元)
    small_business_loan_limit_cny: Decimal = Decimal("4000000")
    # MISSION.md: term at most 3 years
    loan_max_term_months: int = 36
    # the one-year LPR published by the National Interbank Funding Center, "date=percent";
    # the contract date picks the rate in force (3.10 % from 2024-10-21, 3.00 % from 2025-05-20)
    one_year_lpr: tuple[str, ...] = ("2024-10-21=3.10", "2025-05-20=3.00")
    # MISSION.md (财金〔2020〕21号): the contract rate is at most LPR + 50 bp
    contract_rate_cap_over_lpr_bp: int = 50
    # MISSION.md (财金〔2020〕21号): the borrower pays at most LPR − 150 bp; the rest is subsidised
    borrower_rate_under_lpr_bp: int = 150
    # MISSION.md: no subsidy in year 3, so the first 24 months are subsidised
    subsidised_months: int = 24
    # a loan contract needs full civil capacity (民法典 第十八条: 18 years)
    loan_min_age: int = 18
    # 区人社局 reviews eligibility for 创业担保贷款 after the bank's review
    loan_unit: str = "hrss"
    # PLACEHOLDER (the plan gives no figure): days a loan may be in arrears before its interest
    # subsidy stops (财金〔2020〕21号 只对按时还款的贷款贴息; 90 days is when a loan becomes
    # non-performing, 不良); the district sets its own
    loan_arrears_subsidy_stop_days: int = 90

    # -- one-off startup grant (一次性创业补贴) --
    # MISSION.md: 5,000 CNY once
    startup_grant_cny: Decimal = Decimal("5000")
    # MISSION.md: for a graduate within 2 years (at the business's registration)
    grant_graduate_within_years: int = 2
    # MISSION.md: whose first business has run at least 6 months
    grant_min_operating_months: int = 6
    # 区人社局 pays employment and startup subsidies
    grant_unit: str = "hrss"

    # -- incubator spaces (双创智慧港) --
    # plan 一.4 names 区发改委 among the units building the innovation park
    incubator_unit: str = "development_reform"
    # a startup's tenancy in the park (入驻期, common youth incubator rule: up to 2 years)
    incubator_max_tenancy_months: int = 24

    # -- startup training (创业培训) --
    # plan 一.5: 开展创业培训; SYB courses are run by 区人社局
    training_unit: str = "hrss"

    # -- rural revitalisation (三.3 创新乡村振兴形式) --
    # plan 三.3's responsible units: 区农业农村局 runs the rural partner plan (乡村合伙人计划) and
    # its leaders-of-getting-rich training (致富带头人培训); 区委组织部 selects village support
    # teams (驻村帮扶工作队选派) for the young doers' plan (青年实干家计划)
    rural_unit: str = "agriculture"
    doer_unit: str = "organisation"
    # the youth the plan serves: 14–35 (中长期青年发展规划)
    doer_max_age: int = 35
    # a support team's usual term: two years (驻村工作队 选派期限一般为2年)
    doer_max_posting_months: int = 24

    def __post_init__(self):
        # parse everything once, so a bad override stops the start instead of a request
        _ = self.calendar, self.step_unit_map, self.loan_rules, self.sla
        if not Decimal(0) < self.registration_warning_ratio < Decimal(1):
            raise ValueError("registration_warning_ratio must be between 0 and 1")
        if self.registration_target_minutes < 1:
            raise ValueError("registration_target_minutes must be positive")
        if self.loan_arrears_subsidy_stop_days < 0:
            raise ValueError("loan_arrears_subsidy_stop_days must not be negative")

    @cached_property
    def calendar(self) -> domain.WorkingCalendar:
        return domain.WorkingCalendar(
            None,  # the platform clock's zone (DISTRICT_TIMEZONE): working hours are local
            [domain.parse_period(period) for period in self.working_hours],
            official=self.official_holiday_calendar,
            holidays=self.extra_holidays,
            workdays=self.extra_workdays,
        )

    @cached_property
    def step_unit_map(self) -> dict[str, str]:
        return domain.parse_step_units(self.step_units)

    @cached_property
    def sla(self) -> domain.RegistrationSla:
        return domain.RegistrationSla(
            timedelta(minutes=self.registration_target_minutes), self.registration_warning_ratio
        )

    @cached_property
    def loan_rules(self) -> domain.LoanRules:
        return domain.LoanRules(
            individual_limit=self.individual_loan_limit_cny,
            small_business_limit=self.small_business_loan_limit_cny,
            max_term_months=self.loan_max_term_months,
            lpr_history=domain.parse_lpr_history(self.one_year_lpr),
            cap_over_lpr_bp=self.contract_rate_cap_over_lpr_bp,
            borrower_under_lpr_bp=self.borrower_rate_under_lpr_bp,
            subsidised_months=self.subsidised_months,
        )

    @cached_property
    def grant_rules(self) -> domain.GrantRules:
        return domain.GrantRules(
            amount=self.startup_grant_cny,
            graduate_within_years=self.grant_graduate_within_years,
            degrees=self.graduate_degrees,
            min_operating_months=self.grant_min_operating_months,
        )

    def is_graduate(self, graduation_date: date | None, degree: str | None, on: date) -> bool:
        """Counts toward the plan's headline goal (graduates who stay to start a business)."""
        return domain.is_recent_graduate(
            graduation_date, degree, on, self.graduate_within_years, self.graduate_degrees
        )
