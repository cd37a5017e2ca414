"""Startup support (plan 一.4): the rules, with no I/O.

* **Business time** (`WorkingCalendar`): the one-stop registration's 2-hour promise counts only
  the hours the service centre works, on the district's working calendar (China's official
  holidays and make-up workdays, plus what the district configures).
* **One-stop business registration** (企业开办): its steps, which unit completes each, the
  order they may be completed in, and the promise's clock (`RegistrationSla`).
* **Startup guaranteed loans** (创业担保贷款): limits, the LPR-linked rate caps, and the
  repayment and interest-subsidy schedule, month by month, in exact decimal arithmetic.
* **Startup grant** (一次性创业补贴), **incubator tenancies** (双创智慧港) and **training**.

Every number comes from `StartupPolicy` (policy.py); nothing here reads a clock: callers pass
`now` and `today`.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, localcontext
from zoneinfo import ZoneInfo

import chinese_calendar

from services.common.clock import clock
from services.common.errors import DomainError, Forbidden, IllegalTransition, InvalidInput

from .messages import MESSAGES

# -- the working calendar ------------------------------------------------------------------------

#: the years chinese-calendar carries the State Council's holiday schedule for
OFFICIAL_YEARS = range(
    min(day.year for day in chinese_calendar.constants.holidays),
    max(day.year for day in chinese_calendar.constants.holidays) + 1,
)

#: a calendar with no working time in ten years is a configuration mistake, not a long wait
_SEARCH_DAYS = 3660


def parse_period(text: str) -> tuple[time, time]:
    """`"09:00-12:00"` → (09:00, 12:00); the end must be after the start."""
    start_text, sep, end_text = text.partition("-")
    if not sep:
        raise ValueError(f"working period {text!r} is not HH:MM-HH:MM")
    start, end = time.fromisoformat(start_text.strip()), time.fromisoformat(end_text.strip())
    if end <= start:
        raise ValueError(f"working period {text!r} ends before it starts")
    return start, end


class WorkingCalendar:
    """When the service centre works: periods of each working day, in the district's time.

    A day is a working day when the district configured it as one (a make-up workday, 调休),
    is not one when the district configured it as a holiday, and otherwise as the State
    Council's schedule says (chinese-calendar, for the years it knows) or, for a year it does
    not know, Monday to Friday. A district adds next year's holidays as data (policy
    `extra_holidays` / `extra_workdays`) as soon as the State Council publishes them.
    """

    def __init__(
        self,
        timezone: ZoneInfo | None,
        periods: Iterable[tuple[time, time]],
        official: bool = True,
        holidays: Iterable[date] = (),
        workdays: Iterable[date] = (),
    ):
        self._timezone = timezone
        self.periods = tuple(sorted(periods))
        if not self.periods:
            raise ValueError("a working calendar needs at least one working period")
        for (_, end), (start, _) in zip(self.periods, self.periods[1:], strict=False):
            if start < end:
                raise ValueError("working periods overlap")
        self.official = official
        self.holidays = frozenset(holidays)
        self.workdays = frozenset(workdays)
        if self.holidays & self.workdays:
            raise ValueError("a day is configured both as a holiday and as a workday")

    @property
    def timezone(self) -> ZoneInfo:
        """The zone its hours are in: its own, or (None) the platform clock's district zone."""
        return self._timezone or clock.zone

    def knows_year(self, year: int) -> bool:
        """Whether the official schedule (or the district's own data) covers `year`."""
        configured = any(day.year == year for day in self.holidays | self.workdays)
        return configured or (self.official and year in OFFICIAL_YEARS)

    def is_workday(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        if self.official and day.year in OFFICIAL_YEARS:
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5

    def _windows(self, day: date) -> list[tuple[datetime, datetime]]:
        if not self.is_workday(day):
            return []
        return [
            (
                datetime.combine(day, start, tzinfo=self.timezone),
                datetime.combine(day, end, tzinfo=self.timezone),
            )
            for start, end in self.periods
        ]

    def business_time(self, start: datetime, end: datetime) -> timedelta:
        """Working time between two instants (zero when `end` is not after `start`)."""
        total = timedelta(0)
        if end <= start:
            return total
        day, last = start.astimezone(self.timezone).date(), end.astimezone(self.timezone).date()
        while day <= last:
            for window_start, window_end in self._windows(day):
                overlap = min(end, window_end) - max(start, window_start)
                if overlap > timedelta(0):
                    total += overlap
            day += timedelta(days=1)
        return total

    def add_business_time(self, start: datetime, amount: timedelta) -> datetime:
        """The instant at which `amount` of working time has passed since `start`."""
        if amount <= timedelta(0):
            return start
        remaining = amount
        day = start.astimezone(self.timezone).date()
        for _ in range(_SEARCH_DAYS):
            for window_start, window_end in self._windows(day):
                begin = max(start, window_start)
                if begin >= window_end:
                    continue
                available = window_end - begin
                if remaining <= available:
                    return (begin + remaining).astimezone(start.tzinfo)
                remaining -= available
            day += timedelta(days=1)
        raise ValueError("the working calendar has no working time in the next ten years")


# -- who acts ------------------------------------------------------------------------------------

YOUTH, OFFICER, ADMIN, PARTNER = "youth", "officer", "admin", "partner"


@dataclass(frozen=True)
class Actor:
    """Who calls: a young person, an officer of a unit, a partner (a lending bank), an admin."""

    account_id: str | None
    role: str | None
    unit: str | None

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    def is_officer_of(self, unit: str) -> bool:
        return self.role == OFFICER and self.unit == unit

    def require_officer_of(self, unit: str, admin_may: bool = False) -> None:
        """Only an officer of `unit` (and an admin, where `admin_may`) decides this."""
        if admin_may and self.is_admin:
            return
        if not self.is_officer_of(unit):
            raise Forbidden("not_responsible_unit", params={"unit": unit})


# -- state machines ------------------------------------------------------------------------------


def next_state(transitions: Mapping[str, tuple[tuple[str, ...], str]], state: str, action: str):
    """The state `action` leads to from `state`, or 409 when it may not be taken there."""
    allowed_from, target = transitions[action]
    if state not in allowed_from:
        raise IllegalTransition(state, action)
    return target


# -- one-stop business registration (企业开办) ---------------------------------------------------

COMPANY_TYPES = (
    "limited_company",  # 有限责任公司
    "joint_stock_company",  # 股份有限公司
    "sole_proprietorship",  # 个人独资企业
    "partnership",  # 合伙企业
    "individual_business",  # 个体工商户
    "farmer_cooperative",  # 农民专业合作社
)

NAME_CHECK, LICENCE, SEAL, TAX, BANK_ACCOUNT, SOCIAL_INSURANCE = (
    "name_check",  # 名称自主申报
    "licence",  # 设立登记, 营业执照
    "seal",  # 公章刻制备案
    "tax",  # 税务登记、发票申领
    "bank_account",  # 银行开户
    "social_insurance",  # 社保登记、公积金开户
)
STEPS = (NAME_CHECK, LICENCE, SEAL, TAX, BANK_ACCOUNT, SOCIAL_INSURANCE)

#: what must be done before each step: the name before the licence, the licence (and with it
#: the credit code) before the rest, which the units then do in parallel (并联办理)
PREREQUISITES: dict[str, tuple[str, ...]] = {
    NAME_CHECK: (),
    LICENCE: (NAME_CHECK,),
    SEAL: (LICENCE,),
    TAX: (LICENCE,),
    BANK_ACCOUNT: (LICENCE,),
    SOCIAL_INSURANCE: (LICENCE,),
}

STEP_TITLES = {
    NAME_CHECK: ("名称申报", "name check"),
    LICENCE: ("营业执照", "business licence"),
    SEAL: ("公章刻制", "company seal"),
    TAX: ("税务登记", "tax registration"),
    BANK_ACCOUNT: ("银行开户", "bank account"),
    SOCIAL_INSURANCE: ("社保登记", "social insurance"),
}

IN_PROGRESS, COMPLETED, REJECTED, WITHDRAWN = "in_progress", "completed", "rejected", "withdrawn"
REGISTRATION_STATES = (IN_PROGRESS, COMPLETED, REJECTED, WITHDRAWN)
REGISTRATION_TRANSITIONS = {
    "complete": ((IN_PROGRESS,), COMPLETED),
    "reject": ((IN_PROGRESS,), REJECTED),
    "withdraw": ((IN_PROGRESS,), WITHDRAWN),
}

STEP_PENDING, STEP_DONE = "pending", "completed"


def parse_step_units(entries: Iterable[str]) -> dict[str, str]:
    """`("name_check=market_regulation", …)` → {step: unit}; every step needs exactly one."""
    units = {}
    for entry in entries:
        step, sep, unit = entry.partition("=")
        step, unit = step.strip(), unit.strip()
        if not sep or step not in STEPS or not unit:
            raise ValueError(f"step unit {entry!r} is not <step>=<unit> with a known step")
        units[step] = unit
    missing = [step for step in STEPS if step not in units]
    if missing:
        raise ValueError(f"no unit for the steps {', '.join(missing)}")
    return units


def check_step_may_complete(step: str, step_state: str, done: set[str], registration_state: str):
    """Refuses completing `step` of a registration whose other completed steps are `done`."""
    next_state(REGISTRATION_TRANSITIONS, registration_state, "complete")
    if step_state == STEP_DONE:
        raise DomainError("step_already_completed", status=409, params={"step": step})
    pending = [before for before in PREREQUISITES[step] if before not in done]
    if pending:
        raise DomainError(
            "step_prerequisites_pending", status=409, params={"steps": ", ".join(pending)}
        )


def ready_steps(done: set[str]) -> list[str]:
    """The steps that may be completed now."""
    return [
        step
        for step in STEPS
        if step not in done and all(before in done for before in PREREQUISITES[step])
    ]


def check_founder_shares(shares: Iterable[Decimal]) -> None:
    """Founders' shares of the registered capital add up to exactly 100 %."""
    if sum(shares, Decimal(0)) != Decimal(100):
        raise InvalidInput.for_field("founders", "founders_shares_total", MESSAGES)


ON_TRACK, AT_RISK, BREACHED, MET, MISSED, STOPPED = (
    "on_track",
    "at_risk",
    "breached",
    "met",
    "missed",
    "stopped",
)


def founders_without_names(founders: Iterable[dict], placeholder: str) -> list[dict]:
    """The founders of an erased person's registration: their shares stay (the company's
    structure), their names give way to `placeholder` (each founder is a natural person)."""
    return [{**founder, "name": placeholder} for founder in founders]


@dataclass(frozen=True)
class RegistrationSla:
    """The 2-hour promise (新开办企业时间压缩至2小时) in business time, and its 75 % warning."""

    target: timedelta
    warning_ratio: Decimal

    @property
    def warning(self) -> timedelta:
        microseconds = int(self.target / timedelta(microseconds=1))
        return timedelta(microseconds=int(Decimal(microseconds) * self.warning_ratio))

    def due_instants(self, calendar: WorkingCalendar, submitted_at: datetime):
        """When the warning and the breach fall due for an application submitted then."""
        return (
            calendar.add_business_time(submitted_at, self.warning),
            calendar.add_business_time(submitted_at, self.target),
        )

    def status(self, state: str, elapsed: timedelta, warned: bool) -> str:
        if state == COMPLETED:
            return MET if elapsed <= self.target else MISSED
        if state != IN_PROGRESS:
            return STOPPED
        if elapsed > self.target:
            return BREACHED
        return AT_RISK if warned or elapsed >= self.warning else ON_TRACK

    def view(self, state: str, elapsed: timedelta, warned: bool) -> dict:
        """The promise as an application shows it."""
        seconds = int(elapsed.total_seconds())
        target = int(self.target.total_seconds())
        return {
            "elapsed_seconds": seconds,
            "elapsed_minutes": (Decimal(seconds) / 60).quantize(Decimal("0.01"), ROUND_HALF_UP),
            "target_minutes": target // 60,
            "warning_minutes": int(self.warning.total_seconds()) // 60,
            "used_percent": (Decimal(seconds) * 100 / target).quantize(
                Decimal("0.1"), ROUND_HALF_UP
            ),
            "status": self.status(state, elapsed, warned),
        }


# -- who counts as a graduate --------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` later, on the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def is_recent_graduate(
    graduation_date: date | None,
    degree: str | None,
    on: date,
    within_years: int,
    degrees: Iterable[str],
) -> bool:
    """A higher-education graduate (高校毕业生) who left school no more than `within_years`
    before `on` (a future graduation date is a student, not yet a graduate)."""
    if graduation_date is None or degree not in tuple(degrees):
        return False
    return graduation_date <= on <= add_months(graduation_date, 12 * within_years)


