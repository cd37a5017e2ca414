"""The OpenAPI 3 document, generated from the routes and their marshmallow schemas.

Every route becomes an operation with its parameters, body, answer, the problems it may give
and the roles allowed (`x-roles`, and a bearer-token requirement); nothing is written by hand,
so the document cannot drift from what is served (a test compares the two).
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import fields
from nameko.extensions import DependencyProvider

from services.common.encoding import dumps

from .api import RouteSpec
from .idempotency import UNSAFE_METHODS
from .schemas import Problem

_CONVERTER = re.compile(r"<(?:(?P<converter>[a-z]+):)?(?P<name>\w+)>")

_PROBLEM_DESCRIPTIONS = {
    400: "Malformed request (the body is not a JSON object, or nests too deeply)",
    401: "No valid access token",
    403: "The caller's role or unit may not do this",
    404: "No such resource, or not one the caller may see",
    409: "Conflicts with the resource's current state, or the request with this "
    "Idempotency-Key is still running (see Retry-After)",
    413: "The body is larger than the API reads (1 MiB)",
    422: "Invalid input: each field and the reason",
    429: "Too many requests; see Retry-After",
    503: "A service this route needs is unavailable; for a command, `outcome_unknown`: it may "
    "have been done, and a retry with the same Idempotency-Key tells",
    504: "A service this route needs did not answer in time",
}


def openapi_path(rule: str) -> str:
    return _CONVERTER.sub(lambda m: "{" + m.group("name") + "}", rule)


def _path_parameters(rule: str) -> list[dict]:
    parameters = []
    for match in _CONVERTER.finditer(rule):
        kind = "integer" if match.group("converter") == "int" else "string"
        parameters.append(
            {"in": "path", "name": match.group("name"), "required": True, "schema": {"type": kind}}
        )
    return parameters


#: the `Idempotency-Key` request header of every command (gateway/idempotency.py)
_IDEMPOTENCY_KEY = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "schema": {"type": "string", "maxLength": 255, "pattern": "^[A-Za-z0-9._:~+/=-]{1,255}$"},
    "description": "A key the caller chooses for this command (a UUID). A repeat with the same "
    "key and request gets the first answer with `Idempotent-Replayed: true` and does nothing "
    "again; the same key with another request is refused (422); a repeat while the first runs "
    "gets 409 with Retry-After. Keys are kept 24 hours (IDEMPOTENCY_KEY_HOURS).",
}


#: a file's bytes
_BINARY = {"type": "string", "format": "binary"}


def _is_command(route: RouteSpec) -> bool:
    return route.replayable and route.method in UNSAFE_METHODS


def _problem_statuses(route: RouteSpec) -> list[int]:
    statuses = set(route.errors) | {429}
    if _is_command(route):
        statuses |= {409, 422, 503}
    if route.roles is not None:
        statuses |= {401, 403}
    if route.body is not None:
        statuses |= {400, 413, 422}
    if route.upload:
        statuses |= {413, 422}
    if route.query is not None:
        statuses.add(422)
    return sorted(statuses)


def _operation(route: RouteSpec, operation_id: str) -> dict:
    success = {"description": route.summary}
    if route.download:
        success["content"] = {kind: {"schema": _BINARY} for kind in route.download}
    elif route.status != 204:
        success["content"] = {
            route.response_content_type: {"schema": route.response or {"type": "object"}}
        }
    if _is_command(route):
        success["headers"] = {
            "Idempotent-Replayed": {
                "description": "`true` on the kept answer of a repeated Idempotency-Key",
                "schema": {"type": "string", "enum": ["true"]},
            }
        }
    responses = {str(route.status): success}
    for status in _problem_statuses(route):
        responses[str(status)] = {
            "description": _PROBLEM_DESCRIPTIONS.get(status, "Problem"),
            "content": {"application/problem+json": {"schema": "Problem"}},
        }
    operation = {
        "operationId": operation_id,
        "summary": route.summary,
        "tags": list(route.tags),
        "parameters": _path_parameters(route.path),
        "responses": responses,
        "x-roles": list(route.roles) if route.roles is not None else ["public"],
    }
    if route.description:
        operation["description"] = route.description
    if route.query is not None:
        operation["parameters"].append({"in": "query", "schema": route.query})
    if _is_command(route):
        operation["parameters"].append(_IDEMPOTENCY_KEY)
    if route.body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": route.body}},
        }
    if route.upload:
        operation["requestBody"] = {
            "required": True,
            "description": "the file's bytes; its type is judged by its content, not this header",
            "content": {kind: {"schema": _BINARY} for kind in route.upload},
        }
    if route.roles is not None:
        operation["security"] = [{"bearer": []}]
    return operation


def schema_name(schema) -> str:
    """A component name unique across services: a service's schemas carry its name
    (`services.jobs.schemas.ApplicationView` → `JobsApplicationView`)."""
    cls = schema if isinstance(schema, type) else type(schema)
    name = cls.__name__.removesuffix("Schema") or cls.__name__
    module = cls.__module__.split(".")
    prefix = module[1].capitalize() if module[0] == "services" and len(module) > 1 else ""
    return name if name.startswith(prefix) else prefix + name


def _plain_numbers(value):
    """apispec copies Decimal range bounds as they are; OpenAPI wants numbers."""
    if isinstance(value, dict):
        return {key: _plain_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain_numbers(item) for item in value]
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    return value


def _decimal_as_string(self, field, ret, **kwargs) -> dict:
    """A `Decimal(as_string=True)` answers a JSON string ("1.00"), which apispec documents as a
    number: a client validating against the document would refuse every amount."""
    if isinstance(field, fields.Decimal) and field.as_string:
        return {"type": "string", "format": "decimal"}
    return {}


def build_document(routes: dict[str, RouteSpec], version: str = "1.0.0") -> dict:
    """`routes`: operation id (the method name) → its spec."""
    marshmallow = MarshmallowPlugin(schema_name_resolver=schema_name)
    spec = APISpec(
        title="Youth City API",
        version=version,
        openapi_version="3.0.3",
        plugins=[marshmallow],
        info={
            "description": "The public API of Youth City (青年发展型城市). Errors are "
            "application/problem+json in the caller's language (Accept-Language: zh-CN, en); lists "
            "are keyset-paginated (`limit`, `after`, `next`); every answer carries X-Request-ID."
        },
    )
    marshmallow.converter.add_attribute_function(_decimal_as_string)
    spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    )
    spec.components.schema("Problem", schema=Problem)
    by_path: dict[str, dict] = {}
    for operation_id, route in sorted(routes.items(), key=lambda item: item[1].path):
        by_path.setdefault(openapi_path(route.path), {})[route.method.lower()] = _operation(
            route, operation_id
        )
    for path, operations in by_path.items():
        spec.path(path=path, operations=operations)
    return _plain_numbers(spec.to_dict())


class OpenApiDocument(DependencyProvider):
    """Injects the service's own OpenAPI document: `encoded()` builds it from the service
    class's `routes()` on first use (not at start: it takes a moment) and keeps it."""

    def get_dependency(self, worker_ctx) -> OpenApiDocument:
        return self

    def encoded(self) -> bytes:
        return _encoded_document(self.container.service_cls)


@functools.cache
def _encoded_document(service_cls: type) -> bytes:
    # one per class, like the routes it is built from
    return dumps(build_document(service_cls.routes()))
