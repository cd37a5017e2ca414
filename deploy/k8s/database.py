"""Each process's PostgreSQL, run by CloudNativePG: the cluster, its PgBouncer pooler, its
backups, and the network policies around them. Sizes come from deploy/k8s/sizing.py.

Followed: CloudNativePG's own documentation and samples (docs/src/connection_pooling.md,
monitoring.md, and the Barman Cloud Plugin's usage guide).
"""

from __future__ import annotations

import sizing

POSTGRES_IMAGE = "ghcr.io/cloudnative-pg/postgresql:16.4"
BARMAN_PLUGIN = "barman-cloud.cloudnative-pg.io"
#: one ObjectStore for every cluster: each writes under <destinationPath>/<cluster name>
OBJECT_STORE = "youthcity-backups"


def cluster_name(name: str) -> str:
    return f"{name}-db"


def pooler_name(name: str) -> str:
    """The pooler's Service has the pooler's name; processes connect to it on 5432."""
    return f"{name}-db-pooler"


def app_secret(name: str) -> str:
    """CloudNativePG's secret of the database owner: username, password, uri (to the primary)."""
    return f"{name}-db-app"


def _labels(name: str) -> dict:
    return {"app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "youthcity"}


def cluster(name: str) -> dict:
    """One cluster per process: each owns its database and nothing else. max_connections comes
    from the arithmetic in sizing.py; the memory limit leaves room for that many backends."""
    return {
        "apiVersion": "postgresql.cnpg.io/v1",
        "kind": "Cluster",
        "metadata": {"name": cluster_name(name), "labels": _labels(name)},
        "spec": {
            "instances": 3,
            "imageName": POSTGRES_IMAGE,
            "primaryUpdateStrategy": "unsupervised",
            "storage": {"size": "10Gi"},
            "postgresql": {
                "parameters": {
                    "max_connections": str(sizing.max_connections()),
                    "shared_buffers": "256MB",
                }
            },
            "bootstrap": {"initdb": {"database": name, "owner": name}},
            "resources": {
                "requests": {"cpu": "250m", "memory": "1Gi"},
                "limits": {"cpu": "2", "memory": "2Gi"},
            },
        },
    }


def pooler(name: str) -> dict:
    """PgBouncer in session mode in front of the primary.

    Session mode because the outbox relay holds a session-level advisory lock on a connection of
    its own between statements (services/common/relay.py `PostgresOutboxLock`): in transaction
    mode the lock and its unlock could land on different server connections, and the lock would
    stay with a server connection another client then reuses. PgBouncer's reset query in session
    mode (DISCARD ALL) releases a departed client's advisory locks.
    """
    return {
        "apiVersion": "postgresql.cnpg.io/v1",
        "kind": "Pooler",
        "metadata": {"name": pooler_name(name), "labels": _labels(name)},
        "spec": {
            "cluster": {"name": cluster_name(name)},
            "instances": 2,
            "type": "rw",
            "pgbouncer": {
                "poolMode": "session",
                "parameters": {
                    # either instance carries every client when the other one is away
                    "default_pool_size": str(sizing.application_connections()),
                    "max_client_conn": "1000",
                },
            },
        },
    }


def scheduled_backup(name: str) -> dict:
    """A base backup every night at 02:00 (the cluster's time zone is UTC), one at once when
    the object is created; WAL is archived continuously, so any moment since can be restored."""
    return {
        "apiVersion": "postgresql.cnpg.io/v1",
        "kind": "ScheduledBackup",
        "metadata": {"name": cluster_name(name), "labels": _labels(name)},
        "spec": {
            "schedule": "0 0 2 * * *",
            "immediate": True,
            "backupOwnerReference": "self",
            "cluster": {"name": cluster_name(name)},
            "method": "plugin",
            "pluginConfiguration": {"name": BARMAN_PLUGIN},
        },
    }


def monitors(name: str) -> list[dict]:
    """PodMonitors for the cluster's exporter (9187) and the pooler's (9127), written by hand as
    CloudNativePG recommends now that `enablePodMonitor` is deprecated."""

    def pod_monitor(monitor: str, selector: dict) -> dict:
        return {
            "apiVersion": "monitoring.coreos.com/v1",
            "kind": "PodMonitor",
            "metadata": {"name": monitor, "labels": _labels(name)},
            "spec": {
                "selector": {"matchLabels": selector},
                "podMetricsEndpoints": [{"port": "metrics"}],
            },
        }

    return [
        pod_monitor(cluster_name(name), {"cnpg.io/cluster": cluster_name(name)}),
        pod_monitor(pooler_name(name), {"cnpg.io/poolerName": pooler_name(name)}),
    ]


def _policy(name: str, spec: dict) -> dict:
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": name},
        "spec": spec,
    }


def _from_namespace(namespace: str) -> dict:
    return {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": namespace}}}


#: the API server (instance managers and PgBouncer's manager watch it) and object storage (WAL
#: archive, base backups) are outside the pod network: allowed by port
API_AND_OBJECT_STORE = {
    "ports": [{"protocol": "TCP", "port": 443}, {"protocol": "TCP", "port": 6443}]
}
DNS = {"ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]}
POSTGRES = [{"protocol": "TCP", "port": 5432}]


def policies(name: str) -> list[dict]:
    """The process reaches its pooler (and, from its migrating init container, its primary);
    only the process and its pooler reach the cluster, besides the cluster's own replicas, the
    CloudNativePG operator and Prometheus."""
    process = {"podSelector": {"matchLabels": {"app.kubernetes.io/name": name}}}
    members = {"podSelector": {"matchLabels": {"cnpg.io/cluster": cluster_name(name)}}}
    bouncers = {"podSelector": {"matchLabels": {"cnpg.io/poolerName": pooler_name(name)}}}
    metrics_from = lambda port: {  # noqa: E731 - one rule, three uses
        "from": [_from_namespace("monitoring")],
        "ports": [{"protocol": "TCP", "port": port}],
    }
    return [
        _policy(
            f"{name}-to-its-database",
            {
                **process,
                "policyTypes": ["Egress"],
                "egress": [{"to": [bouncers, members], "ports": POSTGRES}],
            },
        ),
        _policy(
            cluster_name(name),
            {
                **members,
                "policyTypes": ["Ingress", "Egress"],
                "ingress": [
                    {"from": [process, bouncers], "ports": POSTGRES},
                    {"from": [members]},
                    {
                        "from": [_from_namespace("cnpg-system")],
                        "ports": [{"protocol": "TCP", "port": 8000}, *POSTGRES],
                    },
                    metrics_from(9187),
                ],
                # replicas stream from each other
                "egress": [{"to": [members]}, API_AND_OBJECT_STORE, DNS],
            },
        ),
        _policy(
            pooler_name(name),
            {
                **bouncers,
                "policyTypes": ["Ingress", "Egress"],
                "ingress": [{"from": [process], "ports": POSTGRES}, metrics_from(9127)],
                "egress": [{"to": [members], "ports": POSTGRES}, API_AND_OBJECT_STORE, DNS],
            },
        ),
    ]
