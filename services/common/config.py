"""Process configuration, read from the environment (12-factor) with defaults that run locally.

Every variable is listed in the README's configuration table; `Settings.from_env` is the only
place that reads them, so the table and the code cannot drift apart unnoticed
(`tests/unit/test_config.py` checks the README names each one).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import make_url

from .clock import ADJUSTABLE, DEFAULT_TIMEZONE, SYSTEM

DEFAULT_AMQP_URI = "amqp://guest:guest@127.0.0.1:5672/"

#: The variables `Settings.from_env` reads, with their defaults as documented.
ENVIRONMENT = {
    "AMQP_URI": DEFAULT_AMQP_URI,
    "DATABASE_URL": "(SQLite file per service under DATA_DIR)",
    "<SERVICE>_DATABASE_URL": "(derived from DATABASE_URL)",
    "DATA_DIR": "./var",
    "METRICS_HOST": "0.0.0.0",
    "METRICS_PORT": "(9100 gateway, 9101 jobs … 9105 notify)",
    "METRICS_PORT_BASE": "(unset; `youthcity up` then gives the six processes base+0 … base+5)",
    "LOG_LEVEL": "INFO",
    "LOG_FORMAT": "json",
    "MAX_WORKERS": "16",
    "DB_POOL_SIZE": "(MAX_WORKERS + 4)",
    "EVENT_TYPE_PREFIX": "youthcity",
    "RPC_TIMEOUT": "5",
    "OUTBOX_POLL_INTERVAL": "10",
    "OUTBOX_BATCH_SIZE": "500",
    "HANDLER_RETRY_DELAYS": "1,5,30,120",
    "AMQP_QUEUE_TYPE": "classic",
    "GATEWAY_HOST": "127.0.0.1",
    "GATEWAY_PORT": "8000",
    "ADMIN_USERNAME": "(unset: no bootstrap administrator; `make run` sets admin)",
    "ADMIN_PASSWORD": "(unset; `make run` sets youthcity-admin)",
    "JWT_SECRET": "(generated once and kept in the gateway's database)",
    "TOKEN_LIFETIME": "3600",
    "RATE_LIMIT_ACCOUNT": "600/minute",
    "RATE_LIMIT_ADDRESS": "1200/minute",
    "LOGIN_RATE_LIMIT_ACCOUNT": "10/minute",
    "LOGIN_RATE_LIMIT_ADDRESS": "60/minute",
    "REDIS_URL": "(unset: rate limits counted in memory)",
    "TRUST_PROXY_HEADERS": "false",
    "CORS_ORIGINS": "(unset: no cross-origin access)",
    "PERSONAL_DATA_UNITS": "hrss,housing,admin_service_center,civil_affairs",
    "VIEW_TIMEOUT": "(RPC_TIMEOUT)",
    "INDICATORS_MAX_AGE": "60",
    "GATEWAY_READ_MODEL_MAX_AGE": "30",
    "GATEWAY_READ_MODEL_SIZE": "100000",
    "INDICATOR_REFRESH_SECONDS": "300",
    "ERASURE_GRACE_HOURS": "168",
    "ERASURE_RETRY_SECONDS": "300",
    "SMTP_URL": "(unset: no email is sent)",
    "SMTP_FROM": "Youth City <noreply@youthcity.local>",
    "SMS_PROVIDER": "(unset: no SMS is sent; `aliyun` for Alibaba Cloud SMS)",
    "SMS_ENDPOINT": "https://dysmsapi.aliyuncs.com/",
    "SMS_ACCESS_KEY_ID": "(unset)",
    "SMS_ACCESS_KEY_SECRET": "(unset; a secret)",
    "SMS_SIGN_NAME": "(unset)",
    "SMS_TEMPLATE_CODE": "(unset)",
    "DISTRICT_TIMEZONE": "Asia/Shanghai",
    "CLOCK": "system",
    "POLICY_FILE": "(unset)",
    "<SERVICE>_POLICY": "(unset)",
}


def _env_float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    return float(raw) if raw not in (None, "") else default


def _env_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    return int(raw) if raw not in (None, "") else default


def _zone_name(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"DISTRICT_TIMEZONE {name!r} is not a known time zone") from exc
    return name


def _clock_mode(mode: str) -> str:
    if mode not in (SYSTEM, ADJUSTABLE):
        raise ValueError(f"CLOCK must be {SYSTEM} or {ADJUSTABLE}, not {mode!r}")
    return mode


def database_url_for(service: str, env: Mapping[str, str]) -> str:
    """The database of one service.

    `<SERVICE>_DATABASE_URL` wins. Otherwise `DATABASE_URL` is shared by every service: a
    `{service}` placeholder in it is replaced by the service name, and without one the
    database name gets `_<service>` appended, so that each service owns its own database.
    With neither, each service gets a SQLite file under `DATA_DIR` (the embedded default).
    """
    own = env.get(f"{service.upper()}_DATABASE_URL")
    if own:
        return own
    shared = env.get("DATABASE_URL")
    if not shared:
        data_dir = Path(env.get("DATA_DIR", "./var")).resolve()
        return f"sqlite:///{data_dir / (service + '.sqlite3')}"
    # a URL rendered by SQLAlchemy percent-encodes the braces of the placeholder
    shared = shared.replace("%7Bservice%7D", "{service}").replace("%7bservice%7d", "{service}")
    if "{service}" in shared:
        return shared.replace("{service}", service)
    url = make_url(shared)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "youthcity.sqlite3")
        return str(url.set(database=str(path.with_name(f"{path.stem}_{service}{path.suffix}"))))
    return url.set(database=f"{url.database or 'youthcity'}_{service}").render_as_string(
        hide_password=False
    )


@dataclass(frozen=True)
class Settings:
    """What one process needs to know about its surroundings."""

    service: str
    amqp_uri: str = DEFAULT_AMQP_URI
    database_url: str = ""
    metrics_host: str = "0.0.0.0"
    metrics_port: int = 0
    log_level: str = "INFO"
    log_format: str = "json"
    max_workers: int = 16
    db_pool_size: int = 20
    event_type_prefix: str = "youthcity"
    rpc_timeout: float = 5.0
    outbox_poll_interval: float = 10.0
    outbox_batch_size: int = 500
    handler_retry_delays: tuple[float, ...] = (1, 5, 30, 120)
    queue_type: str = "classic"
    district_timezone: str = DEFAULT_TIMEZONE
    clock: str = SYSTEM
    env: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(
        cls, service: str, default_metrics_port: int, env: Mapping[str, str] | None = None
    ) -> Settings:
        env = os.environ if env is None else env
        max_workers = _env_int(env, "MAX_WORKERS", 16)
        delays = env.get("HANDLER_RETRY_DELAYS", "1,5,30,120")
        return cls(
            service=service,
            amqp_uri=env.get("AMQP_URI") or DEFAULT_AMQP_URI,
            database_url=database_url_for(service, env),
            metrics_host=env.get("METRICS_HOST", "0.0.0.0"),
            metrics_port=_env_int(env, "METRICS_PORT", default_metrics_port),
            log_level=env.get("LOG_LEVEL", "INFO").upper(),
            log_format=env.get("LOG_FORMAT", "json"),
            max_workers=max_workers,
            db_pool_size=_env_int(env, "DB_POOL_SIZE", max_workers + 4),
            event_type_prefix=env.get("EVENT_TYPE_PREFIX", "youthcity"),
            rpc_timeout=_env_float(env, "RPC_TIMEOUT", 5.0),
            outbox_poll_interval=_env_float(env, "OUTBOX_POLL_INTERVAL", 10.0),
            outbox_batch_size=_env_int(env, "OUTBOX_BATCH_SIZE", 500),
            handler_retry_delays=tuple(float(d) for d in delays.split(",") if d.strip()),
            queue_type=env.get("AMQP_QUEUE_TYPE", "classic"),
            district_timezone=_zone_name(env.get("DISTRICT_TIMEZONE") or DEFAULT_TIMEZONE),
            clock=_clock_mode(env.get("CLOCK") or SYSTEM),
            env=dict(env),
        )

    def with_overrides(self, **changes) -> Settings:
        return replace(self, **changes)

    def nameko_config(self) -> dict:
        """The dict nameko's container reads; our own extensions read `YOUTHCITY`."""
        return {
            "AMQP_URI": self.amqp_uri,
            "max_workers": self.max_workers,
            "parent_calls_tracked": 10,
            "YOUTHCITY": self,
        }


def settings_of(container) -> Settings:
    """The Settings a nameko container was started with."""
    return container.config["YOUTHCITY"]
