"""A person's items for the gateway's "my dashboard": their registrations still ahead (soonest
first, with the check-in code or the waitlist place), then their past or cancelled ones and
their stories (most recently changed first), each with the next step in both languages."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.clock import clock, utcnow

from .. import domain
from ..messages import MESSAGES
from ..models import Activity, Registration, Story
from ..policy import EventsPolicy
from ..vocabulary import CONFIRMED
from .registrations import with_activity


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _registration_item(
    registration: Registration, activity: Activity, position: int | None, now: datetime
) -> dict:
    code = registration.check_in_code if registration.state == CONFIRMED else None
    return {
        "kind": "events.registration",
        "id": registration.id,
        "title": MESSAGES.render("dashboard.registration", {"title": activity.title}),
        "state": registration.state,
        "next_step": domain.registration_next_step(
            registration.state,
            position,
            code,
            activity.starts_at,
            activity.ends_at,
            now,
            clock.zone,
        ),
        "updated_at": _iso(registration.updated_at or registration.queued_at),
        "link": f"/api/v1/me/registrations/{registration.id}",
        "starts_at": _iso(activity.starts_at),
        "waitlist_position": position,
        "check_in_code": code,
    }


def _story_item(story: Story) -> dict:
    return {
        "kind": "events.story",
        "id": story.id,
        "title": MESSAGES.render("dashboard.story", {"title": story.title}),
        "state": story.state,
        "next_step": domain.story_next_step(story.state, story.decision_reason),
        "updated_at": _iso(story.updated_at),
        "link": f"/api/v1/stories/{story.id}",
    }


def dashboard_items(session: Session, person_id: str, policy: EventsPolicy) -> dict:
    """`{"items": [...]}`: at most `dashboard_upcoming_items` registrations ahead, then at most
    `dashboard_recent_items` past or cancelled ones and as many stories."""
    now = utcnow()
    joined = with_activity(person_id)
    ahead = sa.and_(Registration.state.in_(domain.ACTIVE_REGISTRATION), Activity.ends_at > now)
    upcoming = session.execute(
        joined.where(ahead)
        .order_by(Activity.starts_at, Registration.id)
        .limit(policy.dashboard_upcoming_items)
    ).all()
    recent = session.execute(
        joined.where(sa.not_(ahead))
        .order_by(Registration.updated_at.desc(), Registration.id)
        .limit(policy.dashboard_recent_items)
    ).all()
    stories = (
        session.execute(
            sa.select(Story)
            .where(Story.author_id == person_id)
            .order_by(Story.updated_at.desc(), Story.id)
            .limit(policy.dashboard_recent_items)
        )
        .scalars()
        .all()
    )
    items = [_registration_item(*row, now) for row in [*upcoming, *recent]]
    items += [_story_item(story) for story in stories]
    return {"items": items}
