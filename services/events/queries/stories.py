"""The stories column (我的青春在XX) as readers, authors and moderators see it."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.actor import Actor
from services.common.pagination import ASC, DESC, keyset_page

from .. import domain, views
from ..models import Story
from ..vocabulary import STORY_PUBLISHED, SUBMITTED


def get_story(session: Session, actor: Actor, story_id: str, moderator_units: tuple) -> dict:
    """A published story for anyone; any other for its author and the moderators."""
    story = session.get(Story, story_id)
    if story is None:
        raise domain.not_found("story")
    domain.check_may_read_story(actor, story.state, story.author_id, moderator_units)
    return views.story(story, actor, moderator_units)


def list_stories(session: Session, actor: Actor, filters: dict, moderator_units: tuple) -> dict:
    """The column (published stories, newest first); for moderators also the queue of
    submitted stories (oldest first) and what was rejected, taken down or erased."""
    state = filters["state"]
    domain.check_may_list_stories(actor, state, moderator_units)
    if state == SUBMITTED:
        order = [(Story.submitted_at, ASC), (Story.id, ASC)]
    elif state == STORY_PUBLISHED:
        order = [(Story.published_at, DESC), (Story.id, DESC)]
    else:
        order = [(Story.submitted_at, DESC), (Story.id, DESC)]
    query = sa.select(Story).where(Story.state == state)
    page = keyset_page(session, query, order, filters.get("after"), filters["limit"])
    return {
        "items": [views.story(s, actor, moderator_units) for s in page.items],
        "next_cursor": page.next_cursor,
    }


def stories_of(session: Session, person_id: str, after: str | None, limit: int) -> dict:
    """A person's own stories, newest first, in every state."""
    page = keyset_page(
        session,
        sa.select(Story).where(Story.author_id == person_id),
        [(Story.submitted_at, DESC), (Story.id, DESC)],
        after,
        limit,
    )
    return {"items": views.STORY.dump(page.items, many=True), "next_cursor": page.next_cursor}
