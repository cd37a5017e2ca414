"""Where a webhook may go (services/notify/egress.py, outbound.py): every class of non-global
address refused by default, whether the URL names it or a name resolves to it; the name
resolved once and the checked address dialled (no rebinding); https only unless development
allows loopback; the proxy used for the name (and told the name, not an address); coarse
reasons for partners.

No test here opens a connection to anything but 127.0.0.1: refusals run against a stubbed
resolver and a dialler that records what would have been dialled, so a wrong implementation
fails the test instead of sending traffic."""

from __future__ import annotations

import ipaddress
import socket

import eventlet
import pytest

from services.notify import outbound
from services.notify.egress import AddressRefused, Egress, Proxy
from services.notify.outbound import Unreachable, connection_for, post
from tests.support.fake_notify import never_dialled, resolving
from tests.support.notify import WebhookReceiver

PUBLIC_V4, PUBLIC_V6 = "93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"
URL = "https://hooks.example.com/youthcity"

REFUSED = {
    "loopback": "127.0.0.1",
    "loopback, elsewhere in 127/8": "127.8.9.10",
    "unspecified": "0.0.0.0",
    "private 10/8": "10.1.2.3",
    "private 172.16/12": "172.20.0.5",
    "private 192.168/16": "192.168.1.10",
    "carrier-grade NAT": "100.64.0.1",
    "Alibaba Cloud metadata (CGN range)": "100.100.100.200",
    "link-local, cloud metadata": "169.254.169.254",
    "multicast": "224.0.0.251",
    "reserved": "240.0.0.1",
    "broadcast": "255.255.255.255",
    "benchmarking": "198.18.0.1",
    "documentation": "192.0.2.10",
    "IPv6 loopback": "::1",
    "IPv6 unspecified": "::",
    "IPv6 unique local": "fd12:3456:789a::1",
    "IPv6 unique local fc00::/8": "fc00::1",
    "IPv6 link-local": "fe80::1",
    "IPv6 multicast": "ff02::1",
    "IPv4-mapped loopback": "::ffff:127.0.0.1",
    "IPv4-mapped public": "::ffff:93.184.216.34",
    "IPv4-mapped metadata": "::ffff:169.254.169.254",
    "6to4 of loopback": "2002:7f00:1::1",
    "NAT64 of metadata": "64:ff9b::a9fe:a9fe",
    "IPv6 documentation": "2001:db8::1",
}


class Dialler:
    """Records what would have been dialled, and refuses (nothing is sent)."""

    def __init__(self):
        self.dialled: list[tuple[str, int]] = []

    def __call__(self, address, timeout, source_address=None):
        self.dialled.append(address)
        raise ConnectionRefusedError("recorded, not dialled")


@pytest.mark.parametrize("address", REFUSED.values(), ids=REFUSED.keys())
def test_a_name_resolving_to_a_non_global_address_is_refused_and_nothing_is_dialled(address):
    dialler = Dialler()
    egress = Egress(resolve=resolving(address), dial=dialler)

    with pytest.raises(AddressRefused) as refused:
        egress.route(URL)
    assert refused.value.reason == "refused_address"
    with pytest.raises(Unreachable) as unsent:
        post(URL, b"{}", {}, 2, egress)
    assert unsent.value.reason == "refused_address"
    assert dialler.dialled == []


@pytest.mark.parametrize("address", REFUSED.values(), ids=REFUSED.keys())
def test_a_url_naming_a_non_global_address_is_refused_without_resolving(address):
    host = f"[{address}]" if ":" in address else address
    egress = Egress(resolve=never_resolved, dial=never_dialled)
    with pytest.raises(AddressRefused):
        egress.route(f"https://{host}/hook")


def never_resolved(host, port):
    raise AssertionError(f"{host} was resolved")


@pytest.mark.parametrize("host", ["2130706433", "0x7f.1", "127.1", "0177.0.0.1", "0x7f000001"])
def test_legacy_forms_of_the_loopback_address_are_read_as_a_resolver_would_and_refused(host):
    egress = Egress(resolve=never_resolved, dial=never_dialled)
    with pytest.raises(AddressRefused):
        egress.route(f"https://{host}/hook")


