"""Traineeships (百名大学生助龙计划) as their trainee, their host and deciding officers see
them."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.actor import EMPLOYER, YOUTH, Actor
from services.common.pagination import DESC, Page, keyset_page

from .. import domain
from ..models import Traineeship
from ..policy import JobsPolicy
from ..repository import JobsRepository


def get(session: Session, actor: Actor, traineeship_id: str, policy: JobsPolicy) -> Traineeship:
    """One traineeship, for its trainee, its host and deciding officers."""
    row = JobsRepository(session).get(Traineeship, traineeship_id, domain.TRAINEESHIP_NOT_FOUND)
    if not (
        domain.is_deciding_officer(actor, policy)
        or domain.is_applicant(actor, row.person_id)
        or domain.is_employer(actor, row.employer_id)
    ):
        raise domain.TRAINEESHIP_NOT_FOUND
    return row


def page(session: Session, actor: Actor, filters: dict, policy: JobsPolicy) -> Page:
    """A young person's traineeships, a host's, or (for deciding officers) all of them, the
    latest started first."""
    query = sa.select(Traineeship)
    if actor.role == YOUTH:
        query = query.where(Traineeship.person_id == actor.account_id)
    elif actor.role == EMPLOYER:
        query = query.where(Traineeship.employer_id == actor.account_id)
    else:
        domain.check_decides(actor, policy)
    if filters.get("state"):
        query = query.where(Traineeship.state == filters["state"])
    return keyset_page(
        session,
        query,
        [(Traineeship.started_at, DESC), (Traineeship.id, DESC)],
        filters.get("after"),
        filters["limit"],
    )
