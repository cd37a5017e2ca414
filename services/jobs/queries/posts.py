"""Posts as their readers see them: one post, its history, the public search, an employer's own
posts and the officers' review queue.

The search's indexes and plans are explained in the README ("Search"); the terms a keyword is
looked up by come from `search.py`.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.actor import Actor
from services.common.pagination import ASC, DESC, Page, keyset_page

from .. import domain
from ..models import Post, PostTerm, PostTransition
from ..policy import JobsPolicy
from ..repository import JobsRepository
from ..search import keywords, lookup_term, needs_containment_check
from ..vocabulary import PENDING_REVIEW, PUBLISHED


def visible(session: Session, actor: Actor, post_id: str, policy: JobsPolicy) -> Post:
    """A post that was ever published stays public (applicants look back at it); a draft or
    a post under review exists only for its employer and deciding officers."""
    row = JobsRepository(session).get(Post, post_id, domain.POST_NOT_FOUND)
    if (
        row.published_at is not None
        or domain.is_deciding_officer(actor, policy)
        or domain.is_employer(actor, row.employer_id)
    ):
        return row
    raise domain.POST_NOT_FOUND


def history(
    session: Session, actor: Actor, post_id: str, policy: JobsPolicy
) -> list[PostTransition]:
    """Every step of a post, in order, for its employer and deciding officers."""
    post = JobsRepository(session).get(Post, post_id, domain.POST_NOT_FOUND)
    domain.check_owner_or_officer(actor, post.employer_id, policy, domain.POST_NOT_FOUND)
    return list(
        session.execute(
            sa.select(PostTransition)
            .where(PostTransition.post_id == post_id)
            .order_by(PostTransition.at, PostTransition.id)
        ).scalars()
    )


def search(session: Session, filters: dict) -> Page:
    """Published posts by keyword, kind, area, industry, education and salary; newest or best
    paid first; keyset-paginated, so a page stays put while new posts arrive."""
    query, order = search_statement(filters, session.get_bind().dialect.name)
    return keyset_page(session, query, order, filters.get("after"), filters.get("limit"))


def search_statement(filters: dict, dialect: str):
    """Published posts matching `filters` (a loaded `PostSearch`), and their sort order."""
    query = sa.select(Post).where(
        Post.state == PUBLISHED, *_keyword_clauses(filters.get("keyword"), dialect)
    )
    for name in ("kind", "area", "industry", "employer_id"):
        if filters.get(name):
            query = query.where(getattr(Post, name) == filters[name])
    if filters.get("education"):
        query = query.where(Post.education_rank <= domain.education_rank(filters["education"]))
    if filters.get("salary_min") is not None:
        query = query.where(Post.salary_max >= filters["salary_min"])
    if filters.get("salary_max") is not None:
        query = query.where(Post.salary_min <= filters["salary_max"])
    if filters.get("sort") == "salary":
        # posts that state no salary have no place in a "best paid first" list
        query = query.where(Post.salary_max.is_not(None))
        order = [(Post.salary_max, DESC), (Post.id, DESC)]
    else:
        order = [(Post.published_at, DESC), (Post.id, DESC)]
    return query, order


def _keyword_clauses(query_text: str | None, dialect: str) -> list:
    """Each keyword: the post has its index term (EXISTS on the term key), and, unless that one
    term proves it, the post's search text contains the keyword. The containment is `strpos`
    (`instr` on SQLite) rather than LIKE: exact, with no wildcards to escape, and not given a
    LIKE pattern's selectivity, which, multiplied by the term's, would hide how many posts
    match from the planner."""
    position = sa.func.instr if dialect == "sqlite" else sa.func.strpos
    clauses = []
    for keyword in keywords(query_text):
        term = lookup_term(keyword)
        if term is not None:
            clauses.append(sa.exists().where(PostTerm.term == term, PostTerm.post_id == Post.id))
        if needs_containment_check(keyword):
            clauses.append(position(Post.search_text, keyword) > 0)
    return clauses


def of_employer(session: Session, actor: Actor, filters: dict) -> Page:
    """The calling employer's posts in any state (or one), newest first."""
    query = sa.select(Post).where(Post.employer_id == actor.account_id)
    if filters.get("state"):
        query = query.where(Post.state == filters["state"])
    return keyset_page(
        session,
        query,
        [(Post.created_at, DESC), (Post.id, DESC)],
        filters.get("after"),
        filters["limit"],
    )


def review_queue(session: Session, actor: Actor, query: dict, policy: JobsPolicy) -> Page:
    """Posts waiting for review, the longest waiting first, for deciding officers."""
    domain.check_decides(actor, policy)
    return keyset_page(
        session,
        sa.select(Post).where(Post.state == PENDING_REVIEW),
        [(Post.submitted_at, ASC), (Post.id, ASC)],
        query.get("after"),
        query["limit"],
    )