def test_one_non_global_address_among_public_ones_refuses_the_name():
    egress = Egress(resolve=resolving(PUBLIC_V4, "10.0.0.7"), dial=never_dialled)
    with pytest.raises(AddressRefused):
        egress.route(URL)


def test_a_public_name_is_routed_to_its_checked_addresses_keeping_the_name():
    egress = Egress(resolve=resolving(PUBLIC_V4, PUBLIC_V6), dial=never_dialled)
    route = egress.route(URL + "?a=1")
    assert [str(a) for a in route.addresses] == [PUBLIC_V4, PUBLIC_V6]
    assert (route.host, route.port, route.path, route.proxy) == (
        "hooks.example.com",
        443,
        "/youthcity?a=1",
        None,
    )
    connection = connection_for(route, egress, 2)
    # the name is what Host, the SNI and the certificate check use; the addresses what is dialled
    assert connection.host == "hooks.example.com"
    assert connection._targets == [(PUBLIC_V4, 443), (PUBLIC_V6, 443)]


def test_the_name_is_resolved_once_and_the_checked_address_dialled_dns_cannot_rebind():
    answers = iter([[PUBLIC_V4], ["127.0.0.1"], ["127.0.0.1"]])
    asked = []

    def rebinding(host, port):
        asked.append(host)
        return resolving(*next(answers))(host, port)

    dialler = Dialler()
    with pytest.raises(Unreachable) as unsent:
        post(URL, b"{}", {}, 2, Egress(resolve=rebinding, dial=dialler))
    assert asked == ["hooks.example.com"]
    assert dialler.dialled == [(PUBLIC_V4, 443)]  # never the rebound loopback address
    assert unsent.value.reason == "unreachable"  # a refused port reads like any other failure


def test_a_name_rebound_between_saving_and_sending_is_refused_at_sending():
    answers = iter([[PUBLIC_V4], ["169.254.169.254"]])
    dialler = Dialler()
    egress = Egress(resolve=lambda h, p: resolving(*next(answers))(h, p), dial=dialler)
    egress.route(URL)  # when the subscription was saved
    with pytest.raises(Unreachable) as unsent:
        post(URL, b"{}", {}, 2, egress)
    assert unsent.value.reason == "refused_address" and dialler.dialled == []
    assert unsent.value.detail == "link_local"


def test_http_and_loopback_only_where_development_allows_them_and_never_other_private_ranges():
    default = Egress(resolve=resolving(PUBLIC_V4), dial=never_dialled)
    with pytest.raises(AddressRefused):
        default.route("http://hooks.example.com/h")
    development = Egress(allow_loopback=True, resolve=resolving("127.0.0.1"), dial=never_dialled)
    assert development.route("http://receiver.test:8080/h").port == 8080
    for address in ("10.0.0.1", "169.254.169.254", "100.100.100.200", "::ffff:127.0.0.1"):
        with pytest.raises(AddressRefused):
            Egress(allow_loopback=True, resolve=resolving(address)).route(URL)
    with pytest.raises(AddressRefused):
        development.route("ftp://receiver.test/h")


def test_a_districts_extranet_is_allowed_when_named():
    extranet = Egress(
        allowed_networks=(ipaddress.ip_network("10.20.0.0/16"),),
        resolve=resolving("10.20.3.4"),
    )
    assert [str(a) for a in extranet.route(URL).addresses] == ["10.20.3.4"]
    with pytest.raises(AddressRefused):
        Egress(allowed_networks=extranet.allowed_networks, resolve=resolving("10.21.0.1")).route(
            URL
        )


def test_a_name_that_does_not_resolve_is_unresolvable_and_unreachable_when_sending():
    def nxdomain(host, port):
        raise socket.gaierror(socket.EAI_NONAME, "no such name")

    egress = Egress(resolve=nxdomain, dial=never_dialled)
    with pytest.raises(AddressRefused) as refused:
        egress.route(URL)
    assert refused.value.reason == "unresolvable"
    with pytest.raises(Unreachable) as unsent:
        post(URL, b"{}", {}, 2, egress)
    assert unsent.value.reason == "unreachable"


