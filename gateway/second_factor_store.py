"""Second factors in the gateway's database: small named functions over `second_factor` and
`second_factor_recovery_code`, applying the rules of `gateway/second_factor.py`.

Codes are checked against the machine's clock (`system_utcnow`), as authenticator apps are:
the district's business clock, which tests move, has nothing to do with them."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.clock import system_utcnow
from services.common.errors import Conflict

from . import second_factor as rules
from .models import RecoveryCode, SecondFactor


def seal_of(settings) -> rules.SecretSeal:
    """The seal of TOTP secrets: under SECOND_FACTOR_KEY, else a key derived from JWT_SECRET."""
    return rules.SecretSeal(settings.second_factor_key or settings.jwt_secret)


def second_factor_of(session: Session, account_id: str, lock: bool = False) -> SecondFactor | None:
    query = sa.select(SecondFactor).where(SecondFactor.account_id == account_id)
    return session.execute(query.with_for_update() if lock else query).scalar_one_or_none()


def is_enrolled(session: Session, account_id: str) -> bool:
    query = sa.select(SecondFactor.enrolled_at).where(SecondFactor.account_id == account_id)
    return session.execute(query).scalar_one_or_none() is not None


def start_enrolment(session: Session, account_id: str, seal: rules.SecretSeal) -> str:
    """A new secret for `account_id`, pending until confirmed (replacing an earlier pending
    one). An enrolled account keeps its factor: an administrator resets it first."""
    row = second_factor_of(session, account_id, lock=True)
    if row is not None and row.enrolled_at is not None:
        raise Conflict("second_factor_already_enrolled")
    if row is None:
        row = SecondFactor(account_id=account_id)
        session.add(row)
    secret = rules.new_secret()
    row.sealed_secret = seal.seal(account_id, secret)
    row.started_at, row.enrolled_at, row.last_step = system_utcnow(), None, None
    return secret


def confirm_enrolment(
    session: Session, account_id: str, seal: rules.SecretSeal, code: str
) -> list[str] | None:
    """Activate the pending factor with a valid code: its recovery codes (shown once), or None
    when there is no pending factor or the code is wrong."""
    row = second_factor_of(session, account_id, lock=True)
    if row is None or row.enrolled_at is not None:
        return None
    now = system_utcnow()
    step = _accepted_step(row, seal, code, now.timestamp())
    if step is None:
        return None
    row.enrolled_at, row.last_step = now, step
    codes = rules.new_recovery_codes()
    session.execute(sa.delete(RecoveryCode).where(RecoveryCode.account_id == account_id))
    session.add_all(
        RecoveryCode(account_id=account_id, code_hash=code_hash)
        for code_hash in rules.recovery_code_hashes(codes)
    )
    return codes


def use_second_factor(session: Session, account_id: str, seal: rules.SecretSeal, code: str) -> bool:
    """Whether `code` proves the account's enrolled factor: a TOTP code of a time step not yet
    used (remembered, so it is not accepted again), or an unused recovery code (used up)."""
    row = second_factor_of(session, account_id, lock=True)  # two sign-ins with one code: one wins
    if row is None or row.enrolled_at is None:
        return False
    if rules.looks_like_totp(code):
        step = _accepted_step(row, seal, code, system_utcnow().timestamp())
        if step is None:
            return False
        row.last_step = step
        return True
    used = session.execute(
        sa.delete(RecoveryCode).where(
            RecoveryCode.account_id == account_id,
            RecoveryCode.code_hash == rules.recovery_code_hash(code),
        )
    )
    return bool(used.rowcount)


def _accepted_step(row: SecondFactor, seal: rules.SecretSeal, code: str, timestamp: float):
    secret = seal.open(row.account_id, row.sealed_secret)
    if secret is None:  # sealed under another key: the factor must be reset
        return None
    return rules.accepted_step(secret, code, timestamp, row.last_step)


def recovery_codes_left(session: Session, account_id: str) -> int:
    query = sa.select(sa.func.count()).where(RecoveryCode.account_id == account_id)
    return session.execute(query).scalar_one()


def remove_second_factor(session: Session, account_id: str) -> bool:
    """Forget an account's factor, enrolled or pending, and its recovery codes; whether there
    was one."""
    session.execute(sa.delete(RecoveryCode).where(RecoveryCode.account_id == account_id))
    removed = session.execute(sa.delete(SecondFactor).where(SecondFactor.account_id == account_id))
    return bool(removed.rowcount)
