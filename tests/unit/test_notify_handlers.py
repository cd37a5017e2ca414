"""Notify's workflows, feature by feature, against a unit of work and a repository in memory
(`tests/support/fake_notify.py`): no broker, no database, no nameko. The template decisions are
the real ones, seeded from `services/notify/templates/*.json`."""

from __future__ import annotations

import dataclasses
import json
import uuid
from datetime import timedelta

import pytest

from services.common.actor import Actor
from services.common.clock import utcnow
from services.common.cloudevents import ReceivedEvent
from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.notify import channels, inbox, preferences, privacy, routing, templates, webhooks
from services.notify.channels import ChannelItem
from services.notify.domain import AttemptOutcome
from services.notify.egress import Egress
from services.notify.events import EVENTS
from services.notify.models import (
    Delivery,
    ErasedPerson,
    Message,
    Preference,
    TemplateVersion,
    WebhookDelivery,
    WebhookSubscription,
)
from services.notify.policy import NotifyPolicy
from services.notify.purposes import purposes
from services.notify.vocabulary import ACTIVE, DELIVERED, DISABLED, FAILED, PENDING, SKIPPED
from services.notify.webhooks import WebhookItem
from tests.support.fake_notify import FakeNotifyRepository, grant, never_dialled, resolving
from tests.support.fakes import FakeUnitOfWork

POLICY = NotifyPolicy()
PERSON = "p-1"
YOUTH = Actor(PERSON, "youth")
PARTNER = Actor("partner-1", "partner")
OTHER_PARTNER = Actor("partner-2", "partner")
ADMIN = Actor("admin-1", "admin")
EMAIL_ONLY = frozenset({"email"})


def seeded() -> FakeNotifyRepository:
    repo = FakeNotifyRepository()
    templates.seed(repo)
    return repo


def unit(repo: FakeNotifyRepository | None = None) -> FakeUnitOfWork:
    return FakeUnitOfWork(repo if repo is not None else seeded(), EVENTS)


def event(source: str, entity_verb: str, data: dict, time=None) -> ReceivedEvent:
    return ReceivedEvent(
        id=str(uuid.uuid4()),
        source=f"/youthcity/{source}",
        type=f"youthcity.{source}.{entity_verb}",
        time=time or utcnow(),
        subject=data.get("registration_id"),
        data=data,
        request_id="req-1",
    )


def registration(verb: str = "confirmed", person_id: str = PERSON) -> ReceivedEvent:
    return event(
        "events",
        f"registration.{verb}",
        {
            "registration_id": "reg-1",
            "activity_id": "act-1",
            "person_id": person_id,
            "state": verb,
            "activity_title": "青年音乐节",
            "starts_at": "2026-12-20T06:00:00+00:00",
            "venue": "文化广场",
        },
    )


def messages_of(repo: FakeNotifyRepository, person_id: str = PERSON) -> list[Message]:
    return repo.rows(Message, lambda m: m.person_id == person_id)


def deliveries_of(repo: FakeNotifyRepository, message: Message) -> dict[str, Delivery]:
    return {d.channel: d for d in repo.rows(Delivery, lambda d: d.message_id == message.id)}


def subscription(repo, owner: str = PARTNER.account_id, patterns=("youthcity.events.#",), **kw):
    """A subscription row as saved, its owner granted every purpose (what is refused
    outside a grant is in tests/unit/test_notify_partners.py)."""
    for purpose in purposes():
        if repo.grant_of(owner, purpose) is None:
            grant(repo, owner, purpose)
    now = utcnow()
    row = WebhookSubscription(
        id=str(uuid.uuid4()),
        owner_id=owner,
        url="https://shebao.example.gov.cn/hooks",
        event_types=json.dumps(list(patterns)),
        state=kw.pop("state", ACTIVE),
        secret="whsec_" + "A" * 43,
        consecutive_failures=kw.pop("consecutive_failures", 0),
        created_at=now,
        updated_at=now,
        **kw,
    )
    repo.add(row)
    return row


