"""Trust between the platform's processes: who acts in a call, and which events happened, is
believed only when signed with a key that only the platform's processes hold.

The gateway authenticates a person and sends their context (actor, role, unit, request id,
deadline) with every RPC call it makes; services publish events that other services apply. On
the broker, anyone holding an AMQP URI could otherwise call an RPC as an `hrss` officer or publish
a `person.erased` for anyone. So:

* an RPC call carries its context as one JSON header (`nameko.context`) and an HMAC-SHA256 of it
  (`nameko.context-signature`); a service runs a call only when the signature verifies and the
  deadline in the signed context has not passed (`services/common/rpc.py`);
* an event carries an HMAC-SHA256 of its body (`youthcity-signature`, written by the outbox
  relay); a consumer applies only events whose signature verifies, and dead-letters the others
  with the reason `untrusted` (`services/common/consumer.py`).

Keys come from `CALL_CONTEXT_KEYS` (comma-separated, each at least 32 bytes): the first signs,
every one verifies, so a key is rotated by adding the new one second, restarting every process,
moving it first, restarting again, and dropping the old one. `youthcity up` makes a key for its
processes when none is set; elsewhere (compose, Kubernetes) it is a secret of the platform.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Sequence

#: the AMQP header of an event's signature
EVENT_SIGNATURE_HEADER = "youthcity-signature"
#: the version of the signature scheme, first in every signature
SCHEME = "v1"
#: RFC 2104 / RFC 7518: an HMAC-SHA256 key no shorter than the hash
MINIMUM_KEY_BYTES = 32

_keys: tuple[bytes, ...] = ()


class UntrustedKeys(ValueError):
    """The process has no usable key: it must not start."""


def configure(keys: Sequence[str]) -> None:
    """Sign and verify with `keys` from now on (the first signs)."""
    global _keys
    if not keys:
        raise UntrustedKeys(
            "CALL_CONTEXT_KEYS is not set: platform processes sign and verify calls and events "
            "with it (`youthcity up` makes one; in a deployment it is a secret)"
        )
    encoded = tuple(key.encode() for key in keys)
    if any(len(key) < MINIMUM_KEY_BYTES for key in encoded):
        raise UntrustedKeys(
            f"each CALL_CONTEXT_KEYS key must be at least {MINIMUM_KEY_BYTES} bytes"
        )
    _keys = encoded


def configured() -> bool:
    return bool(_keys)


def _mac(key: bytes, payload: bytes | str) -> str:
    # the amqp library hands a body with a content encoding over as text: sign its UTF-8 bytes
    data = payload.encode() if isinstance(payload, str) else payload
    return base64.b64encode(hmac.new(key, data, hashlib.sha256).digest()).decode()


def sign(payload: bytes | str) -> str:
    """`v1,<base64 HMAC-SHA256>` of `payload` with the signing key."""
    if not _keys:
        raise UntrustedKeys("this process has no CALL_CONTEXT_KEYS to sign with")
    return f"{SCHEME},{_mac(_keys[0], payload)}"


def verify(payload: bytes | str, signature) -> bool:
    """Whether `signature` is `payload`'s under any of the keys (constant time per key)."""
    if not isinstance(signature, str | bytes) or not _keys:
        return False
    text = signature.decode() if isinstance(signature, bytes) else signature
    scheme, _, mac = text.partition(",")
    if scheme != SCHEME:
        return False
    return any(hmac.compare_digest(mac, _mac(key, payload)) for key in _keys)
