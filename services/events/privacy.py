"""The events service's part in a person's data rights (PIPL): what it holds about them, and
what is left once they are erased.

**Held**: the person's registrations (with the age the decision was based on, the waitlist place
and the check-in code) and the stories they wrote (title, text, byline, the moderator's reason).
Venues and activities are written by officers and hold nothing about a young person.

**Erasure** keeps every row the indicators count and unlinks it from the person:

* a registration loses its person id, age and check-in code; its state and times stay, so
  registrations, promotions, places taken and attendance of past periods do not change. A place
  or waitlist spot at an activity still ahead is given up first (`cancelled_by` "erasure") and
  the first on the waitlist moves up, as when a person cancels; no `registration.cancelled` is
  published for it (its data would have to name the person), `person.anonymised` stands for it.
* a story loses its author, title, text, byline and the moderator's reason, and leaves the
  column and the moderation queue (state `erased`); its `submitted_at` and `published_at` stay,
  so the counts of stories submitted and published hold. A story is the person's own writing
  and may name them: keeping it without its author would still publish them.

Erasing twice finds nothing the second time (the rows no longer carry the person's id).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeAlias

import sqlalchemy as sa

from services.common.db import UnitOfWork

from . import domain
from .models import Activity, Registration, Story

#: what an erased story's title and text read (both columns are required)
ERASED_TEXT = ""

#: gives a freed place to the first on the activity's waitlist (the service's own rule)
Promote: TypeAlias = Callable[[UnitOfWork, Activity, datetime], None]


def _activities_for_update(session, person_id: str) -> dict[str, Activity]:
    """The activities the person registered for, locked in id order (two erasures, or an
    erasure and a registration, lock them in the same order and cannot deadlock)."""
    ids = (
        session.execute(
            sa.select(Registration.activity_id)
            .where(Registration.person_id == person_id)
            .order_by(Registration.activity_id)
        )
        .scalars()
        .all()
    )
    activities = {}
    for activity_id in ids:
        activities[activity_id] = session.execute(
            sa.select(Activity).where(Activity.id == activity_id).with_for_update()
        ).scalar_one()
    return activities


def _withdraw(
    uow: UnitOfWork,
    registration: Registration,
    activity: Activity,
    now: datetime,
    promote: Promote,
) -> None:
    freed_place = registration.state == domain.CONFIRMED
    if freed_place:
        activity.confirmed_count -= 1
    else:
        activity.waitlisted_count -= 1
    registration.state = domain.next_registration_state(registration.state, "cancel")
    registration.cancelled_at = now
    registration.cancelled_by = domain.BY_ERASURE
    if domain.promotes_on_cancel(freed_place, activity.state, activity.ends_at, now):
        uow.session.flush()
        promote(uow, activity, now)


def erase_person(uow: UnitOfWork, person_id: str, now: datetime, promote: Promote) -> int:
    """Anonymise the person's registrations and stories in `uow`; `promote(uow, activity, now)`
    gives a freed place to the first on the waitlist. Returns the records anonymised."""
    session = uow.session
    activities = _activities_for_update(session, person_id)
    registrations = (
        session.execute(
            sa.select(Registration)
            .where(Registration.person_id == person_id)
            .order_by(Registration.activity_id)
            .execution_options(populate_existing=True)
        )
        .scalars()
        .all()
    )
    for registration in registrations:
        activity = activities[registration.activity_id]
        if domain.withdrawn_on_erasure(registration.state, activity.state, activity.ends_at, now):
            _withdraw(uow, registration, activity, now, promote)
        registration.person_id = registration.age = registration.check_in_code = None
        registration.updated_at = now
    stories = session.execute(sa.select(Story).where(Story.author_id == person_id)).scalars().all()
    for story in stories:
        story.author_id = story.byline = story.decision_reason = None
        story.title = story.body = ERASED_TEXT
        story.state = domain.STORY_ERASED
        story.updated_at = now
    return len(registrations) + len(stories)
