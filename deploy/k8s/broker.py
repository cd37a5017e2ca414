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

from dataclasses import asdict

from youthcity.broker import RPC_CALLS, Permissions, platform_permissions, topic_keys

BROKER = "youthcity-rabbitmq"
VHOST = "youthcity"


def user_name(account: str) -> str:
    """The User object of an account; the operator writes `<it>-user-credentials`."""
    return f"youthcity-{account}"


def credentials_secret(account: str) -> str:
    return f"{user_name(account)}-user-credentials"


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


def permission(account: str, grants: Permissions) -> dict:
    return {
        "apiVersion": "rabbitmq.com/v1beta1",
        "kind": "Permission",
        "metadata": {"name": user_name(account), "labels": _labels(account)},
        "spec": {
            "vhost": VHOST,
            "userReference": {"name": user_name(account)},
            "permissions": asdict(grants),
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
        for exchange, keys in topic_keys(name, RPC_CALLS.get(name, ())).items()
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
    for name, grants in platform_permissions().items():
        objects += [user(name), permission(name, grants), *topic_permissions(name)]
    nothing = Permissions(configure="^$", write="^$", read="^$")
    objects += [user("keda"), permission("keda", nothing)]
    return objects
