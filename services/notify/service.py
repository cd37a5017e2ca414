"""The notify service's nameko class: events in, messages out."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from services.common.consumer import event_handler
from services.common.db import Database
from services.common.errors import NotFound
from services.common.pagination import DESC, keyset_page
from services.common.rpc import rpc
from services.common.service import ServiceBase
from services.common.types import utcnow

from .messages import MESSAGES
from .models import Base, Message
from .schemas import AnyEventData, InboxQuery
from .templates import decision_for, load_templates


class NotifyService(ServiceBase):
    name = "notify"
    messages = MESSAGES
    db = Database(Base.metadata, package="services.notify")
    templates = load_templates()

    def _deliver(self, event, uow) -> None:
        """The event's message, if its template decision is to send one, into the inbox."""
        entity_verb = event.type.split(".", 2)[2]
        template = decision_for(self.templates, event.source_service, entity_verb)
        if template is None:
            return
        recipient = event.data.get(template.recipient)
        if not recipient:
            return
        title, body = template.render(event.data)
        uow.session.add(
            Message(
                id=str(uuid.uuid4()),
                person_id=recipient,
                event_id=event.id,
                event_type=event.type,
                category=template.category,
                mandatory=template.mandatory,
                title_zh=title["zh-CN"],
                title_en=title["en"],
                body_zh=body["zh-CN"],
                body_en=body["en"],
                created_at=utcnow(),
            )
        )

    @event_handler("jobs", "#", AnyEventData)
    def on_jobs_event(self, event, uow):
        self._deliver(event, uow)

    @event_handler("housing", "#", AnyEventData)
    def on_housing_event(self, event, uow):
        self._deliver(event, uow)

    @event_handler("startup", "#", AnyEventData)
    def on_startup_event(self, event, uow):
        self._deliver(event, uow)

    @event_handler("events", "#", AnyEventData)
    def on_events_event(self, event, uow):
        self._deliver(event, uow)

    @event_handler("gateway", "#", AnyEventData)
    def on_gateway_event(self, event, uow):
        self._deliver(event, uow)

    def _view(self, message: Message) -> dict:
        english = self.caller.locale == "en"
        return {
            "id": message.id,
            "event_type": message.event_type,
            "category": message.category,
            "mandatory": message.mandatory,
            "title": message.title_en if english else message.title_zh,
            "body": message.body_en if english else message.body_zh,
            "created_at": message.created_at,
            "read_at": message.read_at,
        }

    @rpc
    def inbox(self, person_id: str, query: dict) -> dict:
        args = InboxQuery().load(query)
        select = sa.select(Message).where(Message.person_id == person_id)
        if args["unread_only"]:
            select = select.where(Message.read_at.is_(None))
        with self.db.reading() as session:
            page = keyset_page(
                session,
                select,
                [(Message.created_at, DESC), (Message.id, DESC)],
                args.get("after"),
                args["limit"],
            )
            unread = session.execute(
                sa.select(sa.func.count()).where(
                    Message.person_id == person_id, Message.read_at.is_(None)
                )
            ).scalar()
            return {
                "items": [self._view(m) for m in page.items],
                "next_cursor": page.next_cursor,
                "unread": unread,
            }

    @rpc
    def mark_read(self, message_id: str) -> dict:
        with self.db.unit_of_work() as uow:
            message = uow.session.get(Message, message_id)
            if message is None:
                raise NotFound("message")
            if message.person_id != self.caller.actor_id:
                raise NotFound("message")  # someone else's message does not exist for the caller
            if message.read_at is None:
                message.read_at = utcnow()
            uow.commit()
            return self._view(message)
