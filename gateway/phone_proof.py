"""A phone proven by a one-time code before an ID number is bound to it (手机号验证): the rules
and the `phone_code` table's functions.

Anyone could otherwise bind someone else's ID number first (抢注). Proving a phone does not prove
the ID, but it makes each try cost a phone that answers, limited per phone and per address, and
gives the rightful owner's appeal (gateway/appeals.py) a contact the squatter had to hold.

* A code is asked for a number, not an account: it is sent whether or not any account has the
  number, and the answer is always the same (`202 accepted`).
* The code is kept under an HMAC of the number (`phone_key`), never the number: the table is
  not a list of phones. A code is single-use, expires, and dies after `CodePolicy.attempts`
  wrong tries (gateway/codes.py).
* An expired code's row is deleted by a timer (`background.forget_expired_phone_codes`).
* Registration spends the code in a transaction of its own: a refusal after it (an ID number
  already bound) still uses the code up, so each probe of an ID number costs one code.
"""

from __future__ import annotations

import hashlib
import hmac

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.clock import system_utcnow
from services.common.db import Database

from . import codes
from .models import PhoneCode

#: what a code sent to prove a phone is for (notify words its message by it)
PHONE_PROOF = "phone_proof"
SMS = "sms"


def phone_key(key: str, phone: str) -> str:
    """The HMAC a phone's code is kept under: the same number always gives the same key, and
    the table alone gives no number back."""
    return hmac.new(key.encode(), f"phone:{phone}".encode(), hashlib.sha256).hexdigest()


def issue_phone_code(session: Session, key: str, phone: str) -> str:
    """A new code for `phone`, replacing any earlier one; the code, to be sent."""
    subject = phone_key(key, phone)
    row = session.get(PhoneCode, subject)
    if row is None:
        row = PhoneCode(phone_hash=subject)
        session.add(row)
    return codes.arm(row, subject, PHONE_PROOF, key)


def spend_phone_code(session: Session, key: str, phone: str, code: str) -> bool:
    """Whether `code` is the live code of `phone`; a right code is used up, a wrong one costs a
    try."""
    subject = phone_key(key, phone)
    row = session.execute(
        sa.select(PhoneCode).where(PhoneCode.phone_hash == subject).with_for_update()
    ).scalar_one_or_none()
    return codes.spend(session, row, subject, PHONE_PROOF, key, code)


def forget_expired(session: Session) -> int:
    """Delete the codes past their lifetime, used or not; how many went."""
    expired = sa.delete(PhoneCode).where(PhoneCode.expires_at <= system_utcnow())
    return session.execute(expired).rowcount or 0


def prove_phone(db: Database, key: str, phone: str, code: str) -> bool:
    """Spend the code in a transaction of its own, committed whatever comes next."""
    with db.unit_of_work() as uow:
        proven = spend_phone_code(uow.session, key, phone, code)
        uow.commit()
    return proven


def phone_delivery(key: str, phone: str, locale: str, uow) -> codes.Delivery:
    """The code to send to `phone` (stored in `uow`, which the sender commits)."""
    code = issue_phone_code(uow.session, key, phone)
    return codes.Delivery(SMS, phone, locale, PHONE_PROOF, code)
