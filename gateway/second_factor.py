"""A second factor for staff: time-based one-time passwords (TOTP, RFC 6238; 双重认证/动态口令)
for officers and administrators, whose accounts reach many people's data. Plain rules, no I/O.

* **Enrolment** (绑定): the staff member asks for a secret, adds it to an authenticator app (its
  `otpauth://` URI), and proves it with a code; only then is it active. The secret is shown once.
* **When it is needed**: an enrolled account always gives a code to sign in. Staff who have not
  enrolled must do so before anything else while `STAFF_SECOND_FACTOR_REQUIRED` is on (their
  tokens open only the enrolment routes); youth, employers and partners never need one.
* **A code is accepted once**: the time step it belongs to is remembered, and a code of that
  step or an earlier one is refused (RFC 6238 §5.2), so a code seen over a shoulder or in a
  proxy's log cannot be replayed within its window. One step either side of now is accepted,
  for a phone's clock that is a little off.
* **Recovery codes** (恢复码): a handful of one-time codes, for a lost phone; each has 80 bits,
  so a plain SHA-256 of it is all that is kept (nothing to try offline), and they survive a
  change of the gateway's keys.
* **The secret at rest** is sealed with AES-GCM under a key of the gateway's
  (`SECOND_FACTOR_KEY`, else derived from `JWT_SECRET`) and bound to its account: a copy of the
  database alone gives no one the codes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable

import pyotp
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .accounts import STAFF

#: RFC 6238's defaults, which every authenticator app understands: 30 s steps, 6 digits, SHA-1
STEP_SECONDS, DIGITS = 30, 6
#: steps either side of now still accepted: RFC 6238 §5.2 recommends at most one
DRIFT_STEPS = 1
#: the name an authenticator app shows beside the code
ISSUER = "Youth City"
#: recovery codes given at enrolment: enough for a few lost phones, few enough to keep on paper
RECOVERY_CODES = 8
#: 16 base32 characters: 80 bits each
RECOVERY_CODE_CHARACTERS = 16
_SEAL_CONTEXT = b"youthcity/second-factor/secret/v1"
_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"
_CODE = re.compile(rf"\d{{{DIGITS}}}")


def applies_to(role: str) -> bool:
    """Officers and administrators may (and may be required to) enrol; others may not."""
    return role in STAFF


def enrolment_required(role: str, enrolled: bool, required: bool) -> bool:
    """Whether the account may do nothing but enrol: staff, not enrolled, while required."""
    return required and applies_to(role) and not enrolled


def code_required_at_sign_in(enrolled: bool) -> bool:
    """An enrolled account always needs its code, whatever the setting says now."""
    return enrolled


# -- TOTP ----------------------------------------------------------------------------------


def new_secret() -> str:
    """A fresh base32 secret of 160 bits (RFC 4226 §4 recommends as much as SHA-1's output)."""
    return pyotp.random_base32(length=32)


def provisioning_uri(secret: str, username: str) -> str:
    """The `otpauth://totp/...` URI an authenticator app reads (as text or as a QR code)."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=username, issuer_name=ISSUER
    )


def step_at(timestamp: float) -> int:
    """The TOTP time step a moment belongs to."""
    return int(timestamp) // STEP_SECONDS


def looks_like_totp(code: str) -> bool:
    return bool(_CODE.fullmatch(code.strip()))


def accepted_step(secret: str, code: str, timestamp: float, last_step: int | None) -> int | None:
    """The time step `code` is valid for, near `timestamp` and later than `last_step` (the
    last one accepted: a code is good once), or None."""
    code = code.strip()
    if not _CODE.fullmatch(code):
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    now = step_at(timestamp)
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        fresh = last_step is None or step > last_step
        # every candidate is compared, in constant time, whichever matches
        if hmac.compare_digest(totp.generate_otp(step), code) and fresh:
            return step
    return None


# -- recovery codes ------------------------------------------------------------------------


def new_recovery_codes(count: int = RECOVERY_CODES) -> list[str]:
    """Codes shown once at enrolment, as `abcd-efgh-ijkl-mnop` (base32, lower case)."""
    codes = []
    for _ in range(count):
        raw = "".join(secrets.choice(_BASE32) for _ in range(RECOVERY_CODE_CHARACTERS))
        codes.append("-".join(raw[i : i + 4] for i in range(0, len(raw), 4)))
    return codes


def normalised_recovery_code(code: str) -> str:
    """What a person types, without the dashes, spaces and capitals they may add or not."""
    return re.sub(r"[\s-]", "", code).lower()


def recovery_code_hash(code: str) -> str:
    """What is kept of a recovery code: 80 bits of secret, so a plain hash suffices."""
    return hashlib.sha256(normalised_recovery_code(code).encode()).hexdigest()


def recovery_code_hashes(codes: Iterable[str]) -> list[str]:
    return [recovery_code_hash(code) for code in codes]


# -- the secret at rest --------------------------------------------------------------------


class SecretSeal:
    """Seals TOTP secrets with AES-256-GCM under a key derived from the gateway's, each bound to
    its account (as associated data), so that a sealed secret copied onto another account's
    row does not open."""

    def __init__(self, key: str):
        derived = hmac.new(key.encode(), _SEAL_CONTEXT, hashlib.sha256).digest()
        self._aead = AESGCM(derived)

    def seal(self, account_id: str, secret: str) -> str:
        nonce = secrets.token_bytes(12)
        sealed = self._aead.encrypt(nonce, secret.encode(), account_id.encode())
        return base64.urlsafe_b64encode(nonce + sealed).decode()

    def open(self, account_id: str, sealed: str) -> str | None:
        """The secret, or None when it was sealed under another key or for another account."""
        try:
            raw = base64.urlsafe_b64decode(sealed.encode())
            return self._aead.decrypt(raw[:12], raw[12:], account_id.encode()).decode()
        except (InvalidTag, ValueError):
            return None
