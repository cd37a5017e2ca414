"""The person is the caller: every RPC about "my" data takes the person from the signed call
context, never from an argument. Called on the session's platform as one young person, each one
refuses another person's id (or facts sent for another person) with 403 `not_the_caller`, and
only an administrator reads an audit trail."""

from __future__ import annotations

import uuid

import pytest

from services.common.context import CallContext
from services.common.errors import DomainError
from services.common.registry import DOMAIN_SERVICES
from services.common.rpc import StandaloneRpc

CALLER, SOMEONE_ELSE = str(uuid.uuid4()), str(uuid.uuid4())
THEIR_FACTS = {"person_id": SOMEONE_ELSE, "age": 23, "degree": "bachelor"}
ANY_ID = str(uuid.uuid4())

#: (service, RPC, arguments naming someone else)
ABOUT_SOMEONE_ELSE = [
    ("jobs", "my_applications", {"person_id": SOMEONE_ELSE, "query": {}}),
    ("jobs", "my_fair_registrations", {"person_id": SOMEONE_ELSE, "query": {}}),
    ("jobs", "dashboard", {"person_id": SOMEONE_ELSE}),
    ("jobs", "apply", {"post_id": ANY_ID, "person": THEIR_FACTS}),
    ("jobs", "traineeship_eligibility", {"person": THEIR_FACTS}),
    ("jobs", "register_for_fair", {"fair_id": ANY_ID, "person": THEIR_FACTS}),
    ("housing", "applications_of", {"person_id": SOMEONE_ELSE}),
    ("housing", "offers_of", {"person_id": SOMEONE_ELSE}),
    ("housing", "subsidies_of", {"person_id": SOMEONE_ELSE}),
    ("housing", "dashboard", {"person_id": SOMEONE_ELSE}),
    ("housing", "check_eligibility", {"person": THEIR_FACTS, "query": {"kind": "public_rental"}}),
    ("housing", "submit_application", {"person": THEIR_FACTS, "application": {}}),
    ("housing", "book_station", {"person": THEIR_FACTS, "booking": {}}),
    ("housing", "submit_subsidy", {"person": THEIR_FACTS, "subsidy": {}}),
    ("startup", "dashboard", {"person_id": SOMEONE_ELSE}),
    ("startup", "submit_registration", {"application": {}, "founder": THEIR_FACTS}),
    ("startup", "apply_for_loan", {"application": {}, "applicant": THEIR_FACTS}),
    ("startup", "apply_for_grant", {"application": {}, "applicant": THEIR_FACTS}),
    ("startup", "apply_for_space", {"application": {}, "applicant": THEIR_FACTS}),
    ("startup", "enrol", {"course_id": ANY_ID, "person": THEIR_FACTS}),
    ("events", "registrations_of", {"person_id": SOMEONE_ELSE}),
    ("events", "stories_of", {"person_id": SOMEONE_ELSE}),
    ("events", "dashboard", {"person_id": SOMEONE_ELSE}),
    ("events", "register", {"activity_id": ANY_ID, "person": THEIR_FACTS}),
    ("notify", "inbox", {"person_id": SOMEONE_ELSE, "query": {}}),
    ("notify", "mark_all_read", {"person_id": SOMEONE_ELSE}),
    ("notify", "dashboard", {"person_id": SOMEONE_ELSE}),
    ("notify", "preferences", {"person_id": SOMEONE_ELSE}),
    ("notify", "set_preferences", {"person_id": SOMEONE_ELSE, "preferences": {"items": []}}),
    *[(service, "export_person", {"person_id": SOMEONE_ELSE}) for service in DOMAIN_SERVICES],
]


@pytest.fixture(scope="module")
def as_the_caller(platform_amqp_uri, platform):
    context = CallContext(request_id=uuid.uuid4().hex, actor_id=CALLER, actor_role="youth")
    with StandaloneRpc(platform_amqp_uri, timeout=10, context=context) as cluster:
        yield cluster


@pytest.mark.parametrize(
    ("service", "method", "arguments"),
    ABOUT_SOMEONE_ELSE,
    ids=[f"{service}.{method}" for service, method, _ in ABOUT_SOMEONE_ELSE],
)
def test_a_call_about_someone_else_is_refused(as_the_caller, service, method, arguments):
    with pytest.raises(DomainError) as refused:
        getattr(getattr(as_the_caller, service), method)(**arguments)
    assert (refused.value.status, refused.value.code) == (403, "not_the_caller")


@pytest.mark.parametrize("service", DOMAIN_SERVICES)
def test_their_own_data_is_what_the_caller_gets(as_the_caller, service):
    """The same RPC without a person: the caller's own export, which is theirs alone."""
    export = getattr(as_the_caller, service).export_person()
    assert isinstance(export, dict)


@pytest.mark.parametrize("service", DOMAIN_SERVICES)
def test_only_an_administrator_reads_the_audit_trail(as_the_caller, service):
    with pytest.raises(DomainError) as refused:
        getattr(as_the_caller, service).audit_trail(filters={})
    assert (refused.value.status, refused.value.code) == (403, "role_not_allowed")
