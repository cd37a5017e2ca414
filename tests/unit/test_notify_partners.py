"""Partners get a purpose (services/notify/purposes.py, partners.py): an administrator grants
purposes; subscriptions beyond the grant are refused; only granted types are queued, without
the acting officer's id; revoking withdraws what waits; the person's export names the partners
that received events about them; and the vocabulary matches the event catalogue."""

from __future__ import annotations

import dataclasses
import json
import uuid

import pytest

from services.common.actor import Actor
from services.common.clock import utcnow
from services.common.errors import Forbidden, InvalidInput, NotFound
from services.notify import partners, privacy, webhooks
from services.notify.catalogue import data_fields
from services.notify.egress import Egress
from services.notify.events import EVENTS
from services.notify.models import PartnerGrant, WebhookDelivery, WebhookSubscription
from services.notify.policy import NotifyPolicy
from services.notify.purposes import catalogued_types, purpose_for, purposes
from services.notify.vocabulary import ACTIVE, DELIVERED, FAILED, PENDING
from tests.support.fake_notify import FakeNotifyRepository, grant, never_dialled, resolving
from tests.support.fakes import FakeUnitOfWork

POLICY = NotifyPolicy()
BANK = Actor("bank-1", "partner")
ADMIN = Actor("admin-1", "admin")
OFFICER = Actor("officer-1", "officer", "hrss")
OUTSIDE = webhooks.Outside(Egress(resolve=resolving("93.184.216.34"), dial=never_dialled))
URL = "https://bank.example.com/hooks"


def unit(repo) -> FakeUnitOfWork:
    return FakeUnitOfWork(repo, EVENTS)


def subscribe(repo, *patterns: str, actor: Actor = BANK) -> WebhookSubscription:
    return webhooks.create(unit(repo), actor, {"url": URL, "event_types": list(patterns)}, OUTSIDE)


def loan_event(verb: str = "decided", actor_id: str | None = "officer-1"):
    from services.common.cloudevents import ReceivedEvent

    return ReceivedEvent(
        id=str(uuid.uuid4()),
        source="/youthcity/startup",
        type=f"youthcity.startup.loan.{verb}",
        time=utcnow(),
        subject="loan-1",
        data={"loan_id": "loan-1", "person_id": "p-1", "lender_id": "l-1", "state": verb},
        request_id="req-1",
        actor_id=actor_id,
    )


# -- subscriptions within the grant ------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern",
    ["#", "youthcity.#", "youthcity.startup.#", "youthcity.*.*.decided", "youthcity.jobs.#", "x.#"],
)
def test_a_pattern_beyond_the_partners_grant_is_refused_with_the_field_in_both_languages(pattern):
    repo = FakeNotifyRepository()
    grant(repo, BANK.account_id, "loan_servicing")
    with pytest.raises(InvalidInput) as refused:
        subscribe(repo, "youthcity.startup.loan.*", pattern)
    error = refused.value.errors[0]
    assert (refused.value.field, error["code"]) == ("event_types", "webhook_pattern_not_granted")
    assert pattern in error["messages"]["zh-CN"] and pattern in error["messages"]["en"]
    assert repo.rows(WebhookSubscription) == []


def test_a_partner_without_a_grant_subscribes_to_nothing_and_within_its_grant_it_may():
    repo = FakeNotifyRepository()
    with pytest.raises(InvalidInput):
        subscribe(repo, "youthcity.startup.loan.decided")
    grant(repo, BANK.account_id, "loan_servicing")
    row = subscribe(repo, "youthcity.startup.loan.*", "youthcity.gateway.person.erased")
    assert row.state == ACTIVE


def test_changing_patterns_is_checked_against_the_owners_grant_even_by_an_administrator():
    repo = FakeNotifyRepository()
    grant(repo, BANK.account_id, "loan_servicing")
    row = subscribe(repo, "youthcity.startup.loan.*")
    with pytest.raises(InvalidInput):
        webhooks.update(unit(repo), ADMIN, row.id, {"event_types": ["youthcity.jobs.#"]}, OUTSIDE)
    assert json.loads(row.event_types) == ["youthcity.startup.loan.*"]


