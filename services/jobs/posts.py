"""Posts (岗位): a job, internship (实习) or traineeship (见习) of one employer, and its review.

`draft → pending_review → published → closed | filled`: the owning employer writes and submits
a draft, an officer of the deciding unit approves it or returns it with a reason, either side
closes it, and it fills by itself when its last position is hired (`take_position`). Only a
draft is edited, so what reviewers approved is what applicants see. Every step is kept in the
post's history with who took it and why. Search is on the read side (`queries/posts.py`).
"""

from __future__ import annotations

from datetime import datetime

from services.common.actor import OFFICER, Actor
from services.common.clock import utcnow
from services.common.errors import DomainError, NotFound
from services.common.models import new_id

from . import domain
from .models import Post, PostTransition
from .policy import JobsPolicy
from .search import searchable_text
from .vocabulary import CLOSED, DRAFT, FILLED, PUBLISHED, TRAINEESHIP


def create(uow, actor: Actor, draft: dict, policy: JobsPolicy) -> Post:
    """A draft post of the calling employer (registered; verified before it is submitted). Its
    workplace is in the district when the employer's seat is, unless it says otherwise."""
    domain.check_traineeship_length(draft["kind"], draft.get("traineeship_months"), policy)
    employer = uow.repo.employer_of(actor.account_id)
    if employer is None:
        raise DomainError("employer_not_registered", status=409)
    now = utcnow()
    row = Post(
        id=new_id(),
        employer_id=employer.id,
        employer_name=employer.name,
        state=DRAFT,
        hired_count=0,
        created_at=now,
        updated_at=now,
        **{"in_district": employer.in_district, **draft},
    )
    _derive_search_fields(row)
    uow.repo.add(row)
    uow.repo.index_terms(row)
    record_step(uow, actor, row, "create", None, None)
    uow.commit()
    return row


def edit(uow, actor: Actor, post_id: str, changes: dict, policy: JobsPolicy) -> Post:
    """The owning employer changes a draft (a returned post is a draft again)."""
    row = uow.repo.locked(Post, post_id, domain.POST_NOT_FOUND)
    if not domain.is_employer(actor, row.employer_id):
        raise domain.POST_NOT_FOUND
    domain.check_editable(row.state)
    for key, value in changes.items():
        setattr(row, key, value)
    if row.kind != TRAINEESHIP:
        row.traineeship_months = None
    domain.check_salary_range(row.salary_min, row.salary_max)
    domain.check_traineeship_length(row.kind, row.traineeship_months, policy)
    _derive_search_fields(row)
    row.updated_at = utcnow()
    uow.repo.index_terms(row)
    uow.commit()
    return row


def take_step(
    uow, actor: Actor, post_id: str, action: str, reason: str | None, policy: JobsPolicy
) -> Post:
    """submit (employer), approve or return (officer), close (either), fill (employer): each
    step told to whom it concerns, an officer's audited, all kept in the post's history."""
    if action not in domain.POST_TRANSITIONS:
        raise NotFound("action")
    now = utcnow()
    row = uow.repo.locked(Post, post_id, domain.POST_NOT_FOUND)
    before = row.state
    row.state = domain.next_post_state(before, action, actor, row.employer_id, policy, reason)
    if action == "submit":
        employer = uow.repo.employer_of(row.employer_id)
        domain.check_may_publish(employer.state if employer else None)
        domain.check_traineeship_length(row.kind, row.traineeship_months, policy)
        row.submitted_at = now
    elif action == "approve":
        row.published_at = now
        uow.record("posting.published", subject=row.id, data=row)
    elif action == "return":
        uow.record(
            "posting.returned",
            subject=row.id,
            data={
                "post_id": row.id,
                "employer_id": row.employer_id,
                "title": row.title,
                "reason": reason,
            },
        )
    elif row.state in (CLOSED, FILLED):
        _close(uow, row, before, now)
    if actor.role == OFFICER:
        uow.audit(f"post.{action}", ("post", row.id), reason, {"from": before})
    row.updated_at = now
    record_step(uow, actor, row, action, before, reason)
    uow.commit()
    return row


def take_position(uow, actor: Actor, post: Post, now: datetime) -> None:
    """A hire takes one of the post's positions; with the last one taken the post stops taking
    applications by itself (filled)."""
    post.hired_count += 1
    if post.state == PUBLISHED and post.hired_count >= post.positions:
        post.state, post.updated_at = FILLED, now
        _close(uow, post, PUBLISHED, now)
        record_step(uow, actor, post, "fill", PUBLISHED, None)


def record_step(
    uow, actor: Actor, row: Post, action: str, before: str | None, reason: str | None
) -> None:
    """Keep the step in the post's history: who took it, from which state, and why."""
    uow.repo.add(
        PostTransition(
            id=new_id(),
            post_id=row.id,
            action=action,
            from_state=before,
            to_state=row.state,
            actor_id=actor.account_id,
            actor_role=actor.role,
            reason=reason,
            at=utcnow(),
        )
    )


def _close(uow, row: Post, before: str, now: datetime) -> None:
    """A closed or filled post; subscribers hear of it when it was published (a draft or a
    post under review was never public)."""
    row.closed_at = now
    if before == PUBLISHED:
        uow.record("posting.closed", subject=row.id, data=row)


def _derive_search_fields(row: Post) -> None:
    """What the search filters and its keyword index read, derived from what the employer
    wrote (`search.py`)."""
    row.education_rank = domain.education_rank(row.education)
    row.search_text = searchable_text(row.title, row.employer_name, *(row.tags or []))
