"""Schema helpers every service's `schemas.py` may use."""

from __future__ import annotations

import copy

from marshmallow import Schema, fields, validate

from .pagination import DEFAULT_LIMIT, MAX_LIMIT


def partial_schema(schema_cls: type[Schema], name: str) -> type[Schema]:
    """The same fields with none required: the body of a PATCH. (marshmallow's `partial=` is
    per load; a schema of its own is also documented right in OpenAPI.)"""
    fields = {}
    for field_name, field in schema_cls._declared_fields.items():
        optional = copy.copy(field)
        optional.required = False
        fields[field_name] = optional
    return Schema.from_dict(fields, name=name)


class PageQuery(Schema):
    """How every list is paged (keyset pagination, `services/common/pagination.py`): `limit`
    items at most (1 to `MAX_LIMIT`), after the `after` cursor of the previous page."""

    limit = fields.Integer(
        validate=validate.Range(min=1, max=MAX_LIMIT), load_default=DEFAULT_LIMIT
    )
    after = fields.String(metadata={"description": "cursor from the previous page's `next` link"})


def page_of(item_schema: type[Schema], name: str, **extra: fields.Field) -> type[Schema]:
    """The schema of a page of `item_schema`: its items, the cursor of the next page (None on
    the last) and any `extra` fields. `name` is the schema's name in the OpenAPI document."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema), required=True),
            "next": fields.String(allow_none=True),
            **extra,
        },
        name=name,
    )
