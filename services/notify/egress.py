"""Where notify may send an HTTP request, and by which way: the guard against a webhook URL
that reaches inside the platform's network (SSRF).

A partner names the URL, so before any byte goes out the name is resolved **once** and every
address it resolves to must be a global one: loopback, private (RFC 1918), carrier-grade NAT
(100.64.0.0/10, where cloud metadata services live), link-local (169.254.0.0/16, fe80::/10),
IPv6 unique-local (fc00::/7), IPv4-mapped and IPv4-embedding IPv6 addresses, multicast and
reserved ranges are refused (`REFUSED_NETWORKS`). The connection then goes to the addresses
that were checked, never to a second lookup of the name, so DNS cannot be rebound between the
check and the connect; the name still goes into the `Host` header, the TLS SNI and the
certificate check (`outbound.py`).

Only `https` is allowed, unless a development setting (`WEBHOOK_ALLOW_LOOPBACK`) also allows
plain `http` and loopback addresses, which `make run` and the tests use for receivers on this
machine. A district whose partners sit on a private network (an e-government extranet) names
those networks in `WEBHOOK_ALLOWED_NETWORKS`.

Behind an outbound proxy (`HTTPS_PROXY`, required on many government networks; `NO_PROXY`
names the hosts reached directly) the proxy resolves the name, so notify can check only what
the URL itself says (an address literal, `localhost`): **the proxy must enforce the egress
policy** (refuse private and metadata destinations), as SECURITY.md says.

The resolver and the dialler are parameters, so the tests refuse private and metadata
addresses with a stubbed resolver and a dialler that records what would have been dialled,
and never send traffic anywhere but loopback.
"""

from __future__ import annotations

import base64
import ipaddress
import socket
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from urllib.parse import unquote, urlsplit

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# (network, category): the category goes to logs, never to partners
_REFUSED = (
    ("0.0.0.0/8", "unspecified"),
    ("10.0.0.0/8", "private"),
    ("100.64.0.0/10", "shared"),  # carrier-grade NAT; cloud metadata (100.100.100.200)
    ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link_local"),  # cloud metadata (169.254.169.254)
    ("172.16.0.0/12", "private"),
    ("192.0.0.0/24", "reserved"),
    ("192.0.2.0/24", "documentation"),
    ("192.88.99.0/24", "reserved"),
    ("192.168.0.0/16", "private"),
    ("198.18.0.0/15", "benchmarking"),
    ("198.51.100.0/24", "documentation"),
    ("203.0.113.0/24", "documentation"),
    ("224.0.0.0/4", "multicast"),
    ("240.0.0.0/4", "reserved"),  # and 255.255.255.255, the broadcast address
    ("::/128", "unspecified"),
    ("::1/128", "loopback"),
    ("::ffff:0:0/96", "ipv4_mapped"),
    ("::/96", "ipv4_compatible"),
    ("100::/64", "discard"),
    ("2001::/23", "reserved"),  # Teredo, benchmarking, ORCHID
    ("2001:db8::/32", "documentation"),
    ("fc00::/7", "unique_local"),
    ("fe80::/10", "link_local"),
    ("fec0::/10", "site_local"),
    ("ff00::/8", "multicast"),
)
REFUSED_NETWORKS = tuple((ipaddress.ip_network(net), category) for net, category in _REFUSED)
#: the well-known NAT64 prefix (RFC 6052): its last 32 bits are the IPv4 address reached
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))
HTTPS, HTTP = "https", "http"
DEFAULT_PORTS = {HTTPS: 443, HTTP: 80}


