"""Process configuration: one typed settings object per process, read once from the environment.

Every process has a `Settings` (the gateway a `GatewaySettings`, notify a `NotifySettings`: what
only they need), parsed once at start by `from_env` from the environment (12-factor), with
defaults that run locally. It is the only reader of the environment outside the command line
(`youthcity/`): extensions read their settings with `settings_of(container)`, never `os.environ`
(`tests/unit/test_config.py` enforces both). A value that does not parse stops the process at
start, naming the variable.

Each field declares its variable, its default and what it means (`setting(...)`); the operations
guide's configuration table is generated from those declarations
(`youthcity settings --markdown`), and a test fails when the two differ.
"""

from __future__ import annotations

import dataclasses
import os
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import make_url

from .clock import ADJUSTABLE, DEFAULT_TIMEZONE, SYSTEM

DEFAULT_AMQP_URI = "amqp://guest:guest@127.0.0.1:5672/"


def setting(env: str, default, doc: str, shown: str | None = None):
    """A field read from the variable `env`; `shown` is how the reference states the default
    when the value itself says too little (`unset: ...`)."""
    return field(default=default, metadata={"env": env, "doc": doc, "shown": shown})


#: variables whose name is a pattern or that `youthcity up` reads, for the reference only
DOCUMENTED_ONLY = (
    (
        "DATABASE_URL",
        "unset: one SQLite file per service under `DATA_DIR`",
        "shared database URL; `{service}` in it is replaced by the service name, otherwise the "
        "database name gets `_<service>` appended (`postgresql://host/youthcity` → "
        "`youthcity_jobs`, …)",
    ),
    (
        "<SERVICE>_DATABASE_URL",
        "derived from `DATABASE_URL`",
        "one service's own database (`JOBS_DATABASE_URL`, `GATEWAY_DATABASE_URL`, …), wins over "
        "`DATABASE_URL`",
    ),
    (
        "METRICS_PORT_BASE",
        "unset",
        "`youthcity up` gives the six processes base+0 … base+5 (for a second platform on one "
        "host)",
    ),
    (
        "<VARIABLE>_FILE",
        "unset",
        "a file holding the variable's value (`AMQP_URI_FILE`, `JWT_SECRET_FILE`, …): secrets "
        "mounted as files, as compose and Kubernetes give them; wins over the variable",
    ),
    (
        "<SERVICE>_POLICY",
        "unset",
        "the same section as JSON in the environment (`JOBS_POLICY='{\"graduate_years\": 3}'`); "
        "wins over `POLICY_FILE`",
    ),
)


