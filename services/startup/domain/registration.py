"""One-stop business registration (企业开办): its steps, the unit that completes each, the order
they may be completed in, the 2-hour promise (`RegistrationSla`), and who counts as a recent
graduate for the plan's headline goal. No I/O: callers pass the instants and dates."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from services.common.errors import DomainError
from services.common.i18n import bilingual

from ..vocabulary import (
    BANK_ACCOUNT,
    COMPLETED,
    IN_PROGRESS,
    LICENCE,
    NAME_CHECK,
    REJECTED,
    SEAL,
    SOCIAL_INSURANCE,
    STEP_DONE,
    STEPS,
    TAX,
    WITHDRAWN,
)
from .workflow import Bilingual, next_state
from .working_time import WorkingCalendar, add_months

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

REGISTRATION_TRANSITIONS = {
    "complete": ((IN_PROGRESS,), COMPLETED),
    "reject": ((IN_PROGRESS,), REJECTED),
    "withdraw": ((IN_PROGRESS,), WITHDRAWN),
}


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
        """Where an application stands against the promise (`on_track` … `stopped`)."""
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


def registration_next_step(state: str, done: set[str]) -> Bilingual | None:
    """What an application in progress waits for: the steps that may be completed now."""
    if state != IN_PROGRESS:
        return None
    steps = ready_steps(done)
    return bilingual(
        "等待办理:" + "、".join(STEP_TITLES[step][0] for step in steps),
        "Waiting for: " + ", ".join(STEP_TITLES[step][1] for step in steps),
    )
