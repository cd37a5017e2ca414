"""The dispatcher: sends what the event handlers queued (emails, SMS, webhook deliveries), records
each attempt's outcome, and retries with backoff.

* **Woken by commits**: a worker that queued something wakes the dispatcher once its transaction
  committed (`worker_result`); otherwise it sleeps until the next retry falls due, at most
  `dispatch_poll_interval` seconds (the poll catches what other replicas queued).
* **Claims, not locks**: an item is claimed by a conditional update that sets `lease_until`; a
  replica that dies mid-send leaves a claim that expires, and another replica sends the item
  again (at least once: webhook subscribers skip a repeated `webhook-id`).
* **In order per subject**: a webhook delivery is sent only when no earlier delivery of the same
  subscription and subject is still pending, so each subject's events arrive in order even
  across retries and an outage.
* **Contact details at sending time**: the person's email, phone and language come from the
  gateway (`contact_details`) just before a send and are dropped after it; they are never
  stored or logged.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime

import eventlet
import sqlalchemy as sa
from eventlet.queue import Empty, Full, LightQueue
from nameko.extensions import DependencyProvider

from services.common.clock import system_utcnow, utcnow
from services.common.cloudevents import CONTENT_TYPE
from services.common.config import settings_of
from services.common.context import CallContext
from services.common.db import Database
from services.common.errors import DomainError
from services.common.policy import load_policy
from services.common.rpc import ClusterProxy, RpcTransport

from . import channels, domain, webhooks
from .channels import ChannelItem
from .contract import PARTNER_EXCHANGE_URL
from .domain import SendFailure
from .egress import Egress
from .metrics import CHANNEL_SENDS, WEBHOOK_ATTEMPTS, WEBHOOK_SECONDS
from .outbound import Unreachable, post
from .partner_exchange import NotTaken, PartnerExchange
from .policy import NotifyPolicy
from .repository import NotifyRepository
from .sms import sms_channel_from
from .smtp import SmtpChannel
from .vocabulary import DELIVERED, EMAIL, SKIPPED, SMS
from .webhooks import WebhookItem

log = logging.getLogger(__name__)


class Dispatcher(DependencyProvider):
    """Gives workers `configured` (the external channels set up here) and `wake()`; runs the
    sending loop in a thread of the container from `start` to `stop`."""

    def __init__(self):
        self.channels: dict = {}
        self._wakeups = LightQueue(maxsize=1)
        self._thread = None
        self._running = False
        self.transport: RpcTransport | None = None

    # -- nameko hooks ---------------------------------------------------------------------

    def setup(self) -> None:
        """Channels and the way out to webhooks are built from the environment here, so a bad
        SMTP_URL, SMS setting or proxy stops the start rather than failing every send."""
        settings = settings_of(self.container)
        self.settings = settings
        self.policy = load_policy(NotifyPolicy, settings)
        self.egress = Egress.from_settings(settings)
        timeout = self.policy.channel_timeout_seconds
        if settings.smtp_url:
            self.channels[EMAIL] = SmtpChannel(settings.smtp_url, settings.smtp_from, timeout)
        sms = sms_channel_from(
            settings, timeout, self.policy.sms_title_max_chars, self.egress.trusted()
        )
        if sms is not None:
            self.channels[SMS] = sms

    def start(self) -> None:
        """Connect to the RPC transport (for contact details) and start the sending loop."""
        self.db = next(d for d in self.container.dependencies if isinstance(d, Database))
        self.transport = RpcTransport.acquire(self.settings.amqp_uri)
        self.partner_exchange = PartnerExchange(self.settings.amqp_uri)
        self.pool = eventlet.GreenPool(self.policy.dispatch_concurrency)
        self._running = True
        self._thread = self.container.spawn_managed_thread(self._run, identifier="dispatcher")

    def stop(self) -> None:
        """Let the current round finish (its sends are recorded), then end the loop."""
        self._running = False
        self.wake()
        if self._thread is not None:
            with eventlet.Timeout(15, False):
                self._thread.wait()
        self._release()

    def kill(self) -> None:
        """End the loop at once; claims of unfinished sends expire and another round takes
        them over."""
        self._running = False
        if self._thread is not None:
            self._thread.kill()
        self._release()

    def _release(self) -> None:
        if getattr(self, "partner_exchange", None) is not None:
            self.partner_exchange.close()
        if self.transport is not None:
            self.transport.release()
            self.transport = None

    def get_dependency(self, worker_ctx) -> _Handle:
        """A handle bound to the worker, so `wake()` waits for the worker's commit."""
        return _Handle(self, worker_ctx)

    def worker_result(self, worker_ctx, result=None, exc_info=None) -> None:
        """Runs after the worker's method returned, so its unit of work has committed and the
        dispatcher will see what it queued."""
        if exc_info is None and getattr(worker_ctx, "notify_wake", False):
            self.wake()

    @property
    def configured(self) -> frozenset[str]:
        return frozenset(self.channels)

    def wake(self) -> None:
        with contextlib.suppress(Full):
            self._wakeups.put_nowait(True)

    # -- the loop -------------------------------------------------------------------------

    def _run(self) -> None:
        while self._running:
            try:
                sent = self.dispatch_once()
                if sent:
                    continue
                wait = self._seconds_to_next_due()
            except (sa.exc.SQLAlchemyError, OSError) as exc:
                log.warning("dispatcher round failed: %s; retrying", type(exc).__name__)
                wait = 1.0
            with contextlib.suppress(Empty):
                self._wakeups.get(timeout=wait)

    def dispatch_once(self) -> int:
        """Claim what is due, send it concurrently, record each outcome; the number sent."""
        now = utcnow()
        webhook_items = self._claim_webhooks(now)
        channel_items = self._claim_deliveries(now)
        for item in webhook_items:
            self.pool.spawn_n(self._guarded, self._send_webhook, item)
        for item in channel_items:
            self.pool.spawn_n(self._guarded, self._send_channel, item)
        self.pool.waitall()
        return len(webhook_items) + len(channel_items)

    @staticmethod
    def _guarded(send, item) -> None:
        try:
            send(item)
        except Exception as exc:  # the claim expires and the item is tried again
            # the type only: an exception's text may hold an address it was handed
            log.error(
                "sending failed unexpectedly: %s", type(exc).__name__, extra={"item": item.id}
            )

    def _seconds_to_next_due(self) -> float:
        now = utcnow()
        with self.db.reading() as session:
            moments = NotifyRepository(session).next_due(now)
        wait = self.policy.dispatch_poll_interval
        for moment in moments:
            wait = min(wait, (moment - now).total_seconds())
        return max(wait, 0.01)

    # -- claims ---------------------------------------------------------------------------

    def _lease_until(self, now: datetime) -> datetime:
        return domain.after(now, self.policy.dispatch_lease_seconds)

    def _claim_webhooks(self, now: datetime) -> list[WebhookItem]:
        with self.db.unit_of_work() as uow:
            claimed = uow.repo.claim_due_webhooks(
                now, self._lease_until(now), self.policy.dispatch_batch_size
            )
            if not claimed:
                return []
            uow.commit()
        with self.db.reading() as session:
            rows = NotifyRepository(session).claimed_webhooks(claimed)
        return [
            WebhookItem(
                seq=delivery.seq,
                id=delivery.id,
                subscription_id=subscription.id,
                url=subscription.url,
                payload=delivery.payload,
                secrets=tuple(
                    domain.signing_secrets(
                        subscription.secret,
                        subscription.previous_secret,
                        subscription.previous_secret_expires_at,
                        now,
                    )
                ),
            )
            for delivery, subscription in rows
        ]

    def _claim_deliveries(self, now: datetime) -> list[ChannelItem]:
        with self.db.unit_of_work() as uow:
            claimed = uow.repo.claim_due_deliveries(
                now, self._lease_until(now), self.policy.dispatch_batch_size
            )
            if not claimed:
                return []
            uow.commit()
        with self.db.reading() as session:
            rows = NotifyRepository(session).claimed_deliveries(claimed)
        return [
            ChannelItem(
                id=delivery.id,
                message_id=message.id,
                person_id=delivery.person_id,
                channel=delivery.channel,
                request_id=delivery.request_id,
                titles={"zh-CN": message.title_zh, "en": message.title_en},
                bodies={"zh-CN": message.body_zh, "en": message.body_en},
                sms_template=sms_template,
            )
            for delivery, message, sms_template in rows
        ]

    # -- webhooks -------------------------------------------------------------------------

    def _send_webhook(self, item: WebhookItem) -> None:
        # the subscriber checks the timestamp against its own clock, never a moved one
        now = system_utcnow()
        headers = {
            "Content-Type": f"{CONTENT_TYPE}; charset=utf-8",
            "webhook-id": item.id,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": domain.signature_header(item.secrets, item.id, now, item.payload),
        }
        status = None
        with WEBHOOK_SECONDS.time():
            if item.url == PARTNER_EXCHANGE_URL:
                outcome = self._publish_for_partner(item, headers)
            else:
                outcome, status = self._post(item, headers)
        WEBHOOK_ATTEMPTS.labels(outcome.kind).inc()
        with self.db.unit_of_work() as uow:
            webhooks.record_attempt(uow, item, outcome, status, self.policy)

    def _publish_for_partner(self, item: WebhookItem, headers: dict) -> domain.AttemptOutcome:
        try:
            self.partner_exchange.publish(item.subscription_id, item.id, item.payload, headers)
        except NotTaken as exc:
            return domain.classify_response(None, error=exc.reason)
        return domain.classify_response(200)

    def _post(self, item: WebhookItem, headers: dict):
        """The attempt's outcome and the endpoint's HTTP status (None without an answer)."""
        try:
            answer = post(
                item.url,
                item.payload.encode(),
                headers,
                self.policy.webhook_timeout_seconds,
                self.egress,
            )
            status = answer.status
            outcome = domain.classify_response(
                status, retry_after=answer.headers.get("retry-after")
            )
        except Unreachable as exc:
            status = None
            outcome = domain.classify_response(None, error=exc.reason)
            # the partner sees the coarse reason; the operator the detail (never the URL)
            log.info(
                "webhook not sent",
                extra={"delivery_id": item.id, "reason": exc.reason, "detail": exc.detail},
            )
        return outcome, status

    # -- email and SMS ----------------------------------------------------------------------

    def _contact(self, item: ChannelItem) -> dict:
        """How to reach the person now, from the gateway; kept only for this send."""
        context = CallContext.system(item.request_id)
        cluster = ClusterProxy(self.transport, context, self.settings.rpc_timeout, "notify")
        try:
            return cluster.gateway.contact_details(person_id=item.person_id)
        except DomainError as exc:  # 404: no such person (any more); else the gateway is away
            gone = exc.status == 404
            raise SendFailure("no_contact" if gone else "contacts_unavailable", not gone) from None

    def _send_channel(self, item: ChannelItem) -> None:
        adapter = self.channels.get(item.channel)
        if adapter is None:  # configured when the message was made, not in this process
            self._record_channel(item, SKIPPED, domain.NOT_CONFIGURED)
            return
        try:
            contact = self._contact(item)
            address = contact.get("email" if item.channel == EMAIL else "phone")
            if not address:
                self._record_channel(item, SKIPPED, domain.NO_ADDRESS)
                return
            locale = contact.get("locale") if contact.get("locale") in item.titles else "zh-CN"
            provider_id = adapter.send(
                address=address,
                locale=locale,
                title=item.titles[locale],
                body=item.bodies[locale],
                message_id=item.message_id,
                sms_template=item.sms_template,
            )
        except SendFailure as failure:
            self._record_channel(item, None, failure.reason, failure.temporary)
            return
        self._record_channel(item, DELIVERED, None, provider_id=provider_id)

    def _record_channel(
        self,
        item: ChannelItem,
        state: str | None,
        reason: str | None,
        temporary: bool = False,
        provider_id: str | None = None,
    ) -> None:
        """Record the attempt in the request's context (its events name the request that made
        the message), then count it."""
        with self.db.unit_of_work(CallContext.system(item.request_id)) as uow:
            outcome = channels.record_attempt(
                uow, item, state, reason, self.policy, temporary, provider_id
            )
        if outcome is not None:
            CHANNEL_SENDS.labels(item.channel, outcome).inc()


class _Handle:
    """What a worker sees of the dispatcher."""

    def __init__(self, dispatcher: Dispatcher, worker_ctx):
        self._dispatcher = dispatcher
        self._worker_ctx = worker_ctx

    @property
    def configured(self) -> frozenset[str]:
        return self._dispatcher.configured

    @property
    def outside(self) -> webhooks.Outside:
        """What checking a subscription needs: the way out to partners' webhooks (its URL)
        and the first word of event types (its patterns)."""
        dispatcher = self._dispatcher
        return webhooks.Outside(dispatcher.egress, dispatcher.settings.event_type_prefix)

    def wake(self) -> None:
        """Wake the dispatcher once this worker's transaction has committed."""
        self._worker_ctx.notify_wake = True
