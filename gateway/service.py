"""The gateway: the only HTTP entrance of the platform."""

from __future__ import annotations

import json

from werkzeug.wrappers import Response

from services.common.db import Database
from services.common.service import ServiceBase

from .http import http
from .models import Base


class GatewayService(ServiceBase):
    name = "gateway"
    db = Database(Base.metadata, package="gateway")

    @http("GET", "/healthz")
    def healthz(self, request):
        return Response(json.dumps({"status": "alive"}), mimetype="application/json")

    @http("GET", "/readyz")
    def readyz(self, request):
        ready, body = self.ops.report()
        return Response(json.dumps(body), status=200 if ready else 503, mimetype="application/json")
