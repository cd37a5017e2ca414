"""Identity that can be taken back: the rules of sessions, refresh tokens, one-time codes and
sign-in back-off (身份会话、一次性验证码与登录退避). Plain rules, no I/O.

* A **session** (会话) begins at sign-in and ends at logout, at a password change or reset, or
  when an administrator disables the account. Access tokens are short-lived JWTs that name
  their session (`sid`); the gateway refuses a token whose session has ended.
* A **refresh token** is `<session id>.<secret>`, stored only as its SHA-256. Each use replaces
  it (rotation); presenting one already replaced means it was copied, so the whole session
  ends (reuse detection, OAuth 2.0 Security BCP §4.14.2).
* A **one-time code** (一次性验证码) is six digits, kept only as an HMAC under the gateway's
  key, valid `CodePolicy.lifetime_seconds`, and dead after `CodePolicy.attempts` wrong tries.
* **Back-off** (退避): after `free` failures, each further failure locks the key (a username
  or a client address) for twice as long as the last, up to `cap_seconds`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

#: why sessions end, as recorded on the session and in `account.sessions_ended`
SIGNED_OUT, PASSWORD_CHANGED, PASSWORD_RESET, DISABLED, REUSED = (
    "signed_out",
    "password_changed",
    "password_reset",
    "disabled",
    "refresh_token_reused",
)
#: a second factor enrolled (sessions begun before it, with the password alone, end) or reset
SECOND_FACTOR_ENROLLED, SECOND_FACTOR_RESET = "second_factor_enrolled", "second_factor_reset"
#: what a one-time code is for
PASSWORD_RESET_CODE = "password_reset"
CODE_DIGITS = 6


def new_refresh_token(session_id: str) -> str:
    """A fresh refresh token for `session_id`: 256 bits of secret after the session id."""
    return f"{session_id}.{secrets.token_urlsafe(32)}"


def refresh_token_hash(token: str) -> str:
    """What is stored of a refresh token: its secret has 256 bits, so a plain hash suffices."""
    return hashlib.sha256(token.encode()).hexdigest()


def session_of(token: str) -> str | None:
    """The session id a refresh token names, or None when it is not shaped like one."""
    session_id, dot, secret = token.partition(".")
    return session_id if dot and session_id and secret else None


def same_hash(stored: str | None, presented: str) -> bool:
    return stored is not None and hmac.compare_digest(stored, presented)


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def code_hash(key: str, account_id: str, purpose: str, code: str) -> str:
    """A code's HMAC under the gateway's key, bound to its account and purpose: a copy of the
    database alone cannot try the million codes offline."""
    message = f"{account_id}:{purpose}:{code}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class CodePolicy:
    """How long a one-time code lives and how many wrong tries kill it."""

    #: 10 minutes: long enough for an SMS or an email to arrive, short enough to guess nothing
    lifetime_seconds: int = 600
    #: 5 tries: one in 200,000 chances for a guesser per code (NIST SP 800-63B §5.1.3 allows
    #: far more with rate limiting; fewer also forgives a mistyped digit)
    attempts: int = 5


@dataclass(frozen=True)
class Backoff:
    """After `free` failures within `window_seconds`, failure number `free + k` locks the key
    for `first_seconds * 2**(k-1)`, at most `cap_seconds`."""

    free: int
    first_seconds: float = 30.0
    cap_seconds: float = 900.0
    #: the failures are forgotten a day after the first one (or at once, for a username, by a
    #: successful sign-in)
    window_seconds: float = 86400.0

    def lock_after(self, failures: int) -> float:
        """Seconds the key is locked after its `failures`-th failure (0: not locked)."""
        beyond = failures - self.free
        if beyond <= 0:
            return 0.0
        # capped before the power grows large: 2**60 seconds helps nobody
        return min(self.cap_seconds, self.first_seconds * 2 ** min(beyond - 1, 30))


#: a username: 10 free tries (a person mistyping, as often as the per-minute limit allows),
#: then 30 s, 1, 2, 4 … 15 min: about 110 guesses a day, against the 14,000 that a limit of 10
#: a minute allowed. A client address and refused registrations take `free` from the settings.
USERNAME_BACKOFF = Backoff(free=10)
