"""The 2-hour promise (新开办企业时间压缩至2小时, `RegistrationSla`), counted in business time.

At submission a registration gets the two instants its promise falls due: the warning (75 % of
the target used) and the breach. A sweep, every `SWEEP_SECONDS` and at once whenever a test
moves the clock (`travel_clock`), marks each registration still in progress whose instant has
passed and records `registration.sla_warned` / `registration.sla_breached`, each once. The
elapsed time shown and reported is business time from submission, fixed when the application
closes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from services.common.clock import clock, utcnow

from .domain import STEP_PENDING
from .models import BusinessRegistration
from .policy import StartupPolicy

log = logging.getLogger(__name__)

#: seconds between SLA sweeps: a warning or breach is published at most this late
SWEEP_SECONDS = 30
#: registrations marked per transaction by a sweep
SWEEP_BATCH = 200
#: the promise's marks, in the order a sweep records them: `registration.sla_<mark>`
MARKS = ("warned", "breached")
#: years this process has already said it has no holiday schedule for
_CALENDAR_WARNED: set[int] = set()


def elapsed(registration: BusinessRegistration, policy: StartupPolicy, now: datetime) -> timedelta:
    """Business time from submission until `now`, or until the application closed."""
    if registration.elapsed_business_seconds is not None:
        return timedelta(seconds=registration.elapsed_business_seconds)
    return policy.calendar.business_time(registration.submitted_at, now)


def promise_data(registration: BusinessRegistration, policy: StartupPolicy, now: datetime) -> dict:
    """The data of a warning or a breach: the time used against the target, and who is behind
    (the pending steps and their units)."""
    pending = [s for s in registration.steps if s.state == STEP_PENDING]
    return {
        "registration_id": registration.id,
        "person_id": registration.person_id,
        "elapsed_business_seconds": int(elapsed(registration, policy, now).total_seconds()),
        "target_business_seconds": int(policy.sla.target.total_seconds()),
        "pending_steps": [s.step for s in pending],
        "pending_units": sorted({s.unit for s in pending}),
    }


def sweep(units_of_work: Callable, policy: StartupPolicy) -> dict:
    """Mark the applications in progress whose warning or breach instant has passed, recording
    each event once: a row is marked in the transaction that records its event, batch by batch
    (`units_of_work()` opens each), and on PostgreSQL two sweepers skip each other's locked
    rows. Answers how many of each it marked."""
    now = utcnow()
    swept = dict.fromkeys(MARKS, 0)
    for mark in MARKS:
        while True:
            with units_of_work() as uow:
                marked = _mark_due(uow, mark, policy, now)
            swept[mark] += marked
            if marked < SWEEP_BATCH:
                break
    return swept


def _mark_due(uow, mark: str, policy: StartupPolicy, now: datetime) -> int:
    rows = uow.repo.sla_due(mark, now, SWEEP_BATCH)
    for registration in rows:
        setattr(registration, f"sla_{mark}_at", now)
        uow.record(
            f"registration.sla_{mark}",
            subject=registration.id,
            data=promise_data(registration, policy, now),
        )
    uow.commit()
    return len(rows)


def scheduled_sweep(units_of_work: Callable, policy: StartupPolicy) -> None:
    """What the timer does: say when the calendar lacks a year's holidays, then sweep, and log
    what the sweep published."""
    warn_if_calendar_unknown(policy)
    swept = sweep(units_of_work, policy)
    if any(swept.values()):
        log.info("registration SLA sweep", extra=swept)


def warn_if_calendar_unknown(policy: StartupPolicy) -> None:
    """Say, once a year and process, when the working calendar lacks this year's holidays (or,
    in December, next year's): business time then counts Monday to Friday only."""
    today = clock.today()
    years = [today.year] + ([today.year + 1] if today.month == 12 else [])
    for year in years:
        if not policy.calendar.knows_year(year) and year not in _CALENDAR_WARNED:
            _CALENDAR_WARNED.add(year)
            log.warning(
                "no holiday schedule for %s: configure extra_holidays and extra_workdays",
                year,
                extra={"year": year},
            )
