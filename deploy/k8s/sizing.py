"""The numbers the manifests are sized from, in one place, each with the reason for it.

deploy/k8s/generate.py writes them into the Deployments, the autoscalers, the CloudNativePG
clusters and their poolers; tests/integration/test_deploy.py checks the rendered manifests
against the same arithmetic, and deploy/README.md ("PostgreSQL sized for scale-out") explains it.
"""

from __future__ import annotations

#: every process runs at least two replicas in production (one may be drained or rolling) …
MIN_REPLICAS = 2
#: … and at most ten: KEDA's maxReplicaCount for each domain service, the gateway HPA's
#: maxReplicas (overlays/prod/gateway-hpa.yaml must say the same; a test checks it)
MAX_REPLICAS = 10
#: a rolling update adds one pod above the current count before it removes an old one
MAX_SURGE = 1

#: concurrent workers per replica (and the consumers' prefetch); services/common/config.py
MAX_WORKERS = 16
#: SQLAlchemy keeps this many connections open per replica and opens as many again in a burst
#: (services/common/db.py: max_overflow = pool_size). Ten persistent plus ten overflow cover the
#: 16 workers, the outbox relay's lock and drain, and the backlog gauge (19 at most at once);
#: the overflow connections open and close at the PgBouncer pooler, which keeps the server
#: connections behind them, so a burst costs no backend fork.
DB_POOL_SIZE = 10
#: a migrating init container holds two connections at once: the advisory lock's and Alembic's
#: (services/common/migrations.py); they go straight to the primary, not through the pooler
MIGRATION_CONNECTIONS = 2
#: the CloudNativePG instance manager, the metrics exporter, backups and an operator's psql
OPERATOR_CONNECTIONS = 10
#: PostgreSQL's superuser_reserved_connections (default 3)
SUPERUSER_RESERVED = 3


def pods_at_most() -> int:
    """Pods of one process at the worst moment: scaled out to the maximum, mid-rollout."""
    return MAX_REPLICAS + MAX_SURGE


def application_connections() -> int:
    """Client connections one process's pods may hold through its pooler at once."""
    return pods_at_most() * 2 * DB_POOL_SIZE


def max_connections() -> int:
    """PostgreSQL's max_connections for one process's cluster.

    The pooler runs in session mode (the outbox relay holds a session-level advisory lock, see
    deploy/README.md), so every client connection it carries holds a server connection: the
    server must admit all of them, plus the migrations that bypass the pooler, the operator's
    own connections and the superuser reserve."""
    return (
        application_connections()
        + pods_at_most() * MIGRATION_CONNECTIONS
        + OPERATOR_CONNECTIONS
        + SUPERUSER_RESERVED
    )