# -- startup guaranteed loans (创业担保贷款) -------------------------------------------------------

INDIVIDUAL, SMALL_BUSINESS = "individual", "small_business"
BORROWER_KINDS = (INDIVIDUAL, SMALL_BUSINESS)

EQUAL_INSTALMENT, EQUAL_PRINCIPAL, INTEREST_MONTHLY = (
    "equal_instalment",  # 等额本息
    "equal_principal",  # 等额本金
    "interest_monthly",  # 按月付息、到期还本
)
REPAYMENT_METHODS = (EQUAL_INSTALMENT, EQUAL_PRINCIPAL, INTEREST_MONTHLY)

LOAN_APPLIED, BANK_APPROVED, BANK_DECLINED = "applied", "bank_approved", "bank_declined"
LOAN_APPROVED, LOAN_REJECTED, DISBURSED, LOAN_WITHDRAWN = (
    "approved",
    "rejected",
    "disbursed",
    "withdrawn",
)
LOAN_STATES = (
    LOAN_APPLIED,
    BANK_APPROVED,
    BANK_DECLINED,
    LOAN_APPROVED,
    LOAN_REJECTED,
    DISBURSED,
    LOAN_WITHDRAWN,
)
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
    amount: Decimal
    term_months: int
    method: str
    contract_rate: Decimal
    borrower_rate: Decimal
    subsidised_months: int
    instalments: tuple[Instalment, ...]

    def total(self, name: str) -> Decimal:
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
        level_payment = None
        if method == EQUAL_INSTALMENT:
            if monthly_rate == 0:
                level_payment = cents(amount / term_months)
            else:
                growth = (1 + monthly_rate) ** term_months
                level_payment = cents(amount * monthly_rate * growth / (growth - 1))
        even_principal = cents(amount / term_months)
        balance = amount
        instalments = []
        for number in range(1, term_months + 1):
            interest = cents(balance * monthly_rate)
            if number == term_months:
                principal = balance
            elif method == EQUAL_INSTALMENT:
                principal = min(balance, level_payment - interest)
            elif method == EQUAL_PRINCIPAL:
                principal = min(balance, even_principal)
            else:
                principal = Decimal("0.00")
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


