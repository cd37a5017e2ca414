"""The conventions every route of the public API follows, in one place.

A route is a `RouteSpec` (what it accepts, answers and allows) and a handler; an area of
`gateway/routes/` declares both (see `gateway/composition.py`)::

    @routes.route("POST", "/api/v1/activities/<activity_id>/registrations", roles=(YOUTH,),
                  response=ActivityRegistrationView, status=201, errors=(404, 409, 422),
                  summary="Register for an activity")
    def register_for_activity(call: Call, activity_id: str, *, services):
        return Created(services.events.register(activity_id=activity_id, ...))

and `Api.handle` (the `api` dependency) wraps each call:

* **who**: `Authorization: Bearer <JWT>`; the account's role and unit come from the read model
  (`gateway/read_model.py`), which a disabled account leaves at once; `roles` names who may
  call (401 without a token, 403 for others);
* **how much**: rate limits per account and per address, answered 429 with `Retry-After`;
* **what**: the query string through `query` and the JSON body through `body` (marshmallow,
  unknown body fields refused); a bad body is a 422 naming each field and reason;
* **answer**: JSON; `Created` is 201 with `Location`; a `PageResult` becomes
  `{"items": [...], "next": <url>}` with a `Link: rel="next"` header; every GET answer has an
  `ETag` and honours `If-None-Match` with 304;
* **refusals**: any `DomainError` (raised here or by a service over RPC) becomes
  `application/problem+json` with a stable `code`, the `field`s and reasons, in the caller's
  language (`Accept-Language`: zh-CN by default, en);
* **tracing**: `X-Request-ID` is accepted or generated, returned, and carried into every RPC
  call and every event that results.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import sqlalchemy as sa
from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields
from nameko.extensions import DependencyProvider, register_entrypoint
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Request, Response

from services.common.config import settings_of
from services.common.context import CallContext, bind_context, current_context, unbind_context
from services.common.db import DATABASE_OUTAGES
from services.common.encoding import dumps
from services.common.errors import (
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    RateLimited,
    Unauthenticated,
)
from services.common.i18n import Catalog, pick

from .auth import InvalidToken, Limit, RateLimiter, Tokens
from .http import HttpEntrypoint
from .messages import MESSAGES
from .read_model import ReadModel

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
#: the largest request body the API reads (413 past it): far above any form, far below memory
MAX_BODY_BYTES = 1024 * 1024
#: how deeply a body's objects and lists may nest (400 past it); the deepest schema needs 4
MAX_DEPTH = 32

#: seconds a client waits before trying again after a 503: a broker link reconnects within
#: 5 s (its backoff's ceiling, services/common/amqp.py), and a pod in a rollout is ready by then
RETRY_AFTER_UNAVAILABLE = 5


@dataclass(frozen=True)
class RouteSpec:
    """What a route accepts, answers and allows: the source of its OpenAPI operation."""

    method: str
    path: str
    summary: str
    tags: tuple[str, ...] = ()
    roles: tuple[str, ...] | None = None  # None: public
    body: type[Schema] | None = None
    query: type[Schema] | None = None
    response: type[Schema] | None = None
    status: int = 200
    errors: tuple[int, ...] = ()
    paginated: bool = False
    description: str = ""
    response_content_type: str = "application/json"


class ApiRoute(HttpEntrypoint):
    """An HTTP entrypoint that knows its `RouteSpec`."""

    def __init__(self, spec: RouteSpec, **kwargs):
        self.spec = spec
        super().__init__(spec.method, spec.path, **kwargs)

    def response_from_exception(self, exc):
        # only reached when the worker could not even start (the wrapper answers otherwise)
        log.error("route failed before its handler ran: %s", type(exc).__name__)
        return problem_response(DomainError("internal_error", status=500), "zh-CN", None, self.url)


@dataclass(frozen=True)
class AccountFacts:
    """What authentication needs of an account, as the read model keeps it."""

    account_id: str
    role: str
    unit: str | None
    active: bool


@dataclass
class Identity:
    """The authenticated caller; `account` (the whole row) is read only by routes that ask."""

    account_id: str
    role: str
    unit: str | None
    load_account: Callable[[], object] = field(repr=False, default=lambda: None)

    @functools.cached_property
    def account(self):
        return self.load_account()


class Encoded:
    """A JSON answer encoded once, with its ETag, for the read model to keep and serve;
    `shared` when it is the same answer for every caller (only such answers may be kept)."""

    __slots__ = ("payload", "etag", "shared")

    def __init__(self, body: dict, shared: bool = False):
        self.payload = dumps(body)
        self.etag = hashlib.sha256(self.payload).hexdigest()[:32]
        self.shared = shared


@dataclass
class Call:
    """Everything a route handler needs about the request it answers."""

    request: Request
    context: CallContext
    identity: Identity | None
    query: dict
    body: dict | None

    @property
    def locale(self) -> str:
        return self.context.locale

    @property
    def account_id(self) -> str | None:
        return self.identity.account_id if self.identity else None


@dataclass
class Created:
    """A 201 answer; `location` is the new resource's path."""

    body: object
    location: str | None = None


