"""The six processes of the platform: what runs them, where their migrations are, their ports,
and the settings class each reads (`services/common/config.py`)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class ProcessSpec:
    name: str
    service_class: str
    package: str
    metrics_port: int
    settings_class: str = "services.common.config:Settings"

    def load(self) -> type:
        return _load(self.service_class)

    def settings(self, env=None):
        """This process's settings, from `env` (default: the process's environment)."""
        return _load(self.settings_class).from_env(self.name, self.metrics_port, env)


def _load(path: str):
    module, _, attr = path.partition(":")
    return getattr(importlib.import_module(module), attr)


PROCESSES: dict[str, ProcessSpec] = {
    spec.name: spec
    for spec in (
        ProcessSpec(
            "gateway",
            "gateway.service:GatewayService",
            "gateway",
            9100,
            "gateway.settings:GatewaySettings",
        ),
        ProcessSpec("jobs", "services.jobs.service:JobsService", "services.jobs", 9101),
        ProcessSpec("housing", "services.housing.service:HousingService", "services.housing", 9102),
        ProcessSpec("startup", "services.startup.service:StartupService", "services.startup", 9103),
        ProcessSpec("events", "services.events.service:EventsService", "services.events", 9104),
        ProcessSpec(
            "notify",
            "services.notify.service:NotifyService",
            "services.notify",
            9105,
            "services.notify.settings:NotifySettings",
        ),
    )
}

DOMAIN_SERVICES = [name for name in PROCESSES if name != "gateway"]


def settings_class_of(name: str) -> type:
    """The settings class of the process `name`; the common one for any other (tests' probes)."""
    spec = PROCESSES.get(name)
    return _load(spec.settings_class if spec else ProcessSpec.settings_class)


def settings_classes() -> list[type]:
    """Every process's settings class, the common one first: what the reference documents."""
    classes = []
    for spec in PROCESSES.values():
        settings_class = _load(spec.settings_class)
        if settings_class not in classes:
            classes.append(settings_class)
    return classes
