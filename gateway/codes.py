"""One-time codes (一次性验证码), whatever they prove: a password reset (kept per account,
gateway/sessions.py) or a phone at registration (kept per phone, gateway/phone_proof.py).

Both keep a code the same way (only its HMAC, bound to whom and what it is for, a lifetime and a
number of tries, `gateway/identity.py`) and send it the same way: through notify's `send_code`,
after the HTTP answer has gone, so that neither the answer nor its time tells whether anything
was sent. A code that cannot be sent is logged by its purpose alone; the person asks again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import timedelta

import eventlet
from sqlalchemy.orm import Session

from services.common.clock import system_utcnow
from services.common.context import CallContext
from services.common.db import Database
from services.common.errors import DomainError
from services.common.rpc import ClusterProxy

from . import identity

log = logging.getLogger(__name__)

CODES = identity.CodePolicy()


@dataclass(frozen=True)
class Delivery:
    """A code to send, and where: what notify's `send_code` takes."""

    channel: str
    address: str
    locale: str
    purpose: str
    code: str


def per_address(rate: str) -> str:
    """The limit of codes asked from one client address: ten times the limit per username or
    phone (`5/hour` → `50/hour`), for the people behind one office or campus network."""
    count, _, period = rate.partition("/")
    return f"{int(count) * 10}/{period}"


def arm(row, subject: str, purpose: str, key: str, policy: identity.CodePolicy = CODES) -> str:
    """Put a fresh code in `row` (an `OneTimeCode` or a `PhoneCode`), replacing the one it held;
    the code itself, to be sent."""
    code = identity.new_code()
    now = system_utcnow()
    row.code_hash = identity.code_hash(key, subject, purpose, code)
    row.created_at, row.expires_at = now, now + timedelta(seconds=policy.lifetime_seconds)
    row.attempts_left = policy.attempts
    return code


def spend(session: Session, row, subject: str, purpose: str, key: str, code: str) -> bool:
    """Whether `code` is the live code `row` holds (a row locked by the caller, or None); a right
    code is used up, an expired one is deleted, a wrong one costs a try (the last deletes it)."""
    if row is None:
        return False
    if row.expires_at <= system_utcnow():
        session.delete(row)
        return False
    if identity.same_hash(row.code_hash, identity.code_hash(key, subject, purpose, code)):
        session.delete(row)
        return True
    row.attempts_left -= 1
    if row.attempts_left <= 0:
        session.delete(row)
    return False


def send_after_answer(
    db: Database,
    services: ClusterProxy,
    context: CallContext,
    purpose: str,
    prepare: Callable[..., Delivery | None],
) -> None:
    """After the answer: `prepare(uow)` stores a code (or decides there is none to send) in a
    unit of work committed here, and the code goes through notify."""
    eventlet.spawn_n(_send, db, services, context, purpose, prepare)


def _send(db, services, context, purpose, prepare) -> None:
    try:
        with db.unit_of_work(context) as uow:
            delivery = prepare(uow)
            if delivery is None:
                return
            uow.commit()
        services.notify.send_code(**asdict(delivery), minutes=CODES.lifetime_seconds // 60)
    except DomainError as exc:
        log.warning("%s code not sent: %s", purpose, exc.code)
    except Exception:
        log.exception("%s code not sent", purpose)
