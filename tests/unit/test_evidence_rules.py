"""Evidence and facts as rules, without I/O: a document is judged by its leading bytes and its
size; every change of a fact goes through `change_facts`, which records `profile.facts_changed`
with the person and the facts' names only, only when a value or a state changed, and not for
the person's own edit."""

from __future__ import annotations

from datetime import date

import pytest

from gateway import facts
from gateway.events import EVENTS
from gateway.evidence import check_document, content_type_of
from gateway.models import YouthProfile
from services.common.errors import DomainError, InvalidInput
from tests.support.evidence import JPEG, NOT_A_DOCUMENT, PDF, PNG
from tests.support.fakes import FakeRepository, FakeUnitOfWork


def test_a_document_is_the_type_its_bytes_say_whatever_it_is_called():
    assert content_type_of(PDF) == "application/pdf"
    assert content_type_of(PNG) == "image/png"
    assert content_type_of(JPEG) == "image/jpeg"
    for other in (NOT_A_DOCUMENT, b"", b"%PD", b"GIF89a", b"PK\x03\x04", b" %PDF-1.4"):
        assert content_type_of(other) is None


def test_a_document_past_the_limit_is_413_and_one_of_another_type_is_422_on_document():
    assert check_document(PDF, limit=len(PDF)) == "application/pdf"
    with pytest.raises(DomainError) as too_large:
        check_document(PDF, limit=len(PDF) - 1)
    assert (too_large.value.status, too_large.value.params["limit"]) == (413, len(PDF) - 1)
    with pytest.raises(InvalidInput) as refused:
        check_document(NOT_A_DOCUMENT, limit=10_000)
    assert refused.value.errors[0]["field"] == "document"
    assert refused.value.errors[0]["code"] == "evidence_type_not_allowed"


def _profile(**values) -> YouthProfile:
    profile = YouthProfile(account_id="person-1", **values)
    profile.verifications = []
    return profile


def _uow() -> FakeUnitOfWork:
    return FakeUnitOfWork(FakeRepository(), EVENTS)


def test_a_partner_push_sets_and_verifies_the_value_and_tells_only_the_fact_name():
    profile, uow = _profile(local_social_insurance_months=3), _uow()
    source = facts.Source("partner:si", "partner-1", reference="SI-1", as_of=date(2026, 11, 30))
    changed = facts.change_facts(uow, profile, {"local_social_insurance_months": 12}, source)
    assert changed == ["local_social_insurance_months"]
    assert profile.local_social_insurance_months == 12
    assert facts.verified_facts(profile) == {"local_social_insurance_months": "12"}
    [row] = profile.verifications
    assert (row.source, row.reference, row.as_of) == ("partner:si", "SI-1", date(2026, 11, 30))
    [event] = uow.recorded
    assert event.type == "profile.facts_changed" and event.subject == "person-1"
    assert {key: value for key, value in event.data.items() if key != "changed_at"} == {
        "person_id": "person-1",
        "facts": ["local_social_insurance_months"],
        "source": "partner",
    }

    again = _uow()
    assert facts.change_facts(again, profile, {"local_social_insurance_months": 12}, source) == []
    assert again.recorded == []  # nothing changed: nothing to tell


def test_the_persons_edit_of_a_verified_fact_declares_it_and_is_not_announced():
    profile, uow = _profile(graduation_date=date(2026, 6, 30)), _uow()
    facts.change_facts(
        uow, profile, {"graduation_date": date(2026, 6, 30)}, facts.Source("officer", "o-1", "ok")
    )
    assert [(e.data["facts"], e.data["source"]) for e in uow.recorded] == [
        (["graduation_date"], "officer")
    ]
    before = facts.snapshot(profile)
    profile.graduation_date = date(2026, 7, 15)
    edit = _uow()
    facts.forget_changed(edit, profile, before)
    assert facts.facts_state(profile)["graduation_date"] == "declared"
    # the benefits finder does not go looking for people on what they declare themselves
    assert edit.recorded == []


def test_an_employers_document_is_read_by_its_owner_and_the_unit_whose_case_needs_it():
    from types import SimpleNamespace

    from gateway import evidence
    from gateway.models import EvidenceDocument

    contract = EvidenceDocument(owner_id="employer-1", fact="labour_contract", person_id="p-1")
    reader = {
        "owner": SimpleNamespace(account_id="employer-1", role="employer", unit=None),
        "hrss": SimpleNamespace(account_id="o-1", role="officer", unit="hrss"),
        "housing": SimpleNamespace(account_id="o-2", role="officer", unit="housing"),
        "the hire": SimpleNamespace(account_id="p-1", role="youth", unit=None),
        "another employer": SimpleNamespace(account_id="employer-2", role="employer", unit=None),
    }
    readable = {name for name, who in reader.items() if evidence.may_read(who, contract)}
    assert readable == {"owner", "hrss"}
    assert evidence.reader_unit("business_licence") == "hrss"
    assert evidence.reader_unit("graduation_date") == "hrss"
    assert evidence.reader_unit("tax_return") is None
