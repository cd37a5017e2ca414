"""The conventions every route of the public API follows, in one place.

A route is a `RouteSpec` (what it accepts, answers and allows) and a handler; an area of
`gateway/routes/` declares both (see `gateway/composition.py`)::

    @routes.route("POST", "/api/v1/activities/<activity_id>/registrations", roles=(YOUTH,),
                  response=ActivityRegistrationView, status=201, errors=(404, 409, 422),
                  summary="Register for an activity")
    def register_for_activity(call: Call, activity_id: str, *, services):
        return Created(services.events.register(activity_id=activity_id, ...))

and `Api.handle` (the `api` dependency) wraps each call:

* **who**: `Authorization: Bearer <JWT>`; the account's role and unit, and whether the token's
  session is still live, come from the read model (`gateway/read_model.py`), which a disabled
  account or an ended session leaves at once; `roles` names who may call (401 without a
  token, 403 for others); an account whose password must change may call only the routes
  marked `password_change_exempt` (403 `password_change_required` elsewhere), and a staff
  member who must enrol a second factor only those marked `second_factor_enrolment_exempt`
  (403 `second_factor_enrolment_required`; gateway/second_factor.py);
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

import functools
import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from marshmallow import Schema
from nameko.extensions import DependencyProvider, register_entrypoint
from werkzeug.wrappers import Request, Response

from services.common.clock import clock
from services.common.commands import command_scope
from services.common.config import settings_of
from services.common.context import CallContext, bind_context, current_context, unbind_context
from services.common.db import DATABASE_OUTAGES
from services.common.encoding import dumps
from services.common.errors import (
    DomainError,
    Forbidden,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    ServiceUnavailable,
    Unauthenticated,
)
from services.common.i18n import Catalog, pick

from . import second_factor
from .accounts import YOUTH
from .auth import InvalidToken, Limit, RateLimiter, SignInGate, Tokens, jwt_secret_problem
from .bodies import limit_body, read_body, read_query, unstorable_text
from .http import HttpEntrypoint
from .idempotency import UNSAFE_METHODS, Claim, IdempotencyKeys, fingerprint_of, key_of
from .messages import MESSAGES
from .read_model import ReadModel

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"

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
    #: whether a repeat with the same `Idempotency-Key` gets the kept answer (False where the
    #: answer is a credential, which is never kept)
    replayable: bool = True
    #: callable by an account that must change its password first (sign-out, the change itself)
    password_change_exempt: bool = False
    #: a file upload: the body is the file's bytes, of these types (checked on the bytes by the
    #: handler), at most as large as the setting `upload_limit` names
    upload: tuple[str, ...] = ()
    upload_limit: str | None = None
    #: a file download: the answer is the file's bytes, of one of these types
    download: tuple[str, ...] = ()
    #: callable by staff who must enrol a second factor first (enrolment itself, sign-out)
    second_factor_enrolment_exempt: bool = False


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
    sessions: frozenset[str] = frozenset()
    must_change_password: bool = False
    second_factor_enrolled: bool = False


@dataclass
class Identity:
    """The authenticated caller; `account` (the whole row) and `youth_facts` (the profile's
    facts, `gateway/store.py`) are read only by routes that ask."""

    account_id: str
    role: str
    unit: str | None
    session_id: str | None = None
    must_change_password: bool = False
    load_account: Callable[[], object] = field(repr=False, default=lambda: None)
    second_factor_enrolment_required: bool = False
    load_youth_facts: Callable[[], dict] = field(repr=False, default=dict)

    @functools.cached_property
    def account(self):
        return self.load_account()

    @functools.cached_property
    def youth_facts(self) -> dict:
        return self.load_youth_facts()


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
    replayable: bool = True,
    password_change_exempt: bool = False,
    upload: Iterable[str] = (),
    upload_limit: str | None = None,
    download: Iterable[str] = (),
    second_factor_enrolment_exempt: bool = False,
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
        replayable=replayable,
        password_change_exempt=password_change_exempt,
        upload=tuple(upload),
        upload_limit=upload_limit,
        download=tuple(download),
        second_factor_enrolment_exempt=second_factor_enrolment_exempt,
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
    if "retry_after" in error.params:
        response.headers["Retry-After"] = str(int(error.params["retry_after"]))
    elif isinstance(error, OutcomeUnknown):  # ask again soon: the answer is known by then
        response.headers["Retry-After"] = "1"
    elif error.status == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_UNAVAILABLE)
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="youthcity"'
    return response


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
        self.sign_ins = SignInGate(self.limiter, settings)
        problem = jwt_secret_problem(settings.jwt_secret)
        if problem:
            raise ValueError(problem)
        self.secret = settings.jwt_secret
        self.tokens: Tokens | None = None

    def start(self) -> None:
        self.tokens = Tokens(self.secret, self.token_lifetime)
        self.idempotency = IdempotencyKeys(
            self._database(),
            self.settings.idempotency_key_hours,
            self.settings.idempotency_hold_seconds,
        )
        # found once: authentication asks it on every request
        read_model = next(d for d in self.container.dependencies if isinstance(d, ReadModel))
        self.accounts = read_model.accounts
        self.dashboards = read_model.dashboards

    def _database(self):
        from services.common.db import Database

        return next(d for d in self.container.dependencies if isinstance(d, Database))

    def get_dependency(self, worker_ctx) -> Api:
        return self

    # -- the request pipeline ------------------------------------------------------------

    def handle(
        self, spec: RouteSpec, handler: Callable, request: Request, path_values: dict
    ) -> Response:
        context = current_context() or CallContext.from_data({})
        token = identity = None
        try:
            identity = self.authenticate(request)
            self.authorise(spec, identity)
            if identity and identity.must_change_password and not spec.password_change_exempt:
                raise Forbidden("password_change_required")
            if (
                identity
                and identity.second_factor_enrolment_required
                and not spec.second_factor_enrolment_exempt
            ):
                raise Forbidden("second_factor_enrolment_required")
            self.limit(request, identity)
            if identity is not None:
                context = context.with_actor(identity.account_id, identity.role, identity.unit)
                token = bind_context(context)
            if spec.upload_limit is not None:  # read before the key's fingerprint reads it
                limit_body(request, getattr(self.settings, spec.upload_limit))
            if any(isinstance(v, str) and unstorable_text(v) for v in path_values.values()):
                raise NotFound("resource")
            call = Call(
                request=request,
                context=context,
                identity=identity,
                query=read_query(spec.query, request, self.catalog),
                body=read_body(spec.body, request, self.catalog),
            )
            claim = self._claim(spec, request, identity)
            if isinstance(claim, Response):  # a repeat: the first answer, nothing done again
                response = claim
            else:
                response = self._carry_out(spec, handler, call, path_values, claim)
        except DomainError as error:
            error = _as_told(error, request.method)
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
        if identity is not None and identity.role == YOUTH and request.method in UNSAFE_METHODS:
            # what a young person did is in their next dashboard here before its event arrives
            self.dashboards.forget(identity.account_id)
        response.headers["X-Request-ID"] = context.request_id
        response.headers.setdefault("Content-Language", context.locale)
        response.headers["X-Content-Type-Options"] = "nosniff"
        if spec.roles is not None:  # an answer to a signed-in caller is theirs: never stored
            response.headers["Cache-Control"] = "private, no-store"
        return response

    def _claim(self, spec: RouteSpec, request: Request, identity: Identity | None):
        """The request's hold on its `Idempotency-Key` (None without one), or the answer its
        first request got (gateway/idempotency.py)."""
        if not spec.replayable or request.method not in UNSAFE_METHODS:
            return None
        key = key_of(request)
        if key is None:
            return None
        caller = identity.account_id if identity is not None else "anonymous"
        return self.idempotency.claim(caller, key, fingerprint_of(request))

    def _carry_out(self, spec, handler, call: Call, path_values: dict, claim: Claim | None):
        """Run the handler; with a key, as a command whose calls the services apply once, and
        keep its answer under the key."""
        if claim is None:
            return self.respond(spec, call.request, handler(call, **path_values))
        try:
            with command_scope(claim.command_id, records=False):
                response = self.respond(spec, call.request, handler(call, **path_values))
        except DomainError as error:
            error = _as_told(error, call.request.method)
            response = problem_response(
                error, call.locale, call.context.request_id, call.request.path
            )
        except Exception:
            self.idempotency.let_go(claim)
            raise
        self.idempotency.settle(claim, response)
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
        load = functools.partial(self._account_facts, claims.account_id)
        facts = self.accounts.fetch(
            claims.account_id, load, keep=lambda found: found is not None and found.active
        )
        if facts is not None and facts.active and claims.session_id not in facts.sessions:
            facts = load()  # a session begun after the entry was kept, or one that has ended
        if facts is None or not facts.active:
            raise Unauthenticated("account_disabled")
        if claims.session_id not in facts.sessions:
            raise Unauthenticated("session_ended")
        return Identity(
            facts.account_id,
            facts.role,
            facts.unit,
            claims.session_id,
            facts.must_change_password,
            functools.partial(self._account, facts.account_id),
            second_factor.enrolment_required(
                facts.role, facts.second_factor_enrolled, self.settings.staff_second_factor_required
            ),
            functools.partial(self._youth_facts, facts.account_id),
        )

    def _account(self, account_id: str):
        from .models import Account

        with self._database().reading() as session:
            return session.get(Account, account_id)

    def _youth_facts(self, account_id: str) -> dict:
        from .store import youth_facts_of

        with self._database().reading() as session:
            return youth_facts_of(session, account_id, clock.today())

    def _account_facts(self, account_id: str) -> AccountFacts | None:
        from .models import Account
        from .second_factor_store import is_enrolled
        from .sessions import live_session_ids

        with self._database().reading() as session:
            account = session.get(Account, account_id)
            if account is None:
                return None
            return AccountFacts(
                account.id,
                account.role,
                account.unit,
                account.status == "active",
                live_session_ids(session, account.id),
                account.must_change_password,
                is_enrolled(session, account.id),
            )

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


def _as_told(error: DomainError, method: str) -> DomainError:
    """A command whose answer never came is "outcome unknown" (retry with the same key to
    learn it); for a read, a lost answer is only "unavailable"."""
    service = error.params.get("service", "")
    if method in UNSAFE_METHODS and error.code == "service_timeout":
        return OutcomeUnknown(service)
    if method not in UNSAFE_METHODS and error.code == "outcome_unknown":
        return ServiceUnavailable(service)
    return error