class AddressRefused(Exception):
    """The URL may not be sent to. `reason` is what a partner may see: `refused_address`
    (not https, or not global) or `unresolvable`; `detail` (the address's category, never the
    address or URL) is for the log."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def category_of(address: Address) -> str | None:
    """Why an address is not one a partner's endpoint may have, or None for a global one."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.scope_id:
            return "scoped"
        if address.sixtofour is not None:  # the IPv4 address a 6to4 relay would reach
            return category_of(address.sixtofour)
        if address in _NAT64:  # the IPv4 address a NAT64 gateway would reach
            return category_of(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    for network, category in REFUSED_NETWORKS:
        if address.version == network.version and address in network:
            return category
    # a backstop for what the table may miss: whatever the standard library calls non-global
    return None if address.is_global else "not_global"


def literal_address(host: str) -> Address | None:
    """The address a host names by itself: an IP literal, or an IPv4 address in any form
    `inet_aton` accepts (`2130706433`, `0x7f.1`, `127.1` are all 127.0.0.1), which a resolver or
    a proxy would read the same way."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, ValueError):
        return None


@dataclass(frozen=True)
class Proxy:
    """An HTTP proxy that opens tunnels (`CONNECT`); the name is resolved by the proxy."""

    host: str
    port: int
    authorization: str | None = None

    @classmethod
    def parse(cls, url: str) -> Proxy:
        parts = urlsplit(url if "://" in url else f"http://{url}")
        if parts.scheme != HTTP or not parts.hostname:
            raise ValueError("HTTPS_PROXY must be http://[user:password@]host:port")
        authorization = None
        if parts.username is not None:
            credentials = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
            authorization = "Basic " + base64.b64encode(credentials.encode()).decode()
        return cls(parts.hostname, parts.port or 3128, authorization)


@dataclass(frozen=True)
class Route:
    """How one request goes out: to `host` (the name for `Host`, SNI and the certificate) over
    `scheme`, either through `proxy` or to `addresses`, the ones that were checked."""

    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[Address, ...] = ()
    proxy: Proxy | None = None


def _system_resolve(host: str, port: int):
    # looked up at each call: eventlet's green resolver replaces socket.getaddrinfo in notify
    return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)


def _system_dial(address: tuple[str, int], timeout: float, source_address=None):
    return socket.create_connection(address, timeout, source_address)


@dataclass(frozen=True)
class Egress:
    """The way out for one kind of endpoint. `checked` (partners' webhooks) applies the
    address policy; an endpoint the operator configured (the SMS provider) is only routed
    through the proxy."""

    checked: bool = True
    allow_loopback: bool = False
    allowed_networks: tuple = ()
    proxy: Proxy | None = None
    no_proxy: str = ""
    resolve: Callable = field(default=_system_resolve, compare=False)
    dial: Callable = field(default=_system_dial, compare=False)

    @classmethod
    def from_settings(cls, settings) -> Egress:
        """The webhooks' way out from notify's settings (a bad value stops the start)."""
        return cls(
            allow_loopback=settings.webhook_allow_loopback,
            allowed_networks=tuple(
                ipaddress.ip_network(net, strict=False) for net in settings.webhook_allowed_networks
            ),
            proxy=Proxy.parse(settings.https_proxy) if settings.https_proxy else None,
            no_proxy=settings.no_proxy or "",
        )

    def trusted(self) -> Egress:
        """The same way out for an endpoint the operator configured: proxied, not checked."""
        return replace(self, checked=False)

    # -- the policy ---------------------------------------------------------------------------

    def schemes(self) -> tuple[str, ...]:
        return (HTTPS, HTTP) if self.allow_loopback or not self.checked else (HTTPS,)

    def refusal(self, address: Address) -> str | None:
        """Why the address may not be sent to (its category), or None."""
        if not self.checked or any(address in net for net in self.allowed_networks):
            return None
        if self.allow_loopback and any(address in net for net in LOOPBACK):
            return None
        return category_of(address)

    def _check_all(self, addresses: Iterable[Address]) -> tuple[Address, ...]:
        addresses = tuple(addresses)
        for address in addresses:
            category = self.refusal(address)
            if category:  # one bad address refuses the name: it may be the one dialled
                raise AddressRefused("refused_address", category)
        return addresses

    # -- routing ------------------------------------------------------------------------------

    def route(self, url: str) -> Route:
        """How `url` is reached, or AddressRefused. Direct: the name is resolved here, once,
        and every address checked. Through the proxy: only what the URL says is checked."""
        parts = urlsplit(url)
        scheme, host = parts.scheme.lower(), parts.hostname
        if scheme not in self.schemes():
            raise AddressRefused("refused_address", f"scheme_{scheme or 'none'}")
        if not host:
            raise AddressRefused("unresolvable", "no_host")
        try:
            port = parts.port or DEFAULT_PORTS[scheme]
        except ValueError:
            raise AddressRefused("unresolvable", "bad_port") from None
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        literal = literal_address(host)
        if self._proxied(scheme, host):
            if literal is not None:
                self._check_all([literal])
            elif self.checked and _is_localhost(host):
                raise AddressRefused("refused_address", "loopback_name")
            return Route(scheme, host, port, path, proxy=self.proxy)
        addresses = [literal] if literal is not None else self._resolved(host, port)
        return Route(scheme, host, port, path, addresses=self._check_all(addresses))

    def _proxied(self, scheme: str, host: str) -> bool:
        return (
            self.proxy is not None
            and scheme == HTTPS
            and not urllib.request.proxy_bypass_environment(host, {"no": self.no_proxy})
        )

    def _resolved(self, host: str, port: int) -> list[Address]:
        try:
            found = self.resolve(host, port)
        except (OSError, UnicodeError):
            raise AddressRefused("unresolvable", "no_such_name") from None
        addresses: list[Address] = []
        for *_, sockaddr in found:
            address = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
            if address not in addresses:
                addresses.append(address)
        if not addresses:
            raise AddressRefused("unresolvable", "no_address")
        return addresses


def _is_localhost(host: str) -> bool:
    """`localhost` and its subdomains always mean this machine (RFC 6761), wherever resolved."""
    host = host.lower().rstrip(".")
    return host == "localhost" or host.endswith(".localhost")
