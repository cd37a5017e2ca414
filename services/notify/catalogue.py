"""Every process's event catalogue, read from the code (`<package>.events.EVENTS` for each
process of services/common/registry.py): what notify may template and what the AsyncAPI
document lists.
"""

from __future__ import annotations

import functools
import importlib

from marshmallow import fields

from services.common.events import EventCatalog
from services.common.registry import PROCESSES


@functools.cache
def catalogues() -> dict[str, EventCatalog]:
    """process name → its catalogue (a process that publishes nothing yet has none)."""
    found = {}
    for name, spec in PROCESSES.items():
        try:
            module = importlib.import_module(f"{spec.package}.events")
        except ModuleNotFoundError as exc:
            if exc.name != f"{spec.package}.events":
                raise
            continue
        found[name] = module.EVENTS
    return found


def spec_of(source: str, event_type: str):
    catalogue = catalogues().get(source)
    return None if catalogue is None else catalogue.specs.get(event_type)


def data_fields(source: str, event_type: str) -> dict[str, str] | None:
    """The event's data fields and their marshmallow type names, or None for an unknown type."""
    spec = spec_of(source, event_type)
    if spec is None:
        return None
    return {
        name: type(field).__name__
        for name, field in spec.schema._declared_fields.items()
        if isinstance(field, fields.Field)
    }
