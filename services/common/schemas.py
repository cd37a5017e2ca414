"""Schema helpers every service's `schemas.py` may use."""

from __future__ import annotations

import copy

from marshmallow import Schema


def partial_schema(schema_cls: type[Schema], name: str) -> type[Schema]:
    """The same fields with none required: the body of a PATCH. (marshmallow's `partial=` is
    per load; a schema of its own is also documented right in OpenAPI.)"""
    fields = {}
    for field_name, field in schema_cls._declared_fields.items():
        optional = copy.copy(field)
        optional.required = False
        fields[field_name] = optional
    return Schema.from_dict(fields, name=name)
