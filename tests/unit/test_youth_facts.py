"""The profile facts an application carries (issue 27): read in one query of the profile's fact
columns, they are the facts of the whole account, and a person without a profile has none."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from gateway.models import Base
from gateway.store import add_account, youth_facts, youth_facts_of

TODAY = date(2026, 12, 7)


@pytest.fixture
def session():
    engine = sa.create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()


def test_the_facts_read_alone_are_the_facts_of_the_whole_account(session):
    profile = {
        "name": "李明",
        "citizen_id": "11010519491231002X",
        "degree": "bachelor",
        "graduation_date": date(2025, 6, 30),
        "employment_status": "unemployed",
        "residence": "河西区",
        "local_social_insurance_months": 7,
    }
    account = add_account(
        session, role="youth", username="liming", password_hash="x", profile=profile
    )
    session.commit()
    session.expire_all()

    facts = youth_facts_of(session, account.id, TODAY)

    assert facts == youth_facts(session.get(type(account), account.id), TODAY)
    assert facts["age"] == 76 and facts["local_social_insurance_months"] == 7
    assert "name" not in facts and "citizen_id" not in facts


def test_a_person_without_a_profile_has_no_facts(session):
    account = add_account(session, role="youth", username="noprofile", password_hash="x")
    session.commit()

    assert youth_facts_of(session, account.id, TODAY) == {}