def webhook_delivery(repo, subscription_row, state=PENDING, event_time=None, payload="{}"):
    now = utcnow()
    row = WebhookDelivery(
        id=f"msg_{uuid.uuid4().hex}",
        subscription_id=subscription_row.id,
        event_id=str(uuid.uuid4()),
        event_type="youthcity.events.registration.confirmed",
        subject="reg-1",
        event_time=event_time or now,
        payload=payload,
        state=state,
        attempts=1 if state != PENDING else 0,
        failed_attempts=0,
        next_attempt_at=now,
        created_at=now,
        updated_at=now,
    )
    repo.add(row)
    return row


# -- from an event to a message (routing, inbox, templates) ----------------------------------


def test_an_event_with_a_message_decision_becomes_a_message_in_both_languages_on_each_channel():
    repo = seeded()
    uow = unit(repo)

    queued = routing.route(uow, registration(), POLICY, EMAIL_ONLY)

    (message,) = messages_of(repo)
    assert queued  # the email waits for the dispatcher
    assert (message.title_zh, message.title_en) == (
        "报名成功:青年音乐节",
        "You're registered: 青年音乐节",
    )
    assert "2026-12-20 14:00" in message.body_en  # district time
    assert message.in_inbox and message.category == "activities"
    sent = deliveries_of(repo, message)
    assert {channel: d.state for channel, d in sent.items()} == {
        "inapp": DELIVERED,
        "email": PENDING,
    }
    assert sent["email"].request_id == "req-1"


def test_a_mandatory_message_reaches_the_inbox_of_someone_who_turned_in_app_off():
    repo = seeded()
    for channel in ("inapp", "email"):
        repo.add(
            Preference(person_id=PERSON, channel=channel, category="activities", enabled=False)
        )
    uow = unit(repo)

    routing.route(uow, registration("confirmed"), POLICY, EMAIL_ONLY)
    routing.route(uow, registration("activity_cancelled"), POLICY, EMAIL_ONLY)

    by_type = {m.event_type.rsplit(".", 1)[1]: m for m in messages_of(repo)}
    assert not by_type["confirmed"].in_inbox
    assert by_type["activity_cancelled"].in_inbox  # mandatory
    cancelled = deliveries_of(repo, by_type["activity_cancelled"])
    assert (cancelled["email"].state, cancelled["email"].reason) == (SKIPPED, "opted_out")
    assert (cancelled["sms"].state, cancelled["sms"].reason) == (SKIPPED, "channel_not_configured")


def test_an_event_whose_decision_is_no_message_makes_none_and_queues_nothing():
    repo = seeded()

    queued = routing.route(unit(repo), registration("cancelled"), POLICY, EMAIL_ONLY)

    assert not queued and repo.rows(Message) == []


def test_an_event_type_without_a_decision_anywhere_is_refused_as_unknown():
    with pytest.raises(templates.UnknownTemplate):
        routing.route(unit(), event("events", "nothing.here", {}), POLICY, EMAIL_ONLY)


def test_a_late_event_about_an_erased_person_makes_no_message_and_reaches_partners_without_data():
    repo = seeded()
    repo.add(ErasedPerson(person_id=PERSON, erasure_id="e-1", erased_at=utcnow()))
    subscription(repo)

    queued = routing.route(unit(repo), registration(), POLICY, EMAIL_ONLY)

    assert queued and repo.rows(Message) == []
    (copy,) = repo.rows(WebhookDelivery)
    sent = json.loads(copy.payload)
    assert sent["data"] == {} and sent["datawithheld"] == "erasure"


# -- the inbox --------------------------------------------------------------------------------


