"""The broker accounts of the platform as Messaging Topology Operator resources: a virtual host,
one user per process, one for KEDA, each with the least permissions its code needs.

What each process does on the broker (services/common/amqp.py, consumer.py, rpc.py, relay.py,
gateway/read_model.py), and the permission RabbitMQ checks for it:

* the relay declares and publishes to `<self>.events`        configure, write on it
* the consumer declares `<self>.inbox`, its retry and dead     configure on them; write on
  queues (dead-lettering to the default exchange), binds the   `amq.default` (retries, dead
  inbox to each source's `<source>.events`, which it declares   letters, replays) and on the
  too, and consumes the inbox                                  inbox (bind); read on the inbox
                                                               queues and on each source exchange
* the RPC server declares `nameko-rpc` and `rpc-<self>`,       configure on both, write on its
  binds one to the other and answers on the default exchange   queue and `amq.default`, read on
                                                               both
* an RPC client (the gateway; notify asking the gateway for    write on `nameko-rpc`, read on
  contact details) publishes requests and reads direct replies `amq.rabbitmq.reply-to`
* the gateway's read model declares a server-named exclusive   configure, write, read on
  queue bound to a few exchanges                               `amq.gen-*`

Topic permissions narrow the routing keys on the two kinds of topic exchange: a process publishes
only its own event types to its exchange, binds `rpc-<self>` only with its own key, and
publishes requests only to the services it calls.
"""

from __future__ import annotations

import inspect
import re

from services.common.registry import PROCESSES

BROKER = "youthcity-rabbitmq"
VHOST = "youthcity"
RPC_EXCHANGE = "nameko-rpc"
EVENT_TYPE_PREFIX = "youthcity"
#: who calls whom over RPC (services/common/rpc.py `ClusterProxy`): the gateway is the front door
#: to every service; notify asks the gateway for contact details when it sends
RPC_CALLS = {
    "gateway": [name for name in PROCESSES if name != "gateway"],
    "notify": ["gateway.contact_details"],
}


def user_name(account: str) -> str:
    """The User object of an account; the operator writes `<it>-user-credentials`."""
    return f"youthcity-{account}"


def credentials_secret(account: str) -> str:
    return f"{user_name(account)}-user-credentials"


def consumed_sources(name: str) -> list[str]:
    """The services whose events `name` consumes, read from its event handlers (and, for the
    gateway, its read model), so a new handler cannot be forgotten here."""
    from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR

    from services.common.consumer import EventHandler

    sources = set()
    for _, method in inspect.getmembers(PROCESSES[name].load()):
        for entrypoint in getattr(method, ENTRYPOINT_EXTENSIONS_ATTR, ()):
            if isinstance(entrypoint, EventHandler):
                sources.add(entrypoint.source)
    if name == "gateway":
        from gateway.read_model import ReadModel

        sources |= set(ReadModel.DROPS)
    return sorted(sources)


def _any_of(*names: str) -> str:
    return "^(" + "|".join(names) + ")$"


def permissions(name: str) -> dict[str, str]:
    """Configure, write and read patterns of process `name` (see the module docstring)."""
    me = re.escape(name)
    own_queues = rf"{me}\.inbox(\..+)?"
    own_exchange, rpc_queue = rf"{me}\.events", f"rpc-{me}"
    sources = [rf"{re.escape(source)}\.events" for source in consumed_sources(name)]
    rpc_exchange, default_exchange = re.escape(RPC_EXCHANGE), r"amq\.default"
    configure = [own_exchange, own_queues, rpc_queue, rpc_exchange, *sources]
    write = [own_exchange, own_queues, rpc_queue, default_exchange]
    read = [own_queues, rpc_queue, rpc_exchange, *sources]
    if name in RPC_CALLS:
        write.append(rpc_exchange)
        read.append(r"amq\.rabbitmq\.reply-to.*")
    if name == "gateway":
        server_named = r"amq\.gen-.*"
        configure.append(server_named)
        write.append(server_named)
        read.append(server_named)
    return {
        "configure": _any_of(*dict.fromkeys(configure)),
        "write": _any_of(*dict.fromkeys(write)),
        "read": _any_of(*dict.fromkeys(read)),
    }


def _topic_keys(name: str) -> dict[str, dict[str, str]]:
    """Exchange → routing-key patterns for `name`'s writes (publishing) and reads (binding)."""
    me = re.escape(name)
    calls = [
        re.escape(target) + ("" if "." in target else r"\..+") for target in RPC_CALLS.get(name, [])
    ]
    return {
        f"{name}.events": {"write": rf"^{EVENT_TYPE_PREFIX}\.{me}\..+$", "read": ".*"},
        RPC_EXCHANGE: {"write": _any_of(*calls) if calls else "^$", "read": rf"^{me}\.\*$"},
    }


def _cluster() -> dict:
    return {"name": BROKER}


def _labels(account: str) -> dict:
    return {"app.kubernetes.io/name": account, "app.kubernetes.io/part-of": "youthcity"}


def user(account: str) -> dict:
    """A user with operator-generated credentials (`<user>-user-credentials`), no tags: it can
    neither use the management UI nor administer anything."""
    return {
        "apiVersion": "rabbitmq.com/v1beta1",
        "kind": "User",
        "metadata": {"name": user_name(account), "labels": _labels(account)},
        "spec": {"rabbitmqClusterReference": _cluster(), "tags": []},
    }


def permission(account: str, grants: dict[str, str]) -> dict:
    return {
        "apiVersion": "rabbitmq.com/v1beta1",
        "kind": "Permission",
        "metadata": {"name": user_name(account), "labels": _labels(account)},
        "spec": {
            "vhost": VHOST,
            "userReference": {"name": user_name(account)},
            "permissions": grants,
            "rabbitmqClusterReference": _cluster(),
        },
    }


def topic_permissions(name: str) -> list[dict]:
    return [
        {
            "apiVersion": "rabbitmq.com/v1beta1",
            "kind": "TopicPermission",
            "metadata": {
                "name": f"{user_name(name)}-{exchange.replace('.', '-')}",
                "labels": _labels(name),
            },
            "spec": {
                "vhost": VHOST,
                "userReference": {"name": user_name(name)},
                "permissions": {"exchange": exchange, **keys},
                "rabbitmqClusterReference": _cluster(),
            },
        }
        for exchange, keys in _topic_keys(name).items()
    ]


def vhost() -> dict:
    """The platform's virtual host; `retain` so deleting the object never deletes the queues."""
    return {
        "apiVersion": "rabbitmq.com/v1beta1",
        "kind": "Vhost",
        "metadata": {"name": VHOST, "labels": {"app.kubernetes.io/part-of": "youthcity"}},
        "spec": {"name": VHOST, "deletionPolicy": "retain", "rabbitmqClusterReference": _cluster()},
    }


def accounts() -> list[dict]:
    """The vhost, a user per process with its permissions, and KEDA's user, which may connect to
    the vhost and look at queue depths (a passive declare needs no permission) and nothing else."""
    objects = [vhost()]
    for name in PROCESSES:
        objects += [user(name), permission(name, permissions(name)), *topic_permissions(name)]
    nothing = {"configure": "^$", "write": "^$", "read": "^$"}
    objects += [user("keda"), permission("keda", nothing)]
    return objects
