"""One RabbitMQ account per process, allowed only what the process does.

RabbitMQ grants each user three regular expressions per virtual host (configure, write, read)
over exchange and queue names (https://www.rabbitmq.com/docs/access-control). A process of the
platform may:

* **configure** its own queues (`rpc-<process>`, `<process>.inbox` with its retry and dead-letter
  queues), its own exchange `<process>.events`, the RPC exchange, and the event exchanges it
  consumes (it declares them so that its bindings do not wait for their owner to start);
* **write** (publish, and bind a queue of its own) to its own exchange, the RPC exchange, its own
  queues, and the default exchange, through which RPC replies and retries travel;
* **read** (consume, and bind from) its own queues, the RPC exchange, the exchanges it consumes,
  and direct reply-to.

So only the gateway publishes to `gateway.events`, no service reads another's queue, and a
service publishes no event in another's name. The default exchange reaches every queue by name,
which RabbitMQ cannot restrict: what arrives that way is refused by its signature
(`services/common/trust.py`). An outside subscriber gets its own queues, which it may bind to
`partners.events` with its own subscriptions' ids only, and no write access to any exchange: it
cannot publish at all, and it reads only what notify delivered to it within its grants.

`make run` and the tests create the accounts (`rabbitmqctl`, or the management API when
`RABBITMQ_MANAGEMENT_URL` is set) and give each process its own `AMQP_URI`; the compose stack
runs `youthcity broker accounts` once before the processes start, each reading its own URI from
a file (`AMQP_URI_FILE`); Kubernetes declares the same permissions as Messaging Topology Operator
resources (deploy/k8s).
"""

from __future__ import annotations

import inspect
import os
import re
import secrets
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from services.common.amqp import RPC_EXCHANGE, events_exchange, inbox_queue, rpc_queue
from services.common.registry import PROCESSES
from services.notify.contract import PARTNER_EXCHANGE

#: the default exchange's name in permissions; RPC replies and delayed retries go through it
DEFAULT_EXCHANGE = "amq.default"
#: what a consumer of direct reply-to reads
DIRECT_REPLY_TO = "amq.rabbitmq.reply-to"
#: every event type starts with it (`EVENT_TYPE_PREFIX`'s default)
EVENT_TYPE_PREFIX = "youthcity"
#: the names RabbitMQ gives exclusive server-named queues (the gateway's read model has one)
SERVER_NAMED_QUEUES = r"amq\.gen-.*"


@dataclass(frozen=True)
class Permissions:
    """A user's three regular expressions on one virtual host."""

    configure: str
    write: str
    read: str


def _names(*names: str, patterns: Iterable[str] = ()) -> str:
    alternatives = [re.escape(name) for name in names] + list(patterns)
    return "^(" + "|".join(alternatives) + ")$" if alternatives else "^$"


#: exchanges a process owns besides its own `<process>.events`: notify publishes partners'
#: deliveries to `partners.events` (services/notify/partner_exchange.py)
EXTRA_EXCHANGES = {"notify": [PARTNER_EXCHANGE]}

#: who calls whom over RPC (services/common/rpc.py `ClusterProxy`): the gateway is the front door
#: to every service; notify asks the gateway for contact details when it sends
RPC_CALLS = {
    "gateway": [name for name in PROCESSES if name != "gateway"],
    "notify": ["gateway.contact_details"],
}


def process_permissions(
    process: str, sources: Iterable[str], server_named: bool, calls: Iterable[str] = ()
) -> Permissions:
    """What `process` may do, given the services whose events it consumes (`sources`), whether
    it keeps a server-named queue of its own, and the RPC targets it calls (`calls`)."""
    queues = [re.escape(rpc_queue(process)), re.escape(inbox_queue(process)) + r"(\..+)?"]
    if server_named:
        queues.append(SERVER_NAMED_QUEUES)
    own = [events_exchange(process), *EXTRA_EXCHANGES.get(process, ())]
    # a process may follow its own events too (the gateway's read model, notify's inbox)
    consumed = sorted({events_exchange(source) for source in sources})
    write, read = [*own, DEFAULT_EXCHANGE], [RPC_EXCHANGE, *consumed]
    replies = []
    if list(calls):  # an RPC client publishes requests and reads their replies
        write.append(RPC_EXCHANGE)
        replies.append(re.escape(DIRECT_REPLY_TO) + ".*")
    return Permissions(
        configure=_names(*sorted({*own, *consumed}), RPC_EXCHANGE, patterns=queues),
        write=_names(*write, patterns=queues),
        read=_names(*read, patterns=[*queues, *replies]),
    )