# -- through a real socket on loopback ------------------------------------------------------------


def test_the_pinned_address_gets_the_request_with_the_urls_name_as_host():
    receiver = WebhookReceiver().start()
    try:
        asked = []

        def resolve(host, port):
            asked.append(host)
            return resolving("127.0.0.1")(host, port)

        egress = Egress(allow_loopback=True, resolve=resolve)
        answer = post(f"http://receiver.test:{receiver.port}/hooks", b'{"a":1}', {}, 5, egress)
    finally:
        receiver.stop()
    assert answer.status == 200 and asked == ["receiver.test"]
    (received,) = receiver.received
    assert received.headers["host"] == f"receiver.test:{receiver.port}"
    assert received.body == b'{"a":1}'


def test_an_endpoint_that_accepts_but_never_answers_times_out_after_connecting():
    server = eventlet.listen(("127.0.0.1", 0))
    held = []
    acceptor = eventlet.spawn(lambda: held.append(server.accept()))
    try:
        url = f"http://127.0.0.1:{server.getsockname()[1]}/slow"
        with pytest.raises(Unreachable) as unsent:
            post(url, b"{}", {}, 0.3, Egress(allow_loopback=True))
    finally:
        acceptor.kill()
        server.close()
    assert unsent.value.reason == "timeout"
    assert unsent.value.detail.startswith("after_connect")


# -- the proxy ------------------------------------------------------------------------------------


def test_through_the_proxy_the_name_is_not_resolved_here_but_literals_and_localhost_are_checked():
    proxy = Proxy("proxy.gov.internal", 3128)
    egress = Egress(proxy=proxy, no_proxy="partner.gov.cn", resolve=never_resolved)
    route = egress.route(URL)
    assert (route.proxy, route.addresses, route.host) == (proxy, (), "hooks.example.com")
    for url in (
        "https://169.254.169.254/",
        "https://[::1]/",
        "https://localhost/",
        "https://a.localhost/",
    ):
        with pytest.raises(AddressRefused):
            egress.route(url)
    direct = Egress(proxy=proxy, no_proxy="partner.gov.cn", resolve=resolving("10.0.0.1"))
    with pytest.raises(AddressRefused):  # NO_PROXY: resolved and checked here
        direct.route("https://hooks.partner.gov.cn/h")


def test_the_proxy_is_asked_for_a_tunnel_to_the_name_with_its_credentials():
    server = eventlet.listen(("127.0.0.1", 0))
    requests = []

    def refuse_tunnel():
        conn, _ = server.accept()
        data = b""
        while b"\r\n\r\n" not in data:
            data += conn.recv(4096)
        requests.append(data.decode())
        conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
        conn.close()

    worker = eventlet.spawn(refuse_tunnel)
    proxy = Proxy.parse(f"http://user:s%40cret@127.0.0.1:{server.getsockname()[1]}")
    try:
        with pytest.raises(Unreachable) as unsent:
            post(URL, b"{}", {}, 5, Egress(proxy=proxy, resolve=never_resolved))
        worker.wait()
    finally:
        server.close()
    assert unsent.value.reason == "unreachable"
    (request,) = requests
    assert request.startswith("CONNECT hooks.example.com:443 HTTP/1.")
    assert "Proxy-Authorization: Basic dXNlcjpzQGNyZXQ=" in request  # user:s@cret


def test_only_a_plain_http_proxy_url_is_accepted():
    assert Proxy.parse("proxy.internal:8080") == Proxy("proxy.internal", 8080)
    with pytest.raises(ValueError):
        Proxy.parse("https://proxy.internal:8443")


def test_the_reasons_partners_see_are_few():
    assert {
        outbound.REFUSED_ADDRESS,
        outbound.UNREACHABLE,
        outbound.TIMEOUT,
        outbound.INVALID_RESPONSE,
    } == {"refused_address", "unreachable", "timeout", "invalid_response"}
