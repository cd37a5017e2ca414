"""The startup service's indicators for a period, and the graduates it adds to the plan's goal.

`for_period` answers each `startup.<code>` of services/startup/README.md ("Indicators") for
`[since, until)`, district dates: counts as integers, amounts, minutes and percents as numbers,
a figure with no data as null. Every query has an index on the column it filters on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.clock import clock

from .. import domain
from ..models import (
    BusinessRegistration,
    Enrolment,
    GrantApplication,
    IncubatorApplication,
    IncubatorSpace,
    Loan,
)
from ..policy import StartupPolicy
from . import rural

R, L, G = BusinessRegistration, Loan, GrantApplication
count = sa.func.count


@dataclass(frozen=True)
class Period:
    """`[since, until)` in district dates, and the instants that bound it."""

    since: date
    until: date

    @property
    def start(self) -> datetime:
        return clock.start_of(self.since)

    @property
    def end(self) -> datetime:
        return clock.start_of(self.until)

    @property
    def last_day(self) -> date:
        return self.until - timedelta(days=1)

    def holds(self, column):
        """The condition that `column` (an instant) falls in the period."""
        return sa.and_(column >= self.start, column < self.end)


def for_period(session: Session, dates: dict, policy: StartupPolicy) -> dict:
    """Every indicator for the period `dates` (`since`, `until`), as `startup.<code>`."""
    period = Period(dates["since"], dates["until"])
    values = {
        **_registrations(session, period, policy),
        **_loans(session, period),
        **_grants(session, period),
        **_incubator(session, period),
        **_training(session, period),
        **rural.indicators(session, period),
    }
    return {f"startup.{code}": _number(value) for code, value in values.items()}


def graduates_registered(session: Session, dates: dict) -> list[str]:
    """Person ids of recent graduates whose business registration completed in the period,
    each once (the plan's headline goal counts people, not businesses)."""
    period = Period(dates["since"], dates["until"])
    rows = session.execute(
        sa.select(R.person_id)
        .where(period.holds(R.completed_at), R.graduate.is_(True))
        .distinct()
        .order_by(R.person_id)
    )
    return [person_id for (person_id,) in rows]


def _number(value):
    """Indicator values as JSON numbers: counts stay integers, decimals become floats."""
    if value is None or isinstance(value, int):
        return value
    return float(value)


def _count(session: Session, model, *conditions) -> int:
    return session.execute(sa.select(count()).select_from(model).where(*conditions)).scalar()


def _sum(session: Session, column, *conditions):
    return session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(column), 0)).where(*conditions)
    ).scalar()


def _by_state(session: Session, model, *conditions) -> dict[str, int]:
    query = sa.select(model.state, count()).where(*conditions).group_by(model.state)
    return dict(session.execute(query).all())


def _registrations(session: Session, period: Period, policy: StartupPolicy) -> dict:
    """Submissions and completions, business minutes against the promise, warnings and
    breaches, and the graduates whose business opened."""
    target = policy.sla.target
    seconds = (
        session.execute(
            sa.select(R.elapsed_business_seconds).where(
                R.state == domain.COMPLETED, period.holds(R.completed_at)
            )
        )
        .scalars()
        .all()
    )
    minutes = [Decimal(s) / 60 for s in seconds]
    completed = len(seconds)
    on_time = sum(1 for s in seconds if s <= target.total_seconds())
    return {
        "registrations_submitted": _count(session, R, period.holds(R.submitted_at)),
        "registrations_completed": completed,
        "registration_target_minutes": int(target.total_seconds()) // 60,
        "registration_business_minutes_median": domain.median(minutes),
        "registration_business_minutes_p90": domain.percentile(minutes, Decimal("0.9")),
        "registrations_within_target": on_time,
        "registrations_within_target_percent": (
            Decimal(on_time * 100) / completed if completed else None
        ),
        "registrations_sla_warned": _count(session, R, period.holds(R.sla_warned_at)),
        "registrations_sla_breached": _count(session, R, period.holds(R.sla_breached_at)),
        "graduate_businesses": session.execute(
            sa.select(count(sa.distinct(R.person_id))).where(
                R.graduate.is_(True), period.holds(R.completed_at)
            )
        ).scalar(),
    }


def _loans(session: Session, period: Period) -> dict:
    """Applications, the banks' declines, the officers' decisions and the payouts."""
    approved_states = (domain.LOAN_APPROVED, domain.DISBURSED)
    decided = _by_state(session, L, period.holds(L.decided_at))
    disbursed, amount_disbursed = session.execute(
        sa.select(count(), sa.func.coalesce(sa.func.sum(L.amount_cny), 0)).where(
            period.holds(L.disbursed_at)
        )
    ).one()
    return {
        "loans_applied": _count(session, L, period.holds(L.applied_at)),
        "loans_declined_by_bank": _count(
            session, L, period.holds(L.reviewed_at), L.state == domain.BANK_DECLINED
        ),
        "loans_approved": sum(decided.get(s, 0) for s in approved_states),
        "loans_rejected": decided.get(domain.LOAN_REJECTED, 0),
        "loan_amount_approved_cny": _sum(
            session, L.amount_cny, period.holds(L.decided_at), L.state.in_(approved_states)
        ),
        "loans_disbursed": disbursed,
        "loan_amount_disbursed_cny": amount_disbursed,
    }


def _grants(session: Session, period: Period) -> dict:
    """Claims, decisions, and the amount granted."""
    decided = _by_state(session, G, period.holds(G.decided_at))
    return {
        "grants_applied": _count(session, G, period.holds(G.applied_at)),
        "grants_approved": decided.get(domain.GRANT_APPROVED, 0),
        "grants_rejected": decided.get(domain.GRANT_REJECTED, 0),
        "grant_amount_cny": _sum(
            session, G.amount_cny, period.holds(G.decided_at), G.state == domain.GRANT_APPROVED
        ),
    }


def _incubator(session: Session, period: Period) -> dict:
    """Allocations in the period, and the spaces existing and held on its last day."""
    A, last_day = IncubatorApplication, period.last_day
    spaces = _count(session, IncubatorSpace, IncubatorSpace.created_at < period.end)
    occupied = session.execute(
        sa.select(count(sa.distinct(A.space_id))).where(
            A.starts_on <= last_day,
            A.ends_on > last_day,
            sa.or_(A.ended_on.is_(None), A.ended_on > last_day),
        )
    ).scalar()
    return {
        "incubator_allocations": _count(session, A, period.holds(A.allocated_at)),
        "incubator_spaces": spaces,
        "incubator_spaces_occupied": occupied,
        "incubator_occupancy_percent": Decimal(occupied * 100) / spaces if spaces else None,
    }


def _training(session: Session, period: Period) -> dict:
    """Enrolments (not cancelled) and completions."""
    return {
        "trainees_enrolled": _count(
            session,
            Enrolment,
            period.holds(Enrolment.enrolled_at),
            Enrolment.state != domain.ENROLMENT_CANCELLED,
        ),
        "trainees_completed": _count(session, Enrolment, period.holds(Enrolment.completed_at)),
    }