def test_a_person_marks_their_message_read_once_and_nobody_else_may():
    repo = seeded()
    routing.route(unit(repo), registration(), POLICY, EMAIL_ONLY)
    (message,) = messages_of(repo)

    for stranger in (Actor("p-2", "youth"), ADMIN):
        with pytest.raises(NotFound) as hidden:
            inbox.mark_read(unit(repo), stranger, message.id)
        assert hidden.value.status == 404 and hidden.value.params == {"resource": "message"}
    uow = unit(repo)
    first = inbox.mark_read(uow, YOUTH, message.id).read_at
    assert uow.committed and first is not None
    assert inbox.mark_read(unit(repo), YOUTH, message.id).read_at == first


def test_marking_all_read_counts_only_the_unread_messages_of_the_inbox():
    repo = seeded()
    routing.route(unit(repo), registration("confirmed"), POLICY, EMAIL_ONLY)
    routing.route(unit(repo), registration("waitlisted"), POLICY, EMAIL_ONLY)

    assert inbox.mark_all_read(unit(repo), PERSON) == 2
    assert inbox.mark_all_read(unit(repo), PERSON) == 0


# -- preferences ------------------------------------------------------------------------------


def test_a_person_turns_a_channel_off_per_category_and_changes_it_again():
    repo = seeded()
    off = [{"channel": "email", "category": "activities", "enabled": False}]

    preferences.set_choices(unit(repo), PERSON, off)
    assert repo.opted_out(PERSON) == {("email", "activities")}
    preferences.set_choices(unit(repo), PERSON, [{**off[0], "enabled": True}])

    assert repo.opted_out(PERSON) == set()
    assert len(repo.rows(Preference)) == 1


def test_a_category_no_template_uses_is_refused_naming_the_item():
    repo = seeded()
    uow = unit(repo)
    with pytest.raises(InvalidInput) as refused:
        preferences.set_choices(
            uow, PERSON, [{"channel": "email", "category": "horoscopes", "enabled": False}]
        )
    assert refused.value.field == "items.0.category"
    assert refused.value.errors[0]["code"] == "preference_unknown_category"
    assert not uow.committed and repo.rows(Preference) == []


# -- templates --------------------------------------------------------------------------------

DRAFT = {
    "sends": True,
    "recipient": "person_id",
    "category": "activities",
    "mandatory": False,
    "title": {"zh-CN": "已报名:{activity_title}", "en": "Registered: {activity_title}"},
    "body": {"zh-CN": "地点 {venue}", "en": "At {venue}"},
}


def test_an_administrator_writes_a_new_version_which_is_in_force_and_audited():
    repo = seeded()
    before = repo.newest_template("events", "registration.confirmed").version
    uow = unit(repo)

    row = templates.put(uow, ADMIN, "events", "registration.confirmed", DRAFT)

    assert uow.committed and row.version == before + 1
    assert (row.origin, row.created_by) == (templates.ADMIN, "admin-1")
    assert repo.newest_template("events", "registration.confirmed") is row
    assert uow.audited == [
        (
            "template.changed",
            ("template", "events:registration.confirmed"),
            None,
            {"version": before + 1, "sends": True},
        )
    ]


def test_only_an_administrator_writes_templates():
    uow = unit()
    with pytest.raises(Forbidden) as refused:
        templates.put(uow, PARTNER, "events", "registration.confirmed", DRAFT)
    assert refused.value.code == "role_not_allowed" and refused.value.params == {"roles": "admin"}
    assert not uow.committed and uow.audited == []


def test_a_template_naming_a_field_its_event_lacks_is_refused_and_an_unknown_type_is_404():
    draft = {**DRAFT, "body": {"zh-CN": "{shoe_size}", "en": "{shoe_size}"}}
    with pytest.raises(InvalidInput) as refused:
        templates.put(unit(), ADMIN, "events", "registration.confirmed", draft)
    assert [(e["field"], e["code"]) for e in refused.value.errors] == [
        ("body.zh-CN", "template.unknown_placeholder"),
        ("body.en", "template.unknown_placeholder"),
    ]
    with pytest.raises(NotFound) as unknown:
        templates.put(unit(), ADMIN, "events", "nothing.here", DRAFT)
    assert unknown.value.params == {"resource": "event type"}


