"""What only notify reads from the environment: its mail server and SMS provider (see
`services/common/config.py`; both are optional, and a channel without them is skipped), and
the way out to partners' webhooks (`egress.py`)."""

from __future__ import annotations

from dataclasses import dataclass

from services.common.config import Settings, setting

from .sms import DEFAULT_ENDPOINT
from .smtp import DEFAULT_SENDER


@dataclass(frozen=True)
class NotifySettings(Settings):
    """The notify process's settings: the common ones and its channels'."""

    smtp_url: str | None = setting(
        "SMTP_URL",
        None,
        "notify's mail server: `smtp://[user:password@]host[:port][?starttls=true]` or "
        "`smtps://…`; a secret when it holds a password",
        shown="unset: no email is sent (deliveries skipped as `channel_not_configured`)",
    )
    message_retention_days: int = setting(
        "MESSAGE_RETENTION_DAYS",
        730,
        "days notify keeps a message and its deliveries once none waits to be sent (they leave "
        "the person's in-app inbox then): the plan's indicators count them by period, and the "
        "current and the previous plan year stay countable",
    )
    webhook_delivery_retention_days: int = setting(
        "WEBHOOK_DELIVERY_RETENTION_DAYS",
        730,
        "days a settled webhook delivery (its payload too) is kept: partners look up and "
        "replay recent ones, and the plan's indicators count them by period",
    )
    smtp_from: str = setting("SMTP_FROM", DEFAULT_SENDER, "sender of notify's emails")
    sms_provider: str | None = setting(
        "SMS_PROVIDER",
        None,
        "notify's SMS provider adapter: `aliyun` (Alibaba Cloud SMS, `SendSms`, signature method "
        "V3)",
        shown="unset: no SMS is sent",
    )
    sms_endpoint: str = setting("SMS_ENDPOINT", DEFAULT_ENDPOINT, "the provider's API endpoint")
    sms_access_key_id: str | None = setting(
        "SMS_ACCESS_KEY_ID", None, "the provider's AccessKey ID", shown="unset"
    )
    sms_access_key_secret: str | None = setting(
        "SMS_ACCESS_KEY_SECRET",
        None,
        "the provider's AccessKey secret (never logged)",
        shown="unset",
    )
    sms_sign_name: str | None = setting(
        "SMS_SIGN_NAME", None, "the approved SMS signature (短信签名), e.g. `青春XX`", shown="unset"
    )
    sms_template_code: str | None = setting(
        "SMS_TEMPLATE_CODE",
        None,
        "the approved SMS template with one `${title}` parameter, used unless a template "
        "decision names its own",
        shown="unset",
    )
    webhook_allow_loopback: bool = setting(
        "WEBHOOK_ALLOW_LOOPBACK",
        False,
        "development only: webhooks may also go to loopback addresses (127.0.0.0/8, ::1) and "
        "over plain `http` (`make run` and the tests set it); other private, link-local and "
        "metadata addresses stay refused",
    )
    webhook_allowed_networks: tuple[str, ...] = setting(
        "WEBHOOK_ALLOWED_NETWORKS",
        (),
        "comma-separated networks (CIDR) partners' endpoints may be on although they are not "
        "global, e.g. a district's e-government extranet",
        shown="unset: global addresses only",
    )
    https_proxy: str | None = setting(
        "HTTPS_PROXY",
        None,
        "outbound proxy for webhooks and the SMS provider, `http://[user:password@]host:port` "
        "(tunnels with `CONNECT`); the proxy resolves partners' names, so it must refuse "
        "private and metadata destinations itself",
        shown="unset: direct connections",
    )
    no_proxy: str | None = setting(
        "NO_PROXY",
        None,
        "comma-separated host names and domain suffixes reached without the proxy (`*`: all)",
        shown="unset",
    )
