"""Passwords, access tokens and rate limits.

* Passwords are hashed with Argon2id (argon2-cffi). Hashing takes tens of milliseconds by design,
  so it runs in eventlet's native thread pool: a sign-in must not freeze every other request.
  Its parameters are explicit, and the thread pool has `HASHES_AT_ONCE` threads: each hash takes
  `HASH_MEMORY_KIB` of memory, which the C allocator keeps per thread once used, and a crowd
  signing in must not take the gateway past its memory limit (argon2-cffi's default, 64 MiB
  each on eventlet's 20 threads, did: four at once measured 272 MB against the pod's 256 Mi).
* Access tokens are short-lived JWTs (HS256) naming the account, its role and unit, and the
  session they belong to (`sid`); the gateway still checks the account and that the session
  is live on every request (through its read model, which an account leaves at once when it is
  disabled, erased, or its sessions end), so whatever a token says, such a token loses access.
* Back-off (`gateway/identity.py`): failures and locks are counted in the same storage as the
  rate limits, so every replica sees them when Redis is set.
* Rate limits use a sliding window counter (the `limits` library): two counters per key, where
  a moving window would keep, and every 10 ms sweep, a timestamp per request. In memory, or in
  Redis when `REDIS_URL` is set so that every gateway replica counts together.
"""

from __future__ import annotations

import functools
import logging
import secrets
import time
from dataclasses import dataclass

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cachetools import TTLCache
from eventlet import tpool
from limits import parse
from limits.errors import StorageError
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import SlidingWindowCounterRateLimiter
from redis.exceptions import RedisError

from services.common.errors import RateLimited
from services.common.metrics import RATE_LIMIT_STORAGE_FAILURES

from .identity import USERNAME_BACKOFF, Backoff

#: OWASP's Password Storage Cheat Sheet, argon2id: 19 MiB of memory, 2 iterations, 1 lane
HASH_MEMORY_KIB, HASH_TIME_COST, HASH_PARALLELISM = 19 * 1024, 2, 1
#: hashes computed at once, one per native thread: 2 × 19 MiB beside the gateway's ~120 MB stays
#: under its 256 Mi limit (the hashing is the only user of eventlet's thread pool here)
HASHES_AT_ONCE = 2
tpool.set_num_threads(HASHES_AT_ONCE)

_hasher = PasswordHasher(
    time_cost=HASH_TIME_COST, memory_cost=HASH_MEMORY_KIB, parallelism=HASH_PARALLELISM
)
# a hash to verify against when the username is unknown, so timing does not tell
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))

log = logging.getLogger(__name__)

TOKEN_ALGORITHM = "HS256"
TOKEN_AUDIENCE = "youthcity-api"


def hash_password(password: str) -> str:
    return tpool.execute(_hasher.hash, password)


def verify_password(password_hash: str | None, password: str) -> bool:
    def check() -> bool:
        try:
            return (
                _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
            )
        except (VerificationError, InvalidHashError):
            return False

    return tpool.execute(check)


@dataclass(frozen=True)
class TokenClaims:
    account_id: str
    role: str
    unit: str | None
    issued_at: int
    expires_at: int
    session_id: str | None = None