def test_the_files_no_longer_replace_a_decision_an_administrator_wrote(tmp_path):
    repo = FakeNotifyRepository()
    entry = {key: DRAFT[key] for key in ("recipient", "category", "mandatory", "title", "body")}
    (tmp_path / "events.json").write_text(json.dumps({"registration.confirmed": entry}))
    assert templates.seed(repo, tmp_path) == 1
    templates.put(unit(repo), ADMIN, "events", "registration.confirmed", {"sends": False})
    (tmp_path / "events.json").write_text(json.dumps({"registration.confirmed": None}))

    assert templates.seed(repo, tmp_path) == 0
    newest = repo.newest_template("events", "registration.confirmed")
    assert (newest.version, newest.origin, newest.sends) == (2, templates.ADMIN, False)


def test_a_preview_renders_a_draft_and_a_decision_of_no_message_cannot_be_previewed():
    repo = seeded()
    rendered = templates.preview(
        repo,
        ADMIN,
        "events",
        "registration.confirmed",
        {"template": DRAFT, "data": {"activity_title": "篮球赛"}},
    )
    assert rendered["title"] == {"zh-CN": "已报名:篮球赛", "en": "Registered: 篮球赛"}
    assert rendered["missing"] == ["venue"]
    with pytest.raises(Conflict) as nothing:
        templates.preview(repo, ADMIN, "events", "registration.cancelled", {})
    assert (nothing.value.code, nothing.value.status) == ("template_no_message", 409)


# -- webhook subscriptions --------------------------------------------------------------------

SUBSCRIBE = {
    "url": "https://shebao.example.gov.cn/hooks",
    "event_types": ["youthcity.events.registration.*"],
}
#: the checks a subscription meets, with a stubbed resolver (the name is public) and a dialler
#: that fails the test: saving a subscription must dial nothing
OUTSIDE = webhooks.Outside(Egress(resolve=resolving("93.184.216.34"), dial=never_dialled))


def test_a_partner_subscribes_an_endpoint_with_a_secret_of_its_own():
    repo = FakeNotifyRepository()
    uow = unit(repo)

    grant(repo, PARTNER.account_id, "activity_coorganising")
    patterns = ["youthcity.events.registration.*", "youthcity.events.activity.*"]
    row = webhooks.create(uow, PARTNER, {**SUBSCRIBE, "event_types": patterns * 2}, OUTSIDE)

    assert uow.committed and repo.get(WebhookSubscription, row.id) is row
    assert (row.owner_id, row.state, json.loads(row.event_types)) == (
        "partner-1",
        ACTIVE,
        sorted(patterns),
    )
    assert row.secret.startswith("whsec_")
    assert uow.audited == [("webhook.created", ("webhook", row.id), None, {"url": row.url})]


def test_an_endpoint_scheme_the_district_does_not_allow_is_refused():
    repo = FakeNotifyRepository()
    grant(repo, PARTNER.account_id, "activity_coorganising")
    uow = unit(repo)
    with pytest.raises(InvalidInput) as refused:  # https only, unless development allows http
        webhooks.create(uow, PARTNER, {**SUBSCRIBE, "url": "http://x.example/h"}, OUTSIDE)
    assert refused.value.field == "url"
    assert refused.value.errors[0]["code"] == "webhook_url_scheme"
    assert not uow.committed


def test_another_partners_subscription_does_not_exist_for_them_but_an_administrator_sees_it():
    repo = FakeNotifyRepository()
    row = subscription(repo)
    with pytest.raises(NotFound) as hidden:
        webhooks.update(unit(repo), OTHER_PARTNER, row.id, {"description": "mine"}, OUTSIDE)
    assert hidden.value.params == {"resource": "webhook"}

    webhooks.update(unit(repo), ADMIN, row.id, {"description": "checked"}, OUTSIDE)
    assert row.description == "checked"


