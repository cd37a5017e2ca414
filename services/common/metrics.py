"""The Prometheus metrics every process exposes on its `METRICS_PORT`.

Metrics are process-wide (prometheus-client's default registry) and carry a `service` label, so
two containers in one test process stay apart. Labels hold names of code and of queues, never
personal data.
"""

from prometheus_client import Counter, Gauge, Histogram

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)

ENTRYPOINT_SECONDS = Histogram(
    "youthcity_entrypoint_seconds",
    "Time a worker took, by service, entrypoint kind and method.",
    ["service", "kind", "method"],
    buckets=LATENCY_BUCKETS,
)
ENTRYPOINT_ERRORS = Counter(
    "youthcity_entrypoint_errors_total",
    "Workers that ended with an error, by error type.",
    ["service", "kind", "method", "error"],
)
HTTP_REQUESTS = Counter(
    "youthcity_http_requests_total",
    "HTTP responses of the gateway by route and status.",
    ["route", "method", "status"],
)
HTTP_SECONDS = Histogram(
    "youthcity_http_request_seconds",
    "HTTP request latency of the gateway by route.",
    ["route", "method"],
    buckets=LATENCY_BUCKETS,
)
READ_MODEL_READS = Counter(
    "youthcity_gateway_read_model_reads_total",
    "Reads the gateway's read model answered from memory (hit) or passed on (miss).",
    ["kind", "outcome"],
)
READ_MODEL_DROPS = Counter(
    "youthcity_gateway_read_model_drops_total",
    "Entries the gateway's read model dropped because an event reported a change.",
    ["kind"],
)
OUTBOX_BACKLOG = Gauge("youthcity_outbox_backlog", "Outbox rows not yet published.", ["service"])
OUTBOX_OLDEST_AGE = Gauge(
    "youthcity_outbox_oldest_pending_seconds",
    "Age of the oldest outbox row not yet published.",
    ["service"],
)
OUTBOX_PUBLISHED = Counter(
    "youthcity_outbox_published_total", "Events published and confirmed by the broker.", ["service"]
)
EVENTS_PUBLISHED = Counter(
    "youthcity_events_published_total",
    "Events confirmed by the broker, by type (alerts watch some types, e.g. SLA breaches).",
    ["service", "event_type"],
)
OUTBOX_PUBLISH_FAILURES = Counter(
    "youthcity_outbox_publish_failures_total",
    "Relay batches that failed to publish (they are retried).",
    ["service"],
)
OUTBOX_COMMIT_TO_CONFIRM = Histogram(
    "youthcity_outbox_commit_to_confirm_seconds",
    "Time from an event's commit to the broker's confirm.",
    ["service"],
    buckets=LATENCY_BUCKETS,
)
HANDLER_RETRIES = Counter(
    "youthcity_handler_retries_total",
    "Events whose handler failed and were scheduled for another attempt.",
    ["service", "event_type"],
)
DEAD_LETTERS = Counter(
    "youthcity_dead_letters_total",
    "Messages moved to the dead-letter queue, by reason.",
    ["service", "reason"],
)
EVENTS_APPLIED = Counter(
    "youthcity_events_applied_total",
    "Events applied by a consumer (duplicates skipped are counted apart).",
    ["service", "event_type", "outcome"],
)
RPC_CLIENT_SECONDS = Histogram(
    "youthcity_rpc_client_seconds",
    "RPC round trips as the caller sees them.",
    ["caller", "target", "method"],
    buckets=LATENCY_BUCKETS,
)
RPC_TIMEOUTS = Counter(
    "youthcity_rpc_timeouts_total", "RPC calls that reached their deadline.", ["caller", "target"]
)
RPC_UNAVAILABLE = Counter(
    "youthcity_rpc_unavailable_total",
    "RPC calls refused at once because no instance of the target was consuming.",
    ["caller", "target"],
)
RPC_EXPIRED_ON_ARRIVAL = Counter(
    "youthcity_rpc_expired_requests_total",
    "RPC requests a service received after their deadline and did not run.",
    ["service", "method"],
)
RPC_UNTRUSTED = Counter(
    "youthcity_rpc_untrusted_requests_total",
    "RPC requests refused because their call context was missing or its signature was wrong.",
    ["service", "method"],
)
RATE_LIMIT_STORAGE_FAILURES = Counter(
    "youthcity_rate_limit_storage_failures_total",
    "Rate-limit hits counted in a replica's memory because the shared storage was unreachable.",
)
REGISTRATION_REFUSALS = Counter(
    "youthcity_registration_refusals_total",
    "Registrations refused because an ID number could not be bound (bound to another account, "
    "or a phone code that did not prove the phone); no label names the number or the person.",
    ["reason"],
)
ERASURES_OVERDUE = Gauge(
    "youthcity_erasures_overdue",
    "Erasure requests not completed within ERASURE_DEADLINE_DAYS of being made (PIPL art. 47).",
)
INDICATOR_VALUE = Gauge(
    "youthcity_indicator_value",
    "The plan's indicators for the current year, by plan task and indicator code.",
    ["task", "code"],
)
INDICATOR_TARGET = Gauge(
    "youthcity_indicator_target",
    "The plan's target for an indicator, where it sets one.",
    ["task", "code"],
)
DEPENDENCY_UP = Gauge(
    "youthcity_dependency_up",
    "1 while a check of /readyz passes, 0 while it fails, by service and check (a shared "
    "dependency's outage shows here without taking pods out of service).",
    ["service", "check"],
)
RETENTION_PURGED = Counter(
    "youthcity_retention_purged_total",
    "Rows and dead letters deleted by the retention policies, by service and kind.",
    ["service", "kind"],
)