@dataclass(frozen=True)
class Settings:
    """What one process needs to know about its surroundings."""

    service: str
    database_url: str = ""
    policy_inline: str | None = None
    amqp_uri: str = setting("AMQP_URI", DEFAULT_AMQP_URI, "the RabbitMQ broker and virtual host")
    data_dir: str = setting("DATA_DIR", "./var", "where the SQLite files live")
    metrics_host: str = setting(
        "METRICS_HOST", "0.0.0.0", "address of each process's probes and metrics"
    )
    metrics_port: int = setting(
        "METRICS_PORT",
        0,
        "port of `/healthz`, `/readyz`, `/metrics`",
        shown="9100 gateway, 9101 jobs, 9102 housing, 9103 startup, 9104 events, 9105 notify",
    )
    log_level: str = setting("LOG_LEVEL", "INFO", "root log level")
    log_format: str = setting("LOG_FORMAT", "json", "`json` (one object a line) or `text`")
    max_workers: int = setting(
        "MAX_WORKERS", 16, "concurrent workers per process (and the consumers' prefetch)"
    )
    db_pool_size: int | None = setting(
        "DB_POOL_SIZE",
        None,
        "database connections a process keeps open; bursts may open as many again, so "
        "PostgreSQL's `max_connections` must allow twice this per process and replica",
        shown="MAX_WORKERS + 4",
    )
    event_type_prefix: str = setting(
        "EVENT_TYPE_PREFIX", "youthcity", "first word of every CloudEvents type"
    )
    rpc_timeout: float = setting(
        "RPC_TIMEOUT", 5.0, "seconds an RPC call waits before it answers 504"
    )
    outbox_poll_interval: float = setting(
        "OUTBOX_POLL_INTERVAL",
        10.0,
        "seconds between the relay's fallback polls (a commit wakes it at once)",
    )
    outbox_batch_size: int = setting(
        "OUTBOX_BATCH_SIZE", 500, "outbox rows published per confirm batch"
    )
    handler_retry_delays: tuple[float, ...] = setting(
        "HANDLER_RETRY_DELAYS",
        (1.0, 5.0, 30.0, 120.0),
        "seconds before each retry of a failing event handler; then the dead-letter queue",
        shown="1,5,30,120",
    )
    amqp_link_stuck_seconds: float = setting(
        "AMQP_LINK_STUCK_SECONDS",
        120.0,
        "seconds a consumer may stay disconnected while the broker accepts connections before "
        "`/healthz` fails and the process is restarted (a broker outage alone never fails it)",
    )
    outbox_retention_days: int = setting(
        "OUTBOX_RETENTION_DAYS",
        7,
        "days a published outbox row (a whole event) is kept: long enough to inspect what went "
        "out during an incident; pending rows are never deleted",
    )
    inbox_retention_days: int = setting(
        "INBOX_RETENTION_DAYS",
        30,
        "days an applied event's id is kept so a copy is skipped; must exceed "
        "`DEAD_LETTER_RETENTION_DAYS`, the longest a copy can wait (a dead letter replayed)",
    )
    dead_letter_retention_days: int = setting(
        "DEAD_LETTER_RETENTION_DAYS",
        14,
        "days a dead letter (its body too) waits for an operator to replay it before it is deleted",
    )
    command_retention_days: int = setting(
        "COMMAND_RETENTION_DAYS",
        2,
        "days a command's id and answer are kept so a repeat gets its first answer; must exceed "
        "the gateway's `IDEMPOTENCY_KEY_HOURS` (a repeat can come that late)",
    )
    queue_type: str = setting(
        "AMQP_QUEUE_TYPE", "classic", "`quorum` for durable queues on a RabbitMQ cluster"
    )
    district_timezone: str = setting(
        "DISTRICT_TIMEZONE",
        DEFAULT_TIMEZONE,
        "the district's time zone (IANA name): every business date (ages, eligibility windows, "
        "deadlines, station nights, reporting periods, business hours) is a date in this zone, "
        "whatever the servers' own zone is; an unknown name stops the process at start",
    )
    clock: str = setting(
        "CLOCK",
        SYSTEM,
        "`adjustable` lets the `travel_clock` RPC of each process move its clock "
        "(`services/common/clock.py`), for tests of dates and deadlines only; never in production",
    )
    policy_file: str | None = setting(
        "POLICY_FILE",
        None,
        "a JSON file of policy parameters, a section per service "
        '(`{"jobs": {"hiring_subsidy_cny": "2000"}}`); see each service\'s README for its '
        "parameters",
        shown="unset",
    )
    call_context_keys: tuple[str, ...] = setting(
        "CALL_CONTEXT_KEYS",
        (),
        "keys (comma-separated, each at least 32 bytes) with which the platform's processes sign "
        "and verify call contexts and events (`services/common/trust.py`): the first signs, all "
        "verify, so a key is rotated without downtime; a secret every process holds",
        shown="unset: `youthcity up` makes one for its processes; required otherwise",
    )
    fault_point: str | None = setting(
        "YOUTHCITY_FAULT_POINT",
        None,
        "fault tests only: the process kills itself the first time it reaches this point "
        "(`services/common/faults.py`)",
        shown="unset",
    )

    def __post_init__(self):
        try:
            ZoneInfo(self.district_timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"DISTRICT_TIMEZONE {self.district_timezone!r} is not a known time zone"
            ) from exc
        if self.clock not in (SYSTEM, ADJUSTABLE):
            raise ValueError(f"CLOCK must be {SYSTEM} or {ADJUSTABLE}, not {self.clock!r}")
        if self.inbox_retention_days <= self.dead_letter_retention_days:
            raise ValueError(
                "INBOX_RETENTION_DAYS must exceed DEAD_LETTER_RETENTION_DAYS: a replayed dead "
                "letter whose event was applied meanwhile must still be skipped"
            )
        if self.db_pool_size is None:
            object.__setattr__(self, "db_pool_size", self.max_workers + 4)

    @classmethod
    def from_env(
        cls, service: str, default_metrics_port: int = 0, env: Mapping[str, str] | None = None
    ) -> Settings:
        """The settings of the process `service`, from `env` (the process's environment)."""
        env = os.environ if env is None else env
        values = {"metrics_port": default_metrics_port}
        hints = typing.get_type_hints(cls)
        for spec in dataclasses.fields(cls):
            name = spec.metadata.get("env")
            raw = _value_or_file(env, name) if name else None
            if raw not in (None, ""):
                values[spec.name] = _parse(raw, hints[spec.name], name)
        return cls(
            service=service,
            database_url=database_url_for(service, env),
            policy_inline=env.get(f"{service.upper()}_POLICY") or None,
            **values,
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


def _value_or_file(env: Mapping[str, str], name: str) -> str | None:
    """The variable `name`, or the content of the file `<name>_FILE` names: secrets (an AMQP URI
    with its password, JWT_SECRET, CALL_CONTEXT_KEYS) can come from a mounted file, as Docker
    and Kubernetes secrets are given, instead of the environment, which `ps e` and crash reports
    show."""
    path = env.get(f"{name}_FILE")
    if not path:
        return env.get(name)
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ValueError(f"{name}_FILE={path}: cannot be read ({exc.strerror})") from exc


def _parse(raw: str, kind, variable: str):
    """`raw` as the field's type: str, int, float, bool, optional ones, tuples of str or float."""
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        kind = next(arg for arg in typing.get_args(kind) if arg is not type(None))
    try:
        if typing.get_origin(kind) is tuple:
            item = typing.get_args(kind)[0]
            return tuple(item(part.strip()) for part in raw.split(",") if part.strip())
        if kind is bool:
            if raw.lower() not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError(raw)
            return raw.lower() in ("true", "1", "yes")
        if kind is str:
            return raw
        return kind(raw)
    except ValueError as exc:
        raise ValueError(
            f"{variable}={raw!r} is not a valid {getattr(kind, '__name__', kind)}"
        ) from exc


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
        data_dir = Path(env.get("DATA_DIR") or "./var").resolve()
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


def settings_of(container) -> Settings:
    """The Settings a nameko container was started with."""
    return container.config["YOUTHCITY"]


def _shown(spec: dataclasses.Field) -> str:
    if spec.metadata.get("shown"):
        shown = spec.metadata["shown"]
        return shown if shown.startswith("unset") or " " in shown else f"`{shown}`"
    default = spec.default
    if isinstance(default, tuple):
        default = ",".join(
            f"{value:g}" if isinstance(value, float) else str(value) for value in default
        )
    elif isinstance(default, float):
        default = f"{default:g}"
    return f"`{default}`"


def reference(settings_classes) -> list[tuple[str, str, str]]:
    """(variable, default, meaning) of every setting of `settings_classes`, each variable once,
    in declaration order, then the variables documented only."""
    rows, seen = [], set()
    for settings_class in settings_classes:
        for spec in dataclasses.fields(settings_class):
            name = spec.metadata.get("env")
            if name and name not in seen:
                seen.add(name)
                rows.append((name, _shown(spec), spec.metadata["doc"]))
    return rows + list(DOCUMENTED_ONLY)


def reference_markdown(settings_classes) -> str:
    """The operations guide's configuration table."""
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    lines += [f"| `{name}` | {shown} | {doc} |" for name, shown, doc in reference(settings_classes)]
    return "\n".join(lines) + "\n"
