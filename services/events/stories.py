"""The stories column 我的青春在XX ("My youth in XX", 三.1): young people's own accounts of
growing up and working in the district, published once a moderator approves them.

`submitted → published | rejected`, `published → taken_down`. Only officers of the
`story_moderator_units` (区委宣传部 by default) moderate; a rejection or a take-down needs the
reason the author is told. Events about a story never carry its title, text or byline: the
author wrote them and they may name people.
"""

from __future__ import annotations

from services.common.actor import Actor
from services.common.clock import utcnow
from services.common.models import new_id

from . import domain
from .models import Story
from .policy import EventsPolicy
from .vocabulary import STORY_PUBLISHED, SUBMITTED


def story_event(story: Story, reason: str | None = None) -> dict:
    """The data of a `story.*` event: ids, state and dates (and a moderator's reason)."""
    data = {
        "story_id": story.id,
        "author_id": story.author_id,
        "state": story.state,
        "submitted_at": story.submitted_at,
        "published_at": story.published_at,
    }
    if reason is not None:
        data["reason"] = reason
    return data


def submit(uow, actor: Actor, fields: dict) -> Story:
    """A young person's story for the column; it waits for a moderator (`story.submitted`)."""
    domain.check_may_submit_story(actor)
    now = utcnow()
    row = Story(
        id=new_id(),
        author_id=actor.account_id,
        state=SUBMITTED,
        submitted_at=now,
        updated_at=now,
        **fields,
    )
    uow.repo.add(row)
    uow.record("story.submitted", subject=row.id, data=story_event(row))
    uow.commit()
    return row


def moderate(
    uow, actor: Actor, story_id: str, action: str, reason: str | None, policy: EventsPolicy
) -> Story:
    """approve, reject (with a reason) or take down (with a reason) a story; the author is
    told (`story.<state>`) and the decision audited. A story the caller may not read does not
    exist for them (404) before they are refused as no moderator (403)."""
    domain.check_moderation_action(action)
    units = policy.story_moderator_units
    story = uow.repo.locked(Story, story_id, domain.not_found("story"))
    domain.check_may_read_story(actor, story.state, story.author_id, units)
    domain.check_may_moderate(actor, units)
    story.state = domain.moderate(story.state, action, reason)
    now = utcnow()
    story.decided_at = story.updated_at = now
    story.decided_by, story.decision_reason = actor.account_id, reason
    if story.state == STORY_PUBLISHED:
        story.published_at = now
        uow.record("story.published", subject=story.id, data=story_event(story))
    else:
        uow.record(f"story.{story.state}", subject=story.id, data=story_event(story, reason))
    uow.audit(f"story.{story.state}", ("story", story.id), reason)
    uow.commit()
    return story
