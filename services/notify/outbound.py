"""One HTTP POST with a deadline, no redirects followed, and a bounded answer: what webhook
deliveries and the SMS provider adapter send.

The way there is decided by `egress.Egress.route`: directly to the addresses it resolved and
checked, or through the outbound proxy's tunnel (`CONNECT`). Either way the URL's name is the
`Host` header, the TLS SNI and the name the certificate must be valid for.

The standard library's http.client does the HTTP: with eventlet's patching it yields to other
green threads while it waits, it follows no redirect, and its connection takes the socket
from `_create_connection`, so pinning the checked address is one assignment. urllib3 (here
only as a dependency of nameko's `requests`) would need the same pinning, and a second code
path for its proxy manager.

Failures are told in two words (`Unreachable`): a coarse `reason` that partners see on their
deliveries, so that a delivery cannot be used to scan ports (whether a port is closed,
filtered or speaks something else looks the same until an HTTP server that holds a valid
certificate for the name answers), and a `detail` for notify's own log.
"""

from __future__ import annotations

import contextlib
import http.client
import ssl
from dataclasses import dataclass

import eventlet

from .egress import HTTPS, AddressRefused, Egress, Route

USER_AGENT = "YouthCity-Notify/1.0"
MAX_ANSWER_BYTES = 64 * 1024

# the reasons partners see
REFUSED_ADDRESS = "refused_address"
UNREACHABLE = "unreachable"
TIMEOUT = "timeout"
INVALID_RESPONSE = "invalid_response"


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


class Unreachable(Exception):
    """No HTTP answer. `reason` is coarse (`refused_address`, `unreachable`, `timeout`,
    `invalid_response`); `detail` says more, for the log only (an exception's type
    or an address's category, never an address or a URL)."""

    def __init__(self, reason: str, detail: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail or reason


class _Deadline(Exception):
    """The whole exchange's time ran out."""


class _Dialled:
    """http.client's connection, dialling the given (address, port) pairs in turn instead of
    resolving its host again; `established` once the TCP connection (and TLS, for https, with
    the certificate checked for the name) is up."""

    def __init__(self, *args, targets: list[tuple[str, int]], dial, **kwargs):
        super().__init__(*args, **kwargs)
        self._targets = targets
        self._dial = dial
        self._create_connection = self._dial_targets
        self.established = False

    def _dial_targets(self, _address, timeout, source_address=None):
        failure: OSError | None = None
        for target in self._targets:
            try:
                return self._dial(target, timeout, source_address)
            except OSError as exc:
                failure = exc
        raise failure or OSError("nothing to dial")

    def connect(self) -> None:
        super().connect()
        self.established = True


class _HttpsConnection(_Dialled, http.client.HTTPSConnection):
    pass


class _HttpConnection(_Dialled, http.client.HTTPConnection):
    pass


def connection_for(route: Route, egress: Egress, timeout: float):
    """The connection `route` says: through the proxy's tunnel (the proxy resolves the name),
    or to the checked addresses."""
    if route.proxy is not None:
        connection = _HttpsConnection(
            route.proxy.host,
            route.proxy.port,
            timeout=timeout,
            context=ssl.create_default_context(),
            targets=[(route.proxy.host, route.proxy.port)],
            dial=egress.dial,
        )
        tunnel_headers = {}
        if route.proxy.authorization:
            tunnel_headers["Proxy-Authorization"] = route.proxy.authorization
        connection.set_tunnel(route.host, route.port, headers=tunnel_headers)
        return connection
    targets = [(str(address), route.port) for address in route.addresses]
    if route.scheme == HTTPS:
        return _HttpsConnection(
            route.host,
            route.port,
            timeout=timeout,
            context=ssl.create_default_context(),
            targets=targets,
            dial=egress.dial,
        )
    return _HttpConnection(
        route.host, route.port, timeout=timeout, targets=targets, dial=egress.dial
    )


def post(url: str, body: bytes, headers: dict[str, str], timeout: float, egress: Egress) -> Answer:
    """POST `body` to `url` the way `egress` allows; the whole exchange, name resolution
    included, must finish within `timeout` seconds."""
    connection = None
    try:
        with eventlet.Timeout(timeout, _Deadline()):
            route = egress.route(url)
            connection = connection_for(route, egress, timeout)
            connection.request(
                "POST",
                route.path,
                body=body,
                headers={"User-Agent": USER_AGENT, "Content-Length": str(len(body)), **headers},
            )
            response = connection.getresponse()
            answer = response.read(MAX_ANSWER_BYTES)
            return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, answer)
    except AddressRefused as exc:  # a name that does not resolve is as unreachable as any
        reason = REFUSED_ADDRESS if exc.reason == REFUSED_ADDRESS else UNREACHABLE
        raise Unreachable(reason, exc.detail) from None
    except (_Deadline, TimeoutError) as exc:
        raise _failure(connection, TIMEOUT, exc) from None
    except http.client.HTTPException as exc:
        raise _failure(connection, INVALID_RESPONSE, exc) from None
    except OSError as exc:  # refused, reset, no route, TLS or certificate failures, the proxy's
        raise _failure(connection, UNREACHABLE, exc) from None
    finally:
        if connection is not None:
            with contextlib.suppress(OSError):
                connection.close()


def _failure(connection, after_connecting: str, exc: BaseException) -> Unreachable:
    """What a partner may learn: until a server that holds the name's certificate (or, in
    development, any HTTP server) has accepted the connection, every failure is `unreachable`."""
    established = connection is not None and connection.established
    detail = f"{'after' if established else 'before'}_connect:{type(exc).__name__}"
    return Unreachable(after_connecting if established else UNREACHABLE, detail)
