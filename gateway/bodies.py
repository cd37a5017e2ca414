"""What a request says, read once and bounded: the JSON body (at most 1 MiB, nested at most 32
deep, integers without fractions, text a column can hold) and the query string, each loaded by
its route's marshmallow schema into a 422 that names every field and reason."""

from __future__ import annotations

import json

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Request

from services.common.errors import DomainError, InvalidInput
from services.common.i18n import Catalog

#: the largest request body the API reads (413 past it): far above any form, far below memory
MAX_BODY_BYTES = 1024 * 1024
#: how deeply a body's objects and lists may nest (400 past it); the deepest schema needs 4
MAX_DEPTH = 32


def read_query(schema: type[Schema] | None, request: Request, catalog: Catalog) -> dict:
    """The query string loaded by `schema` (unknown parameters ignored); {} without one."""
    if schema is None:
        return {}
    return _load(schema, _checked_text(_query_dict(request), catalog), EXCLUDE, catalog)


def read_body(schema: type[Schema] | None, request: Request, catalog: Catalog) -> dict | None:
    """The JSON body loaded by `schema` (unknown fields refused); None for a route without one."""
    if schema is None:
        return None
    data = _json_object(request)
    field = _fractional_integer(schema(), data)
    if field is not None:
        raise InvalidInput.for_field(field, "not_integer", catalog)
    return _load(schema, _checked_text(data, catalog), RAISE, catalog)


#: where a route that takes a file keeps its own limit (`limit_body`)
BODY_LIMIT = "youthcity.body_limit"


def limit_body(request: Request, limit: int) -> None:
    """Let this request's body be up to `limit` bytes (a file upload) instead of the API's 1 MiB."""
    request.environ[BODY_LIMIT] = limit


def raw_body(request: Request) -> bytes:
    """The body's bytes, read once (413 past `MAX_BODY_BYTES`, or the route's own limit, before
    reading it all)."""
    limit = request.environ.get(BODY_LIMIT, MAX_BODY_BYTES)
    request.max_content_length = limit
    try:
        return request.get_data(cache=True)
    except RequestEntityTooLarge as exc:
        raise DomainError("body_too_large", status=413, params={"limit": limit}) from exc


def _json_object(request: Request) -> dict:
    raw = raw_body(request)
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except RecursionError as exc:
        raise DomainError("body_too_deep", status=400, params={"limit": MAX_DEPTH}) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise DomainError("malformed_json", status=400) from exc
    if not isinstance(data, dict):
        raise DomainError("malformed_json", status=400)
    if _depth(data) > MAX_DEPTH:
        raise DomainError("body_too_deep", status=400, params={"limit": MAX_DEPTH})
    return data


def _checked_text(data: dict, catalog: Catalog) -> dict:
    field = _unstorable_field(data)
    if field is not None:
        raise InvalidInput.for_field(field, "invalid_characters", catalog)
    return data


def _load(
    schema_cls: type[Schema], data, unknown, catalog: Catalog, prefix: str | None = None
) -> dict:
    try:
        return schema_cls(unknown=unknown).load(data)
    except ValidationError as exc:
        error = InvalidInput.from_validation_error(exc, catalog)
        if prefix:
            for item in error.errors:
                item["field"] = f"{prefix}.{item['field']}" if item["field"] else prefix
        raise error from exc


def unstorable_text(text: str) -> bool:
    """A NUL character (PostgreSQL's text refuses it) or an unpaired surrogate (not UTF-8): no
    database column can hold it, so it is refused here rather than failing deep in a service."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _unstorable_field(value, path: str = "") -> str | None:
    """The path (`founders.0.name`) of the first string or key of `value` no column can hold."""
    if isinstance(value, str):
        return path if unstorable_text(value) else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        here = f"{path}.{key}" if path else str(key)
        if isinstance(key, str) and unstorable_text(key):
            return here
        found = _unstorable_field(item, here)
        if found is not None:
            return found
    return None


def _fractional_integer(schema: Schema, data: dict, path: str = "") -> str | None:
    """The path of the first JSON number with a fraction given for an integer field: marshmallow
    would truncate it (`"nights": 1.5` booked one night) where it must be refused."""
    for name, declared in schema.fields.items():
        key = declared.data_key or name
        if key not in data:
            continue
        here = f"{path}.{key}" if path else key
        found = _fractional_in(declared, data[key], here)
        if found is not None:
            return found
    return None


def _fractional_in(declared, value, path: str) -> str | None:
    if isinstance(declared, fields.Integer):
        return path if isinstance(value, float) and not value.is_integer() else None
    if isinstance(declared, fields.Nested) and isinstance(value, dict):
        return _fractional_integer(declared.schema, value, path)
    if isinstance(declared, fields.List) and isinstance(value, list):
        inner = declared.inner
    elif isinstance(declared, fields.Nested) and isinstance(value, list):
        inner = declared  # many=True: each item is one nested object
    else:
        return None
    for index, item in enumerate(value):
        found = _fractional_in(inner, item, f"{path}.{index}")
        if found is not None:
            return found
    return None


def _query_dict(request: Request) -> dict:
    """Query parameters; a parameter given twice keeps all its values (for list filters)."""
    return {key: values if len(values) > 1 else values[0] for key, values in request.args.lists()}


def _depth(value) -> int:
    """How deeply `value`'s objects and lists nest (a scalar: 0), without recursion."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, level = pending.pop()
        children = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        )
        for child in children:
            if isinstance(child, dict | list):
                pending.append((child, level + 1))
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
    return deepest
