"""The API about itself: its OpenAPI document, its docs page, the district's clock, and the
probes on the API port."""

from __future__ import annotations

import base64
import hashlib
import mimetypes
from pathlib import Path

import swagger_ui_bundle
from marshmallow import Schema, fields
from werkzeug.wrappers import Response

from services.common.clock import clock
from services.common.encoding import dumps
from services.common.errors import NotFound
from services.common.ops import OpsServer

from ..api import Call
from ..composition import Routes
from ..openapi import OpenApiDocument

DOCS_ASSETS = Path(swagger_ui_bundle.swagger_ui_path)
DOCS_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Youth City API</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({url: "/api/v1/openapi.json", dom_id: "#swagger-ui"});</script>
</body></html>"""


def _inline_script_hash(page: str) -> str:
    script = page.split("<script>", 1)[1].split("</script>", 1)[0]
    return base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()


#: the docs page runs its own files and its one inline script, and talks only to this API
DOCS_POLICY = (
    "default-src 'none'; "
    f"script-src 'self' 'sha256-{_inline_script_hash(DOCS_PAGE)}'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


class DistrictClockView(Schema):
    timezone = fields.String(
        required=True, metadata={"description": "IANA name", "example": "Asia/Shanghai"}
    )
    today = fields.Date(required=True, metadata={"description": "the district's date"})
    now = fields.DateTime(required=True, metadata={"description": "now, in the district's zone"})


routes = Routes(tags=["meta"])


@routes.route(
    "GET",
    "/api/v1/openapi.json",
    summary="This API's OpenAPI 3 document",
    response_content_type="application/json",
)
def openapi(call: Call, *, openapi_document: OpenApiDocument):
    return Response(openapi_document.encoded(), content_type="application/json")


@routes.route(
    "GET",
    "/api/v1/clock",
    summary="The district's time zone, date and time: what every business date is counted in",
    response=DistrictClockView,
    description="A front end shows times and proposes dates in this zone, whatever the "
    "zone of the device it runs on (a deadline is the district's midnight).",
)
def district_clock(call: Call):
    now = clock.now()
    return {"timezone": str(clock.zone), "today": now.date(), "now": now}


@routes.route(
    "GET",
    "/api/docs",
    summary="Interactive API documentation",
    response_content_type="text/html",
)
def docs(call: Call):
    response = Response(DOCS_PAGE, content_type="text/html; charset=utf-8")
    response.headers["Content-Security-Policy"] = DOCS_POLICY
    return response


@routes.route(
    "GET",
    "/api/docs/<asset>",
    summary="A static file of the documentation page",
    errors=(404,),
    response_content_type="application/octet-stream",
)
def docs_asset(call: Call, asset: str):
    path = (DOCS_ASSETS / asset).resolve()
    if path.parent != DOCS_ASSETS.resolve() or not path.is_file():
        raise NotFound("file")
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    response = Response(path.read_bytes(), content_type=content_type)
    response.cache_control.max_age = 86400
    return response


@routes.route("GET", "/healthz", summary="Liveness of the gateway", tags=["operations"])
def healthz(call: Call):
    return {"status": "alive"}


@routes.route(
    "GET",
    "/readyz",
    summary="Readiness: broker, database, schema",
    tags=["operations"],
    errors=(503,),
)
def readyz(call: Call, *, ops: OpsServer):
    ready, body = ops.report()
    return Response(dumps(body), status=200 if ready else 503, content_type="application/json")
