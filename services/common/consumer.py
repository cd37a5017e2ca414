"""Consuming other services' events: applied once, retried with backoff, dead-lettered.

nameko's `event_handler` acknowledges a message whose handler raised (the event is lost), and its
`requeue_on_error` loops hot; a body it cannot decode is dropped with the raw body in the log.
This consumer replaces all three behaviours:

* **Applied once**: the handler runs in a unit of work that first records the event id in the
  service's `inbox` table; an id already there is skipped, so a redelivered or republished event
  changes nothing. The message is acknowledged only after that transaction committed.
* **Retried by the broker**: a handler that raises has its message republished (with publisher
  confirms) to a holding queue whose TTL dead-letters it back to the inbox after the next delay
  of `HANDLER_RETRY_DELAYS`; retries survive restarts and never block the messages behind.
* **Dead letters with a reason**: after the last retry, and at once for a message that is not a
  CloudEvent, has a type nobody here handles, or fails its schema, the message goes to
  `<service>.inbox.dead` with `x-death-reason` headers. Its body is kept for replay and never
  logged (it may carry personal data).

Example::

    class NotifyService(ServiceBase):
        db = Database(Base.metadata, package="services.notify")

        @event_handler("events", "registration.confirmed", RegistrationConfirmed)
        def on_registration_confirmed(self, event, uow):
            uow.session.add(Message.for_registration(event.data))
"""

from __future__ import annotations

import functools
import logging
import time
from functools import partial

import sqlalchemy as sa
from amqp import Message as AmqpMessage
from eventlet.semaphore import Semaphore
from marshmallow import Schema, ValidationError
from nameko.exceptions import ContainerBeingKilled
from nameko.extensions import Entrypoint, ProviderCollector, SharedExtension, register_entrypoint

from . import cloudevents, trust
from .amqp import (
    ConfirmingPublisher,
    Link,
    dead_letter_queue,
    durable_queue_arguments,
    events_exchange,
    inbox_queue,
    retry_queue,
)
from .clock import utcnow
from .config import settings_of
from .faults import fault_point
from .health import Check
from .metrics import DEAD_LETTERS, EVENTS_APPLIED, HANDLER_RETRIES

log = logging.getLogger(__name__)

ATTEMPT_HEADER = "x-attempt"
REASON_HEADER = "x-death-reason"
DETAIL_HEADER = "x-death-detail"


