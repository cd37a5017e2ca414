"""The notify service's nameko class: events in; messages, channel deliveries and webhook
deliveries out (sent by the dispatcher); inbox, preferences, templates and webhook RPCs.

Each entrypoint validates its input, opens a unit of work (or a reading session), calls one
function of a feature module and dumps the answer; the rules are in those modules (README,
"Where things are").
"""

from __future__ import annotations

import dataclasses
import logging

import sqlalchemy as sa
from nameko.extensions import DependencyProvider

from services.common.consumer import event_handler
from services.common.db import Database
from services.common.policy import Policy
from services.common.privacy import Erasure, PersonalData, PersonErased
from services.common.rpc import rpc
from services.common.service import Audited, ServiceBase

from . import inbox, partners, privacy, queries, retention, routing, templates, webhooks
from .codes import CodeSender
from .contract import (
    GrantInput,
    InboxQuery,
    PageQuery,
    PreferenceUpdate,
    PreviewRequest,
    ReplayRequest,
    TemplateInput,
    WebhookDeliveryQuery,
    WebhookInput,
    WebhookUpdate,
)
from .dispatch import Dispatcher
from .events import EVENTS
from .messages import MESSAGES
from .models import Base
from .policy import NotifyPolicy
from .preferences import set_choices
from .repository import NotifyRepository
from .schemas import (
    DASHBOARD,
    GRANT,
    GRANT_LIST,
    INBOX_PAGE,
    MESSAGE,
    PREFERENCES,
    PREVIEW,
    PURPOSE_LIST,
    READ_ALL,
    REPLAY,
    SECRET,
    TEMPLATE,
    TEMPLATE_LIST,
    WEBHOOK,
    WEBHOOK_CREATED,
    WEBHOOK_DELIVERY_PAGE,
    WEBHOOK_PAGE,
    AnyEventData,
    IndicatorPeriod,
)

log = logging.getLogger(__name__)


class TemplateSeeder(DependencyProvider):
    """At start, brings the database's templates up to date with the template files
    (`templates.seed`); a replica that loses the race to another changes nothing."""

    def start(self) -> None:
        database = next(d for d in self.container.dependencies if isinstance(d, Database))
        try:
            with database.unit_of_work() as uow:
                added = templates.seed(uow.repo)
                uow.commit()
            if added:
                log.info("template versions seeded from files", extra={"added": added})
        except sa.exc.IntegrityError:
            log.info("templates were being seeded by another replica")
        except sa.exc.SQLAlchemyError as exc:  # not migrated yet: /readyz says so; handlers seed
            log.warning("templates not seeded at start: %s", type(exc).__name__)


