"""The notify service's nameko class: events in; messages, channel deliveries and webhook
deliveries out (sent by the dispatcher); inbox, preferences, templates and webhook RPCs."""

from __future__ import annotations

import dataclasses
import json
import logging
import uuid
from datetime import timedelta

import sqlalchemy as sa
from nameko.extensions import DependencyProvider

from services.common import cloudevents
from services.common.clock import utcnow
from services.common.consumer import event_handler
from services.common.db import Database
from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.common.pagination import DESC, keyset_page
from services.common.policy import Policy
from services.common.privacy import PersonErased, anonymised
from services.common.rpc import rpc
from services.common.service import Audited, ServiceBase

from . import catalogue, domain, privacy
from .dispatch import ACTIVE, DISABLED, Dispatcher
from .domain import CHANNELS, DELIVERED, FAILED, PENDING, SKIPPED, Template
from .events import EVENTS
from .messages import MESSAGES
from .models import (
    Base,
    Delivery,
    Message,
    Preference,
    TemplateVersion,
    WebhookDelivery,
    WebhookSubscription,
)
from .policy import NotifyPolicy
from .schemas import (
    AnyEventData,
    InboxQuery,
    IndicatorPeriod,
    PageQuery,
    PreferenceUpdate,
    PreviewRequest,
    ReplayRequest,
    TemplateInput,
    WebhookDeliveryQuery,
    WebhookInput,
    WebhookUpdate,
)
from .templates import (
    ADMIN,
    UnknownTemplate,
    current_version,
    decision_of,
    new_version,
    seed_from_files,
)

log = logging.getLogger(__name__)


class TemplateSeeder(DependencyProvider):
    """At start, brings the database's templates up to date with the template files
    (`templates.seed_from_files`); a replica that loses the race to another changes nothing."""

    def start(self) -> None:
        database = next(d for d in self.container.dependencies if isinstance(d, Database))
        try:
            with database.unit_of_work() as uow:
                added = seed_from_files(uow.session)
                uow.commit()
            if added:
                log.info("template versions seeded from files", extra={"added": added})
        except sa.exc.IntegrityError:
            log.info("templates were being seeded by another replica")
        except sa.exc.SQLAlchemyError as exc:  # not migrated yet: /readyz says so; handlers seed
            log.warning("templates not seeded at start: %s", type(exc).__name__)


