"""District–university cooperation as anyone browses it: universities, cooperation projects with
their milestones and outcomes, roadshows at universities with the employers that joined, and a
practice unit's placements."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.actor import Actor
from services.common.pagination import ASC, DESC, Page, keyset_page

from .. import domain
from ..models import (
    CooperationProject,
    Employer,
    PracticePlacement,
    ProjectMilestone,
    ProjectOutcome,
    Roadshow,
    RoadshowEmployer,
    University,
)
from ..repository import JobsRepository
from ..vocabulary import ROADSHOW_OPEN


def universities(session: Session, query: dict) -> Page:
    """Registered universities by name."""
    return keyset_page(
        session,
        sa.select(University),
        [(University.name, ASC), (University.id, ASC)],
        query.get("after"),
        query["limit"],
    )


def projects(session: Session, filters: dict) -> Page:
    """Cooperation projects, the latest published first, by kind, state or university."""
    query = sa.select(CooperationProject)
    if filters.get("university_id"):
        query = query.where(CooperationProject.university_id == filters["university_id"])
    if filters.get("state"):
        query = query.where(CooperationProject.state == filters["state"])
    if filters.get("kind"):
        query = query.where(CooperationProject.kind == filters["kind"])
    return keyset_page(
        session,
        query,
        [(CooperationProject.published_at, DESC), (CooperationProject.id, DESC)],
        filters.get("after"),
        filters["limit"],
    )


def project(session: Session, project_id: str) -> tuple:
    """A project, its milestones by due date and its outcomes by date (three queries)."""
    row = JobsRepository(session).get(CooperationProject, project_id, domain.PROJECT_NOT_FOUND)
    milestones = session.execute(
        sa.select(ProjectMilestone)
        .where(ProjectMilestone.project_id == project_id)
        .order_by(ProjectMilestone.due_on, ProjectMilestone.id)
    ).scalars()
    outcomes = session.execute(
        sa.select(ProjectOutcome)
        .where(ProjectOutcome.project_id == project_id)
        .order_by(ProjectOutcome.achieved_on, ProjectOutcome.id)
    ).scalars()
    return row, list(milestones), list(outcomes)


def roadshows(session: Session, filters: dict) -> Page:
    """Open roadshows, the soonest first (at one university, starting from a time)."""
    query = sa.select(Roadshow).where(Roadshow.state == ROADSHOW_OPEN)
    if filters.get("university_id"):
        query = query.where(Roadshow.university_id == filters["university_id"])
    if filters.get("starts_from"):
        query = query.where(Roadshow.starts_at >= filters["starts_from"])
    return keyset_page(
        session,
        query,
        [(Roadshow.starts_at, ASC), (Roadshow.id, ASC)],
        filters.get("after"),
        filters["limit"],
    )


def roadshow(session: Session, roadshow_id: str) -> tuple:
    """A roadshow, the employers that joined in the order they did, and the posts they present
    by id (three queries)."""
    repo = JobsRepository(session)
    row = repo.get(Roadshow, roadshow_id, domain.ROADSHOW_NOT_FOUND)
    joined = list(
        session.execute(
            sa.select(RoadshowEmployer)
            .where(RoadshowEmployer.roadshow_id == roadshow_id)
            .order_by(RoadshowEmployer.joined_at, RoadshowEmployer.id)
        ).scalars()
    )
    posts = repo.posts_by_id({post_id for one in joined for post_id in one.post_ids})
    return row, joined, posts


def placements_of(session: Session, actor: Actor, query: dict) -> Page:
    """The calling practice unit's placements, the latest first."""
    employer = JobsRepository(session).get(Employer, actor.account_id, domain.EMPLOYER_NOT_FOUND)
    return keyset_page(
        session,
        sa.select(PracticePlacement).where(PracticePlacement.employer_id == employer.id),
        [(PracticePlacement.recorded_at, DESC), (PracticePlacement.id, DESC)],
        query.get("after"),
        query["limit"],
    )
