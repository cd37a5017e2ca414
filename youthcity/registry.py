"""The six processes of the platform: what runs them, where their migrations are, their ports."""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class ProcessSpec:
    name: str
    service_class: str
    package: str
    metrics_port: int

    def load(self) -> type:
        module, _, attr = self.service_class.partition(":")
        return getattr(importlib.import_module(module), attr)


PROCESSES: dict[str, ProcessSpec] = {
    spec.name: spec
    for spec in (
        ProcessSpec("gateway", "gateway.service:GatewayService", "gateway", 9100),
        ProcessSpec("jobs", "services.jobs.service:JobsService", "services.jobs", 9101),
        ProcessSpec("housing", "services.housing.service:HousingService", "services.housing", 9102),
        ProcessSpec("startup", "services.startup.service:StartupService", "services.startup", 9103),
        ProcessSpec("events", "services.events.service:EventsService", "services.events", 9104),
        ProcessSpec("notify", "services.notify.service:NotifyService", "services.notify", 9105),
    )
}

DOMAIN_SERVICES = [name for name in PROCESSES if name != "gateway"]
