"""The jobs service's data access: small named queries over its own tables.

Rows a decision depends on are read `with_for_update()`: on PostgreSQL the row is locked until
the transaction ends, so two workers cannot both pass a check ("one application per person",
"booths left") before either writes; on SQLite writers are serialised already. Unique
constraints stay as the last guard.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.errors import NotFound
from services.common.pagination import DESC, keyset_page

from . import domain
from .models import (
    Application,
    ApplicationTransition,
    Employer,
    Fair,
    FairRegistration,
    Post,
    PostTerm,
    SubsidyClaim,
    Traineeship,
)
from .search import keywords, lookup_term, needs_containment_check, terms_of


def locked(session: Session, model, row_id: str, resource: str):
    """The row, locked until commit; NotFound(resource) when there is none."""
    row = session.execute(
        sa.select(model).where(model.id == row_id).with_for_update()
    ).scalar_one_or_none()
    if row is None:
        raise NotFound(resource)
    return row


def shared(session: Session, model, row_id: str, resource: str):
    """The row, kept from changing until commit while others may hold it the same way (many
    applicants at once to one post; its closing waits for them)."""
    row = session.execute(
        sa.select(model).where(model.id == row_id).with_for_update(read=True)
    ).scalar_one_or_none()
    if row is None:
        raise NotFound(resource)
    return row


def found(session: Session, model, row_id: str, resource: str):
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(resource)
    return row


# -- posts and search -------------------------------------------------------------------------


def replace_terms(session: Session, post: Post) -> None:
    """Rewrite a post's keyword index from its search text."""
    session.execute(sa.delete(PostTerm).where(PostTerm.post_id == post.id))
    terms = terms_of(post.search_text)
    if terms:
        session.execute(
            sa.insert(PostTerm), [{"term": term, "post_id": post.id} for term in sorted(terms)]
        )


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