@dataclass
class PageResult:
    """A page of items and the cursor of the next one (from a service's `next_cursor`);
    `extra` fields sit beside `items` (an inbox's unread count, say)."""

    items: list
    next_cursor: str | None
    extra: dict = field(default_factory=dict)

    @classmethod
    def of(cls, page: dict) -> PageResult:
        return cls(page["items"], page.get("next_cursor"))


class NoContent:
    """A 204 answer."""


def route_spec(
    method: str,
    path: str,
    *,
    summary: str,
    tags: Iterable[str] = (),
    roles: Iterable[str] | None = None,
    body: type[Schema] | None = None,
    query: type[Schema] | None = None,
    response: type[Schema] | None = None,
    status: int = 200,
    errors: Iterable[int] = (),
    paginated: bool = False,
    description: str = "",
    response_content_type: str = "application/json",
) -> RouteSpec:
    """The `RouteSpec` of a route, from what its declaration says (`roles=None`: public)."""
    return RouteSpec(
        method=method,
        path=path,
        summary=summary,
        tags=tuple(tags),
        roles=tuple(roles) if roles is not None else None,
        body=body,
        query=query,
        response=response,
        status=status,
        errors=tuple(errors),
        paginated=paginated,
        description=description,
        response_content_type=response_content_type,
    )


def entrypoint(name: str, spec: RouteSpec, handler: Callable) -> Callable:
    """The service method that serves `spec`: `handler(service, call, **path_values)` answers
    inside `Api.handle`, the one place the conventions above are applied."""

    def handle(self, request, **path_values):
        return self.api.handle(spec, functools.partial(handler, self), request, path_values)

    handle.__name__ = handle.__qualname__ = name
    register_entrypoint(handle, ApiRoute(spec))
    handle.route_spec = spec
    return handle


def problem_response(
    error: DomainError, locale: str, request_id: str | None, instance: str | None
) -> Response:
    """A `DomainError` as RFC 9457 problem details in the caller's language. A service's error
    arrives rendered by the service's own catalogue; the gateway's are rendered here."""
    rendered = error.messages or MESSAGES.render(error.code, error.params)
    body = {
        "type": f"urn:youthcity:problem:{error.code}",
        "title": pick(rendered, locale),
        "status": error.status,
        "code": error.code,
        "instance": instance,
        "request_id": request_id,
    }
    if error.field:
        body["field"] = error.field
    if error.errors:
        body["errors"] = [
            {
                "field": item.get("field"),
                "code": item.get("code"),
                "message": pick(item.get("messages") or {}, locale),
            }
            for item in error.errors
        ]
        body["detail"] = "; ".join(
            f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in body["errors"]
        )
    response = Response(dumps(body), status=error.status, content_type=PROBLEM_JSON)
    response.headers["Content-Language"] = locale
    if isinstance(error, RateLimited) and "retry_after" in error.params:
        response.headers["Retry-After"] = str(int(error.params["retry_after"]))
    elif error.status == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_UNAVAILABLE)
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="youthcity"'
    return response


