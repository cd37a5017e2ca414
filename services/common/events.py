"""Each service's catalogue of the events it publishes: type, data schema, meaning.

The catalogue is the contract with subscribers: the outbox refuses a type that is not in it
and dumps the data through its schema, and the AsyncAPI document is generated from it.

Example::

    EVENTS = EventCatalog("jobs", {
        "application.hired": EventSpec(ApplicationHired, "An employer hired an applicant"),
    })
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from marshmallow import Schema


class UnknownEventType(ValueError):
    pass


class InvalidEventData(ValueError):
    def __init__(self, event_type: str, fields: list[str]):
        super().__init__(f"{event_type} data does not match its schema: {', '.join(fields)}")
        self.fields = fields


@dataclass(frozen=True)
class EventSpec:
    schema: type[Schema]
    description: str
    subject: str = "the id of the entity the event is about"


class EventCatalog:
    def __init__(self, service: str, specs: Mapping[str, EventSpec]):
        for event_type in specs:
            if event_type.count(".") != 1:
                raise ValueError(f"event type {event_type!r} must be <entity>.<verb>")
        self.service = service
        self.specs = dict(specs)
        self._schemas = {event_type: spec.schema() for event_type, spec in self.specs.items()}

    def __contains__(self, event_type: str) -> bool:
        return event_type in self.specs

    def __iter__(self):
        return iter(self.specs.items())

    def dump(self, event_type: str, data) -> dict:
        """`data` (an object or a dict) as the schema writes it; refuses unknown types and
        data the schema itself would not accept back."""
        schema = self._schemas.get(event_type)
        if schema is None:
            raise UnknownEventType(f"{self.service} does not declare {event_type!r}")
        dumped = schema.dump(data)
        errors = schema.validate(dumped)
        if errors:
            raise InvalidEventData(event_type, sorted(errors))
        return dumped
