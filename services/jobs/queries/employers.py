"""Employers as officers and the employers themselves read them, and the practice units
(产教融合实践单位) anyone may browse."""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.actor import Actor
from services.common.clock import clock
from services.common.pagination import ASC, Page, keyset_page

from .. import domain
from ..models import Employer, Post
from ..policy import JobsPolicy
from ..repository import JobsRepository
from ..vocabulary import PUBLISHED


def mine(session: Session, actor: Actor) -> Employer:
    """The calling employer account's own organisation."""
    return JobsRepository(session).get(Employer, actor.account_id, domain.EMPLOYER_NOT_FOUND)


def get(session: Session, actor: Actor, employer_id: str, policy: JobsPolicy) -> Employer:
    """An employer's record, for the employer itself and for deciding officers."""
    if not actor.is_self(employer_id):
        domain.check_decides(actor, policy)
    return JobsRepository(session).get(Employer, employer_id, domain.EMPLOYER_NOT_FOUND)


def queue(session: Session, actor: Actor, filters: dict, policy: JobsPolicy) -> Page:
    """Officers' queue: employers in one state, oldest registration first."""
    domain.check_decides(actor, policy)
    return keyset_page(
        session,
        sa.select(Employer).where(Employer.state == filters["state"]),
        [(Employer.registered_at, ASC), (Employer.id, ASC)],
        filters.get("after"),
        filters["limit"],
    )


def practice_units(session: Session, query: dict) -> Page:
    """Practice units within their term, by name, each as (employer, its published posts): two
    queries a page."""
    current = sa.or_(Employer.practice_until.is_(None), Employer.practice_until >= clock.today())
    page = keyset_page(
        session,
        sa.select(Employer).where(Employer.practice_unit.is_(True), current),
        [(Employer.name, ASC), (Employer.id, ASC)],
        query.get("after"),
        query["limit"],
    )
    posts = _published_posts_of(session, [employer.id for employer in page.items])
    return Page(
        [(employer, posts.get(employer.id, [])) for employer in page.items], page.next_cursor
    )


def _published_posts_of(session: Session, employer_ids: list[str]) -> dict[str, list[Post]]:
    """Each employer's published posts, newest first, in one query."""
    if not employer_ids:
        return {}
    rows = session.execute(
        sa.select(Post)
        .where(Post.employer_id.in_(employer_ids), Post.state == PUBLISHED)
        .order_by(Post.published_at.desc(), Post.id.desc())
    ).scalars()
    posts: dict[str, list[Post]] = defaultdict(list)
    for post in rows:
        posts[post.employer_id].append(post)
    return posts
