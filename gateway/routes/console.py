"""The web console: plain ES modules, HTML, CSS and JSON translations under `gateway/console/`,
served as they are (no build step) from the gateway's own origin, so the console calls the API
without CORS.

`/` is the console's page; its views are hash routes (`/#/posts`), so the server never needs to
know them. The files change with the code and have no fingerprint in their names: every answer
carries an `ETag` and `Cache-Control: no-cache`, so a browser revalidates and a reload shows an
edit at once, while an unchanged file costs a 304.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from werkzeug.wrappers import Response

from services.common.errors import NotFound

from ..api import Call
from ..composition import Routes

CONSOLE = Path(__file__).resolve().parent.parent / "console"

#: explicit, so the answer does not depend on the host's mime.types (ES modules need a
#: JavaScript type or the browser refuses them)
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
}


def console_file(relative: str) -> Path:
    """The console's file at `relative`, refusing anything outside the console folder."""
    root = CONSOLE.resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root) or not path.is_file() or path.suffix not in CONTENT_TYPES:
        raise NotFound("file")
    return path


def static_response(call: Call, path: Path) -> Response:
    """The file's bytes, revalidated on every use (`no-cache` and an `ETag`)."""
    body = path.read_bytes()
    response = Response(body, content_type=CONTENT_TYPES[path.suffix])
    response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    return response.make_conditional(call.request)


routes = Routes(tags=["console"])


@routes.route(
    "GET",
    "/",
    summary="The web console (youth portal, employer and officer pages)",
    response_content_type="text/html",
)
def console_page(call: Call):
    response = static_response(call, console_file("index.html"))
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'"
    )
    return response


@routes.route(
    "GET",
    "/console/<path:asset>",
    summary="A file of the web console (script, style sheet, translations)",
    errors=(404,),
    response_content_type="application/octet-stream",
)
def console_asset(call: Call, asset: str):
    return static_response(call, console_file(asset))
