"""From an event to what notify does with it: a delivery for every webhook subscription that
wants it (`webhooks.py`), and a message for the person its template decision names
(`templates.py`, `inbox.py`). Runs once per event, in the consumer's inbox transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import inbox, templates, webhooks
from .policy import NotifyPolicy


def route(uow, event, policy: NotifyPolicy, configured: Iterable[str]) -> bool:
    """Queue the event for its subscribers and make its message, if its decision sends one
    and the event names a recipient. Whether anything now waits for the dispatcher."""
    queued = webhooks.queue_for_subscribers(uow, event, policy)
    entity_verb = event.type.split(".", 2)[2]
    row = templates.decision_for(uow.repo, event.source_service, entity_verb)
    template = templates.decision_of(row)
    recipient = template and event.data.get(template.recipient)
    if recipient:
        made = inbox.compose(uow, event, template, row.id, str(recipient), policy, configured)
        queued = made or queued
    return queued