# -- what is queued, and how it reads ---------------------------------------------------------


def test_only_granted_types_are_queued_under_their_purpose_without_the_officers_id():
    repo = FakeNotifyRepository()
    grant(repo, BANK.account_id, "loan_servicing")
    row = subscribe(repo, "youthcity.startup.loan.*")
    # a subscription saved before grants existed, matching more than the grant
    row.event_types = json.dumps(["#"])

    assert webhooks.queue_for_subscribers(unit(repo), loan_event(), POLICY)
    hired = dataclasses.replace(loan_event(), type="youthcity.jobs.application.hired")
    assert not webhooks.queue_for_subscribers(unit(repo), hired, POLICY)

    (queued,) = repo.rows(WebhookDelivery)
    assert (queued.event_type, queued.purpose) == (
        "youthcity.startup.loan.decided",
        "loan_servicing",
    )
    sent = json.loads(queued.payload)
    assert "actorid" not in sent and "officer-1" not in queued.payload
    assert sent["data"]["loan_id"] == "loan-1"


# -- grants -------------------------------------------------------------------------------------


def test_an_administrator_grants_with_the_legal_basis_and_agreement_recorded_and_audited():
    repo = FakeNotifyRepository()
    uow = unit(repo)
    row = partners.grant(
        uow,
        ADMIN,
        BANK.account_id,
        "loan_servicing",
        {"reference": "协议-7", "partner_name": "XX银行"},
    )
    assert uow.committed
    assert (row.granted_by, row.reference, row.partner_name, row.revoked_at) == (
        "admin-1",
        "协议-7",
        "XX银行",
        None,
    )
    assert row.legal_basis_zh == purposes()["loan_servicing"].legal_basis["zh-CN"]
    ((action, subject, _, details),) = uow.audited
    assert (action, subject) == ("partner.purpose_granted", ("partner", "bank-1"))
    assert details["purpose"] == "loan_servicing" and details["reference"] == "协议-7"
    assert ["youthcity", "startup.loan.decided"][1] in details["event_types"]


def test_only_an_administrator_grants_and_only_known_purposes():
    repo = FakeNotifyRepository()
    data = {"reference": "r", "partner_name": "n"}
    for actor in (BANK, OFFICER):
        with pytest.raises(Forbidden):
            partners.grant(unit(repo), actor, BANK.account_id, "loan_servicing", data)
    with pytest.raises(InvalidInput) as unknown:
        partners.grant(unit(repo), ADMIN, BANK.account_id, "everything", data)
    assert unknown.value.errors[0]["code"] == "purpose_unknown"
    assert repo.rows(PartnerGrant) == []


def test_revoking_withdraws_what_waits_unless_another_grant_covers_it():
    repo = FakeNotifyRepository()
    grant(repo, BANK.account_id, "loan_servicing")
    grant(repo, BANK.account_id, "employment_services")
    row = subscribe(repo, "youthcity.startup.loan.*", "youthcity.gateway.person.erased")
    webhooks.queue_for_subscribers(unit(repo), loan_event(), POLICY)
    erased = dataclasses.replace(loan_event(), type="youthcity.gateway.person.erased")
    webhooks.queue_for_subscribers(unit(repo), erased, POLICY)
    loan, notice = sorted(repo.rows(WebhookDelivery), key=lambda d: d.event_type, reverse=True)

    uow = unit(repo)
    partners.revoke(uow, ADMIN, BANK.account_id, "loan_servicing")

    assert (loan.state, loan.last_error) == (FAILED, "not_granted")
    assert notice.state == PENDING  # employment_services covers erasure notices too
    assert uow.audited[0][0] == "partner.purpose_revoked"
    grant_row = repo.grant_of(BANK.account_id, "loan_servicing")
    assert (grant_row.revoked_by, grant_row.revoked_at is not None) == ("admin-1", True)
    assert not webhooks.queue_for_subscribers(unit(repo), loan_event(), POLICY)
    with pytest.raises(NotFound):
        partners.revoke(unit(repo), ADMIN, BANK.account_id, "loan_servicing")
    assert row.state == ACTIVE