def test_a_rotated_secret_keeps_the_previous_one_signing_for_the_overlap():
    repo = FakeNotifyRepository()
    row = subscription(repo)
    old = row.secret

    webhooks.rotate_secret(unit(repo), PARTNER, row.id, POLICY)

    assert row.secret != old and row.previous_secret == old
    overlap = row.previous_secret_expires_at - row.updated_at
    assert overlap == timedelta(hours=POLICY.webhook_secret_overlap_hours)


def test_deleting_a_subscription_takes_its_deliveries_with_it():
    repo = FakeNotifyRepository()
    row = subscription(repo)
    webhook_delivery(repo, row)
    uow = unit(repo)

    webhooks.delete(uow, PARTNER, row.id)

    assert repo.rows(WebhookSubscription) == [] and repo.rows(WebhookDelivery) == []
    assert uow.audited == [("webhook.deleted", ("webhook", row.id), None, {})]


def test_a_matching_event_is_queued_for_each_subscriber_after_the_order_window():
    repo = FakeNotifyRepository()
    wanted = subscription(repo, patterns=("youthcity.*.registration.*",))
    subscription(repo, patterns=("youthcity.jobs.#",))
    later = utcnow() + timedelta(minutes=5)
    confirmed = dataclasses.replace(registration(), time=later)

    assert webhooks.queue_for_subscribers(unit(repo), confirmed, POLICY)

    (queued,) = repo.rows(WebhookDelivery)
    assert (queued.subscription_id, queued.state, queued.subject) == (wanted.id, PENDING, "reg-1")
    assert queued.next_attempt_at == later + timedelta(seconds=POLICY.webhook_order_window_seconds)
    sent = json.loads(queued.payload)
    assert (sent["id"], sent["type"]) == (confirmed.id, confirmed.type)
    assert sent["data"]["person_id"] == PERSON


def item_of(row: WebhookSubscription, delivery: WebhookDelivery) -> WebhookItem:
    return WebhookItem(delivery.seq, delivery.id, row.id, row.url, delivery.payload, (row.secret,))


def test_a_run_of_failed_attempts_disables_the_endpoint_and_tells_its_owner():
    policy = dataclasses.replace(POLICY, webhook_disable_after_failures=2, retry_jitter=0)
    repo = FakeNotifyRepository()
    row = subscription(repo)
    delivery = webhook_delivery(repo, row)
    down = AttemptOutcome("retry", "http_503")

    first = unit(repo)
    webhooks.record_attempt(first, item_of(row, delivery), down, 503, policy)
    assert (row.state, row.consecutive_failures, first.recorded) == (ACTIVE, 1, [])
    second = unit(repo)
    webhooks.record_attempt(second, item_of(row, delivery), down, 503, policy)

    assert (row.state, row.disabled_reason) == (DISABLED, "consecutive_failures")
    assert (delivery.state, delivery.failed_attempts, delivery.last_error) == (
        PENDING,
        2,
        "http_503",
    )
    (notice,) = second.recorded
    assert notice.type == "webhook.endpoint_disabled" and notice.subject == row.id
    assert notice.data["owner_id"] == "partner-1"
    assert notice.data["consecutive_failures"] == 2


def test_a_refused_delivery_fails_without_retry_and_a_410_disables_the_endpoint_at_once():
    repo = FakeNotifyRepository()
    row = subscription(repo)
    refused, gone = webhook_delivery(repo, row), webhook_delivery(repo, row)

    webhooks.record_attempt(
        unit(repo), item_of(row, refused), AttemptOutcome("failed", "http_400"), 400, POLICY
    )
    assert (refused.state, row.state) == (FAILED, ACTIVE)
    webhooks.record_attempt(
        unit(repo), item_of(row, gone), AttemptOutcome("gone", "http_410"), 410, POLICY
    )
    assert (row.state, row.disabled_reason) == (DISABLED, "gone")