def topic_keys(process: str, calls: Iterable[str] = ()) -> dict[str, dict[str, str]]:
    """Exchange → routing-key patterns narrowing what `process` publishes (write) and binds
    (read) on the topic exchanges: only its own event types, only its own RPC key, and requests
    only to the services (or methods) it calls."""
    me = re.escape(process)
    targets = [re.escape(t) + ("" if "." in t else r"\..+") for t in calls]
    return {
        events_exchange(process): {"write": rf"^{EVENT_TYPE_PREFIX}\.{me}\..+$", "read": ".*"},
        RPC_EXCHANGE: {
            "write": _names(patterns=targets) if targets else "^$",
            "read": rf"^{me}\.\*$",
        },
    }


def subscriber_permissions(subscriber: str) -> Permissions:
    """An outside subscriber: queues named `<subscriber>.*` of its own, which it may bind to
    `partners.events` (with its subscriptions' ids only: `subscriber_topic_keys`) and read; it
    reads no service's exchange and writes to no exchange: it cannot publish at all."""
    queues = [re.escape(subscriber) + r"\..+"]
    return Permissions(
        configure=_names(patterns=queues),
        write=_names(patterns=queues),
        read=_names(PARTNER_EXCHANGE, patterns=queues),
    )


def subscriber_topic_keys(subscription_ids: Iterable[str]) -> dict[str, dict[str, str]]:
    """The routing keys a subscriber may bind with on `partners.events`: its subscriptions'
    ids, under which notify publishes what its grants allow."""
    return {PARTNER_EXCHANGE: {"write": "^$", "read": _names(*sorted(subscription_ids))}}


def consumed_sources(service_cls: type) -> set[str]:
    """The services whose events `service_cls` consumes: its event handlers' sources and those
    of any dependency that follows events (`follows_sources`, the gateway's read model)."""
    from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR, DependencyProvider

    from services.common.consumer import EventHandler

    sources = set()
    for _, member in inspect.getmembers(service_cls):
        for entrypoint in getattr(member, ENTRYPOINT_EXTENSIONS_ATTR, ()):
            if isinstance(entrypoint, EventHandler):
                sources.add(entrypoint.source)
        if isinstance(member, DependencyProvider):
            sources |= set(getattr(member, "follows_sources", ()))
    return sources


def platform_permissions() -> dict[str, Permissions]:
    """Every process's permissions, read off its service class."""
    permissions = {}
    for name, spec in PROCESSES.items():
        service_cls = spec.load()
        server_named = any(
            getattr(member, "server_named_queue", False)
            for _, member in inspect.getmembers(service_cls)
        )
        permissions[name] = process_permissions(
            name, consumed_sources(service_cls), server_named, RPC_CALLS.get(name, ())
        )
    return permissions