# -- the one-off startup grant (一次性创业补贴) ---------------------------------------------

GRANT_APPLIED, GRANT_APPROVED, GRANT_REJECTED = "applied", "approved", "rejected"
GRANT_STATES = (GRANT_APPLIED, GRANT_APPROVED, GRANT_REJECTED)
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


# -- incubator spaces (双创智慧港) -----------------------------------------------------------------

DESK, OFFICE = "desk", "office"
SPACE_KINDS = (DESK, OFFICE)
SPACE_AVAILABLE, SPACE_OCCUPIED = "available", "occupied"
SPACE_STATES = (SPACE_AVAILABLE, SPACE_OCCUPIED)

INCUBATOR_APPLIED, ALLOCATED, TENANCY_ENDED, INCUBATOR_REJECTED, INCUBATOR_WITHDRAWN = (
    "applied",
    "allocated",
    "ended",
    "rejected",
    "withdrawn",
)
INCUBATOR_STATES = (
    INCUBATOR_APPLIED,
    ALLOCATED,
    TENANCY_ENDED,
    INCUBATOR_REJECTED,
    INCUBATOR_WITHDRAWN,
)
INCUBATOR_TRANSITIONS = {
    "allocate": ((INCUBATOR_APPLIED,), ALLOCATED),
    "reject": ((INCUBATOR_APPLIED,), INCUBATOR_REJECTED),
    "withdraw": ((INCUBATOR_APPLIED,), INCUBATOR_WITHDRAWN),
    "end": ((ALLOCATED,), TENANCY_ENDED),
}


