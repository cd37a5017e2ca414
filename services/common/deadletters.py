"""Listing, replaying and purging a service's dead letters (`youthcity deadletters`).

Listing reads messages of `<service>.inbox.dead` without acknowledging them and closes the
channel, so the broker puts them all back; a page past the first reads (and puts back) the
pages before it. Replaying publishes the chosen messages (with confirms) back to
`<service>.inbox` with their attempt count reset, and only then acknowledges them out of the
dead-letter queue; a replayed event is still applied once, by the inbox. Every pass reads at
most the messages the queue held when it began, so a letter that dies again while a replay runs
is not read twice.

Purging acknowledges letters without replaying them: those past the retention window
(`expire_dead_letters`, from the retention sweep) and those naming an erased person
(`purge_dead_letters_naming`, from the erasure handler): a body is kept for replay, and may
carry what the person's erasure must remove.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from amqp.exceptions import NotFound
from kombu import Connection

from .amqp import ConfirmingPublisher, dead_letter_queue, inbox_queue
from .consumer import ATTEMPT_HEADER, DETAIL_HEADER, REASON_HEADER

#: a page of `list` unless the caller asks for another size
PAGE_SIZE = 1000


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


def queue_exists(amqp_uri: str, queue: str) -> bool:
    """Whether the broker has `queue` (a passive declare, on a channel of its own: a missing
    queue closes the channel)."""
    return count_messages(amqp_uri, queue) is not None


def count_messages(amqp_uri: str, queue: str) -> int | None:
    """Messages ready in `queue`; None when there is no such queue."""
    with Connection(amqp_uri) as connection:
        channel = connection.channel()
        try:
            return channel.queue_declare(queue, passive=True).message_count
        except NotFound:
            return None
        finally:
            if channel.is_open:
                channel.close()


@contextmanager
def _letters(amqp_uri: str, service: str) -> Iterator[tuple]:
    """(channel, the messages the dead-letter queue held as it was opened, unacknowledged).
    Whatever the caller does not acknowledge goes back to the queue when the channel closes."""
    with Connection(amqp_uri) as connection:
        channel = connection.channel()
        queue = dead_letter_queue(service)
        try:
            held = channel.queue_declare(queue, passive=True).message_count
        except NotFound:  # the service has never consumed: no queue, no letters
            yield channel, iter(())
            return

        def read():
            for _ in range(held):
                message = channel.basic_get(queue, no_ack=False)
                if message is None:
                    return
                yield message

        try:
            yield channel, read()
        finally:
            if channel.is_open:
                channel.close()


def list_dead_letters(
    amqp_uri: str, service: str, limit: int = PAGE_SIZE, offset: int = 0
) -> list[DeadLetter]:
    """The letters from the `offset`-th (0: the oldest), at most `limit` of them."""
    page = []
    with _letters(amqp_uri, service) as (_, messages):
        for position, message in enumerate(messages):
            if position >= offset + limit:
                break
            if position >= offset:
                page.append(_describe(message))
    return page


def replay_dead_letters(
    amqp_uri: str, service: str, message_ids: set[str] | None = None
) -> list[DeadLetter]:
    """Replay the dead letters whose message id is in `message_ids` (all when None)."""
    publisher = ConfirmingPublisher(amqp_uri)
    replayed = []
    try:
        with _letters(amqp_uri, service) as (channel, messages):
            for message in messages:
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
    finally:
        publisher.close()
    return replayed


def _drop(amqp_uri: str, service: str, doomed: Callable[[object], bool]) -> int:
    dropped = 0
    with _letters(amqp_uri, service) as (channel, messages):
        for message in messages:
            if doomed(message):
                channel.basic_ack(message.delivery_tag)
                dropped += 1
    return dropped


def expire_dead_letters(amqp_uri: str, service: str, cutoff: datetime) -> int:
    """Drop the letters that died before `cutoff` (the retention window's start); a letter
    without a time of death (none is written so) is kept for an operator to look at."""

    def expired(message) -> bool:
        dead_at = (message.properties.get("application_headers") or {}).get("x-dead-at")
        try:
            return dead_at is not None and datetime.fromisoformat(dead_at) < cutoff
        except (TypeError, ValueError):
            return False

    return _drop(amqp_uri, service, expired)


def purge_dead_letters_naming(amqp_uri: str, service: str, person_id: str) -> int:
    """Drop the letters whose body names the person (their id anywhere in it: the subject, the
    data, or a body that never decoded). Ids are random UUIDs, so nothing else matches."""
    needle = person_id.encode()

    def names_the_person(message) -> bool:
        body = message.body if isinstance(message.body, bytes) else str(message.body).encode()
        return needle in body

    return _drop(amqp_uri, service, names_the_person)


def print_table(letters: list[DeadLetter]) -> None:
    for letter in letters:
        print(json.dumps(letter.as_row(), ensure_ascii=False))
