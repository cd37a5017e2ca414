"""Sessions and one-time codes in the gateway's database: small named functions over
`auth_session` and `one_time_code`, applying the rules of `gateway/identity.py`.

Their lifetimes run on the machine's clock (`system_utcnow`), like the access tokens' `exp`,
not on the district's business clock: moving the business date (tests do, to prove dates and
deadlines) must not end or extend anyone's session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.clock import system_utcnow
from services.common.models import new_id

from . import codes, identity
from .models import Account, AuthSession, OneTimeCode


@dataclass(frozen=True)
class Refreshed:
    """A session's new refresh token, or why there is none (`refused`: `invalid` — unknown,
    ended or expired —, or `reused`, which has just ended the session)."""

    session: AuthSession | None
    refresh_token: str | None = None
    refused: str | None = None


def start_session(session: Session, account_id: str, lifetime: timedelta) -> tuple[str, str]:
    """A new session of `account_id`: its id and its first refresh token."""
    now = system_utcnow()
    session_id = new_id()
    token = identity.new_refresh_token(session_id)
    session.add(
        AuthSession(
            id=session_id,
            account_id=account_id,
            refresh_hash=identity.refresh_token_hash(token),
            started_at=now,
            refreshed_at=now,
            expires_at=now + lifetime,
        )
    )
    return session_id, token


def rotate(session: Session, token: str, lifetime: timedelta) -> Refreshed:
    """Exchange a refresh token for the next one (locking the session's row, so two uses of
    one token cannot both succeed). A token already replaced ends the session: it was copied."""
    session_id = identity.session_of(token)
    if session_id is None:
        return Refreshed(None, refused="invalid")
    row = session.execute(
        sa.select(AuthSession).where(AuthSession.id == session_id).with_for_update()
    ).scalar_one_or_none()
    now = system_utcnow()
    if row is None or row.ended_at is not None or row.expires_at <= now:
        return Refreshed(None, refused="invalid")
    if not identity.same_hash(row.refresh_hash, identity.refresh_token_hash(token)):
        end(row, identity.REUSED, now)
        return Refreshed(row, refused="reused")
    fresh = identity.new_refresh_token(session_id)
    row.refresh_hash = identity.refresh_token_hash(fresh)
    row.refreshed_at, row.expires_at = now, now + lifetime
    return Refreshed(row, fresh)


def end(row: AuthSession, reason: str, now: datetime | None = None) -> None:
    row.ended_at, row.end_reason = now or system_utcnow(), reason


def end_session(session: Session, session_id: str, reason: str) -> bool:
    """End one session; False when it had already ended."""
    row = session.get(AuthSession, session_id)
    if row is None or row.ended_at is not None:
        return False
    end(row, reason)
    return True


def end_all_sessions(session: Session, account_id: str, reason: str) -> int:
    """End every live session of an account (a password change or reset, a disabled
    account); how many there were."""
    result = session.execute(
        sa.update(AuthSession)
        .where(AuthSession.account_id == account_id, AuthSession.ended_at.is_(None))
        .values(ended_at=system_utcnow(), end_reason=reason)
    )
    return result.rowcount or 0


def live_session_ids(session: Session, account_id: str) -> frozenset[str]:
    """The sessions of an account whose access tokens are honoured: not ended, and whose
    refresh token has not expired."""
    query = sa.select(AuthSession.id).where(
        AuthSession.account_id == account_id,
        AuthSession.ended_at.is_(None),
        AuthSession.expires_at > system_utcnow(),
    )
    return frozenset(session.execute(query).scalars())


def set_password(account: Account, password_hash: str) -> None:
    account.password_hash = password_hash
    account.must_change_password = False
    account.password_changed_at = system_utcnow()


# -- one-time codes ------------------------------------------------------------------------


def issue_code(
    session: Session, account_id: str, purpose: str, key: str, policy: identity.CodePolicy
) -> str:
    """A new code for `account_id` and `purpose`, replacing any earlier one."""
    row = session.get(OneTimeCode, (account_id, purpose))
    if row is None:
        row = OneTimeCode(account_id=account_id, purpose=purpose)
        session.add(row)
    return codes.arm(row, account_id, purpose, key, policy)


def use_code(session: Session, account_id: str, purpose: str, key: str, code: str) -> bool:
    """Whether `code` is the live code of `account_id` for `purpose`; a right code is used up,
    a wrong one costs a try (the last try deletes it)."""
    row = session.execute(
        sa.select(OneTimeCode)
        .where(OneTimeCode.account_id == account_id, OneTimeCode.purpose == purpose)
        .with_for_update()
    ).scalar_one_or_none()
    return codes.spend(session, row, account_id, purpose, key, code)
