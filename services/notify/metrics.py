"""Notify's own Prometheus metrics (channel names and outcomes only: no person, no address)."""

from prometheus_client import Counter, Histogram

from services.common.metrics import LATENCY_BUCKETS

CHANNEL_SENDS = Counter(
    "youthcity_notify_channel_sends_total",
    "Email and SMS attempts by channel and outcome (delivered, retry, failed, skipped).",
    ["channel", "outcome"],
)
WEBHOOK_ATTEMPTS = Counter(
    "youthcity_notify_webhook_attempts_total",
    "Webhook delivery attempts by outcome (delivered, retry, failed, gone).",
    ["outcome"],
)
WEBHOOK_SECONDS = Histogram(
    "youthcity_notify_webhook_seconds",
    "Time a subscriber took to answer a webhook delivery.",
    buckets=LATENCY_BUCKETS,
)
