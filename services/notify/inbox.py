"""A person's messages (收件箱): made from an event by its template decision, rendered in both
languages, with a delivery on every channel as the person's preferences and the platform's
channels allow; read by their recipient only.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from services.common.actor import Actor
from services.common.clock import utcnow
from services.common.errors import NotFound
from services.common.models import new_id

from . import domain
from .domain import ChannelPlan, Template
from .models import Delivery, Message
from .policy import NotifyPolicy
from .repository import NotifyRepository
from .vocabulary import DELIVERED, PENDING


def compose(
    uow,
    event,
    template: Template,
    version_id: str,
    person_id: str,
    policy: NotifyPolicy,
    configured: Iterable[str],
) -> bool:
    """The event's message for `person_id`, rendered by `template` (the version `version_id`),
    and its delivery on each channel (`domain.plan_channels`). Whether an email or SMS now
    waits for the dispatcher. An event about an erased person, arriving late, makes nothing:
    there is nobody to tell, and nothing about them is kept."""
    opted_out = uow.repo.choices_unless_erased(person_id)
    if opted_out is None:
        return False
    plan = domain.plan_channels(
        template,
        opted_out,
        configured,
        policy.default_channels,
        policy.mandatory_channels,
    )
    now = utcnow()
    message = _message(event, template, version_id, person_id, plan, now)
    uow.repo.add(message)
    uow.repo.flush()  # the deliveries refer to it
    for channel, state, reason in plan.deliveries:
        uow.repo.add(_delivery(message, channel, state, reason, event.request_id, now))
    if plan.in_inbox:
        uow.record("message.received", subject=message.id, data=_received(message))
    return any(state == PENDING for _, state, _ in plan.deliveries)


def _message(
    event, template: Template, version_id: str, person_id: str, plan: ChannelPlan, now: datetime
) -> Message:
    title, body = template.render(event.data)
    return Message(
        id=new_id(),
        person_id=person_id,
        event_id=event.id,
        event_type=event.type,
        category=template.category,
        mandatory=template.mandatory,
        title_zh=title["zh-CN"][:300],
        title_en=title["en"][:300],
        body_zh=body["zh-CN"],
        body_en=body["en"],
        created_at=now,
        in_inbox=plan.in_inbox,
        template_version_id=version_id,
    )


def _received(message: Message) -> dict:
    """`message.received`: ids and codes only (no title, no body)."""
    return {
        "message_id": message.id,
        "person_id": message.person_id,
        "event_type": message.event_type,
        "category": message.category,
        "at": message.created_at,
    }


def _delivery(
    message: Message,
    channel: str,
    state: str,
    reason: str | None,
    request_id: str | None,
    now: datetime,
) -> Delivery:
    """A message on one channel; in-app is delivered (or skipped) at once, email and SMS are
    due now when pending."""
    return Delivery(
        id=new_id(),
        message_id=message.id,
        person_id=message.person_id,
        channel=channel,
        state=state,
        attempts=1 if state == DELIVERED else 0,
        next_attempt_at=now if state == PENDING else None,
        reason=reason,
        request_id=request_id,
        created_at=now,
        updated_at=now,
        delivered_at=now if state == DELIVERED else None,
    )


def own_message(repo: NotifyRepository, actor: Actor, message_id: str) -> Message:
    """One of the actor's messages in their inbox. Someone else's message, or one kept out of
    the inbox, does not exist for them (404), administrators included."""
    message = repo.get(Message, message_id)
    if message is None or not actor.is_self(message.person_id) or not message.in_inbox:
        raise NotFound("message")
    return message


def mark_read(uow, actor: Actor, message_id: str) -> Message:
    """Mark one of the actor's messages read (once: the first reading's time stays)."""
    message = own_message(uow.repo, actor, message_id)
    if message.read_at is None:
        message.read_at = utcnow()
        _record_read(uow, message.person_id, message.id, message.read_at)
    uow.commit()
    return message


def mark_all_read(uow, person_id: str) -> int:
    """Mark every unread message in the person's inbox read; how many were."""
    now = utcnow()
    marked = uow.repo.mark_inbox_read(person_id, now)
    if marked:
        _record_read(uow, person_id, None, now)
    uow.commit()
    return marked


def _record_read(uow, person_id: str, message_id: str | None, at: datetime) -> None:
    """`message.read`: the person's unread messages changed (their dashboard counts them)."""
    uow.record(
        "message.read",
        subject=person_id,
        data={"person_id": person_id, "message_id": message_id, "at": at},
    )
