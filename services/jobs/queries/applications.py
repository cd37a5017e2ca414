"""Applications as the applicant, the employer and deciding officers read them, each with its
history and, after a hire on a traineeship post, its traineeship.

An application is answered as a record `(row, steps, traineeship_id)` (`views.application`);
the records of a page are read in three queries, not three per application.
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.actor import Actor
from services.common.pagination import DESC, Page, keyset_page

from .. import domain
from ..models import Application, ApplicationTransition, Post, Traineeship
from ..policy import JobsPolicy
from ..repository import JobsRepository


def get(session: Session, actor: Actor, application_id: str, policy: JobsPolicy) -> tuple:
    """One application, for its applicant, the employer it was sent to and deciding officers."""
    row = JobsRepository(session).get(Application, application_id, domain.APPLICATION_NOT_FOUND)
    domain.check_may_see_application(actor, row.person_id, row.employer_id, policy)
    return _records(session, [row])[0]


def of_person(session: Session, person_id: str, filters: dict) -> Page:
    """A young person's applications, newest first."""
    return _page(session, sa.select(Application).where(Application.person_id == person_id), filters)


def of_post(
    session: Session, actor: Actor, post_id: str, filters: dict, policy: JobsPolicy
) -> Page:
    """Applications to one post, for its employer and deciding officers."""
    post = JobsRepository(session).get(Post, post_id, domain.POST_NOT_FOUND)
    domain.check_owner_or_officer(actor, post.employer_id, policy, domain.POST_NOT_FOUND)
    return _page(session, sa.select(Application).where(Application.post_id == post_id), filters)


def _records(session: Session, rows: list[Application]) -> list[tuple]:
    """Each application as (row, its steps in order, its traineeship's id or None)."""
    ids = [row.id for row in rows]
    steps = _histories(session, ids)
    trainees = _traineeship_ids(session, ids)
    return [(row, steps.get(row.id, []), trainees.get(row.id)) for row in rows]


def _page(session: Session, query, filters: dict) -> Page:
    if filters.get("state"):
        query = query.where(Application.state == filters["state"])
    page = keyset_page(
        session,
        query,
        [(Application.submitted_at, DESC), (Application.id, DESC)],
        filters.get("after"),
        filters["limit"],
    )
    return Page(_records(session, page.items), page.next_cursor)


def _histories(session: Session, application_ids: list[str]) -> dict[str, list]:
    """The steps of several applications, in order, in one query."""
    if not application_ids:
        return {}
    rows = session.execute(
        sa.select(ApplicationTransition)
        .where(ApplicationTransition.application_id.in_(application_ids))
        .order_by(ApplicationTransition.at, ApplicationTransition.id)
    ).scalars()
    steps: dict[str, list] = defaultdict(list)
    for row in rows:
        steps[row.application_id].append(row)
    return steps


def _traineeship_ids(session: Session, application_ids: list[str]) -> dict[str, str]:
    if not application_ids:
        return {}
    rows = session.execute(
        sa.select(Traineeship.application_id, Traineeship.id).where(
            Traineeship.application_id.in_(application_ids)
        )
    )
    return dict(rows.all())