def test_a_delivered_attempt_ends_the_endpoints_run_of_failures():
    repo = FakeNotifyRepository()
    row = subscription(repo, consecutive_failures=5)
    delivery = webhook_delivery(repo, row)

    webhooks.record_attempt(
        unit(repo), item_of(row, delivery), AttemptOutcome("delivered"), 200, POLICY
    )

    assert (delivery.state, delivery.last_status, row.consecutive_failures) == (DELIVERED, 200, 0)
    assert delivery.delivered_at is not None


def test_only_a_disabled_endpoint_is_enabled_and_enabling_clears_its_failures():
    repo = FakeNotifyRepository()
    row = subscription(repo)
    with pytest.raises(Conflict) as active:
        webhooks.enable(unit(repo), PARTNER, row.id)
    assert (active.value.code, active.value.status) == ("webhook_not_disabled", 409)

    row.state, row.consecutive_failures, row.disabled_reason = DISABLED, 20, "gone"
    webhooks.enable(unit(repo), PARTNER, row.id)
    assert (row.state, row.consecutive_failures, row.disabled_reason) == (ACTIVE, 0, None)


def test_a_replay_queues_the_periods_finished_deliveries_again_and_leaves_pending_ones():
    repo = FakeNotifyRepository()
    row = subscription(repo)
    start = utcnow() - timedelta(hours=2)
    sent = webhook_delivery(repo, row, DELIVERED, start + timedelta(minutes=10))
    webhook_delivery(repo, row, PENDING, start + timedelta(minutes=20))
    webhook_delivery(repo, row, FAILED, start - timedelta(minutes=1))  # before the period
    uow = unit(repo)

    period = {"since": start, "until": start + timedelta(hours=1)}
    assert webhooks.replay_period(uow, PARTNER, row.id, period) == 1

    assert (sent.state, sent.attempts, sent.delivered_at) == (PENDING, 0, None)
    assert uow.audited[0][3] == {**period, "count": 1}
    with pytest.raises(NotFound) as missing:
        webhooks.replay_delivery(unit(repo), PARTNER, row.id, "msg_nothing")
    assert missing.value.params == {"resource": "delivery"}


# -- email and SMS (channels) -----------------------------------------------------------------


def channel_item(repo) -> tuple[ChannelItem, Delivery]:
    routing.route(unit(repo), registration(), POLICY, EMAIL_ONLY)
    (message,) = messages_of(repo)
    email = deliveries_of(repo, message)["email"]
    item = ChannelItem(
        email.id,
        message.id,
        PERSON,
        "email",
        "req-1",
        {"zh-CN": message.title_zh, "en": message.title_en},
        {"zh-CN": message.body_zh, "en": message.body_en},
        None,
    )
    return item, email


def test_a_temporary_failure_is_retried_on_the_schedule_then_fails_for_good_with_an_event():
    policy = dataclasses.replace(POLICY, channel_retry_delays=(60.0,), retry_jitter=0)
    repo = seeded()
    item, email = channel_item(repo)

    retried = unit(repo)
    assert channels.record_attempt(retried, item, None, "smtp_451", policy, True) == "retry"
    assert (email.state, email.attempts, retried.recorded) == (PENDING, 1, [])
    failed = unit(repo)
    assert channels.record_attempt(failed, item, None, "smtp_451", policy, True) == FAILED

    (outcome,) = failed.recorded
    assert outcome.type == "notification.failed" and outcome.subject == item.message_id
    assert {k: outcome.data[k] for k in ("person_id", "channel", "attempts", "reason")} == {
        "person_id": PERSON,
        "channel": "email",
        "attempts": 2,
        "reason": "smtp_451",
    }


