"""The gateway's HTTP layer on nameko's werkzeug entrypoint.

* **Access log**: eventlet's WSGI server logs whole request lines, query strings included, and a
  query string may carry personal data; `GatewayWebServer` turns that log off and
  `HttpEntrypoint` writes one JSON line per request with the route's rule (never the raw URL),
  the status and the duration.
* **Request id**: `X-Request-ID` is taken from the request when it is a sane token, generated
  otherwise, handed to the worker as context data and returned on every answer.
* **CORS**: origins from `CORS_ORIGINS` (comma-separated, or `*`); preflight `OPTIONS` answered
  here for every route.
* **No such route**: 404 and 405 answered as problem details, like every other refusal.
"""

from __future__ import annotations

import logging
import re
import time

import eventlet
from eventlet import wsgi
from nameko.web.handlers import HttpRequestHandler
from nameko.web.server import HttpOnlyProtocol, WebServer, WsgiApp
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.wrappers import Request

from services.common.config import settings_of
from services.common.context import new_request_id
from services.common.errors import DomainError
from services.common.i18n import negotiate_locale
from services.common.metrics import HTTP_REQUESTS, HTTP_SECONDS

from .admission import Admission, GatewayBusy

access_log = logging.getLogger("youthcity.access")

REQUEST_ID_ENVIRON = "youthcity.request_id"
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_ALLOWED_HEADERS = (
    "Authorization, Content-Type, Accept-Language, X-Request-ID, If-None-Match, Idempotency-Key"
)
_EXPOSED_HEADERS = (
    "X-Request-ID, ETag, Link, Location, Retry-After, Content-Language, Idempotent-Replayed"
)


def request_id_of(environ) -> str:
    rid = environ.get(REQUEST_ID_ENVIRON)
    if rid is None:
        offered = environ.get("HTTP_X_REQUEST_ID", "")
        rid = offered if _SANE_REQUEST_ID.match(offered) else new_request_id()
        environ[REQUEST_ID_ENVIRON] = rid
    return rid


class GatewayApp(WsgiApp):
    """nameko's WSGI app, with CORS, request ids and problem answers for unknown routes."""

    def __init__(self, server: GatewayWebServer):
        super().__init__(server)
        settings = settings_of(server.container)
        self.allowed_origins = set(settings.cors_origins)
        self.admission = Admission(
            settings.max_workers, settings.gateway_queue_seconds, settings.gateway_queue_limit
        )

    def __call__(self, environ, start_response):
        request_id = request_id_of(environ)
        origin = environ.get("HTTP_ORIGIN")
        cors = self._cors_headers(origin)
        if environ["REQUEST_METHOD"] == "OPTIONS" and environ.get(
            "HTTP_ACCESS_CONTROL_REQUEST_METHOD"
        ):
            headers = [*cors, ("Access-Control-Max-Age", "600"), ("X-Request-ID", request_id)]
            if cors:
                headers += [
                    ("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS"),
                    ("Access-Control-Allow-Headers", _ALLOWED_HEADERS),
                ]
            start_response("204 No Content", headers)
            return [b""]

        def start_with_cors(status, headers, exc_info=None):
            return start_response(status, [*headers, *cors], exc_info)

        adapter = self.url_map.bind_to_environ(environ)
        try:
            provider, values = adapter.match()
        except HTTPException as exc:
            return self._problem(exc, environ, request_id)(environ, start_with_cors)
        request = Request(environ, shallow=True)
        request.path_values = values
        try:
            with self.admission.admitted():
                response = provider.handle_request(request)
        except GatewayBusy as busy:
            response = self._busy(busy, environ, request_id, provider)
        return response(environ, start_with_cors)

    def _cors_headers(self, origin: str | None) -> list[tuple[str, str]]:
        if not origin or not self.allowed_origins:
            return []
        if "*" in self.allowed_origins:
            return [
                ("Access-Control-Allow-Origin", "*"),
                ("Access-Control-Expose-Headers", _EXPOSED_HEADERS),
            ]
        if origin in self.allowed_origins:
            return [
                ("Access-Control-Allow-Origin", origin),
                ("Vary", "Origin"),
                ("Access-Control-Expose-Headers", _EXPOSED_HEADERS),
            ]
        return []

    @staticmethod
    def _busy(busy: GatewayBusy, environ, request_id: str, provider):
        """A request the gateway had no room for: 429 with `Retry-After`, counted by route."""
        from .api import problem_response

        locale = negotiate_locale(environ.get("HTTP_ACCEPT_LANGUAGE"))
        response = problem_response(busy, locale, request_id, environ.get("PATH_INFO"))
        response.headers["X-Request-ID"] = request_id
        HTTP_REQUESTS.labels(provider.url, environ["REQUEST_METHOD"], 429).inc()
        return response

    @staticmethod
    def _problem(exc: HTTPException, environ, request_id: str):
        from .api import problem_response

        locale = negotiate_locale(environ.get("HTTP_ACCEPT_LANGUAGE"))
        if isinstance(exc, NotFound):
            error = DomainError("route_not_found", status=404)
        elif isinstance(exc, MethodNotAllowed):
            error = DomainError("method_not_allowed", status=405)
        else:
            error = DomainError("bad_request", status=exc.code or 400)
        response = problem_response(error, locale, request_id, environ.get("PATH_INFO"))
        response.headers["X-Request-ID"] = request_id
        if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response


#: connections the kernel holds for the gateway before it accepts them (capped by the system's
#: `net.core.somaxconn`); nameko's 50 drops a crowd's connections, which the clients then try
#: again only after seconds (TCP's SYN retransmission: 1 s, 3 s, 7 s, ...)
LISTEN_BACKLOG = 4096


class GatewayWebServer(WebServer):
    """nameko's WebServer with eventlet's access log off, our app, request context, and a
    listen backlog a crowd fits in."""

    def start(self):
        if not self._starting:
            self._starting = True
            self._sock = eventlet.listen(self.bind_addr, backlog=LISTEN_BACKLOG)
            self._sock.settimeout(None)  # as nameko does (kombu issue 838)
            self._serv = self.get_wsgi_server(self._sock, self.get_wsgi_app())
            self._gt = self.container.spawn_managed_thread(self.run)

    def get_wsgi_server(self, sock, wsgi_app, protocol=HttpOnlyProtocol, debug=False):
        return wsgi.Server(
            sock,
            sock.getsockname(),
            wsgi_app,
            protocol=protocol,
            debug=False,
            log=access_log,
            log_output=False,
            keepalive=True,
        )

    def get_wsgi_app(self):
        return GatewayApp(self)

    def context_data_from_headers(self, request) -> dict:
        return {
            "request_id": request_id_of(request.environ),
            "locale": negotiate_locale(request.headers.get("Accept-Language")),
        }

    @property
    def port(self) -> int | None:
        return self._sock.getsockname()[1] if self._sock is not None else None


class HttpEntrypoint(HttpRequestHandler):
    """An HTTP route that is timed, counted and logged by its rule, not by its URL."""

    server = GatewayWebServer()

    def handle_request(self, request):
        started = time.perf_counter()
        response = super().handle_request(request)
        elapsed = time.perf_counter() - started
        HTTP_REQUESTS.labels(self.url, request.method, response.status_code).inc()
        HTTP_SECONDS.labels(self.url, request.method).observe(elapsed)
        access_log.info(
            "http",
            extra={
                "method": request.method,
                "route": self.url,
                "status": response.status_code,
                "ms": round(elapsed * 1000, 2),
                "request_id": request_id_of(request.environ),
            },
        )
        return response


http = HttpEntrypoint.decorator
