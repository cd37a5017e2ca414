"""The gateway's HTTP layer on nameko's werkzeug entrypoint, with our own access log.

eventlet's WSGI server logs whole request lines, query strings included, and a query string may
carry personal data; `GatewayWebServer` turns that log off and `HttpEntrypoint` writes one JSON
line per request with the route's rule (never the raw URL), the status and the duration.
"""

from __future__ import annotations

import logging
import time

from eventlet import wsgi
from nameko.web.handlers import HttpRequestHandler
from nameko.web.server import HttpOnlyProtocol, WebServer

from services.common.metrics import HTTP_REQUESTS, HTTP_SECONDS

access_log = logging.getLogger("youthcity.access")


class GatewayWebServer(WebServer):
    """nameko's WebServer with eventlet's access log switched off."""

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
            },
        )
        return response


http = HttpEntrypoint.decorator
