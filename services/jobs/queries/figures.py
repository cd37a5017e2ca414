"""What the gateway aggregates: a young person's dashboard items, the plan's indicators and the
recent graduates hired in the district (README "Indicators").

Periods are [since, until) in district dates; each figure is counted over an indexed column.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.clock import clock

from ..models import (
    Application,
    CooperationProject,
    Employer,
    Fair,
    FairRegistration,
    Post,
    PracticePlacement,
    ProjectMilestone,
    ProjectOutcome,
    Roadshow,
    RoadshowEmployer,
    SubsidyClaim,
    Traineeship,
)
from ..vocabulary import CITY_FAIR, COOPERATION_KINDS, DISTRICT_FAIR, GRANTED, POST_KINDS

#: how many of each kind of item the dashboard shows
DASHBOARD_ITEMS = 50


def person_items(session: Session, person_id: str, limit: int = DASHBOARD_ITEMS) -> tuple:
    """A person's most recent applications, traineeships and fair registrations (each
    registration with its fair)."""
    applications = (
        session.execute(
            sa.select(Application)
            .where(Application.person_id == person_id)
            .order_by(Application.submitted_at.desc(), Application.id.desc())
            .limit(limit)
        )
        .scalars()
        .all()
    )
    traineeships = (
        session.execute(
            sa.select(Traineeship)
            .where(Traineeship.person_id == person_id)
            .order_by(Traineeship.started_at.desc(), Traineeship.id.desc())
            .limit(limit)
        )
        .scalars()
        .all()
    )
    registrations = session.execute(
        sa.select(FairRegistration, Fair)
        .join(Fair, Fair.id == FairRegistration.fair_id)
        .where(FairRegistration.person_id == person_id)
        .order_by(FairRegistration.registered_at.desc(), FairRegistration.id.desc())
        .limit(limit)
    ).all()
    return applications, traineeships, registrations


def period(since: str, until: str) -> tuple[datetime, datetime]:
    """[since, until) given as district dates, as instants."""
    return clock.start_of(date.fromisoformat(since)), clock.start_of(date.fromisoformat(until))


def indicators(session: Session, start: datetime, end: datetime) -> dict:
    """The service's figures for [start, end)."""

    def within(column) -> tuple:
        return column >= start, column < end

    published = dict(
        session.execute(
            sa.select(Post.kind, sa.func.count())
            .where(*within(Post.published_at))
            .group_by(Post.kind)
        ).all()
    )
    figures: dict = {f"jobs.posts_published.{kind}": published.get(kind, 0) for kind in POST_KINDS}
    figures["jobs.applications"] = _count(session, *within(Application.submitted_at))
    figures["jobs.hires"] = _count(session, *within(Application.hired_at))
    figures["jobs.graduates_hired_in_district"] = len(graduates_hired(session, start, end))
    figures["jobs.traineeships_started"], figures["jobs.traineeship_subsidy_cny"] = _count_and_sum(
        session, Traineeship.subsidy_total_cny, *within(Traineeship.started_at)
    )
    figures["jobs.subsidies_claimed"], figures["jobs.subsidies_claimed_cny"] = _count_and_sum(
        session, SubsidyClaim.amount_cny, *within(SubsidyClaim.claimed_at)
    )
    figures["jobs.subsidies_granted"], figures["jobs.subsidies_granted_cny"] = _count_and_sum(
        session,
        SubsidyClaim.amount_cny,
        *within(SubsidyClaim.decided_at),
        SubsidyClaim.state == GRANTED,
    )
    figures.update(_fair_registrations(session, within(FairRegistration.registered_at)))
    figures.update(_cooperation(session, within))
    return figures


def _fair_registrations(session: Session, within: tuple) -> dict:
    """Registrations to the district's own fairs (春风行动) and to the city-level fairs it
    lists (市级招聘活动), apart."""
    levels = dict(
        session.execute(
            sa.select(Fair.level, sa.func.count())
            .select_from(FairRegistration)
            .join(Fair, Fair.id == FairRegistration.fair_id)
            .where(*within)
            .group_by(Fair.level)
        ).all()
    )
    return {
        "jobs.fair_registrations": levels.get(DISTRICT_FAIR, 0),
        "jobs.city_fair_registrations": levels.get(CITY_FAIR, 0),
    }


def _cooperation(session: Session, within) -> dict:
    """District–university cooperation (一.3) and roadshows at universities (一.5)."""
    kinds = dict(
        session.execute(
            sa.select(CooperationProject.kind, sa.func.count())
            .where(*within(CooperationProject.published_at))
            .group_by(CooperationProject.kind)
        ).all()
    )
    figures: dict = {
        f"jobs.cooperation_projects.{kind}": kinds.get(kind, 0) for kind in COOPERATION_KINDS
    }
    figures["jobs.cooperation_projects"] = sum(kinds.values())
    figures["jobs.cooperation_milestones_done"] = _count(session, *within(ProjectMilestone.done_at))
    figures["jobs.cooperation_outcomes"] = _count(session, *within(ProjectOutcome.recorded_at))
    figures["jobs.practice_units_verified"] = _count(
        session, *within(Employer.practice_verified_at)
    )
    figures["jobs.practice_students_placed"] = int(
        session.execute(
            sa.select(sa.func.coalesce(sa.func.sum(PracticePlacement.students), 0)).where(
                *within(PracticePlacement.recorded_at)
            )
        ).scalar()
        or 0
    )
    figures["jobs.roadshows"] = _count(session, *within(Roadshow.starts_at))
    figures["jobs.roadshow_employers"] = _count(session, *within(RoadshowEmployer.joined_at))
    return figures


def graduates_hired(session: Session, start: datetime, end: datetime) -> list[str]:
    """Each person once: recent graduates hired in [start, end) to a workplace in the district
    (the gateway adds graduates who registered a business)."""
    rows = session.execute(
        sa.select(Application.person_id)
        .where(
            Application.hired_at >= start,
            Application.hired_at < end,
            Application.graduate.is_(True),
            Application.in_district.is_(True),
        )
        .distinct()
        .order_by(Application.person_id)
    )
    return list(rows.scalars())


def _count(session: Session, *where) -> int:
    return session.execute(sa.select(sa.func.count()).where(*where)).scalar() or 0


def _count_and_sum(session: Session, amount, *where) -> tuple[int, float]:
    """How many rows `where` selects, and the sum of their `amount` (0 for none)."""
    count, total = session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(amount), 0)).where(*where)
    ).one()
    return count, float(total)
