"""A person's registrations, each with its activity and its place in the waitlist."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from services.common.actor import Actor
from services.common.pagination import ASC, keyset_page

from .. import domain, views
from ..models import Activity, Registration
from ..vocabulary import WAITLISTED


def waitlist_position():
    """The registration's place in its activity's waitlist (None unless waitlisted), computed
    in the same statement as the rows it belongs to."""
    ahead = aliased(Registration)
    count = (
        sa.select(sa.func.count())
        .where(
            ahead.activity_id == Registration.activity_id,
            ahead.state == WAITLISTED,
            ahead.sequence <= Registration.sequence,
        )
        .correlate(Registration)
        .scalar_subquery()
    )
    return sa.case((Registration.state == WAITLISTED, count), else_=None).label("position")


def with_activity(person_id: str):
    """The person's registrations as (registration, activity, waitlist position) rows."""
    return (
        sa.select(Registration, Activity, waitlist_position())
        .join(Activity, Activity.id == Registration.activity_id)
        .where(Registration.person_id == person_id)
    )


def get_registration(session: Session, actor: Actor, registration_id: str) -> dict:
    """One of the caller's registrations, with its check-in code while it is confirmed."""
    row = session.execute(
        sa.select(Registration, Activity, waitlist_position())
        .join(Activity, Activity.id == Registration.activity_id)
        .where(Registration.id == registration_id)
    ).first()
    if row is None:
        raise domain.not_found("registration")
    registration, activity, position = row
    domain.check_registration_owner(actor, registration.person_id)
    return views.own_registration(registration, activity, position)


def registrations_of(session: Session, person_id: str, after: str | None, limit: int) -> dict:
    """A person's registrations, oldest first, each with its activity and waitlist place."""
    page = keyset_page(
        session,
        with_activity(person_id),
        [(Registration.queued_at, ASC), (Registration.id, ASC)],
        after,
        limit,
        key=lambda row: (row[0].queued_at, row[0].id),
        rows=True,
    )
    return {
        "items": [views.own_registration(r, a, position) for r, a, position in page.items],
        "next_cursor": page.next_cursor,
    }
