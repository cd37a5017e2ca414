"""Identity appeals decided (gateway/appeals.py), on the gateway's tables in an in-memory SQLite
database, with a unit of work that keeps what it audits and records: approval moves the number
and takes the holder's verified facts with it, rejection changes nothing, a decision is final."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from gateway import appeals
from gateway.accounts import DEFAULT_PERSONAL_DATA_UNITS, Viewer
from gateway.models import Account, Base, ProfileFactVerification, YouthProfile
from services.common.clock import utcnow
from services.common.errors import Conflict, IllegalTransition, NotFound

NUMBER = "11010519491231002X"
HRSS = Viewer("officer-1", "officer", "hrss")


class SessionUow:
    """The parts of a unit of work `appeals` uses, over a real session."""

    def __init__(self, session: Session):
        self.session = session
        self.audited: list[tuple] = []
        self.recorded: list[tuple] = []

    def audit(self, action, subject, reason=None, details=None):
        self.audited.append((action, subject, reason, details))

    def record(self, event_type, subject, data):
        self.recorded.append((event_type, subject, data))


@pytest.fixture
def uow():
    engine = sa.create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        yield SessionUow(session)
    engine.dispose()


def person(uow, account_id: str, number: str | None, verified: bool = False) -> YouthProfile:
    uow.session.add(Account(id=account_id, role="youth", created_at=utcnow(), status="active"))
    profile = YouthProfile(
        account_id=account_id,
        name="某人",
        citizen_id=number,
        birth_date=date(1949, 12, 31) if number else None,
        graduation_date=date(2024, 6, 30),
        updated_at=utcnow(),
    )
    if verified:
        profile.verifications.append(
            ProfileFactVerification(
                account_id=account_id,
                fact="graduation_date",
                value="2024-06-30",
                source="officer",
                verified_at=utcnow(),
            )
        )
    uow.session.add(profile)
    uow.session.flush()
    return profile


def filed(uow, claimant: str = "claimant") -> str:
    appeal = appeals.file_appeal(uow, claimant, NUMBER, "这是我本人的身份证号码")
    uow.session.flush()
    return appeal.id


def decide(uow, appeal_id: str, decision: str, officer: Viewer = HRSS):
    return appeals.decide(uow, officer, DEFAULT_PERSONAL_DATA_UNITS, appeal_id, decision, "核验")


def test_approval_moves_the_number_and_the_holder_loses_what_was_read_or_checked_with_it(uow):
    holder = person(uow, "holder", NUMBER, verified=True)
    claimant = person(uow, "claimant", None)
    appeal = decide(uow, filed(uow), "approve")
    uow.session.flush()
    assert (appeal.status, appeal.released_from, appeal.decided_by) == (
        "approved",
        "holder",
        "officer-1",
    )
    assert (claimant.citizen_id, claimant.birth_date) == (NUMBER, date(1949, 12, 31))
    assert (holder.citizen_id, holder.birth_date, holder.verifications) == (None, None, [])
    # both changes of facts are announced to the benefits finder (issue 23), names only
    assert [(t, s) for t, s, _ in uow.recorded] == [
        ("profile.facts_changed", "holder"),
        ("identity.released", "holder"),
        ("profile.facts_changed", "claimant"),
        ("identity_appeal.approved", "claimant"),
    ]
    changes = [d for t, _, d in uow.recorded if t == "profile.facts_changed"]
    assert [(d["facts"], d["source"]) for d in changes] == [
        (["graduation_date", "age"], "identity_appeal"),
        (["age"], "identity_appeal"),
    ]
    assert [a[0] for a in uow.audited] == [
        "identity_appeal.filed",
        "identity.released",
        "identity_appeal.approved",
    ]
    assert uow.audited[-1][2] == "核验"


def test_approval_of_a_number_bound_to_nobody_binds_it_and_releases_nothing(uow):
    claimant = person(uow, "claimant", None)
    appeal = decide(uow, filed(uow), "approve")
    assert appeal.released_from is None and claimant.citizen_id == NUMBER
    assert [t for t, _, _ in uow.recorded] == ["profile.facts_changed", "identity_appeal.approved"]


def test_rejection_changes_no_profile_and_tells_the_claimant(uow):
    holder = person(uow, "holder", NUMBER, verified=True)
    claimant = person(uow, "claimant", None)
    appeal = decide(uow, filed(uow), "reject")
    assert appeal.status == "rejected" and appeal.reason == "核验"
    assert holder.citizen_id == NUMBER and len(holder.verifications) == 1
    assert claimant.citizen_id is None
    assert [(t, s) for t, s, _ in uow.recorded] == [("identity_appeal.rejected", "claimant")]


def test_a_decision_is_final_and_an_unknown_appeal_is_not_found(uow):
    person(uow, "claimant", None)
    appeal_id = filed(uow)
    decide(uow, appeal_id, "reject")
    with pytest.raises(IllegalTransition):
        decide(uow, appeal_id, "approve")
    with pytest.raises(NotFound):
        decide(uow, "no-such-appeal", "approve")


def test_a_claimant_who_has_a_number_meanwhile_cannot_be_given_another(uow):
    person(uow, "claimant", "110105200001010011")
    with pytest.raises(Conflict) as refused:
        decide(uow, filed(uow), "approve")
    assert refused.value.code == "claimant_has_identity"