def _subscription_view(row: WebhookSubscription) -> dict:
    return {
        "id": row.id,
        "owner_id": row.owner_id,
        "url": row.url,
        "event_types": json.loads(row.event_types),
        "description": row.description,
        "state": row.state,
        "consecutive_failures": row.consecutive_failures,
        "disabled_at": row.disabled_at,
        "disabled_reason": row.disabled_reason,
        "previous_secret_expires_at": row.previous_secret_expires_at,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def _webhook_delivery_view(row: WebhookDelivery) -> dict:
    return {
        "id": row.id,
        "event_id": row.event_id,
        "event_type": row.event_type,
        "subject": row.subject,
        "event_time": row.event_time,
        "state": row.state,
        "attempts": row.attempts,
        "failed_attempts": row.failed_attempts,
        "last_status": row.last_status,
        "last_error": row.last_error,
        "next_attempt_at": row.next_attempt_at if row.state == PENDING else None,
        "created_at": row.created_at,
        "delivered_at": row.delivered_at,
    }


def _template_view(source: str, event_type: str, row: TemplateVersion | None) -> dict:
    view = {"source": source, "event_type": event_type, "version": None, "sends": None}
    if row is None:
        return view
    template = decision_of(row)
    view.update(
        version=row.version,
        sends=row.sends,
        origin=row.origin,
        created_at=row.created_at,
        created_by=row.created_by,
        mandatory=row.mandatory,
    )
    if template is not None:
        view.update(template.as_entry())
        view.setdefault("channels", None)
        view.setdefault("sms_template", None)
    return view


class NotifyService(ServiceBase, Audited):
    name = "notify"
    messages = MESSAGES
    db = Database(Base.metadata, package="services.notify", events=EVENTS)
    policy = Policy(NotifyPolicy)
    dispatcher = Dispatcher()
    seeder = TemplateSeeder()

    # -- events in ------------------------------------------------------------------------

    @event_handler("jobs", "#", AnyEventData)
    def on_jobs_event(self, event, uow):
        self._apply(event, uow)

    @event_handler("housing", "#", AnyEventData)
    def on_housing_event(self, event, uow):
        self._apply(event, uow)

    @event_handler("startup", "#", AnyEventData)
    def on_startup_event(self, event, uow):
        self._apply(event, uow)

    @event_handler("events", "#", AnyEventData)
    def on_events_event(self, event, uow):
        self._apply(event, uow)

    @event_handler("gateway", "#", AnyEventData)
    def on_gateway_event(self, event, uow):
        self._apply(event, uow)

    @event_handler("notify", "#", AnyEventData)
    def on_notify_event(self, event, uow):
        """Notify's own events reach subscribers and owners too (an endpoint disabled)."""
        self._apply(event, uow)

    @event_handler("gateway", "person.erased", PersonErased)
    def on_person_erased(self, event, uow):
        """Anonymise what notify holds about the person (what stays and why:
        `services/notify/privacy.py`), answer the gateway, then pass the erasure on to webhook
        subscribers like any other gateway event."""
        person_id = event.data["person_id"]
        records = privacy.erase_person(uow, person_id, event.data["erasure_id"], utcnow())
        uow.record("person.anonymised", subject=person_id, data=anonymised(event, records))
        self._apply(dataclasses.replace(event, data=PersonErased().dump(event.data)), uow)

    def _apply(self, event, uow) -> None:
        """Queue the event for every subscription that wants it, and turn it into a message
        if its template decision says so. Runs once per event (the consumer's inbox)."""
        queued = self._fan_out(event, uow)
        source, entity_verb = event.source_service, event.type.split(".", 2)[2]
        row = current_version(uow.session, source, entity_verb)
        if row is None and seed_from_files(uow.session):
            uow.session.flush()
            row = current_version(uow.session, source, entity_verb)
        if row is None:
            raise UnknownTemplate(f"{source}: {entity_verb}")
        template = decision_of(row)
        recipient = template and event.data.get(template.recipient)
        if recipient:
            queued = self._compose(event, uow, template, row.id, str(recipient)) or queued
        if queued:
            self.dispatcher.wake()

    def _fan_out(self, event, uow) -> bool:
        wanted = [
            subscription_id
            for subscription_id, patterns in uow.session.execute(
                sa.select(WebhookSubscription.id, WebhookSubscription.event_types)
            )
            if domain.subscribed(json.loads(patterns), event.type)
        ]
        if not wanted:
            return False
        payload = self._webhook_payload(event, uow)
        now = utcnow()
        due = max(now, event.time + timedelta(seconds=self.policy.webhook_order_window_seconds))
        for subscription_id in wanted:
            uow.session.add(
                WebhookDelivery(
                    id=domain.new_delivery_id(),
                    subscription_id=subscription_id,
                    event_id=event.id,
                    event_type=event.type,
                    subject=event.subject or "",
                    event_time=event.time,
                    payload=payload,
                    state=PENDING,
                    attempts=0,
                    failed_attempts=0,
                    next_attempt_at=due,
                    created_at=now,
                    updated_at=now,
                )
            )
        return True

    @staticmethod
    def _webhook_payload(event, uow) -> str:
        payload = cloudevents.encode(
            event_id=event.id,
            service=event.source_service,
            event_type=event.type,
            time=event.time,
            subject=event.subject,
            data_json=json.dumps(event.data, ensure_ascii=False, separators=(",", ":")),
            request_id=event.request_id,
            actor_id=event.actor_id,
        ).decode()
        if not domain.tells_of_erasure(event.type) and privacy.erased_among(
            uow.session, domain.strings_in(event.data)
        ):
            # sent before the person's erasure, or by a service slower to erase
            return domain.withhold_data(payload)
        return payload

    def _compose(self, event, uow, template: Template, version_id: str, person_id: str) -> bool:
        if privacy.is_erased(uow.session, person_id):
            return False  # an event about an erased person, late: nobody to tell, nothing kept
        opted_out = {
            (row.channel, row.category)
            for row in uow.session.execute(
                sa.select(Preference).where(
                    Preference.person_id == person_id, Preference.enabled.is_(False)
                )
            ).scalars()
        }
        plan = domain.plan_channels(
            template,
            opted_out,
            self.dispatcher.configured,
            self.policy.default_channels,
            self.policy.mandatory_channels,
        )
        title, body = template.render(event.data)
        now = utcnow()
        message = Message(
            id=str(uuid.uuid4()),
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
        uow.session.add(message)
        uow.session.flush()
        for channel, state, reason in plan.deliveries:
            uow.session.add(
                Delivery(
                    id=str(uuid.uuid4()),
                    message_id=message.id,
                    person_id=person_id,
                    channel=channel,
                    state=state,
                    attempts=1 if state == DELIVERED else 0,
                    next_attempt_at=now if state == PENDING else None,
                    reason=reason,
                    request_id=event.request_id,
                    created_at=now,
                    updated_at=now,
                    delivered_at=now if state == DELIVERED else None,
                )
            )
        return any(state == PENDING for _, state, _ in plan.deliveries)

    @rpc
    def export_person(self, person_id: str) -> dict:
        """Everything notify holds about the person (PIPL): messages with their deliveries,
        and preferences. No contact details: notify keeps none."""
        with self.db.reading() as session:
            return privacy.export(session, person_id)

    # -- inbox ----------------------------------------------------------------------------

    def _view(self, message: Message, deliveries: list[Delivery] | None = None) -> dict:
        english = self.caller.locale == "en"
        view = {
            "id": message.id,
            "event_type": message.event_type,
            "category": message.category,
            "mandatory": message.mandatory,
            "title": message.title_en if english else message.title_zh,
            "body": message.body_en if english else message.body_zh,
            "created_at": message.created_at,
            "read_at": message.read_at,
            "link": f"/api/v1/me/messages/{message.id}",
        }
        if deliveries is not None:
            view["deliveries"] = [
                {
                    "channel": d.channel,
                    "state": d.state,
                    "attempts": d.attempts,
                    "reason": d.reason,
                    "updated_at": d.updated_at,
                    "delivered_at": d.delivered_at,
                }
                for d in sorted(deliveries, key=lambda d: CHANNELS.index(d.channel))
            ]
        return view

    @staticmethod
    def _inbox_of(person_id: str):
        return sa.and_(Message.person_id == person_id, Message.in_inbox.is_(True))

    @staticmethod
    def _unread(session, person_id: str) -> int:
        return session.execute(
            sa.select(sa.func.count()).where(
                NotifyService._inbox_of(person_id), Message.read_at.is_(None)
            )
        ).scalar()

    @rpc
    def inbox(self, person_id: str, query: dict) -> dict:
        args = InboxQuery().load(query)
        select = sa.select(Message).where(self._inbox_of(person_id))
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
            return {
                "items": [self._view(m) for m in page.items],
                "next_cursor": page.next_cursor,
                "unread": self._unread(session, person_id),
            }

    def _own_message(self, session, message_id: str) -> Message:
        message = session.get(Message, message_id)
        # someone else's message, or one kept out of the inbox, does not exist for the caller
        if message is None or message.person_id != self.caller.actor_id or not message.in_inbox:
            raise NotFound("message")
        return message

    @rpc
    def message(self, message_id: str) -> dict:
        """One of the caller's messages, with its state on every channel."""
        with self.db.reading() as session:
            message = self._own_message(session, message_id)
            deliveries = (
                session.execute(sa.select(Delivery).where(Delivery.message_id == message.id))
                .scalars()
                .all()
            )
            return self._view(message, deliveries)

    @rpc
    def mark_read(self, message_id: str) -> dict:
        with self.db.unit_of_work() as uow:
            message = self._own_message(uow.session, message_id)
            if message.read_at is None:
                message.read_at = utcnow()
            uow.commit()
            return self._view(message)

    @rpc
    def mark_all_read(self, person_id: str) -> dict:
        with self.db.unit_of_work() as uow:
            marked = uow.session.execute(
                sa.update(Message)
                .where(self._inbox_of(person_id), Message.read_at.is_(None))
                .values(read_at=utcnow())
            ).rowcount
            uow.commit()
        return {"marked": marked, "unread": 0}

    @rpc
    def dashboard(self, person_id: str) -> dict:
        """The person's newest unread messages for "my dashboard", and the unread count."""
        with self.db.reading() as session:
            rows = (
                session.execute(
                    sa.select(Message)
                    .where(self._inbox_of(person_id), Message.read_at.is_(None))
                    .order_by(Message.created_at.desc(), Message.id.desc())
                    .limit(self.policy.dashboard_items)
                )
                .scalars()
                .all()
            )
            unread = self._unread(session, person_id)
        return {
            "items": [
                {
                    "kind": "notify.message",
                    "id": m.id,
                    "title": {"zh-CN": m.title_zh, "en": m.title_en},
                    "state": "unread",
                    "next_step": None,
                    "updated_at": m.created_at,
                    "link": f"/api/v1/me/messages/{m.id}",
                }
                for m in rows
            ],
            "unread": unread,
        }

    # -- preferences ------------------------------------------------------------------------

    def _categories(self, session) -> list[str]:
        return sorted(
            session.execute(
                sa.select(TemplateVersion.category)
                .where(TemplateVersion.category.is_not(None))
                .distinct()
            ).scalars()
        )

    @rpc
    def preferences(self, person_id: str) -> dict:
        """Every channel × category, on unless the person turned it off."""
        with self.db.reading() as session:
            off = {
                (row.channel, row.category)
                for row in session.execute(
                    sa.select(Preference).where(
                        Preference.person_id == person_id, Preference.enabled.is_(False)
                    )
                ).scalars()
            }
            categories = self._categories(session)
        return {
            "items": [
                {
                    "channel": channel,
                    "category": category,
                    "enabled": (channel, category) not in off,
                }
                for category in categories
                for channel in CHANNELS
            ]
        }

    @rpc
    def set_preferences(self, person_id: str, preferences: dict) -> dict:
        items = PreferenceUpdate().load(preferences)["items"]
        now = utcnow()
        with self.db.unit_of_work() as uow:
            known = set(self._categories(uow.session))
            for index, item in enumerate(items):
                if item["category"] not in known:
                    raise InvalidInput.for_field(
                        f"items.{index}.category", "preference_unknown_category", MESSAGES
                    )
                row = uow.session.get(Preference, (person_id, item["channel"], item["category"]))
                if row is None:
                    row = Preference(
                        person_id=person_id, channel=item["channel"], category=item["category"]
                    )
                    uow.session.add(row)
                row.enabled, row.updated_at = item["enabled"], now
            uow.commit()
        return self.preferences(person_id)

    # -- templates --------------------------------------------------------------------------

    def _require_admin(self) -> None:
        if self.caller.actor_role != "admin":
            raise Forbidden("role_not_allowed", params={"roles": "admin"})

    @staticmethod
    def _known_fields(source: str, event_type: str) -> set[str]:
        data_fields = catalogue.data_fields(source, event_type)
        if data_fields is None:
            raise NotFound("event type")
        return set(data_fields)

    @rpc
    def templates(self, filters: dict | None = None) -> dict:
        """The decision in force for every event type of every catalogue (version None: none)."""
        source_filter = (filters or {}).get("source")
        with self.db.reading() as session:
            newest = {}
            for row in session.execute(
                sa.select(TemplateVersion).order_by(TemplateVersion.version)
            ).scalars():
                newest[(row.source, row.event_type)] = row
        items = [
            _template_view(source, event_type, newest.get((source, event_type)))
            for source, catalog in sorted(catalogue.catalogues().items())
            if not source_filter or source == source_filter
            for event_type in sorted(catalog.specs)
        ]
        return {"items": items}

    @rpc
    def template_versions(self, source: str, event_type: str) -> dict:
        self._known_fields(source, event_type)
        with self.db.reading() as session:
            rows = session.execute(
                sa.select(TemplateVersion)
                .where(TemplateVersion.source == source, TemplateVersion.event_type == event_type)
                .order_by(TemplateVersion.version.desc())
            ).scalars()
            return {"items": [_template_view(source, event_type, row) for row in rows]}

    def _template_from(self, body: dict, known: set[str]) -> Template | None:
        data = TemplateInput().load(body)
        if not data["sends"]:
            return None
        template = Template(
            recipient=data["recipient"],
            category=data["category"],
            mandatory=data["mandatory"],
            title=data["title"],
            body=data["body"],
            channels=data.get("channels"),
            sms_template=data.get("sms_template"),
        )
        problems = domain.template_problems(template, known)
        if problems:
            raise InvalidInput(
                field=problems[0][0],
                errors=[
                    {"field": field, "code": code, "messages": MESSAGES.render(code)}
                    for field, code in problems
                ],
            )
        return template

    @rpc
    def put_template(self, source: str, event_type: str, template: dict) -> dict:
        """A new version of the decision, written by an administrator; it is in force at once."""
        self._require_admin()
        decision = self._template_from(template, self._known_fields(source, event_type))
        with self.db.unit_of_work() as uow:
            latest = current_version(uow.session, source, event_type)
            version = 1 if latest is None else latest.version + 1
            row = new_version(
                source, event_type, version, decision, ADMIN, created_by=self.caller.actor_id
            )
            uow.session.add(row)
            uow.audit(
                "template.changed",
                ("template", f"{source}:{event_type}"),
                details={"version": version, "sends": decision is not None},
            )
            try:
                uow.commit()
            except sa.exc.IntegrityError as exc:  # two administrators at once
                raise Conflict("conflict") from exc
        return _template_view(source, event_type, row)

    @rpc
    def preview_template(self, source: str, event_type: str, preview: dict) -> dict:
        """A decision (a draft, or the version in force) rendered with the given or example data."""
        self._require_admin()
        known = self._known_fields(source, event_type)
        request = PreviewRequest().load(preview)
        if "template" in request:
            template = self._template_from(TemplateInput().dump(request["template"]), known)
        else:
            with self.db.reading() as session:
                row = current_version(session, source, event_type)
            template = row and decision_of(row)
        if template is None:
            raise Conflict("template_no_message")
        data = request.get("data") or domain.example_data(catalogue.data_fields(source, event_type))
        title, body = template.render(data)
        return {
            "title": title,
            "body": body,
            "data": data,
            "missing": sorted(template.fields_used() - {template.recipient} - set(data)),
        }

    # -- webhooks ---------------------------------------------------------------------------

    def _check_url(self, url: str) -> None:
        scheme = url.split(":", 1)[0].lower()
        if scheme not in self.policy.webhook_url_schemes:
            raise InvalidInput.for_field(
                "url",
                "webhook_url_scheme",
                MESSAGES,
                schemes=", ".join(self.policy.webhook_url_schemes),
            )

    def _subscription(self, session, subscription_id: str, lock: bool = False):
        row = session.get(WebhookSubscription, subscription_id, with_for_update=lock or None)
        if row is None or (
            row.owner_id != self.caller.actor_id and self.caller.actor_role != "admin"
        ):
            raise NotFound("webhook")
        return row

    @rpc
    def create_webhook(self, subscription: dict) -> dict:
        """A subscription of the calling partner system; the answer holds its secret."""
        data = WebhookInput().load(subscription)
        self._check_url(data["url"])
        now = utcnow()
        row = WebhookSubscription(
            id=str(uuid.uuid4()),
            owner_id=self.caller.actor_id,
            url=data["url"],
            event_types=json.dumps(sorted(set(data["event_types"]))),
            description=data.get("description"),
            state=ACTIVE,
            secret=domain.new_secret(),
            consecutive_failures=0,
            created_at=now,
            updated_at=now,
        )
        with self.db.unit_of_work() as uow:
            uow.session.add(row)
            uow.audit("webhook.created", ("webhook", row.id), details={"url": row.url})
            uow.commit()
        return {**_subscription_view(row), "secret": row.secret}

    @rpc
    def webhooks(self, query: dict) -> dict:
        args = PageQuery().load(query)
        select = sa.select(WebhookSubscription)
        if self.caller.actor_role != "admin":
            select = select.where(WebhookSubscription.owner_id == self.caller.actor_id)
        with self.db.reading() as session:
            page = keyset_page(
                session,
                select,
                [(WebhookSubscription.created_at, DESC), (WebhookSubscription.id, DESC)],
                args.get("after"),
                args["limit"],
            )
            return {
                "items": [_subscription_view(row) for row in page.items],
                "next_cursor": page.next_cursor,
            }

    @rpc
    def webhook(self, subscription_id: str) -> dict:
        with self.db.reading() as session:
            return _subscription_view(self._subscription(session, subscription_id))

    @rpc
    def update_webhook(self, subscription_id: str, changes: dict) -> dict:
        data = WebhookUpdate().load(changes)
        if "url" in data:
            self._check_url(data["url"])
        with self.db.unit_of_work() as uow:
            row = self._subscription(uow.session, subscription_id, lock=True)
            if "url" in data:
                row.url = data["url"]
            if "event_types" in data:
                row.event_types = json.dumps(sorted(set(data["event_types"])))
            if "description" in data:
                row.description = data["description"]
            row.updated_at = utcnow()
            uow.audit("webhook.changed", ("webhook", row.id), details=sorted(data))
            uow.commit()
            return _subscription_view(row)

    @rpc
    def delete_webhook(self, subscription_id: str) -> None:
        """The subscription and its deliveries go; nothing more is sent to it."""
        with self.db.unit_of_work() as uow:
            row = self._subscription(uow.session, subscription_id, lock=True)
            uow.session.execute(
                sa.delete(WebhookDelivery).where(WebhookDelivery.subscription_id == row.id)
            )
            uow.session.delete(row)
            uow.audit("webhook.deleted", ("webhook", subscription_id))
            uow.commit()

    @rpc
    def rotate_webhook_secret(self, subscription_id: str) -> dict:
        """A new secret; the previous one keeps signing too for the policy's overlap, so the
        subscriber can switch without losing a delivery."""
        now = utcnow()
        with self.db.unit_of_work() as uow:
            row = self._subscription(uow.session, subscription_id, lock=True)
            row.previous_secret = row.secret
            row.previous_secret_expires_at = now + timedelta(
                hours=self.policy.webhook_secret_overlap_hours
            )
            row.secret = domain.new_secret()
            row.updated_at = now
            uow.audit("webhook.secret_rotated", ("webhook", row.id))
            uow.commit()
            return {
                "secret": row.secret,
                "previous_secret_expires_at": row.previous_secret_expires_at,
            }

    @rpc
    def enable_webhook(self, subscription_id: str) -> dict:
        """Enable a disabled endpoint: its pending deliveries go out again, in order."""
        with self.db.unit_of_work() as uow:
            row = self._subscription(uow.session, subscription_id, lock=True)
            if row.state != DISABLED:
                raise Conflict("webhook_not_disabled")
            row.state, row.consecutive_failures = ACTIVE, 0
            row.disabled_at = row.disabled_reason = None
            row.updated_at = utcnow()
            uow.audit("webhook.enabled", ("webhook", row.id))
            uow.commit()
            view = _subscription_view(row)
        self.dispatcher.wake()
        return view

    @rpc
    def webhook_deliveries(self, subscription_id: str, query: dict) -> dict:
        args = WebhookDeliveryQuery().load(query)
        with self.db.reading() as session:
            row = self._subscription(session, subscription_id)
            select = sa.select(WebhookDelivery).where(WebhookDelivery.subscription_id == row.id)
            if args.get("state"):
                select = select.where(WebhookDelivery.state == args["state"])
            page = keyset_page(
                session, select, [(WebhookDelivery.seq, DESC)], args.get("after"), args["limit"]
            )
            return {
                "items": [_webhook_delivery_view(d) for d in page.items],
                "next_cursor": page.next_cursor,
            }

    def _requeue(self, uow, condition) -> int:
        now = utcnow()
        replayed = uow.session.execute(
            sa.update(WebhookDelivery)
            .where(condition, WebhookDelivery.state != PENDING)
            .values(
                state=PENDING,
                attempts=0,
                next_attempt_at=now,
                lease_until=None,
                delivered_at=None,
                updated_at=now,
            )
        ).rowcount
        return replayed

    @rpc
    def replay_webhook_delivery(self, subscription_id: str, delivery_id: str) -> dict:
        """Send one delivery again (same `webhook-id`, freshly signed)."""
        with self.db.unit_of_work() as uow:
            row = self._subscription(uow.session, subscription_id)
            exists = uow.session.execute(
                sa.select(WebhookDelivery.seq).where(
                    WebhookDelivery.subscription_id == row.id, WebhookDelivery.id == delivery_id
                )
            ).first()
            if exists is None:
                raise NotFound("delivery")
            replayed = self._requeue(uow, WebhookDelivery.seq == exists.seq)
            uow.audit("webhook.replayed", ("webhook", row.id), details={"delivery": delivery_id})
            uow.commit()
        self.dispatcher.wake()
        return {"replayed": replayed}

    @rpc
    def replay_webhook(self, subscription_id: str, period: dict) -> dict:
        """Send again every delivery of events whose time is in [since, until)."""
        args = ReplayRequest().load(period)
        with self.db.unit_of_work() as uow:
            row = self._subscription(uow.session, subscription_id)
            replayed = self._requeue(
                uow,
                sa.and_(
                    WebhookDelivery.subscription_id == row.id,
                    WebhookDelivery.event_time >= args["since"],
                    WebhookDelivery.event_time < args["until"],
                ),
            )
            uow.audit(
                "webhook.replayed",
                ("webhook", row.id),
                details={"since": args["since"], "until": args["until"], "count": replayed},
            )
            uow.commit()
        self.dispatcher.wake()
        return {"replayed": replayed}

    # -- indicators -------------------------------------------------------------------------

    @rpc
    def indicators(self, since: str, until: str) -> dict:
        """Counts for [since, until), by creation time: `notify.messages` (messages made),
        `notify.messages.<channel>.<state>` (each message on each channel, by its state now),
        `notify.webhooks.deliveries` and `notify.webhooks.<state>`, `notify.webhooks.
        failed_attempts`, and `notify.webhooks.endpoints_disabled`."""
        period = IndicatorPeriod().load({"since": since, "until": until})
        start, end = period["since"], period["until"]
        result = {"notify.messages": 0, "notify.webhooks.deliveries": 0}
        for channel in CHANNELS:
            for state in (PENDING, DELIVERED, FAILED, SKIPPED):
                result[f"notify.messages.{channel}.{state}"] = 0
        for state in (PENDING, DELIVERED, FAILED):
            result[f"notify.webhooks.{state}"] = 0
        with self.db.reading() as session:
            result["notify.messages"] = session.execute(
                sa.select(sa.func.count()).where(
                    Message.created_at >= start, Message.created_at < end
                )
            ).scalar()
            for channel, state, count in session.execute(
                sa.select(Delivery.channel, Delivery.state, sa.func.count())
                .where(Delivery.created_at >= start, Delivery.created_at < end)
                .group_by(Delivery.channel, Delivery.state)
            ):
                result[f"notify.messages.{channel}.{state}"] = count
            failed_attempts = 0
            for state, count, failures in session.execute(
                sa.select(
                    WebhookDelivery.state,
                    sa.func.count(),
                    sa.func.coalesce(sa.func.sum(WebhookDelivery.failed_attempts), 0),
                )
                .where(WebhookDelivery.created_at >= start, WebhookDelivery.created_at < end)
                .group_by(WebhookDelivery.state)
            ):
                result[f"notify.webhooks.{state}"] = count
                result["notify.webhooks.deliveries"] += count
                failed_attempts += int(failures)
            result["notify.webhooks.failed_attempts"] = failed_attempts
            result["notify.webhooks.endpoints_disabled"] = session.execute(
                sa.select(sa.func.count()).where(
                    WebhookSubscription.disabled_at >= start, WebhookSubscription.disabled_at < end
                )
            ).scalar()
        return result
