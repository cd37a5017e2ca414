"""Subsidy claims as the employer that made them and deciding officers read them."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.actor import EMPLOYER, Actor
from services.common.pagination import ASC, DESC, Page, keyset_page

from .. import domain
from ..models import SubsidyClaim
from ..policy import JobsPolicy
from ..repository import JobsRepository


def get(session: Session, actor: Actor, claim_id: str, policy: JobsPolicy) -> SubsidyClaim:
    """A claim, for the employer that made it and for deciding officers."""
    row = JobsRepository(session).get(SubsidyClaim, claim_id, domain.CLAIM_NOT_FOUND)
    domain.check_owner_or_officer(actor, row.employer_id, policy, domain.CLAIM_NOT_FOUND)
    return row


def page(session: Session, actor: Actor, filters: dict, policy: JobsPolicy) -> Page:
    """An employer's own claims, newest first, or (for deciding officers) every claim, oldest
    first: the order they are decided in."""
    query = sa.select(SubsidyClaim)
    if actor.role == EMPLOYER:
        query = query.where(SubsidyClaim.employer_id == actor.account_id)
        order = [(SubsidyClaim.claimed_at, DESC), (SubsidyClaim.id, DESC)]
    else:
        domain.check_decides(actor, policy)
        order = [(SubsidyClaim.claimed_at, ASC), (SubsidyClaim.id, ASC)]
    for name in ("state", "kind"):
        if filters.get(name):
            query = query.where(getattr(SubsidyClaim, name) == filters[name])
    return keyset_page(session, query, order, filters.get("after"), filters["limit"])
