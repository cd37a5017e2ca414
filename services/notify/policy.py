"""Notify's policy parameters: documented defaults a district overrides (`NOTIFY_POLICY` or the
`notify` section of `POLICY_FILE`, see services.common.policy)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NotifyPolicy:
    # external channels a template without `channels` uses; SMS costs money per message, so only
    # mandatory messages (an offer deadline, a cancelled activity) go out by SMS by default
    default_channels: tuple[str, ...] = ("email",)
    mandatory_channels: tuple[str, ...] = ("email", "sms")
    # seconds before each retry of a temporarily failed email or SMS, then "retries_exhausted"
    # (a mail server's greylisting lasts minutes; an SMS gateway's flow control about a minute)
    channel_retry_delays: tuple[float, ...] = (60.0, 300.0, 1800.0, 7200.0)
    # seconds before each retry of a webhook delivery: the Standard Webhooks reference
    # implementation's schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h), about 28 h in all
    webhook_retry_delays: tuple[float, ...] = (
        5.0,
        300.0,
        1800.0,
        7200.0,
        18000.0,
        36000.0,
        36000.0,
    )
    # ± fraction of random spread on each retry delay, so a recovering endpoint is not stormed
    retry_jitter: float = 0.1
    # seconds a webhook delivery waits after its event's time before it may go out, so an
    # earlier event of the same subject that is still being applied (consumers run in parallel)
    # is queued first and each subject stays in order
    webhook_order_window_seconds: float = 1.0
    # a run of this many failed attempts in a row (no success between) disables an endpoint
    webhook_disable_after_failures: int = 20
    # seconds an endpoint has to answer a delivery (the spec recommends a short timeout)
    webhook_timeout_seconds: float = 10.0
    # hours the previous secret still signs deliveries after a rotation
    webhook_secret_overlap_hours: float = 24.0
    # seconds an email or SMS provider has to answer
    channel_timeout_seconds: float = 10.0
    # the dispatcher: seconds between polls when nothing woke it, items claimed per round, sends
    # in flight at once, and seconds a claim lasts before another replica may take the item over
    dispatch_poll_interval: float = 5.0
    dispatch_batch_size: int = 50
    dispatch_concurrency: int = 8
    dispatch_lease_seconds: float = 120.0
    # characters of a title put into an SMS template parameter (providers cap a variable's length)
    sms_title_max_chars: int = 20
    # unread messages on "my dashboard"
    dashboard_items: int = 10