def check_tenancy(
    space_kind: str, wanted_kind: str, starts_on: date, ends_on: date, max_months: int
) -> None:
    """A tenancy of the kind applied for, starting before it ends, no longer than the maximum."""
    if space_kind != wanted_kind:
        raise InvalidInput.for_field(
            "space_id", "space_kind_mismatch", MESSAGES, kind=space_kind, wanted=wanted_kind
        )
    if ends_on <= starts_on:
        raise InvalidInput.for_field("ends_on", "tenancy_dates_reversed", MESSAGES)
    if ends_on > add_months(starts_on, max_months):
        raise InvalidInput.for_field("ends_on", "tenancy_too_long", MESSAGES, months=max_months)


def occupied_on(starts_on: date, ends_on: date, ended_on: date | None, day: date) -> bool:
    """Whether a tenancy holds its space on `day` (its last day is the day before it ends)."""
    last = min(ends_on, ended_on) if ended_on else ends_on
    return starts_on <= day < last


# -- training (创业培训) ------------------------------------------------------------------------

ONLINE, ONSITE = "online", "onsite"
COURSE_MODES = (ONLINE, ONSITE)
ENROLLED, ENROLMENT_COMPLETED, ENROLMENT_CANCELLED = "enrolled", "completed", "cancelled"
ENROLMENT_STATES = (ENROLLED, ENROLMENT_COMPLETED, ENROLMENT_CANCELLED)
ENROLMENT_TRANSITIONS = {
    "complete": ((ENROLLED,), ENROLMENT_COMPLETED),
    "cancel": ((ENROLLED,), ENROLMENT_CANCELLED),
}


