"""Errors as values: a stable code, an HTTP status, the field at fault and the message params.

Services raise these; the RPC layer sends them over the wire rendered in both languages with
the service's catalog (`to_wire`), and the gateway turns them into `application/problem+json`.
Anything else a worker raises is an internal error whose details stay in the service's log.
"""

from __future__ import annotations

from collections.abc import Mapping

from marshmallow import ValidationError

from .i18n import COMMON, Catalog, Rendered, translate_field_error


class DomainError(Exception):
    """A refusal the caller can act on."""

    status = 400
    code = "invalid"

    def __init__(
        self,
        code: str | None = None,
        *,
        field: str | None = None,
        params: Mapping | None = None,
        errors: list[dict] | None = None,
        status: int | None = None,
        messages: Rendered | None = None,
    ):
        self.code = code or self.code
        self.field = field
        self.params = dict(params or {})
        self.errors = errors or []
        if status is not None:
            self.status = status
        self.messages = messages
        super().__init__(self.code)

    def render(self, catalog: Catalog = COMMON) -> Rendered:
        return self.messages or catalog.render(self.code, self.params)

    def to_wire(self, catalog: Catalog = COMMON) -> dict:
        return {
            "exc_type": "DomainError",
            "code": self.code,
            "status": self.status,
            "field": self.field,
            "params": {
                k: v for k, v in self.params.items() if isinstance(v, (str, int, float, bool))
            },
            "messages": self.render(catalog),
            "errors": self.errors,
        }

    @classmethod
    def from_wire(cls, data: Mapping) -> DomainError:
        return cls(
            data.get("code"),
            field=data.get("field"),
            params=data.get("params"),
            errors=data.get("errors"),
            status=data.get("status"),
            messages=data.get("messages"),
        )

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={self.code!r}, status={self.status}, field={self.field!r})"
        )


class InvalidInput(DomainError):
    status = 422
    code = "validation_failed"

    @classmethod
    def for_field(cls, field: str, code: str, catalog: Catalog = COMMON, **params) -> InvalidInput:
        """One field refused with one of the catalog's codes."""
        return cls(
            field=field,
            errors=[{"field": field, "code": code, "messages": catalog.render(code, params)}],
        )

    @classmethod
    def from_validation_error(cls, exc: ValidationError, catalog: Catalog = COMMON) -> InvalidInput:
        errors = []
        for field, message in _flatten(exc.messages):
            code, rendered = translate_field_error(message, catalog)
            errors.append({"field": field, "code": code, "messages": rendered})
        first = errors[0]["field"] if errors else None
        return cls(field=first, errors=errors)


class Unauthenticated(DomainError):
    status = 401
    code = "unauthenticated"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"

    def __init__(self, resource: str, **kwargs):
        super().__init__(params={"resource": resource, **kwargs.pop("params", {})}, **kwargs)


class Conflict(DomainError):
    status = 409
    code = "conflict"


class IllegalTransition(Conflict):
    code = "illegal_transition"

    def __init__(self, state: str, action: str, **kwargs):
        super().__init__(params={"state": state, "action": action}, **kwargs)


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"


class ServiceUnavailable(DomainError):
    status = 503
    code = "service_unavailable"

    def __init__(self, service: str, code: str | None = None, **kwargs):
        super().__init__(code, params={"service": service}, **kwargs)


class OutcomeUnknown(DomainError):
    """A command was sent but its answer never came (the connection or the service went away):
    it may have been done. Retrying it with the same `Idempotency-Key` is safe and tells."""

    status = 503
    code = "outcome_unknown"

    def __init__(self, service: str, **kwargs):
        super().__init__(params={"service": service}, **kwargs)


class ServiceTimeout(DomainError):
    status = 504
    code = "service_timeout"

    def __init__(self, service: str, **kwargs):
        super().__init__(params={"service": service}, **kwargs)


def _flatten(messages, prefix: str = ""):
    """marshmallow's nested {field: [msg] | {…}} as (dotted.field, msg) pairs."""
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "_schema":
                name = prefix or None
            yield from _flatten(value, name or "")
    elif isinstance(messages, (list, tuple)):
        for item in messages:
            if isinstance(item, (Mapping, list, tuple)):
                yield from _flatten(item, prefix)
            else:
                yield prefix or None, str(item)
    else:
        yield prefix or None, str(messages)