class InvalidToken(Exception):
    """`reason`: `expired`, `invalid` (tampered, wrong audience, malformed)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Tokens:
    """Signed access tokens. A token's signature is checked once: the same token string, seen
    again within a minute, is known good (its expiry is still checked every time)."""

    def __init__(self, secret: str, lifetime_seconds: int):
        self.secret = secret
        self.lifetime = lifetime_seconds
        self._verified: TTLCache = TTLCache(maxsize=50_000, ttl=60, timer=time.monotonic)

    def issue(self, account_id: str, role: str, unit: str | None, session_id: str) -> str:
        now = int(time.time())
        claims = {
            "sub": account_id,
            "sid": session_id,
            "role": role,
            "unit": unit,
            "iat": now,
            "exp": now + self.lifetime,
            "aud": TOKEN_AUDIENCE,
            "jti": secrets.token_hex(8),
        }
        return jwt.encode(claims, self.secret, algorithm=TOKEN_ALGORITHM)

    def read(self, token: str) -> TokenClaims:
        claims = self._verified.get(token)
        if claims is None:
            claims = self._verified[token] = self._verify(token)
        if claims.expires_at <= time.time():
            raise InvalidToken("expired")
        return claims

    def _verify(self, token: str) -> TokenClaims:
        try:
            claims = jwt.decode(
                token,
                self.secret,
                algorithms=[TOKEN_ALGORITHM],
                audience=TOKEN_AUDIENCE,
                options={"require": ["sub", "exp", "iat", "aud", "sid"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise InvalidToken("expired") from exc
        except jwt.PyJWTError as exc:
            raise InvalidToken("invalid") from exc
        return TokenClaims(
            claims["sub"],
            claims.get("role", ""),
            claims.get("unit"),
            int(claims["iat"]),
            int(claims["exp"]),
            str(claims["sid"]),
        )


@dataclass(frozen=True)
class Limit:
    """A rate: `count` per `period` (`10/minute`)."""

    text: str

    @functools.cached_property
    def item(self):
        return parse(self.text)


class RateLimiter:
    """Hits against named limits; answers how long to wait when one is exhausted. Also keeps the
    failures and locks of back-off (`fail`, `locked_for`, `forgive`).

    With Redis every replica counts together; while Redis cannot be reached, each replica counts
    in its own memory (a log line and `youthcity_rate_limit_storage_failures_total` say so),
    rather than refusing every request."""

    def __init__(self, redis_url: str | None = None):
        self._local_storage = MemoryStorage()
        self._local = SlidingWindowCounterRateLimiter(self._local_storage)
        self._warned_at = float("-inf")
        self._shared_storage = storage_from_string(redis_url) if redis_url else None
        self._shared = SlidingWindowCounterRateLimiter(self._shared_storage) if redis_url else None

    def _run(self, operation):
        """`operation(limiter, storage)` on the shared storage, or this replica's memory."""
        if self._shared is not None:
            try:
                return operation(self._shared, self._shared_storage)
            except (RedisError, StorageError, OSError) as exc:
                RATE_LIMIT_STORAGE_FAILURES.inc()
                if time.monotonic() - self._warned_at > 60:  # one line a minute, not a request
                    self._warned_at = time.monotonic()
                    log.warning(
                        "rate-limit storage unreachable; counting in this replica's memory",
                        extra={"error": type(exc).__name__},
                    )
        return operation(self._local, self._local_storage)

    def hit(self, limit: Limit, *keys: str) -> float | None:
        """Count one hit; None when allowed, else the seconds until the window allows one."""
        return self._run(lambda limiter, _: self._hit(limiter, limit, keys))

    @staticmethod
    def _hit(limiter, limit: Limit, keys) -> float | None:
        item = limit.item
        if limiter.hit(item, *keys):
            return None
        reset_at = limiter.get_window_stats(item, *keys).reset_time
        return max(1.0, reset_at - time.time())

    def clear(self, limit: Limit, *keys: str) -> None:
        self._run(lambda limiter, _: limiter.clear(limit.item, *keys))

    # -- back-off ------------------------------------------------------------------------

    def locked_for(self, kind: str, key: str) -> float | None:
        """Seconds `key` stays locked, or None when it is not."""

        def check(_, storage) -> float | None:
            lock = f"backoff/lock/{kind}/{key}"
            if storage.get(lock) <= 0:
                return None
            return max(1.0, storage.get_expiry(lock) - time.time())

        return self._run(check)

    def fail(self, backoff: Backoff, kind: str, key: str) -> float:
        """Count a failure of `key`; the seconds it is now locked (0: not locked)."""

        def record(_, storage) -> float:
            failures = storage.incr(f"backoff/failures/{kind}/{key}", int(backoff.window_seconds))
            seconds = backoff.lock_after(failures)
            if seconds:
                lock = f"backoff/lock/{kind}/{key}"
                storage.clear(lock)
                storage.incr(lock, int(seconds))
            return seconds

        return self._run(record)

    def forgive(self, kind: str, key: str) -> None:
        """Forget `key`'s failures (a username signed in with its password)."""
        self._run(lambda _, storage: storage.clear(f"backoff/failures/{kind}/{key}"))


def jwt_secret_problem(secret: str | None) -> str | None:
    """Why the gateway cannot sign tokens with `secret`, in one line, or None."""
    if not secret:
        return (
            "JWT_SECRET is not set: the gateway signs access tokens with it; set it to at least "
            "32 random bytes (`openssl rand -base64 48`); `youthcity up` makes one for local runs"
        )
    if len(secret.encode()) < 32:
        return "JWT_SECRET must be at least 32 bytes (RFC 7518 section 3.2)"
    return None


class SignInGate:
    """Who may try a password now: sign-ins counted per username and per client address
    (successful or not), and refused while back-off locks either, whether the username exists
    or not, so the answer tells nothing (`gateway/identity.py`)."""

    def __init__(self, limiter: RateLimiter, settings):
        self.limiter = limiter
        self.account_limit = Limit(settings.login_rate_limit_account)
        self.address_limit = Limit(settings.login_rate_limit_address)
        self.address_backoff = Backoff(free=settings.sign_in_backoff_address_after)

    def check(self, address: str, username: str) -> None:
        """Raises `RateLimited` (429 with `Retry-After`) when this attempt may not be made."""
        key = username.lower()
        refuse_for(
            self.limiter.hit(self.account_limit, "login", key),
            self.limiter.hit(self.address_limit, "login-address", address),
            self.limiter.locked_for("sign-in", key),
            self.limiter.locked_for("sign-in-address", address),
        )

    def failed(self, address: str, username: str) -> None:
        """A wrong password (or an unknown username): one more failure for both back-offs."""
        self.limiter.fail(USERNAME_BACKOFF, "sign-in", username.lower())
        self.limiter.fail(self.address_backoff, "sign-in-address", address)

    def succeeded(self, username: str) -> None:
        """The password was right: the username's failures are forgiven (not the address's)."""
        self.limiter.forgive("sign-in", username.lower())


def refuse_for(*waits: float | None) -> None:
    """429 with the longest of `waits` as `Retry-After`, when any is set."""
    wait = max((w for w in waits if w is not None), default=None)
    if wait is not None:
        raise RateLimited(params={"retry_after": int(wait) + 1})
