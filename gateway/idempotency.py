"""Commands a front end may repeat: the `Idempotency-Key` header.

The semantics of the IETF httpapi draft "The Idempotency-Key HTTP Header Field", as Stripe and
GOV.UK Pay use it. A `POST`, `PUT`, `PATCH` or `DELETE` may carry a key the caller chose (a UUID):

* the first request with a key holds it while it runs, then keeps its answer (status, body and
  the headers that describe it) with the caller and a fingerprint of the request;
* a repeat with the same key and the same request gets the kept answer, marked
  `Idempotent-Replayed: true`, and nothing is done again;
* the same key with another request (method, path, query or body) is refused, 422;
* a repeat while the first still runs gets 409 with `Retry-After`;
* an answer that does not say what happened (5xx: the broker or a service went away) is not
  kept: the key is let go, and the repeat is carried out again. The services it reaches apply
  each command once (services/common/commands.py), so the repeat learns the real outcome
  instead of doing the thing twice.

Keys and answers live in the gateway's database (`idempotent_request`), so they survive a
restart and every replica sees them; they expire after `IDEMPOTENCY_KEY_HOURS`. Refusals made
before a command starts (authentication, rate limits, an invalid body) are not kept, as with
Stripe: the caller corrects the request and sends it again with the same key.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from werkzeug.wrappers import Request, Response

from services.common.clock import utcnow
from services.common.commands import command_id_of
from services.common.errors import DomainError, InvalidInput

from .bodies import raw_body
from .messages import MESSAGES
from .models import IdempotentRequest

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
#: what a front end may use as a key: a UUID, a ULID, any token of up to 255 characters
_SANE_KEY = re.compile(r"^[A-Za-z0-9._:~+/=-]{1,255}$")
#: the headers that describe an answer, kept with it
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Location", "Link")
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class KeyInProgress(DomainError):
    status = 409
    code = "idempotency_key_in_progress"


@dataclass(frozen=True)
class Claim:
    """A key this request holds: its answer is kept under it when the command ends."""

    caller: str
    key: str

    @property
    def command_id(self) -> str:
        """The root of the command ids the request's RPC calls carry."""
        return command_id_of(self.caller, self.key)


def key_of(request: Request) -> str | None:
    """The request's `Idempotency-Key`, or None; a key no store could hold is a 400."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip().strip('"')  # the draft's header is a structured-field string
    if not _SANE_KEY.match(key):
        raise InvalidInput.for_field(HEADER, "idempotency_key_invalid", MESSAGES)
    return key


def fingerprint_of(request: Request) -> str:
    """What the request asks: method, path, query and body (JSON compared by its meaning)."""
    raw = raw_body(request)
    try:
        body = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        body = raw
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), request.query_string, body):
        digest.update(part + b"\n")
    return digest.hexdigest()


class IdempotencyKeys:
    """The gateway's kept keys and answers, on its own database."""

    def __init__(self, database, keep_hours: float, hold_seconds: float):
        self.database = database
        self.keep = timedelta(hours=keep_hours)
        self.hold = timedelta(seconds=hold_seconds)

    def claim(self, caller: str, key: str, fingerprint: str) -> Claim | Response:
        """Hold `key` for this request (a `Claim`), or the kept answer of its first request."""
        now = utcnow()
        with self.database.unit_of_work() as uow:
            kept = _locked(uow, caller, key)
            if kept is not None and kept.expires_at > now:
                if kept.fingerprint != fingerprint:
                    raise InvalidInput.for_field(HEADER, "idempotency_key_reused", MESSAGES)
                if kept.status is not None:
                    return _replay(kept)
                if kept.held_until > now:
                    wait = (kept.held_until - now).total_seconds()
                    raise KeyInProgress(params={"retry_after": int(wait) + 1})
            if kept is None:
                kept = IdempotentRequest(caller=caller, key=key)
                uow.session.add(kept)
            # a new key, an expired one, or one whose first request's gateway died: ours now
            kept.fingerprint = fingerprint
            kept.held_until = now + self.hold
            kept.expires_at = now + self.keep
            kept.status = kept.headers = kept.body = None
            try:
                uow.commit()
            except sa.exc.IntegrityError as exc:  # another replica claimed it a moment before
                raise KeyInProgress(params={"retry_after": 1}) from exc
        return Claim(caller, key)

    def settle(self, claim: Claim, response: Response) -> None:
        """Keep the answer of a command that ran, or let the key go when the answer does not
        tell what happened (5xx), so that a repeat runs again."""
        if response.status_code >= 500:
            self.let_go(claim)
            return
        kept_headers = {
            name: response.headers[name] for name in _KEPT_HEADERS if name in response.headers
        }
        with self.database.unit_of_work() as uow:
            kept = _locked(uow, claim.caller, claim.key)
            if kept is None:  # expired and purged while it ran: nothing to keep it under
                return
            kept.status = response.status_code
            kept.headers = json.dumps(kept_headers)
            kept.body = response.get_data()
            uow.commit()

    def let_go(self, claim: Claim) -> None:
        """Release a key whose command failed unexpectedly: a repeat runs again."""
        with self.database.unit_of_work() as uow:
            kept = _locked(uow, claim.caller, claim.key)
            if kept is not None:
                uow.session.delete(kept)
                uow.commit()

    def purge_expired(self) -> int:
        """Forget keys past their time; returns how many."""
        with self.database.unit_of_work() as uow:
            gone = uow.session.execute(
                sa.delete(IdempotentRequest).where(IdempotentRequest.expires_at <= utcnow())
            ).rowcount
            uow.commit()
        return gone


def _locked(uow, caller: str, key: str) -> IdempotentRequest | None:
    return uow.session.get(
        IdempotentRequest, (caller, key), with_for_update=True, populate_existing=True
    )


def _replay(kept: IdempotentRequest) -> Response:
    response = Response(kept.body, status=kept.status)
    for name, value in json.loads(kept.headers or "{}").items():
        response.headers[name] = value
    response.headers[REPLAYED_HEADER] = "true"
    return response