def test_a_delivered_email_keeps_the_providers_id_and_reports_it_delivered():
    repo = seeded()
    item, email = channel_item(repo)
    uow = unit(repo)

    assert channels.record_attempt(uow, item, DELIVERED, None, POLICY, provider_id="<m@x>") == (
        DELIVERED
    )
    assert (email.state, email.provider_id, email.attempts) == (DELIVERED, "<m@x>", 1)
    assert uow.event_types() == ["notification.delivered"]
    assert uow.recorded[0].data["event_type"] == "youthcity.events.registration.confirmed"


def test_an_attempt_on_a_delivery_erased_while_it_was_sent_records_nothing():
    repo = seeded()
    item, email = channel_item(repo)
    privacy.release(unit(repo), PERSON)
    privacy.anonymise(unit(repo), PERSON)
    uow = unit(repo)

    assert channels.record_attempt(uow, item, DELIVERED, None, POLICY) is None
    assert (email.state, email.reason, uow.committed) == (SKIPPED, "erased", False)


# -- personal data (PIPL) ---------------------------------------------------------------------


def erased_event() -> ReceivedEvent:
    return event(
        "gateway",
        "person.erased",
        {"person_id": PERSON, "erasure_id": "erasure-1", "erased_at": utcnow()},
    )


def test_an_erasure_empties_messages_unlinks_deliveries_drops_choices_and_withholds_webhook_data():
    repo = seeded()
    subscription(repo)
    routing.route(unit(repo), registration(), POLICY, EMAIL_ONLY)
    preferences.set_choices(
        unit(repo), PERSON, [{"channel": "sms", "category": "activities", "enabled": False}]
    )
    uow = unit(repo)

    privacy.release(uow, PERSON)
    erasure = privacy.anonymise(uow, PERSON)
    privacy.answer(uow, erased_event(), erasure)

    (message,) = repo.rows(Message)
    assert (message.person_id, message.title_zh, message.body_en, message.in_inbox) == (
        None,
        "",
        "",
        False,
    )
    assert {d.channel: (d.person_id, d.state) for d in repo.rows(Delivery)} == {
        "inapp": (None, DELIVERED),
        "email": (None, SKIPPED),
    }
    assert repo.rows(Preference) == []
    assert json.loads(repo.rows(WebhookDelivery)[0].payload)["data"] == {}
    assert erasure.records == 1 + 2 + 1 + 1
    assert repo.is_erased(PERSON)
    (answer,) = uow.recorded
    assert (answer.type, answer.data) == (
        "person.anonymised",
        {"person_id": PERSON, "erasure_id": "erasure-1", "records": 5},
    )
    assert uow.audited == []  # the gateway's trail has the erasure; notify's keeps no person id


def test_a_second_erasure_finds_nothing_and_answers_again_with_no_records():
    repo = seeded()
    routing.route(unit(repo), registration(), POLICY, EMAIL_ONLY)
    for _ in range(2):
        uow = unit(repo)
        privacy.release(uow, PERSON)
        erasure = privacy.anonymise(uow, PERSON)
        privacy.answer(uow, erased_event(), erasure)

    assert erasure.records == 0
    assert uow.recorded[0].data["records"] == 0
    assert len(repo.rows(ErasedPerson)) == 1


def test_an_erasure_notice_reaches_partners_whole():
    repo = seeded()
    subscription(repo, patterns=("youthcity.gateway.#",))
    notice = erased_event()
    dumped = dataclasses.replace(notice, data={**notice.data, "erased_at": "2026-12-01T00:00:00Z"})
    repo.add(ErasedPerson(person_id=PERSON, erasure_id="erasure-1", erased_at=utcnow()))

    routing.route(unit(repo), dumped, POLICY, EMAIL_ONLY)

    (copy,) = repo.rows(WebhookDelivery)
    assert json.loads(copy.payload)["data"]["person_id"] == PERSON
    assert repo.rows(TemplateVersion, lambda r: r.event_type == "person.erased")[0].sends is False