def test_a_replay_sends_again_only_what_is_still_granted():
    repo = FakeNotifyRepository()
    grant(repo, BANK.account_id, "loan_servicing")
    row = subscribe(repo, "youthcity.startup.loan.*")
    webhooks.queue_for_subscribers(unit(repo), loan_event(), POLICY)
    (delivery,) = repo.rows(WebhookDelivery)
    delivery.state = DELIVERED
    partners.revoke(unit(repo), ADMIN, BANK.account_id, "loan_servicing")

    assert webhooks.replay_delivery(unit(repo), BANK, row.id, delivery.id) == 0
    period = {"since": delivery.event_time, "until": utcnow()}
    period["until"] = delivery.event_time.replace(year=delivery.event_time.year + 1)
    assert webhooks.replay_period(unit(repo), BANK, row.id, period) == 0
    assert delivery.state == DELIVERED


def test_a_partner_reads_its_own_grants_and_no_one_elses():
    repo = FakeNotifyRepository()
    grant(repo, BANK.account_id, "loan_servicing")
    (mine,) = partners.grants_of(repo, BANK, BANK.account_id)
    view = partners.grant_view(mine)
    assert view["active"] and view["event_types"] == list(purposes()["loan_servicing"].event_types)
    with pytest.raises(NotFound):
        partners.grants_of(repo, Actor("bank-2", "partner"), BANK.account_id)
    assert partners.grants_of(repo, ADMIN, BANK.account_id) == [mine]


# -- the person's export (PIPL art. 45) --------------------------------------------------------


def test_the_export_names_each_partner_that_received_an_event_about_the_person_and_why():
    repo = FakeNotifyRepository()
    grant(repo, BANK.account_id, "loan_servicing")
    subscribe(repo, "youthcity.startup.loan.*", "youthcity.gateway.person.erased")
    webhooks.queue_for_subscribers(unit(repo), loan_event(), POLICY)
    erased = dataclasses.replace(loan_event(), type="youthcity.gateway.person.erased")
    webhooks.queue_for_subscribers(unit(repo), erased, POLICY)

    (shared,) = privacy.shared_with_partners(repo, "p-1")  # the erasure notice is left out
    assert shared["partner_id"] == "bank-1" and shared["partner_name"] == "partner bank-1"
    assert shared["purpose"] == "loan_servicing" and shared["state"] == PENDING
    assert shared["legal_basis"]["en"] == purposes()["loan_servicing"].legal_basis["en"]
    assert shared["event_type"] == "youthcity.startup.loan.decided"
    assert privacy.shared_with_partners(repo, "p-2") == []


# -- the vocabulary -----------------------------------------------------------------------------


def test_every_purpose_names_catalogued_types_with_a_title_and_legal_basis_in_both_languages():
    catalogued = set(catalogued_types())
    for purpose in purposes().values():
        assert set(purpose.event_types) <= catalogued, purpose.name
        for text in (purpose.title, purpose.legal_basis, purpose.recipients):
            assert text.get("zh-CN") and text.get("en"), purpose.name


def test_a_purpose_that_shares_events_naming_people_shares_their_erasure_too():
    for purpose in purposes().values():
        names_people = any(
            "person_id" in (data_fields(*t.split(".", 1)) or {}) for t in purpose.event_types
        )
        if names_people:
            assert "gateway.person.erased" in purpose.event_types, purpose.name


def test_the_first_granted_purpose_by_name_covers_a_type():
    assert purpose_for(
        "youthcity.gateway.person.erased", {"loan_servicing", "activity_coorganising"}
    ) == ("activity_coorganising")
    assert purpose_for("youthcity.jobs.application.hired", {"loan_servicing"}) is None
