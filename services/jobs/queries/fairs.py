"""Job fairs (春风行动) as anyone browses them, and a young person's registrations."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.pagination import ASC, DESC, Page, keyset_page

from .. import domain
from ..models import Fair, FairBooth, FairRegistration, Post
from ..repository import JobsRepository
from ..vocabulary import FAIR_OPEN


def open_fairs(session: Session, filters: dict) -> Page:
    """Open fairs (online or on site, starting from a time), the soonest first."""
    query = sa.select(Fair).where(Fair.state == FAIR_OPEN)
    if filters.get("mode"):
        query = query.where(Fair.mode == filters["mode"])
    if filters.get("level"):
        query = query.where(Fair.level == filters["level"])
    if filters.get("starts_from"):
        query = query.where(Fair.starts_at >= filters["starts_from"])
    return keyset_page(
        session,
        query,
        [(Fair.starts_at, ASC), (Fair.id, ASC)],
        filters.get("after"),
        filters["limit"],
    )


def detail(session: Session, fair_id: str) -> tuple[Fair, list[FairBooth], dict[str, Post]]:
    """A fair, its booths in the order they were booked, and the posts they show by id (three
    queries)."""
    repo = JobsRepository(session)
    fair = repo.get(Fair, fair_id, domain.FAIR_NOT_FOUND)
    booths = list(
        session.execute(
            sa.select(FairBooth)
            .where(FairBooth.fair_id == fair_id)
            .order_by(FairBooth.booked_at, FairBooth.id)
        ).scalars()
    )
    posts = repo.posts_by_id({post_id for booth in booths for post_id in booth.post_ids})
    return fair, booths, posts


def registrations_of(session: Session, person_id: str, query: dict) -> Page:
    """A young person's fair registrations, each as (registration, fair), the latest first."""
    return keyset_page(
        session,
        sa.select(FairRegistration, Fair)
        .join(Fair, Fair.id == FairRegistration.fair_id)
        .where(FairRegistration.person_id == person_id),
        [(FairRegistration.registered_at, DESC), (FairRegistration.id, DESC)],
        query.get("after"),
        query["limit"],
        key=lambda row: (row[0].registered_at, row[0].id),
        rows=True,
    )
