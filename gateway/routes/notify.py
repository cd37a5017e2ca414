"""A person's inbox (`/api/v1/me/messages`)."""

from __future__ import annotations

from services.notify.schemas import InboxQuery, MessagePage, MessageView

from ..api import Call, PageResult, route
from .accounts import ANYONE_SIGNED_IN

SERVICE_ERRORS = (503, 504)


class NotifyRoutes:
    @route(
        "GET",
        "/api/v1/me/messages",
        summary="My messages, newest first, with the unread count",
        tags=["notify"],
        roles=ANYONE_SIGNED_IN,
        query=InboxQuery,
        response=MessagePage,
        paginated=True,
        errors=SERVICE_ERRORS,
    )
    def my_messages(self, call: Call):
        page = self.services.notify.inbox(person_id=call.account_id, query=call.query)
        return PageResult(page["items"], page.get("next_cursor"), {"unread": page["unread"]})

    @route(
        "POST",
        "/api/v1/me/messages/<message_id>/read",
        summary="Mark a message read",
        tags=["notify"],
        roles=ANYONE_SIGNED_IN,
        response=MessageView,
        errors=(404, *SERVICE_ERRORS),
    )
    def mark_message_read(self, call: Call, message_id: str):
        return self.services.notify.mark_read(message_id=message_id)