def check_place_left(capacity: int, enrolled: int) -> None:
    if enrolled >= capacity:
        raise DomainError("course_full", status=409, params={"capacity": capacity})


# -- indicators ----------------------------------------------------------------------------------


def percentile(values: list[Decimal], fraction: Decimal) -> Decimal | None:
    """The nearest-rank percentile (the smallest value with at least `fraction` of the values at
    or below it): a value that occurred, so "90 % finished within X" holds exactly."""
    if not values:
        return None
    ordered = sorted(values)
    rank = int((fraction * len(ordered)).to_integral_value(rounding=ROUND_CEILING))
    return ordered[max(rank, 1) - 1]


def median(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


# -- who sees what -------------------------------------------------------------------------------


def check_may_see(
    actor: Actor,
    person_id: str,
    officer_units: Iterable[str],
    not_found: DomainError,
    partner_id: str | None = None,
) -> None:
    """The person themselves, an officer of a unit that handles it, its lending bank and admins
    see a record; for anyone else it does not exist (404, not 403: its existence is private)."""
    if actor.is_admin:
        return
    if actor.role == YOUTH and actor.account_id == person_id:
        return
    if actor.role == OFFICER and actor.unit in set(officer_units):
        return
    if actor.role == PARTNER and partner_id is not None and actor.account_id == partner_id:
        return
    raise not_found


def check_is_owner(actor: Actor, person_id: str, not_found: DomainError) -> None:
    """Only the person acts on their own application (withdraw, cancel)."""
    if actor.account_id != person_id:
        raise not_found


# -- what the dashboard says -------------------------------------------------------------------

Bilingual = dict[str, str]


def bilingual(zh: str, en: str) -> Bilingual:
    return {"zh-CN": zh, "en": en}


def registration_next_step(state: str, done: set[str]) -> Bilingual | None:
    if state != IN_PROGRESS:
        return None
    steps = ready_steps(done)
    return bilingual(
        "等待办理:" + "、".join(STEP_TITLES[step][0] for step in steps),
        "Waiting for: " + ", ".join(STEP_TITLES[step][1] for step in steps),
    )


LOAN_NEXT_STEPS = {
    LOAN_APPLIED: bilingual("等待银行审核", "Waiting for the bank's review"),
    BANK_APPROVED: bilingual("等待人社部门审批", "Waiting for the officer's decision"),
    LOAN_APPROVED: bilingual("等待银行放款", "Waiting for the bank to pay out"),
}
GRANT_NEXT_STEPS = {GRANT_APPLIED: bilingual("等待审核", "Waiting for the officer's decision")}
INCUBATOR_NEXT_STEPS = {
    INCUBATOR_APPLIED: bilingual("等待分配空间", "Waiting for a space"),
    ALLOCATED: bilingual("按约定日期入驻", "Move in on the agreed date"),
}
ENROLMENT_NEXT_STEPS = {ENROLLED: bilingual("按时参加培训", "Attend the course")}
