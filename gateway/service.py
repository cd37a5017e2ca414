"""The gateway: the only HTTP entrance of the platform, as one nameko service.

Read it top-down: the areas of the API and the background work it is composed of, then the
dependencies their functions name. Each area is a module of `gateway/routes/`; how a function
becomes an entrypoint method is `gateway/composition.py`.
"""

from __future__ import annotations

from services.common.db import Database
from services.common.rpc import RpcClient
from services.common.service import ServiceBase

from .api import Api, RouteSpec
from .background import AdminBootstrap, background
from .composition import compose
from .events import EVENTS
from .messages import MESSAGES
from .models import Base
from .objectstore import EvidenceStore
from .openapi import OpenApiDocument
from .read_model import ReadModel
from .routes import (
    accounts,
    admin,
    appeals,
    benefits,
    circle,
    console,
    cooperation,
    evaluation,
    events,
    evidence,
    housing,
    housing_station,
    identity,
    jobs,
    jobs_programmes,
    meetings,
    meta,
    notify,
    partner_facts,
    payments,
    plan,
    privacy,
    second_factor,
    showcases,
    startup,
    startup_incubation,
    startup_rural,
    surveys,
    views,
    webhooks,
)
from .settings import ProcessSettings


@compose(
    # the API about itself, and who is who
    meta.routes,
    accounts.routes,
    identity.routes,
    appeals.routes,
    second_factor.routes,
    admin.routes,
    # the services' APIs
    jobs.routes,
    jobs_programmes.routes,
    cooperation.routes,
    housing.routes,
    housing_station.routes,
    startup.routes,
    startup_incubation.routes,
    startup_rural.routes,
    events.routes,
    showcases.routes,
    circle.routes,
    notify.routes,
    webhooks.routes,
    payments.routes,
    # the gateway's own: facts' evidence and partners' reports, views over every service, the
    # policy catalogue, the four lists, joint meetings, surveys, evaluation, personal-data rights
    evidence.routes,
    partner_facts.routes,
    views.routes,
    benefits.routes,
    plan.routes,
    meetings.routes,
    surveys.routes,
    evaluation.routes,
    privacy.routes,
    # the web console
    console.routes,
    # timers, event handlers and the RPC the services call
    background,
)
class GatewayService(ServiceBase):
    """Every route of `/api/v1` (and the console, docs and probes) and the gateway's background
    work; the dependencies below are what their functions may name."""

    name = "gateway"
    messages = MESSAGES
    db = Database(Base.metadata, package="gateway", events=EVENTS, answers_outages=True)
    api = Api(MESSAGES)
    services = RpcClient()
    read_model = ReadModel()
    settings = ProcessSettings()
    openapi_document = OpenApiDocument()
    bootstrap = AdminBootstrap()
    evidence_store = EvidenceStore()

    @classmethod
    def routes(cls) -> dict[str, RouteSpec]:
        """Every route of the service by name (its OpenAPI operation id), in name order."""
        return {
            name: member.route_spec
            for name in dir(cls)
            if (member := getattr(cls, name, None)) is not None and hasattr(member, "route_spec")
        }
