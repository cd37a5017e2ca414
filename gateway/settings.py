"""What only the gateway reads from the environment: its HTTP address, accounts and tokens,
limits, the read model, the views and the erasure timers (see `services/common/config.py`)."""

from __future__ import annotations

from dataclasses import dataclass

from nameko.extensions import DependencyProvider

from services.common.config import Settings, setting, settings_of

from .accounts import DEFAULT_PERSONAL_DATA_UNITS


@dataclass(frozen=True)
class GatewaySettings(Settings):
    """The gateway process's settings: the common ones and its own."""

    gateway_host: str = setting("GATEWAY_HOST", "127.0.0.1", "address the gateway's HTTP API binds")
    gateway_port: int = setting("GATEWAY_PORT", 8000, "port of the gateway's HTTP API")
    admin_username: str | None = setting(
        "ADMIN_USERNAME",
        None,
        "the first administrator, created at the gateway's first start",
        shown="unset (`make run`: `admin`)",
    )
    admin_password: str | None = setting(
        "ADMIN_PASSWORD",
        None,
        "its password; it must be changed at the first sign-in (ADMIN_PASSWORD_CHANGE_REQUIRED)",
        shown="unset (`make run`: `youthcity-admin`)",
    )
    admin_password_change_required: bool = setting(
        "ADMIN_PASSWORD_CHANGE_REQUIRED",
        True,
        "the first administrator may do nothing but change its password until it has "
        "(`false` only for local runs and tests)",
        shown="true (`make run`: false)",
    )
    jwt_secret: str | None = setting(
        "JWT_SECRET",
        None,
        "key (at least 32 bytes) that signs access tokens; the gateway refuses to start without it",
        shown="unset: `youthcity up` makes one for its gateway; required otherwise",
    )
    staff_second_factor_required: bool = setting(
        "STAFF_SECOND_FACTOR_REQUIRED",
        True,
        "officers and administrators sign in with a code from an authenticator app (TOTP); "
        "until they have enrolled one they may do nothing else (an enrolled account always "
        "needs its code; `false` only for local runs and tests)",
        shown="true (`make run`: false)",
    )
    second_factor_key: str | None = setting(
        "SECOND_FACTOR_KEY",
        None,
        "key (at least 32 bytes) that seals staff members' TOTP secrets in the database; keep "
        "it when rotating JWT_SECRET, or every enrolled staff member needs a recovery code",
        shown="unset: derived from JWT_SECRET (`make run`: kept in `DATA_DIR`)",
    )
    token_lifetime: int = setting(
        "TOKEN_LIFETIME",
        900,
        "seconds an access token is valid (the refresh token gets the next one)",
    )
    refresh_token_lifetime: int = setting(
        "REFRESH_TOKEN_LIFETIME",
        14 * 86400,
        "seconds a session lasts unused: each refresh gives a new refresh token valid as long",
    )
    rate_limit_account: str = setting(
        "RATE_LIMIT_ACCOUNT", "600/minute", "requests per signed-in account"
    )
    rate_limit_address: str = setting(
        "RATE_LIMIT_ADDRESS", "1200/minute", "requests per client address"
    )
    login_rate_limit_account: str = setting(
        "LOGIN_RATE_LIMIT_ACCOUNT", "10/minute", "sign-in attempts per username"
    )
    login_rate_limit_address: str = setting(
        "LOGIN_RATE_LIMIT_ADDRESS", "60/minute", "sign-in attempts per client address"
    )
    sign_in_backoff_address_after: int = setting(
        "SIGN_IN_BACKOFF_ADDRESS_AFTER",
        50,
        "failed sign-ins from one client address before each further one locks it out for "
        "twice as long (30 s up to 15 min); a username locks after 10",
    )
    registration_rate_limit_address: str = setting(
        "REGISTRATION_RATE_LIMIT_ADDRESS", "20/hour", "registrations per client address"
    )
    registration_backoff_after: int = setting(
        "REGISTRATION_BACKOFF_AFTER",
        10,
        "refused registrations (a taken username or ID number) from one client address before "
        "each further one locks it out for twice as long (30 s up to 15 min)",
    )
    registration_phone_proof_required: bool = setting(
        "REGISTRATION_PHONE_PROOF_REQUIRED",
        True,
        "a young person's registration binds an ID number only with a phone proven by the "
        "one-time code sent to it (`false` only for local runs and tests, which register "
        "without an SMS provider)",
        shown="true (`make run`: false)",
    )
    phone_code_rate_limit: str = setting(
        "PHONE_CODE_RATE_LIMIT",
        "5/hour",
        "registration codes sent per phone number (and ten times as many per client address)",
    )
    password_reset_rate_limit: str = setting(
        "PASSWORD_RESET_RATE_LIMIT",
        "5/hour",
        "password-reset codes asked per username (and ten times as many per client address)",
    )
    redis_url: str | None = setting(
        "REDIS_URL",
        None,
        "Redis for rate limits shared by every gateway replica",
        shown="unset: limits counted in memory",
    )
    trusted_proxy_hops: int = setting(
        "TRUSTED_PROXY_HOPS",
        0,
        "how many proxies in front of the gateway append to `X-Forwarded-For` (an ingress: 1); "
        "the client's address is that many entries from the right, which a client cannot "
        "write; 0 ignores the header",
    )
    cors_origins: tuple[str, ...] = setting(
        "CORS_ORIGINS",
        (),
        "comma-separated origins allowed to call the API from a browser, or `*`",
        shown="unset: no cross-origin access",
    )
    personal_data_units: tuple[str, ...] = setting(
        "PERSONAL_DATA_UNITS",
        DEFAULT_PERSONAL_DATA_UNITS,
        "units whose officers see full ID numbers and phones",
    )
    gateway_queue_seconds: float = setting(
        "GATEWAY_QUEUE_SECONDS",
        2.0,
        "seconds a request waits for one of the gateway's workers (`MAX_WORKERS`) before it is "
        "answered 429 `gateway_busy` with `Retry-After` (a crowd beyond what the platform "
        "serves is told when to come back rather than left to time out)",
    )
    gateway_queue_limit: int = setting(
        "GATEWAY_QUEUE_LIMIT",
        500,
        "requests waiting for a worker at most; more are answered 429 at once",
    )
    view_timeout: float | None = setting(
        "VIEW_TIMEOUT",
        None,
        "seconds the aggregated views (dashboard, indicators, benefits, policies) wait for the "
        "services they ask at once",
        shown="RPC_TIMEOUT",
    )
    small_cell_k: int = setting(
        "SMALL_CELL_K",
        5,
        "an indicator's breakdown (by area, sex, age band, education) hides any cell counting "
        "fewer people than this, so no one is identifiable",
    )
    survey_respondent_key: str | None = setting(
        "SURVEY_RESPONDENT_KEY",
        None,
        "key of the hashes that let each young person answer a survey once without their "
        "answer being linkable to them (gateway/surveys.py); keep it secret and stable",
        shown="unset: derived from JWT_SECRET (rotating that lets people answer open surveys "
        "again)",
    )
    indicators_max_age: float = setting(
        "INDICATORS_MAX_AGE",
        60.0,
        "seconds the gateway keeps the indicators it gathered before asking the services again",
    )
    read_model_max_age: float = setting(
        "GATEWAY_READ_MODEL_MAX_AGE",
        30.0,
        "the longest, in seconds, the gateway answers a published post, an account's role or a "
        "dashboard from memory; events drop an entry sooner (0 turns the read model off)",
    )
    read_model_size: int = setting(
        "GATEWAY_READ_MODEL_SIZE",
        100000,
        "how many posts, accounts and dashboards (each) the gateway keeps in memory at most",
    )
    indicator_refresh_seconds: float = setting(
        "INDICATOR_REFRESH_SECONDS",
        300.0,
        "how often the gateway recomputes the indicators it exports as `youthcity_indicator_value`",
    )
    erasure_grace_hours: float = setting(
        "ERASURE_GRACE_HOURS",
        168.0,
        "hours after which an erasure request no administrator has confirmed is carried out",
    )
    erasure_deadline_days: float = setting(
        "ERASURE_DEADLINE_DAYS",
        15.0,
        "days within which an erasure request must be completed; past them it counts in "
        "`youthcity_erasures_overdue` (GB/T 35273-2020 8.7 asks for an answer within 15 "
        "working days; calendar days are stricter)",
    )
    erasure_retry_seconds: float = setting(
        "ERASURE_RETRY_SECONDS",
        300.0,
        "a service that has not anonymised a person after this long is asked again",
    )

    evidence_max_bytes: int = setting(
        "EVIDENCE_MAX_BYTES",
        5 * 1024 * 1024,
        "the largest evidence document (a scanned certificate, a photo of a contract) a person "
        "may upload, in bytes; larger ones are refused with 413",
    )
    evidence_max_documents: int = setting(
        "EVIDENCE_MAX_DOCUMENTS",
        30,
        "how many evidence documents one person may keep at once (409 past it: take one back "
        "first); bounds what one account can put in the object store",
    )
    object_store_endpoint: str | None = setting(
        "OBJECT_STORE_ENDPOINT",
        None,
        "URL of an S3-compatible object store (MinIO, a cloud's object storage) for evidence "
        "documents",
        shown="unset: files under `DATA_DIR/evidence`",
    )
    object_store_bucket: str = setting(
        "OBJECT_STORE_BUCKET",
        "youthcity-evidence",
        "the bucket evidence documents go to (created on the first upload if missing)",
    )
    object_store_access_key: str | None = setting(
        "OBJECT_STORE_ACCESS_KEY", None, "the object store's access key id", shown="unset"
    )
    object_store_secret_key: str | None = setting(
        "OBJECT_STORE_SECRET_KEY",
        None,
        "the object store's secret key (a secret: keep it in the deployment's secret store)",
        shown="unset",
    )
    object_store_region: str = setting(
        "OBJECT_STORE_REGION", "us-east-1", "the region the object store's requests are signed for"
    )

    idempotency_key_hours: float = setting(
        "IDEMPOTENCY_KEY_HOURS",
        24.0,
        "hours a command's `Idempotency-Key` and its answer are kept; a repeat after that is a "
        "new command (Stripe keeps keys 24 hours)",
    )
    idempotency_hold_seconds: float = setting(
        "IDEMPOTENCY_HOLD_SECONDS",
        30.0,
        "seconds a command's first attempt holds its key; a repeat meanwhile gets 409 with "
        "`Retry-After`, a repeat after it (the gateway serving it died) is carried out",
    )

    def __post_init__(self):
        super().__post_init__()
        if self.view_timeout is None:
            object.__setattr__(self, "view_timeout", self.rpc_timeout)

    @property
    def web_server_address(self) -> str:
        """Where nameko's web server listens (`host:port`)."""
        return f"{self.gateway_host}:{self.gateway_port}"


class ProcessSettings(DependencyProvider):
    """Injects the process's `GatewaySettings`, for the handlers that name `settings`."""

    def get_dependency(self, worker_ctx) -> GatewaySettings:
        return settings_of(self.container)
