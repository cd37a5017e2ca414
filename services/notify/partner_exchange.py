"""Partners that read their events from the broker instead of receiving them over HTTP.

A partner system that prefers AMQP subscribes like any other (`POST /api/v1/webhooks`, within
its grants) with the URL `amqp:partners.events`; notify then publishes each of its deliveries,
exactly as a webhook would carry it (no acting officer's id, data withheld after an erasure,
signed with the subscription's secret in the same `webhook-*` headers), to the topic exchange
`partners.events` with the subscription's id as routing key. The partner's broker user may read
only its own queue, bound to that exchange with its subscriptions' ids (youthcity/broker.py
`subscriber_permissions`; deploy/k8s/components/amqp-subscriber): it never binds to a service's
exchange, so grants, the stripped `actorid` and the export's record of what each partner
received are the same for both ways of delivery.

A message no queue takes (the operator has not bound the partner's queue yet) is returned by
the broker (`mandatory`) and retried on the webhook schedule, like an endpoint that is down;
a message is delivered once the broker confirmed it.
"""

from __future__ import annotations

import contextlib
import logging

from eventlet.semaphore import Semaphore
from kombu import Connection, Exchange, Producer

from services.common.cloudevents import CONTENT_TYPE

from .contract import PARTNER_EXCHANGE

log = logging.getLogger(__name__)


class NotTaken(Exception):
    """The broker did not take the message: `reason` is coarse (`no_queue_bound`,
    `broker_unreachable`), shown to the partner like a webhook's network error."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class PartnerExchange:
    """One confirmed channel to `partners.events`, opened when first needed and opened again
    after a failure; the dispatcher's green threads take turns on it."""

    def __init__(self, amqp_uri: str):
        self.amqp_uri = amqp_uri
        self.exchange = Exchange(PARTNER_EXCHANGE, "topic", durable=True)
        self._connection: Connection | None = None
        self._producer: Producer | None = None
        self._returned: list[str] = []
        self._turn = Semaphore()

    def publish(self, routing_key: str, message_id: str, payload: str, headers: dict) -> None:
        """Publish and wait for the broker's confirmation; `NotTaken` when it was not taken."""
        with self._turn:
            self._returned.clear()
            try:
                producer = self._producer or self._open()
                producer.publish(
                    payload.encode(),
                    routing_key=routing_key,
                    content_type=CONTENT_TYPE,
                    content_encoding="utf-8",
                    message_id=message_id,
                    headers=headers,
                    delivery_mode=2,
                    mandatory=True,
                    retry=False,
                )
            except Exception as exc:
                log.warning("partner exchange unreachable", extra={"detail": type(exc).__name__})
                self.close()
                raise NotTaken("broker_unreachable") from exc
            if self._returned:  # a return arrives before the confirmation it precedes
                raise NotTaken("no_queue_bound")

    def _open(self) -> Producer:
        self._connection = Connection(self.amqp_uri, transport_options={"confirm_publish": True})
        channel = self._connection.channel()
        self.exchange(channel).declare()
        self._producer = Producer(channel, exchange=self.exchange, on_return=self._on_return)
        return self._producer

    def _on_return(self, exception, exchange, routing_key, message) -> None:
        self._returned.append(routing_key)

    def close(self) -> None:
        if self._connection is not None:
            # already broken: nothing more to release
            with contextlib.suppress(Exception):
                self._connection.release()
        self._connection = self._producer = None