def search_statement(filters: dict, dialect: str):
    """Published posts matching `filters` (a loaded `PostSearch`), and their sort order."""
    query = sa.select(Post).where(
        Post.state == domain.PUBLISHED, *_keyword_clauses(filters.get("keyword"), dialect)
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


def search_page(session: Session, filters: dict):
    query, order = search_statement(filters, session.get_bind().dialect.name)
    return keyset_page(session, query, order, filters.get("after"), filters.get("limit"))


def published_posts_of(session: Session, employer_ids: list[str]) -> dict[str, list[Post]]:
    """Each employer's published posts, newest first, in one query."""
    if not employer_ids:
        return {}
    rows = session.execute(
        sa.select(Post)
        .where(Post.employer_id.in_(employer_ids), Post.state == domain.PUBLISHED)
        .order_by(Post.published_at.desc(), Post.id.desc())
    ).scalars()
    posts: dict[str, list[Post]] = defaultdict(list)
    for post in rows:
        posts[post.employer_id].append(post)
    return posts


def posts_by_id(session: Session, post_ids: set[str]) -> dict[str, Post]:
    if not post_ids:
        return {}
    rows = session.execute(sa.select(Post).where(Post.id.in_(post_ids))).scalars()
    return {post.id: post for post in rows}


# -- applications -----------------------------------------------------------------------------


def application_of(session: Session, post_id: str, person_id: str) -> Application | None:
    return session.execute(
        sa.select(Application).where(
            Application.post_id == post_id, Application.person_id == person_id
        )
    ).scalar_one_or_none()


def histories(session: Session, application_ids: list[str]) -> dict[str, list]:
    """The transitions of several applications, in order, in one query."""
    if not application_ids:
        return {}
    rows = session.execute(
        sa.select(ApplicationTransition)
        .where(ApplicationTransition.application_id.in_(application_ids))
        .order_by(ApplicationTransition.at, ApplicationTransition.id)
    ).scalars()
    found_rows: dict[str, list] = defaultdict(list)
    for row in rows:
        found_rows[row.application_id].append(row)
    return found_rows


def traineeship_ids(session: Session, application_ids: list[str]) -> dict[str, str]:
    if not application_ids:
        return {}
    rows = session.execute(
        sa.select(Traineeship.application_id, Traineeship.id).where(
            Traineeship.application_id.in_(application_ids)
        )
    )
    return dict(rows.all())


# -- traineeships and subsidies ---------------------------------------------------------------


def host_record(session: Session, employer_id: str) -> tuple[int, int]:
    """(trainees the host kept, traineeships of the host that ended)."""
    counts = dict(
        session.execute(
            sa.select(Traineeship.state, sa.func.count())
            .where(
                Traineeship.employer_id == employer_id,
                Traineeship.state.in_(domain.TRAINEESHIP_OUTCOMES),
            )
            .group_by(Traineeship.state)
        ).all()
    )
    return counts.get(domain.RETAINED, 0), sum(counts.values())


def employer_with_code(session: Session, credit_code: str) -> Employer | None:
    return session.execute(
        sa.select(Employer).where(Employer.credit_code == credit_code)
    ).scalar_one_or_none()


def standing_claim(session: Session, column, key: str) -> SubsidyClaim | None:
    return session.execute(sa.select(SubsidyClaim).where(column == key)).scalar_one_or_none()


# -- cross-cutting views ----------------------------------------------------------------------


def person_items(session: Session, person_id: str, limit: int):
    """A person's most recent applications, traineeships and fair registrations."""
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


def _count(session: Session, *where) -> int:
    return session.execute(sa.select(sa.func.count()).where(*where)).scalar() or 0


def indicators(session: Session, start: datetime, end: datetime) -> dict:
    """The service's figures for [start, end), each over an indexed column."""
    figures: dict = {}
    published = dict(
        session.execute(
            sa.select(Post.kind, sa.func.count())
            .where(Post.published_at >= start, Post.published_at < end)
            .group_by(Post.kind)
        ).all()
    )
    for kind in domain.POST_KINDS:
        figures[f"jobs.posts_published.{kind}"] = published.get(kind, 0)
    figures["jobs.applications"] = _count(
        session, Application.submitted_at >= start, Application.submitted_at < end
    )
    hired = (Application.hired_at >= start, Application.hired_at < end)
    figures["jobs.hires"] = _count(session, *hired)
    figures["jobs.graduates_hired_in_district"] = len(graduates_hired(session, start, end))
    started = session.execute(
        sa.select(
            sa.func.count(), sa.func.coalesce(sa.func.sum(Traineeship.subsidy_total_cny), 0)
        ).where(Traineeship.started_at >= start, Traineeship.started_at < end)
    ).one()
    figures["jobs.traineeships_started"] = started[0]
    figures["jobs.traineeship_subsidy_cny"] = float(started[1])
    claimed = session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(SubsidyClaim.amount_cny), 0)).where(
            SubsidyClaim.claimed_at >= start, SubsidyClaim.claimed_at < end
        )
    ).one()
    figures["jobs.subsidies_claimed"] = claimed[0]
    figures["jobs.subsidies_claimed_cny"] = float(claimed[1])
    granted = session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(SubsidyClaim.amount_cny), 0)).where(
            SubsidyClaim.decided_at >= start,
            SubsidyClaim.decided_at < end,
            SubsidyClaim.state == domain.GRANTED,
        )
    ).one()
    figures["jobs.subsidies_granted"] = granted[0]
    figures["jobs.subsidies_granted_cny"] = float(granted[1])
    figures["jobs.fair_registrations"] = _count(
        session, FairRegistration.registered_at >= start, FairRegistration.registered_at < end
    )
    return figures


def graduates_hired(session: Session, start: datetime, end: datetime) -> list[str]:
    """Each person once: recent graduates hired in [start, end) to a workplace in the district."""
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


def employer_row(session: Session, employer_id: str | None) -> Employer | None:
    return session.get(Employer, employer_id) if employer_id else None
