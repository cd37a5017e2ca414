"""The API about itself: its OpenAPI document, its docs page, and the probes on the API port."""

from __future__ import annotations

import mimetypes
from pathlib import Path

import swagger_ui_bundle
from marshmallow import Schema, fields
from werkzeug.wrappers import Response

from services.common.clock import clock
from services.common.encoding import dumps

from ..api import Call, route
from ..openapi import build_document

DOCS_ASSETS = Path(swagger_ui_bundle.swagger_ui_path)
DOCS_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Youth City API</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({url: "/api/v1/openapi.json", dom_id: "#swagger-ui"});</script>
</body></html>"""


class DistrictClockView(Schema):
    timezone = fields.String(
        required=True, metadata={"description": "IANA name", "example": "Asia/Shanghai"}
    )
    today = fields.Date(required=True, metadata={"description": "the district's date"})
    now = fields.DateTime(required=True, metadata={"description": "now, in the district's zone"})


class MetaRoutes:
    """`/api/v1/openapi.json`, `/api/docs`, `/api/v1/clock`, `/healthz` and `/readyz`."""

    _openapi_cache: bytes | None = None

    @classmethod
    def routes(cls) -> dict:
        """Every `@route` of the service class, by method name."""
        return {
            name: member.route_spec
            for name in dir(cls)
            if (member := getattr(cls, name, None)) is not None and hasattr(member, "route_spec")
        }

    @route(
        "GET",
        "/api/v1/openapi.json",
        summary="This API's OpenAPI 3 document",
        tags=["meta"],
        response_content_type="application/json",
    )
    def openapi(self, call: Call):
        cls = type(self)
        if cls._openapi_cache is None:
            cls._openapi_cache = dumps(build_document(cls.routes()))
        return Response(cls._openapi_cache, content_type="application/json")

    @route(
        "GET",
        "/api/v1/clock",
        summary="The district's time zone, date and time: what every business date is counted in",
        tags=["meta"],
        response=DistrictClockView,
        description="A front end shows times and proposes dates in this zone, whatever the "
        "zone of the device it runs on (a deadline is the district's midnight).",
    )
    def district_clock(self, call: Call):
        now = clock.now()
        return {"timezone": str(clock.zone), "today": now.date(), "now": now}

    @route(
        "GET",
        "/api/docs",
        summary="Interactive API documentation",
        tags=["meta"],
        response_content_type="text/html",
    )
    def docs(self, call: Call):
        return Response(DOCS_PAGE, content_type="text/html; charset=utf-8")

    @route(
        "GET",
        "/api/docs/<asset>",
        summary="A static file of the documentation page",
        tags=["meta"],
        errors=(404,),
        response_content_type="application/octet-stream",
    )
    def docs_asset(self, call: Call, asset: str):
        from services.common.errors import NotFound

        path = (DOCS_ASSETS / asset).resolve()
        if path.parent != DOCS_ASSETS.resolve() or not path.is_file():
            raise NotFound("file")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        response = Response(path.read_bytes(), content_type=content_type)
        response.cache_control.max_age = 86400
        return response

    @route("GET", "/healthz", summary="Liveness of the gateway", tags=["operations"])
    def healthz(self, call: Call):
        return {"status": "alive"}

    @route(
        "GET",
        "/readyz",
        summary="Readiness: broker, database, schema",
        tags=["operations"],
        errors=(503,),
    )
    def readyz(self, call: Call):
        ready, body = self.ops.report()
        return Response(dumps(body), status=200 if ready else 503, content_type="application/json")