def _load(
    schema_cls: type[Schema], data, unknown, catalog: Catalog, prefix: str | None = None
) -> dict:
    try:
        return schema_cls(unknown=unknown).load(data)
    except ValidationError as exc:
        error = InvalidInput.from_validation_error(exc, catalog)
        if prefix:
            for item in error.errors:
                item["field"] = f"{prefix}.{item['field']}" if item["field"] else prefix
        raise error from exc


def _unstorable_text(text: str) -> bool:
    """A NUL character (PostgreSQL's text refuses it) or an unpaired surrogate (not UTF-8): no
    database column can hold it, so it is refused here rather than failing deep in a service."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _unstorable_field(value, path: str = "") -> str | None:
    """The path (`founders.0.name`) of the first string or key of `value` no column can hold."""
    if isinstance(value, str):
        return path if _unstorable_text(value) else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        here = f"{path}.{key}" if path else str(key)
        if isinstance(key, str) and _unstorable_text(key):
            return here
        found = _unstorable_field(item, here)
        if found is not None:
            return found
    return None


def _fractional_integer(schema: Schema, data: dict, path: str = "") -> str | None:
    """The path of the first JSON number with a fraction given for an integer field: marshmallow
    would truncate it (`"nights": 1.5` booked one night) where it must be refused."""
    for name, declared in schema.fields.items():
        key = declared.data_key or name
        if key not in data:
            continue
        here = f"{path}.{key}" if path else key
        found = _fractional_in(declared, data[key], here)
        if found is not None:
            return found
    return None


def _fractional_in(declared, value, path: str) -> str | None:
    if isinstance(declared, fields.Integer):
        return path if isinstance(value, float) and not value.is_integer() else None
    if isinstance(declared, fields.Nested) and isinstance(value, dict):
        return _fractional_integer(declared.schema, value, path)
    if isinstance(declared, fields.List) and isinstance(value, list):
        inner = declared.inner
    elif isinstance(declared, fields.Nested) and isinstance(value, list):
        inner = declared  # many=True: each item is one nested object
    else:
        return None
    for index, item in enumerate(value):
        found = _fractional_in(inner, item, f"{path}.{index}")
        if found is not None:
            return found
    return None


def _query_dict(request: Request) -> dict:
    """Query parameters; a parameter given twice keeps all its values (for list filters)."""
    return {key: values if len(values) > 1 else values[0] for key, values in request.args.lists()}


class Api(DependencyProvider):
    """Authentication, rate limits, validation and answers for every route of the gateway."""

    def __init__(self, catalog: Catalog = MESSAGES):
        self.catalog = catalog

    def setup(self) -> None:
        settings = self.settings = settings_of(self.container)
        self.token_lifetime = settings.token_lifetime
        self.account_limit = Limit(settings.rate_limit_account)
        self.address_limit = Limit(settings.rate_limit_address)
        self.login_account_limit = Limit(settings.login_rate_limit_account)
        self.login_address_limit = Limit(settings.login_rate_limit_address)
        self.proxy_hops = settings.trusted_proxy_hops
        self.limiter = RateLimiter(settings.redis_url)
        self._configured_secret = settings.jwt_secret
        if self._configured_secret and len(self._configured_secret.encode()) < 32:
            raise ValueError("JWT_SECRET must be at least 32 bytes (RFC 7518 section 3.2)")
        self.tokens: Tokens | None = None

    def start(self) -> None:
        self.tokens = Tokens(self._signing_secret(), self.token_lifetime)
        # found once: authentication asks it on every request
        read_model = next(d for d in self.container.dependencies if isinstance(d, ReadModel))
        self.accounts = read_model.accounts

    def _database(self):
        from services.common.db import Database

        return next(d for d in self.container.dependencies if isinstance(d, Database))

    def _signing_secret(self) -> str:
        """JWT_SECRET, or one generated once and kept in the gateway's database, so that
        every replica and every restart signs and checks tokens alike."""
        if self._configured_secret:
            return self._configured_secret
        from .models import GatewaySetting

        database = self._database()
        with database.unit_of_work() as uow:
            existing = uow.session.get(GatewaySetting, "jwt_secret")
            if existing is not None:
                return existing.value
            uow.session.add(GatewaySetting(key="jwt_secret", value=secrets.token_urlsafe(48)))
            with contextlib.suppress(sa.exc.IntegrityError):  # another replica generated it first
                uow.commit()
        with database.reading() as session:
            return session.get(GatewaySetting, "jwt_secret").value

    def get_dependency(self, worker_ctx) -> Api:
        return self

    # -- the request pipeline ------------------------------------------------------------

    def handle(
        self, spec: RouteSpec, handler: Callable, request: Request, path_values: dict
    ) -> Response:
        context = current_context() or CallContext.from_data({})
        token = None
        try:
            identity = self.authenticate(request)
            self.authorise(spec, identity)
            self.limit(request, identity)
            if identity is not None:
                context = context.with_actor(identity.account_id, identity.role, identity.unit)
                token = bind_context(context)
            if any(isinstance(v, str) and _unstorable_text(v) for v in path_values.values()):
                raise NotFound("resource")
            call = Call(
                request=request,
                context=context,
                identity=identity,
                query=self._query(spec, request),
                body=self._body(spec, request),
            )
            result = handler(call, **path_values)
            response = self.respond(spec, request, result)
        except DomainError as error:
            response = problem_response(error, context.locale, context.request_id, request.path)
        except DATABASE_OUTAGES:
            # the gateway's own database is away: every replica alike, so answer for it
            # rather than leave it to the ingress (services/common/health.py)
            log.warning("route %s %s: database unavailable", spec.method, spec.path)
            error = DomainError("database_unavailable", status=503)
            response = problem_response(error, context.locale, context.request_id, request.path)
        except Exception:
            log.exception("route %s %s failed", spec.method, spec.path)
            response = problem_response(
                DomainError("internal_error", status=500),
                context.locale,
                context.request_id,
                request.path,
            )
        finally:
            if token is not None:
                unbind_context(token)
        response.headers["X-Request-ID"] = context.request_id
        response.headers.setdefault("Content-Language", context.locale)
        response.headers["X-Content-Type-Options"] = "nosniff"
        if spec.roles is not None:  # an answer to a signed-in caller is theirs: never stored
            response.headers["Cache-Control"] = "private, no-store"
        return response

    def authenticate(self, request: Request) -> Identity | None:
        header = request.headers.get("Authorization", "")
        if not header:
            return None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Unauthenticated("token_invalid")
        try:
            claims = self.tokens.read(token.strip())
        except InvalidToken as exc:
            raise Unauthenticated(f"token_{exc.reason}") from exc
        facts = self.accounts.fetch(
            claims.account_id,
            functools.partial(self._account_facts, claims.account_id),
            keep=lambda found: found is not None and found.active,
        )
        if facts is None or not facts.active:
            raise Unauthenticated("account_disabled")
        return Identity(
            facts.account_id,
            facts.role,
            facts.unit,
            functools.partial(self._account, facts.account_id),
        )

    def _account(self, account_id: str):
        from .models import Account

        with self._database().reading() as session:
            return session.get(Account, account_id)

    def _account_facts(self, account_id: str) -> AccountFacts | None:
        account = self._account(account_id)
        if account is None:
            return None
        return AccountFacts(account.id, account.role, account.unit, account.status == "active")

    @staticmethod
    def authorise(spec: RouteSpec, identity: Identity | None) -> None:
        if spec.roles is None:
            return
        if identity is None:
            raise Unauthenticated()
        if identity.role not in spec.roles:
            raise Forbidden("role_not_allowed", params={"roles": ", ".join(spec.roles)})

    def address(self, request: Request) -> str:
        """The client's address: `TRUSTED_PROXY_HOPS` entries from the right of
        `X-Forwarded-For` (each trusted proxy appends what it saw; whatever the client wrote
        is further left), else the connection's peer."""
        hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",")]
        if self.proxy_hops and len(hops) >= self.proxy_hops and hops[-self.proxy_hops]:
            return hops[-self.proxy_hops]
        return request.remote_addr or "unknown"

    def limit(self, request: Request, identity: Identity | None) -> None:
        waits = [self.limiter.hit(self.address_limit, "address", self.address(request))]
        if identity is not None:
            waits.append(self.limiter.hit(self.account_limit, "account", identity.account_id))
        wait = max((w for w in waits if w is not None), default=None)
        if wait is not None:
            raise RateLimited(params={"retry_after": int(wait) + 1})

    def limit_login(self, request: Request, username: str) -> None:
        """Sign-in attempts, counted per username and per address, successful or not."""
        waits = [
            self.limiter.hit(self.login_account_limit, "login", username.lower()),
            self.limiter.hit(self.login_address_limit, "login-address", self.address(request)),
        ]
        wait = max((w for w in waits if w is not None), default=None)
        if wait is not None:
            raise RateLimited(params={"retry_after": int(wait) + 1})

    def _checked_text(self, data: dict) -> dict:
        field = _unstorable_field(data)
        if field is not None:
            raise InvalidInput.for_field(field, "invalid_characters", self.catalog)
        return data

    def _query(self, spec: RouteSpec, request: Request) -> dict:
        if spec.query is None:
            return {}
        return _load(spec.query, self._checked_text(_query_dict(request)), EXCLUDE, self.catalog)

    def _body(self, spec: RouteSpec, request: Request) -> dict | None:
        if spec.body is None:
            return None
        request.max_content_length = MAX_BODY_BYTES
        try:
            raw = request.get_data(cache=True)
        except RequestEntityTooLarge as exc:
            raise DomainError(
                "body_too_large", status=413, params={"limit": MAX_BODY_BYTES}
            ) from exc
        if not raw:
            data = {}
        else:
            try:
                data = json.loads(raw)
            except RecursionError as exc:
                raise DomainError("body_too_deep", status=400, params={"limit": MAX_DEPTH}) from exc
            except (ValueError, UnicodeDecodeError) as exc:
                raise DomainError("malformed_json", status=400) from exc
        if not isinstance(data, dict):
            raise DomainError("malformed_json", status=400)
        if _depth(data) > MAX_DEPTH:
            raise DomainError("body_too_deep", status=400, params={"limit": MAX_DEPTH})
        field = _fractional_integer(spec.body(), data)
        if field is not None:
            raise InvalidInput.for_field(field, "not_integer", self.catalog)
        return _load(spec.body, self._checked_text(data), RAISE, self.catalog)

    def respond(self, spec: RouteSpec, request: Request, result) -> Response:
        if isinstance(result, Response):
            return result
        if result is NoContent or isinstance(result, NoContent):
            return Response(status=204)
        status, headers = spec.status, {}
        if isinstance(result, Encoded):
            return self._encoded(request, status, result.payload, result.etag)
        if isinstance(result, Created):
            status = 201
            if result.location:
                headers["Location"] = result.location
            result = result.body
        elif isinstance(result, PageResult):
            next_url = None
            if result.next_cursor:
                args = {k: v for k, v in request.args.items() if k != "after"}
                next_url = f"{request.path}?{urlencode({**args, 'after': result.next_cursor})}"
                headers["Link"] = f'<{next_url}>; rel="next"'
            result = {"items": result.items, "next": next_url, **result.extra}
        payload = dumps(result)
        return self._encoded(request, status, payload, None, headers)

    @staticmethod
    def _encoded(request: Request, status: int, payload: bytes, etag, headers=None) -> Response:
        response = Response(
            payload, status=status, headers=headers, content_type="application/json"
        )
        if request.method in ("GET", "HEAD") and status == 200:
            response.set_etag(etag or hashlib.sha256(payload).hexdigest()[:32])
            response.make_conditional(request)
        return response


def _depth(value) -> int:
    """How deeply `value`'s objects and lists nest (a scalar: 0), without recursion."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, level = pending.pop()
        children = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        )
        for child in children:
            if isinstance(child, dict | list):
                pending.append((child, level + 1))
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
    return deepest