class EventConsumer(SharedExtension, ProviderCollector):
    """The consumer of one service's inbox queue, shared by all its event handlers."""

    def __init__(self):
        super().__init__()
        self.link: Link | None = None
        self._handlers: dict[str, EventHandler] = {}
        self._consumer_tag: str | None = None
        self._channel = None
        self._republish_lock = Semaphore(1)

    def setup(self) -> None:
        settings = settings_of(self.container)
        self.service = self.container.service_name
        self.prefix = settings.event_type_prefix
        self.delays = settings.handler_retry_delays
        self.prefetch = settings.max_workers
        self.queue_arguments = durable_queue_arguments(settings.queue_type)
        self.publisher = ConfirmingPublisher(settings.amqp_uri)
        self.link = Link(settings.amqp_uri, f"{self.service}-inbox", self._on_connect)

    def register_provider(self, provider: EventHandler) -> None:
        super().register_provider(provider)
        self._handlers[provider.full_type] = provider

    def start(self) -> None:
        if self._providers and not self.link.is_connected() and self._channel is None:
            self.link.start(spawn=self.container.spawn_managed_thread)
            self.link.wait_connected(timeout=10)

    def unregister_provider(self, provider: EventHandler) -> None:
        self._handlers.pop(provider.full_type, None)
        if not self._handlers and self._channel is not None and self._consumer_tag:
            # stop taking new messages; running handlers still acknowledge theirs
            try:
                self._channel.basic_cancel(self._consumer_tag, nowait=True)
            except Exception:  # the connection may already be gone; nothing to cancel then
                log.debug("cancelling the inbox consumer failed", exc_info=True)
        super().unregister_provider(provider)

    def stop(self) -> None:
        super().stop()
        self._shutdown()

    def kill(self) -> None:
        self._shutdown()

    def _shutdown(self) -> None:
        if self.link is not None:
            self.link.stop()
        self.publisher.close()

    def readiness(self) -> Check:
        return self.link.readiness()

    def amqp_links(self) -> list[Link]:
        """The links `/healthz` watches for a consumer stuck apart from a reachable broker."""
        return [self.link] if self.link is not None and self._providers else []

    # topology -----------------------------------------------------------------------------

    def _on_connect(self, connection) -> None:
        channel = connection.channel()
        inbox = inbox_queue(self.service)
        channel.queue_declare(
            inbox, durable=True, auto_delete=False, arguments=self.queue_arguments
        )
        # a snapshot: the link connects in its own green thread while handlers may still register
        for provider in list(self._handlers.values()):
            exchange = events_exchange(provider.source)
            channel.exchange_declare(exchange, "topic", durable=True, auto_delete=False)
            channel.queue_bind(inbox, exchange, routing_key=provider.full_type)
        for delay in self.delays:
            channel.queue_declare(
                retry_queue(self.service, delay),
                durable=True,
                auto_delete=False,
                arguments={
                    **self.queue_arguments,
                    "x-message-ttl": int(delay * 1000),
                    "x-dead-letter-exchange": "",
                    "x-dead-letter-routing-key": inbox,
                },
            )
        channel.queue_declare(
            dead_letter_queue(self.service),
            durable=True,
            auto_delete=False,
            arguments=self.queue_arguments,
        )
        channel.basic_qos(0, self.prefetch, False)
        self._consumer_tag = channel.basic_consume(inbox, callback=self._on_message)
        self._channel = channel

    # delivery -----------------------------------------------------------------------------

    def _on_message(self, message: AmqpMessage) -> None:
        """Runs in the link's reader: verify, decode and validate, then hand over to a worker."""
        headers = message.properties.get("application_headers") or {}
        if not trust.verify(message.body, headers.get(trust.EVENT_SIGNATURE_HEADER)):
            self._dead_letter(message, "untrusted", "missing or wrong signature")
            return
        try:
            event, data = cloudevents.decode(message.body, message.properties.get("content_type"))
        except cloudevents.UndecodableEvent as exc:
            self._dead_letter(message, "undecodable", exc.reason)
            return
        handler = self._handlers.get(event.type) or self._handlers.get(
            self._wildcard_of(event.type)
        )
        if handler is None:
            self._dead_letter(message, "unknown_type", event.type, event)
            return
        try:
            loaded = handler.schema.load(data)
        except ValidationError as exc:
            fields = ", ".join(sorted(str(key) for key in exc.messages))
            self._dead_letter(message, "invalid_data", f"fields: {fields}", event)
            return
        event = cloudevents.ReceivedEvent(**{**event.__dict__, "data": loaded})
        try:
            self.container.spawn_worker(
                handler,
                (event,),
                {},
                context_data=event.context().as_data(),
                handle_result=partial(self._after_handling, message, event),
            )
        except ContainerBeingKilled:
            self._settle(message, requeue=True)

    @staticmethod
    def _wildcard_of(event_type: str) -> str:
        """`youthcity.events.registration.confirmed` → `youthcity.events.#`."""
        prefix, source, _ = (
            event_type.split(".", 2) if event_type.count(".") >= 2 else (event_type, "", "")
        )
        return f"{prefix}.{source}.#"

    def _after_handling(self, message, event, worker_ctx, result, exc_info):
        if exc_info is None:
            EVENTS_APPLIED.labels(self.service, event.type, result or "applied").inc()
            fault_point("inbox.applied")
            self._settle(message)
            return result, exc_info
        attempt = (
            int((message.properties.get("application_headers") or {}).get(ATTEMPT_HEADER, 0)) + 1
        )
        error = exc_info[0].__name__
        try:
            if attempt <= len(self.delays):
                delay = self.delays[attempt - 1]
                log.warning(
                    "event handler failed; retrying",
                    extra={
                        "event_id": event.id,
                        "event_type": event.type,
                        "attempt": attempt,
                        "retry_in_s": delay,
                        "error": error,
                    },
                )
                HANDLER_RETRIES.labels(self.service, event.type).inc()
                self._republish(
                    message, "", retry_queue(self.service, delay), {ATTEMPT_HEADER: attempt}
                )
            else:
                self._send_to_dead_letters(
                    message, "handler_failed", f"{error} after {attempt} attempts", event
                )
        except Exception:  # the broker refused the copy: leave the original unacknowledged
            log.exception("could not schedule a retry; the broker will redeliver the event")
            self._settle(message, requeue=True)
            return result, exc_info
        self._settle(message)
        return result, exc_info

    def _dead_letter(self, message, reason: str, detail: str, event=None) -> None:
        try:
            self._send_to_dead_letters(message, reason, detail, event)
        except Exception:
            log.exception("could not dead-letter a message; the broker will redeliver it")
            self._settle(message, requeue=True)
            return
        self._settle(message)

    def _send_to_dead_letters(self, message, reason: str, detail: str, event=None) -> None:
        log.error(
            "event dead-lettered",
            extra={
                "reason": reason,
                "detail": detail,
                "event_id": getattr(event, "id", None),
                "event_type": getattr(event, "type", None),
            },
        )
        DEAD_LETTERS.labels(self.service, reason).inc()
        headers = {REASON_HEADER: reason, DETAIL_HEADER: detail, "x-dead-at": utcnow().isoformat()}
        self._republish(message, "", dead_letter_queue(self.service), headers)

    def _republish(self, message, exchange: str, routing_key: str, headers: dict) -> None:
        properties = {
            key: value
            for key, value in message.properties.items()
            if key
            in ("content_type", "content_encoding", "message_id", "type", "app_id", "timestamp")
        }
        merged = {**(message.properties.get("application_headers") or {}), **headers}
        merged.setdefault("x-original-routing-key", message.delivery_info.get("routing_key"))
        properties["application_headers"] = merged
        properties["delivery_mode"] = 2
        with self._republish_lock:
            self.publisher.publish_batch([(exchange, routing_key, message.body, properties)])

    def _settle(self, message, requeue: bool = False) -> None:
        """Acknowledge (or requeue) on the channel the message came from, if it still exists."""
        try:
            if requeue:
                message.channel.basic_reject(message.delivery_tag, requeue=True)
            else:
                message.channel.basic_ack(message.delivery_tag)
        except Exception:  # channel gone: the broker redelivers, the inbox skips the duplicate
            log.warning("could not settle a message; it will be redelivered")