class BrokerAdmin:
    """Creates and deletes users on the broker of `amqp_uri`: through the management API when
    `RABBITMQ_MANAGEMENT_URL` is set, else `rabbitmqctl` on this machine."""

    def __init__(self, amqp_uri: str, management_url: str | None = None):
        self.parts = urlsplit(amqp_uri)
        self.vhost = unquote(self.parts.path[1:]) if len(self.parts.path) > 1 else "/"
        self.management = management_url or os.environ.get("RABBITMQ_MANAGEMENT_URL")

    def available(self) -> bool:
        return bool(self.management) or shutil.which("rabbitmqctl") is not None

    def account_name(self, role: str) -> str:
        """A user name unique to this virtual host (users are the broker's, not a vhost's)."""
        suffix = "" if self.vhost == "/" else "@" + re.sub(r"[^A-Za-z0-9_.-]", "_", self.vhost)
        return f"youthcity-{role}{suffix}"

    def uri_for(self, user: str, password: str) -> str:
        host = self.parts.hostname or "localhost"
        netloc = f"{quote(user, safe='')}:{quote(password, safe='')}@{host}"
        if self.parts.port:
            netloc += f":{self.parts.port}"
        return urlunsplit(self.parts._replace(netloc=netloc))

    def ensure(
        self,
        user: str,
        permissions: Permissions,
        topics: dict | None = None,
        password: str | None = None,
    ) -> str:
        """Create `user` (or set its password: `password`, else a new one) with `permissions`
        and, per topic exchange, `topics` (routing-key patterns); its AMQP URI."""
        # hex: a password starting with "-" would be read by rabbitmqctl as an option
        password = password or secrets.token_hex(24)
        if self.management:
            self._api("PUT", f"users/{quote(user, safe='')}", {"password": password, "tags": ""})
            self._api(
                "PUT",
                f"permissions/{quote(self.vhost, safe='')}/{quote(user, safe='')}",
                {
                    "configure": permissions.configure,
                    "write": permissions.write,
                    "read": permissions.read,
                },
            )
            for exchange, keys in (topics or {}).items():
                self._api(
                    "PUT",
                    f"topic-permissions/{quote(self.vhost, safe='')}/{quote(user, safe='')}",
                    {"exchange": exchange, **keys},
                )
        else:
            if self._ctl("add_user", user, password, check=False).returncode != 0:
                self._ctl("change_password", user, password)
            self._ctl(
                "set_permissions",
                "-p",
                self.vhost,
                user,
                permissions.configure,
                permissions.write,
                permissions.read,
            )
            for exchange, keys in (topics or {}).items():
                self._ctl(
                    "set_topic_permissions",
                    "-p",
                    self.vhost,
                    user,
                    exchange,
                    keys["write"],
                    keys["read"],
                )
        return self.uri_for(user, password)

    def remove(self, user: str) -> None:
        if self.management:
            self._api("DELETE", f"users/{quote(user, safe='')}", None, check=False)
        else:
            self._ctl("delete_user", user, check=False)

    def _api(self, method: str, path: str, body, check: bool = True) -> None:
        import requests

        answer = requests.request(
            method, f"{self.management.rstrip('/')}/api/{path}", json=body, timeout=10
        )
        if check:
            answer.raise_for_status()

    @staticmethod
    def _ctl(*args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["rabbitmqctl", "-q", *args], check=check, capture_output=True, text=True, timeout=60
        )


def provision_platform(amqp_uri: str, passwords: dict[str, str] | None = None) -> dict[str, str]:
    """An account per process on the broker of `amqp_uri`, with the password `passwords` keeps
    for it or a new one; each process's AMQP URI."""
    admin = BrokerAdmin(amqp_uri)
    return {
        process: admin.ensure(
            admin.account_name(process),
            permissions,
            topic_keys(process, RPC_CALLS.get(process, ())),
            (passwords or {}).get(process),
        )
        for process, permissions in platform_permissions().items()
    }


def write_platform_accounts(amqp_uri: str, directory: str | os.PathLike) -> dict[str, Path]:
    """An account per process, each process's AMQP URI written to `<directory>/<process>/amqp_uri`,
    readable by its owner only: the compose stack mounts each process's own folder and points
    `AMQP_URI_FILE` at the file, so no process holds another's password and none is in the
    environment or the compose file. A password already written is kept (running processes
    reconnect with it after the stack is brought up again); deleting the file rotates it."""
    passwords = {}
    for process in PROCESSES:
        path = Path(directory) / process / "amqp_uri"
        if path.exists():
            passwords[process] = unquote(urlsplit(path.read_text().strip()).password or "")
    written = {}
    for process, uri in provision_platform(amqp_uri, passwords).items():
        folder = Path(directory) / process
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "amqp_uri"
        path.unlink(missing_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o400)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(uri + "\n")
        written[process] = path
    return written


def remove_platform(amqp_uri: str) -> None:
    admin = BrokerAdmin(amqp_uri)
    for process in PROCESSES:
        admin.remove(admin.account_name(process))