class NotifyService(ServiceBase, Audited, PersonalData):
    """Notify's entrypoints: an event handler per source, and the RPCs the gateway calls."""

    name = "notify"
    messages = MESSAGES
    db = Database(
        Base.metadata, package="services.notify", events=EVENTS, repository=NotifyRepository
    )
    policy = Policy(NotifyPolicy)
    dispatcher = Dispatcher()
    seeder = TemplateSeeder()
    codes = CodeSender()
    personal_data = privacy
    retention_policies = retention.POLICIES

    # -- events in ------------------------------------------------------------------------

    @event_handler("jobs", "#", AnyEventData)
    def on_jobs_event(self, event, uow):
        self._route(event, uow)

    @event_handler("housing", "#", AnyEventData)
    def on_housing_event(self, event, uow):
        self._route(event, uow)

    @event_handler("startup", "#", AnyEventData)
    def on_startup_event(self, event, uow):
        self._route(event, uow)

    @event_handler("events", "#", AnyEventData)
    def on_events_event(self, event, uow):
        self._route(event, uow)

    @event_handler("gateway", "#", AnyEventData)
    def on_gateway_event(self, event, uow):
        self._route(event, uow)

    @event_handler("notify", "#", AnyEventData)
    def on_notify_event(self, event, uow):
        """Notify's own events reach subscribers and owners too (an endpoint disabled)."""
        self._route(event, uow)

    def _route(self, event, uow) -> None:
        """Queue the event for its subscribers and make its message (`routing.route`); wake
        the dispatcher, once the consumer's transaction commits, if something waits."""
        if routing.route(uow, event, self.policy, self.dispatcher.configured):
            self.dispatcher.wake()

    # -- personal data (PIPL; services.common.privacy.PersonalData, privacy.py) ----------

    def release_person(self, uow, person_id: str) -> None:
        """Before the anonymisation: nothing more is sent to the person (`privacy.release`)."""
        privacy.release(uow, person_id)

    def after_anonymising(self, uow, event, erasure: Erasure) -> None:
        """Answer the gateway, then pass the erasure on to webhook subscribers like any other
        gateway event (its data as it came, dumped back to JSON values)."""
        privacy.answer(uow, event, erasure)
        self._route(dataclasses.replace(event, data=PersonErased().dump(event.data)), uow)

    # -- inbox ----------------------------------------------------------------------------

    @rpc
    def send_code(
        self, channel: str, address: str, locale: str, purpose: str, code: str, minutes: int
    ) -> None:
        """Send a one-time code now, storing nothing (`codes.py`): the gateway asks, with the
        address it holds, for a person who cannot sign in."""
        self.codes.send(channel, address, locale, purpose, code, minutes)

    @rpc
    def inbox(self, query: dict, person_id: str | None = None) -> dict:
        person_id = self.caller.actor.person(person_id)
        args = InboxQuery().load(query)
        with self.db.reading() as session:
            page = queries.inbox_page(session, person_id, args, self.caller.locale)
        return INBOX_PAGE.dump(page)

    @rpc
    def message(self, message_id: str) -> dict:
        """One of the caller's messages, with its state on every channel."""
        with self.db.reading() as session:
            view = queries.message(session, self.caller.actor, message_id, self.caller.locale)
        return MESSAGE.dump(view)

    @rpc
    def mark_read(self, message_id: str) -> dict:
        with self.db.unit_of_work() as uow:
            message = inbox.mark_read(uow, self.caller.actor, message_id)
        return MESSAGE.dump(queries.message_view(message, self.caller.locale))

    @rpc
    def mark_all_read(self, person_id: str | None = None) -> dict:
        person_id = self.caller.actor.person(person_id)
        with self.db.unit_of_work() as uow:
            marked = inbox.mark_all_read(uow, person_id)
        return READ_ALL.dump({"marked": marked, "unread": 0})

    @rpc
    def dashboard(self, person_id: str | None = None) -> dict:
        """The person's newest unread messages for "my dashboard", and the unread count."""
        person_id = self.caller.actor.person(person_id)
        with self.db.reading() as session:
            answer = queries.dashboard(session, person_id, self.policy.dashboard_items)
        return DASHBOARD.dump(answer)

    # -- preferences ------------------------------------------------------------------------

    @rpc
    def preferences(self, person_id: str | None = None) -> dict:
        """Every channel × category, on unless the person turned it off."""
        person_id = self.caller.actor.person(person_id)
        with self.db.reading() as session:
            return PREFERENCES.dump(queries.preferences(session, person_id))

    @rpc
    def set_preferences(self, preferences: dict, person_id: str | None = None) -> dict:
        person_id = self.caller.actor.person(person_id)
        items = PreferenceUpdate().load(preferences)["items"]
        with self.db.unit_of_work() as uow:
            set_choices(uow, person_id, items)
        return self.preferences(person_id)

    # -- templates --------------------------------------------------------------------------

    @rpc
    def templates(self, filters: dict | None = None) -> dict:
        """The decision in force for every event type of every catalogue (version None: none)."""
        with self.db.reading() as session:
            return TEMPLATE_LIST.dump(queries.templates(session, (filters or {}).get("source")))

    @rpc
    def template_versions(self, source: str, event_type: str) -> dict:
        with self.db.reading() as session:
            return TEMPLATE_LIST.dump(queries.template_versions(session, source, event_type))

    @rpc
    def put_template(self, source: str, event_type: str, template: dict) -> dict:
        """A new version of the decision, written by an administrator; it is in force at once."""
        data = TemplateInput().load(template)
        with self.db.unit_of_work() as uow:
            row = templates.put(uow, self.caller.actor, source, event_type, data)
        return TEMPLATE.dump(queries.template_view(source, event_type, row))

    @rpc
    def preview_template(self, source: str, event_type: str, preview: dict) -> dict:
        """A decision (a draft, or the version in force) rendered with the given or example data."""
        request = PreviewRequest().load(preview)
        with self.db.reading() as session:
            rendered = templates.preview(
                NotifyRepository(session), self.caller.actor, source, event_type, request
            )
        return PREVIEW.dump(rendered)

    # -- webhooks ---------------------------------------------------------------------------

    @rpc
    def create_webhook(self, subscription: dict) -> dict:
        """A subscription of the calling partner system; the answer holds its secret."""
        data = WebhookInput().load(subscription)
        with self.db.unit_of_work() as uow:
            row = webhooks.create(uow, self.caller.actor, data, self.dispatcher.outside)
        return WEBHOOK_CREATED.dump({**queries.subscription_view(row), "secret": row.secret})

    @rpc
    def webhooks(self, query: dict) -> dict:
        args = PageQuery().load(query)
        with self.db.reading() as session:
            return WEBHOOK_PAGE.dump(queries.subscriptions(session, self.caller.actor, args))

    @rpc
    def webhook(self, subscription_id: str) -> dict:
        with self.db.reading() as session:
            view = queries.subscription(session, self.caller.actor, subscription_id)
        return WEBHOOK.dump(view)

    @rpc
    def update_webhook(self, subscription_id: str, changes: dict) -> dict:
        data = WebhookUpdate().load(changes)
        with self.db.unit_of_work() as uow:
            row = webhooks.update(
                uow, self.caller.actor, subscription_id, data, self.dispatcher.outside
            )
        return WEBHOOK.dump(queries.subscription_view(row))

    @rpc
    def delete_webhook(self, subscription_id: str) -> None:
        """The subscription and its deliveries go; nothing more is sent to it."""
        with self.db.unit_of_work() as uow:
            webhooks.delete(uow, self.caller.actor, subscription_id)

    @rpc
    def rotate_webhook_secret(self, subscription_id: str) -> dict:
        """A new secret; the previous one keeps signing too for the policy's overlap."""
        with self.db.unit_of_work() as uow:
            row = webhooks.rotate_secret(uow, self.caller.actor, subscription_id, self.policy)
        return SECRET.dump(row)

    @rpc
    def enable_webhook(self, subscription_id: str) -> dict:
        """Enable a disabled endpoint: its pending deliveries go out again, in order."""
        with self.db.unit_of_work() as uow:
            row = webhooks.enable(uow, self.caller.actor, subscription_id)
        self.dispatcher.wake()
        return WEBHOOK.dump(queries.subscription_view(row))

    @rpc
    def webhook_deliveries(self, subscription_id: str, query: dict) -> dict:
        args = WebhookDeliveryQuery().load(query)
        with self.db.reading() as session:
            page = queries.webhook_deliveries(session, self.caller.actor, subscription_id, args)
        return WEBHOOK_DELIVERY_PAGE.dump(page)

    @rpc
    def replay_webhook_delivery(self, subscription_id: str, delivery_id: str) -> dict:
        """Send one delivery again (same `webhook-id`, freshly signed)."""
        with self.db.unit_of_work() as uow:
            replayed = webhooks.replay_delivery(
                uow, self.caller.actor, subscription_id, delivery_id
            )
        self.dispatcher.wake()
        return REPLAY.dump({"replayed": replayed})

    @rpc
    def replay_webhook(self, subscription_id: str, period: dict) -> dict:
        """Send again every delivery of events whose time is in [since, until)."""
        args = ReplayRequest().load(period)
        with self.db.unit_of_work() as uow:
            replayed = webhooks.replay_period(uow, self.caller.actor, subscription_id, args)
        self.dispatcher.wake()
        return REPLAY.dump({"replayed": replayed})

    # -- partners' purposes (PIPL arts. 6, 23) ------------------------------------------------

    @rpc
    def purposes(self) -> dict:
        """The purposes an administrator may grant partners, with their legal bases."""
        return PURPOSE_LIST.dump({"items": partners.purpose_views()})

    @rpc
    def partner_grants(self, partner_id: str) -> dict:
        """The partner's grants, revoked ones too (the partner itself, or an administrator)."""
        with self.db.reading() as session:
            rows = partners.grants_of(NotifyRepository(session), self.caller.actor, partner_id)
            return GRANT_LIST.dump({"items": [partners.grant_view(row) for row in rows]})

    @rpc
    def grant_purpose(self, partner_id: str, purpose: str, grant: dict) -> dict:
        """Grant a purpose to a partner account (an administrator; the gateway checked the
        account and passes its name)."""
        data = GrantInput().load({"reference": grant.get("reference")})
        data["partner_name"] = str(grant.get("partner_name") or "")[:200]
        with self.db.unit_of_work() as uow:
            row = partners.grant(uow, self.caller.actor, partner_id, purpose, data)
            return GRANT.dump(partners.grant_view(row))

    @rpc
    def revoke_purpose(self, partner_id: str, purpose: str) -> None:
        """Revoke a grant; what waits to go out under it alone is withdrawn."""
        with self.db.unit_of_work() as uow:
            partners.revoke(uow, self.caller.actor, partner_id, purpose)

    # -- indicators -------------------------------------------------------------------------

    @rpc
    def indicators(self, since: str, until: str) -> dict:
        """Counts for [since, until), by creation time (`queries.indicators`)."""
        period = IndicatorPeriod().load({"since": since, "until": until})
        with self.db.reading() as session:
            return queries.indicators(session, period["since"], period["until"])
