"""The gateway's data access: small named functions over its own tables."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.clock import utcnow
from services.common.models import new_id
from services.common.pagination import DESC, Page, keyset_page

from .models import Account, YouthProfile


def new_account_id() -> str:
    return new_id()


def username_taken(session: Session, username: str) -> bool:
    return (
        session.execute(sa.select(Account.id).where(Account.username == username)).first()
        is not None
    )


def citizen_id_taken(session: Session, citizen_id: str | None) -> bool:
    if not citizen_id:
        return False
    query = sa.select(YouthProfile.account_id).where(YouthProfile.citizen_id == citizen_id)
    return session.execute(query).first() is not None


def account_by_username(session: Session, username: str) -> Account | None:
    return session.execute(
        sa.select(Account).where(Account.username == username)
    ).scalar_one_or_none()


def add_account(
    session: Session, *, role: str, username: str, password_hash: str, created_by=None, **fields
) -> Account:
    profile = fields.pop("profile", None)
    account = Account(
        id=new_account_id(),
        role=role,
        username=username,
        password_hash=password_hash,
        created_by=created_by,
        created_at=utcnow(),
        status="active",
        **fields,
    )
    session.add(account)
    if profile is not None:
        session.add(profile_row(account.id, profile))
    return account


def profile_row(account_id: str, profile: dict) -> YouthProfile:
    from services.common.validators import parse_citizen_id

    # without a number (its owner appeals for it: gateway/appeals.py), no birth date either
    number = profile.get("citizen_id")
    return YouthProfile(
        account_id=account_id,
        birth_date=parse_citizen_id(number).birth_date if number else None,
        updated_at=utcnow(),
        **profile,
    )


def update_profile(profile: YouthProfile, changes: dict) -> None:
    from services.common.validators import parse_citizen_id

    for key, value in changes.items():
        setattr(profile, key, value)
    if "citizen_id" in changes:
        profile.birth_date = parse_citizen_id(changes["citizen_id"]).birth_date
    if changes.get("employment_status", "employed") != "employed":
        # the person says they left: the employer of the hire jobs reported is no longer theirs
        profile.employer_id = profile.employed_since = None
    profile.updated_at = utcnow()


def accounts_page(session: Session, role: str | None, after: str | None, limit: int) -> Page:
    query = sa.select(Account)
    if role:
        query = query.where(Account.role == role)
    return keyset_page(
        session, query, [(Account.created_at, DESC), (Account.id, DESC)], after, limit
    )


#: the profile's columns a service may decide on (`youth_facts`)
FACT_COLUMNS = (
    YouthProfile.birth_date,
    YouthProfile.degree,
    YouthProfile.graduation_date,
    YouthProfile.employment_status,
    YouthProfile.residence,
    YouthProfile.local_social_insurance_months,
)


def youth_facts(account: Account, today: date) -> dict:
    """What services may know of a young person to decide on their application: never the ID
    number, the name or the phone."""
    return _facts(account.id, account.profile, today)


def youth_facts_of(session: Session, person_id: str, today: date) -> dict:
    """`youth_facts` of the person, from one query of the profile's fact columns: a route that
    needs nothing else of the account (an application) reads no account row nor the profile's
    verifications."""
    profile = session.execute(
        sa.select(*FACT_COLUMNS).where(YouthProfile.account_id == person_id)
    ).one_or_none()
    return _facts(person_id, profile, today)


def _facts(person_id: str, profile, today: date) -> dict:
    """The facts of `profile` (a `YouthProfile`, or a row of its `FACT_COLUMNS`; None: none)."""
    from services.common.validators import age_on

    if profile is None:
        return {}
    return {
        "person_id": person_id,
        "birth_date": profile.birth_date.isoformat() if profile.birth_date else None,
        "age": age_on(profile.birth_date, today) if profile.birth_date else None,
        "degree": profile.degree,
        "graduation_date": profile.graduation_date.isoformat() if profile.graduation_date else None,
        "employment_status": profile.employment_status,
        "residence": profile.residence,
        "local_social_insurance_months": profile.local_social_insurance_months,
    }
