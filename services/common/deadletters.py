"""Listing and replaying a service's dead letters (`youthcity deadletters list|replay <service>`).

Listing reads every message of `<service>.inbox.dead` without acknowledging it and closes the
channel, so the broker puts them all back. Replaying publishes the chosen messages (with
confirms) back to `<service>.inbox` with their attempt count reset, and only then acknowledges
them out of the dead-letter queue; a replayed event is still applied once, by the inbox.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from amqp.exceptions import NotFound
from kombu import Connection

from .amqp import ConfirmingPublisher, dead_letter_queue, inbox_queue
from .consumer import ATTEMPT_HEADER, DETAIL_HEADER, REASON_HEADER


@dataclass(frozen=True)
class DeadLetter:
    message_id: str | None
    event_type: str | None
    reason: str | None
    detail: str | None
    dead_at: str | None
    attempts: int

    def as_row(self) -> dict:
        return self.__dict__.copy()


def _describe(message) -> DeadLetter:
    headers = message.properties.get("application_headers") or {}
    return DeadLetter(
        message_id=message.properties.get("message_id"),
        event_type=message.properties.get("type"),
        reason=headers.get(REASON_HEADER),
        detail=headers.get(DETAIL_HEADER),
        dead_at=headers.get("x-dead-at"),
        attempts=int(headers.get(ATTEMPT_HEADER, 0)),
    )


def _fetch_all(channel, queue: str, limit: int):
    """Up to `limit` messages, unacknowledged; none when the queue does not exist yet (the
    service has never consumed)."""
    messages = []
    while len(messages) < limit:
        try:
            message = channel.basic_get(queue, no_ack=False)
        except NotFound:
            return []
        if message is None:
            break
        messages.append(message)
    return messages


def list_dead_letters(amqp_uri: str, service: str, limit: int = 1000) -> list[DeadLetter]:
    with Connection(amqp_uri) as connection:
        channel = connection.channel()
        messages = _fetch_all(channel, dead_letter_queue(service), limit)
        if channel.is_open:
            channel.close()  # unacknowledged: every message goes back to the queue
    return [_describe(message) for message in messages]


def replay_dead_letters(
    amqp_uri: str, service: str, message_ids: set[str] | None = None, limit: int = 1000
) -> list[DeadLetter]:
    """Replay the dead letters whose message id is in `message_ids` (all when None)."""
    publisher = ConfirmingPublisher(amqp_uri)
    replayed = []
    try:
        with Connection(amqp_uri) as connection:
            channel = connection.channel()
            for message in _fetch_all(channel, dead_letter_queue(service), limit):
                if (
                    message_ids is not None
                    and message.properties.get("message_id") not in message_ids
                ):
                    continue
                properties = {
                    k: v for k, v in message.properties.items() if k != "application_headers"
                }
                headers = {
                    key: value
                    for key, value in (message.properties.get("application_headers") or {}).items()
                    if key not in (ATTEMPT_HEADER, REASON_HEADER, DETAIL_HEADER, "x-dead-at")
                }
                properties["application_headers"] = {**headers, "x-replayed": True}
                publisher.publish_batch([("", inbox_queue(service), message.body, properties)])
                channel.basic_ack(message.delivery_tag)
                replayed.append(_describe(message))
            if channel.is_open:
                channel.close()
    finally:
        publisher.close()
    return replayed


def print_table(letters: list[DeadLetter]) -> None:
    for letter in letters:
        print(json.dumps(letter.as_row(), ensure_ascii=False))
