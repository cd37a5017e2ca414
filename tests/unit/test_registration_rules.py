"""The rules of registration without an oracle or squatting (issue 21), without a gateway: when a
phone must be proven, one answer for every ID number that cannot be bound, one-time codes that
are single-use, expire and die after wrong tries, phones kept only as an HMAC, and appeals
decided only by officers of personal-data units."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest

from gateway import appeals, codes, phone_proof
from gateway.accounts import (
    DEFAULT_PERSONAL_DATA_UNITS,
    Viewer,
    check_phone_proof,
    check_phone_proven,
    check_self_registration,
    check_unique,
)
from gateway.identity import CodePolicy
from gateway.messages import MESSAGES
from services.common.clock import system_utcnow
from services.common.errors import Conflict, Forbidden, InvalidInput

PHONE = "+8613800138000"


def field_codes(refusal: InvalidInput) -> list[tuple[str, str]]:
    return [(error["field"], error["code"]) for error in refusal.errors]


@pytest.mark.parametrize(
    ("phone", "code", "expected"),
    [
        (None, None, [("phone", "phone_required_for_identity")]),
        (PHONE, None, [("phone_code", "phone_code_required")]),
        (None, "123456", [("phone", "phone_required_for_code")]),
    ],
)
def test_binding_an_id_number_needs_a_phone_and_its_code_where_the_proof_is_required(
    phone, code, expected
):
    with pytest.raises(InvalidInput) as refused:
        check_phone_proof(True, True, phone, code)
    assert field_codes(refused.value) == expected


def test_without_the_requirement_or_an_id_number_no_code_is_needed():
    check_phone_proof(True, False, None, None)  # an employer binds no ID number
    check_phone_proof(False, True, None, None)  # make run and the shared test platform
    check_phone_proof(True, True, PHONE, "123456")


def test_a_bound_id_number_and_an_unproven_phone_get_one_and_the_same_answer():
    with pytest.raises(Conflict) as bound:
        check_unique(False, True)
    with pytest.raises(Conflict) as unproven:
        check_phone_proven(False, binds_identity=True)
    answers = [
        (e.status, e.code, e.field, e.render(MESSAGES)) for e in (bound.value, unproven.value)
    ]
    assert answers[0] == answers[1]
    assert answers[0][:3] == (409, "identity_unavailable", "profile.citizen_id")
    check_phone_proven(True, binds_identity=True)


def test_an_employers_wrong_code_is_said_plainly_it_binds_no_id_number():
    with pytest.raises(InvalidInput) as refused:
        check_phone_proven(False, binds_identity=False)
    assert field_codes(refused.value) == [("phone_code", "phone_code_invalid")]


def test_only_a_young_persons_registration_carries_an_identity_appeal():
    with pytest.raises(InvalidInput) as refused:
        check_self_registration("employer", None, "XX有限公司", {"statement": "mine"})
    assert field_codes(refused.value) == [("identity_appeal", "appeal_only_for_youth")]
    check_self_registration("youth", {"name": "王青"}, None, {"statement": "mine"})


def test_a_taken_username_is_still_said():
    with pytest.raises(Conflict) as taken:
        check_unique(True, True)
    assert taken.value.code == "username_taken"


class FakeSession:
    def __init__(self):
        self.deleted = []

    def delete(self, row):
        self.deleted.append(row)


def armed(policy: CodePolicy = codes.CODES) -> tuple[SimpleNamespace, str]:
    row = SimpleNamespace()
    return row, codes.arm(row, "subject", "phone_proof", "key", policy)


def test_a_code_is_kept_only_as_its_hmac_and_a_right_one_is_used_up():
    row, code = armed()
    assert code not in row.code_hash and row.attempts_left == 5
    assert row.expires_at - row.created_at == timedelta(minutes=10)
    session = FakeSession()
    assert codes.spend(session, row, "subject", "phone_proof", "key", code)
    assert session.deleted == [row]


def test_a_code_is_bound_to_its_subject_and_purpose():
    row, code = armed()
    for subject, purpose in (("another", "phone_proof"), ("subject", "password_reset")):
        assert not codes.spend(FakeSession(), row, subject, purpose, "key", code)


def test_wrong_tries_cost_a_try_each_and_the_last_kills_the_code():
    row, code = armed(CodePolicy(attempts=2))
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    session = FakeSession()
    assert not codes.spend(session, row, "subject", "phone_proof", "key", wrong)
    assert row.attempts_left == 1 and session.deleted == []
    assert not codes.spend(session, row, "subject", "phone_proof", "key", wrong)
    assert session.deleted == [row]


def test_an_expired_code_is_refused_and_deleted():
    row, code = armed()
    row.expires_at = system_utcnow() - timedelta(seconds=1)
    session = FakeSession()
    assert not codes.spend(session, row, "subject", "phone_proof", "key", code)
    assert session.deleted == [row]
    assert not codes.spend(session, None, "subject", "phone_proof", "key", code)


def test_a_phone_is_kept_under_an_hmac_that_names_no_number():
    key = phone_proof.phone_key("key", PHONE)
    assert key == phone_proof.phone_key("key", PHONE) and len(key) == 64
    assert "13800138000" not in key
    assert key != phone_proof.phone_key("another-key", PHONE)
    assert key != phone_proof.phone_key("key", "+8613900139000")


def test_expired_phone_codes_are_forgotten_and_live_ones_kept():
    import sqlalchemy as sa
    from sqlalchemy.orm import Session

    from gateway.models import Base, PhoneCode

    engine = sa.create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        phone_proof.issue_phone_code(session, "key", PHONE)
        phone_proof.issue_phone_code(session, "key", "+8613900139000")
        session.flush()
        stale = session.get(PhoneCode, phone_proof.phone_key("key", PHONE))
        stale.expires_at = system_utcnow() - timedelta(seconds=1)
        assert phone_proof.forget_expired(session) == 1
        left = session.execute(sa.select(PhoneCode.phone_hash)).scalars().all()
        assert left == [phone_proof.phone_key("key", "+8613900139000")]
    engine.dispose()


def test_codes_per_address_are_ten_times_those_per_phone():
    assert codes.per_address("5/hour") == "50/hour"


class UntouchedUow:
    """A unit of work the refused officer must never reach."""

    def __getattr__(self, name):
        raise AssertionError(f"the refused decision touched uow.{name}")


@pytest.mark.parametrize(
    ("role", "unit"), [("officer", "youth_league"), ("officer", None), ("admin", None)]
)
def test_only_an_officer_of_a_personal_data_unit_decides_an_appeal(role, unit):
    viewer = Viewer("someone", role, unit)
    with pytest.raises(Forbidden) as refused:
        appeals.decide(
            UntouchedUow(), viewer, DEFAULT_PERSONAL_DATA_UNITS, "appeal", "approve", "checked"
        )
    assert refused.value.code == "not_a_personal_data_unit"


def test_a_released_profile_keeps_nothing_read_from_or_checked_against_the_number():
    profile = SimpleNamespace(
        citizen_id="11010519491231002X",
        birth_date="1949-12-31",
        verifications=["graduation_date"],
        updated_at=None,
    )
    appeals.release(profile)
    assert (profile.citizen_id, profile.birth_date, profile.verifications) == (None, None, [])
    assert profile.updated_at is not None


def test_the_claimant_sees_the_number_whole_an_officer_masked_with_who_holds_it():
    appeal = SimpleNamespace(
        id="a1",
        claimant_id="claimant",
        citizen_id="11010519491231002X",
        statement="mine",
        status=appeals.REJECTED,
        filed_at=None,
        decided_at=None,
        decided_by="officer",
        reason="no documents",
        released_from=None,
    )
    own = appeals.appeal_view(None, appeal, Viewer("claimant", "youth", None))
    assert own["citizen_id"] == "11010519491231002X" and "decided_by" not in own
    officer = appeals.appeal_view(None, appeal, Viewer("officer", "officer", "hrss"))
    assert officer["citizen_id"] == "110105********002X"
    assert officer["decided_by"] == "officer" and officer["held_by"] is None