class EventHandler(Entrypoint):
    """An event type this service applies: `source` service, `<entity>.<verb>` (or `#` for every
    type of that source, when one handler serves them all), data schema."""

    consumer = EventConsumer()

    def __init__(self, source: str, event_type: str, schema: type[Schema], **kwargs):
        self.source = source
        self.event_type = event_type
        self.schema = schema()
        super().__init__(**kwargs)

    def setup(self) -> None:
        prefix = settings_of(self.container).event_type_prefix
        self.full_type = f"{prefix}.{self.source}.{self.event_type}"
        self.consumer.register_provider(self)

    def stop(self) -> None:
        self.consumer.unregister_provider(self)


def _service_database(service):
    from .db import Database

    for value in vars(service).values():
        if isinstance(value, Database):
            return value
    raise RuntimeError(f"{type(service).__name__} handles events but has no Database")


def apply_once(service, event: cloudevents.ReceivedEvent, handler) -> str:
    """Run `handler(event, uow)` in a unit of work that records the event in the inbox first."""
    database = _service_database(service)
    inbox = database.metadata.tables["inbox"]
    with database.unit_of_work(event.context()) as uow:
        try:
            uow.session.execute(
                sa.insert(inbox).values(
                    event_id=event.id, type=event.type, source=event.source, applied_at=utcnow()
                )
            )
        except sa.exc.IntegrityError:
            return "duplicate"
        handler(event, uow)
        uow.commit()
    return "applied"


def event_handler(source: str, event_type: str, schema: type[Schema]):
    """Decorate `method(self, event, uow)` to apply `<source>`'s `<event_type>` events once."""

    def decorate(method):
        @functools.wraps(method)
        def handle(self, event):
            started = time.perf_counter()
            outcome = apply_once(self, event, functools.partial(method, self))
            log.debug(
                "event %s",
                outcome,
                extra={"event_id": event.id, "ms": (time.perf_counter() - started) * 1000},
            )
            return outcome

        register_entrypoint(handle, EventHandler(source, event_type, schema))
        return handle

    return decorate
