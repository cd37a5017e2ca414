"""How the gateway is put together: plain functions, one nameko class.

Every route and every piece of background work is a plain function that names the dependencies
it uses as keyword-only parameters, after what the request (or the event) brings::

    @routes.route("GET", "/api/v1/posts/<post_id>", summary="One post", response=PostView)
    def get_post(call: Call, post_id: str, *, services, read_model):
        ...

A pass-through, whose whole work is one RPC, is one declaration (`Routes.forward`, see
`gateway/forward.py`). `compose(...)`, the decorator of `GatewayService` in `gateway/service.py`,
turns each into one method of the service class, so nameko finds its entrypoints where it
always does; each method hands its function the worker's dependencies by those names. A name
declared twice, or a dependency the class does not have, stops the import.

Why functions rather than mixin classes: a handler shows what it touches in its signature,
can be called in a test with fakes, and cannot reach another area's helpers through `self`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping

from marshmallow import Schema
from nameko.extensions import DependencyProvider
from nameko.timer import timer

from services.common.consumer import event_handler
from services.common.rpc import rpc

from .api import RouteSpec, entrypoint, route_spec
from .forward import SERVICE_ERRORS, Forward


def dependencies_of(function: Callable) -> tuple[str, ...]:
    """The names of the dependencies `function` uses: its keyword-only parameters."""
    parameters = inspect.signature(function).parameters.values()
    return tuple(p.name for p in parameters if p.kind is inspect.Parameter.KEYWORD_ONLY)


def _method(name: str, function: Callable, make: Callable[[Callable], Callable]) -> Callable:
    """A service method running `function` with the worker's dependencies it names; `make`
    gets `run(service, *args, **kwargs)` and returns the method with its entrypoint."""
    names = dependencies_of(function)

    def run(service, *args, **kwargs):
        return function(*args, **kwargs, **{dep: getattr(service, dep) for dep in names})

    method = make(run)
    method.__name__ = method.__qualname__ = name
    method.function, method.dependencies = function, names
    return method


class Part:
    """Entrypoint methods by name, for `compose`."""

    def __init__(self) -> None:
        self.methods: dict[str, Callable] = {}

    def _add(self, name: str, function: Callable, make: Callable[[Callable], Callable]) -> None:
        if name in self.methods:
            raise ValueError(f"{name} is declared twice")
        self.methods[name] = _method(name, function, make)


class Routes(Part):
    """The routes of one area of the API (`gateway/routes/<area>.py`)."""

    def __init__(self, *, tags: Iterable[str]):
        super().__init__()
        self.tags = tuple(tags)

    def route(self, method: str, path: str, *, tags: Iterable[str] | None = None, **declared):
        """Declare `handler(call, **path_values, *, <dependencies>)` as the route named after
        it (its OpenAPI operation id); `declared` are `route_spec`'s fields."""

        def decorate(handler: Callable) -> Callable:
            spec = route_spec(method, path, tags=self.tags if tags is None else tags, **declared)
            self._add_route(handler.__name__, spec, handler)
            return handler

        return decorate

    def forward(
        self,
        name: str,
        method: str,
        path: str,
        *,
        rpc: str,
        arguments: Mapping[str, object] | None = None,
        location: str | None = None,
        tags: Iterable[str] | None = None,
        errors: Iterable[int] = (),
        **declared,
    ) -> None:
        """Declare a pass-through: `rpc` ("<service>.<method>") is called with the path values
        and `arguments`, and its answer is the route's (see `Forward`). It may meet a service
        down or too slow, so 503 and 504 are among its problems."""
        spec = route_spec(
            method,
            path,
            tags=self.tags if tags is None else tags,
            errors=(*errors, *SERVICE_ERRORS),
            **declared,
        )
        self._add_route(name, spec, Forward(spec, rpc, arguments or {}, location))

    def _add_route(self, name: str, spec: RouteSpec, handler: Callable) -> None:
        self._add(name, handler, lambda run: entrypoint(name, spec, run))


class Background(Part):
    """Work no HTTP request starts: timers, event handlers, the RPC the services call."""

    def timer(self, interval: float):
        """Declare `task(*, <dependencies>)` to run every `interval` seconds."""

        def decorate(task: Callable) -> Callable:
            self._add(task.__name__, task, lambda run: timer(interval=interval)(_as_method(run)))
            return task

        return decorate

    def event_handler(
        self, name: str, source: str, event_type: str, schema: type[Schema], handler: Callable
    ) -> None:
        """Apply `source`'s `event_type` events once: `handler(event, uow, *, <dependencies>)`
        (see `services/common/consumer.py`)."""
        self._add(name, handler, lambda run: event_handler(source, event_type, schema)(run))

    def rpc(self, function: Callable) -> Callable:
        """Expose `function(*args, *, <dependencies>)` to the services by its name."""
        self._add(function.__name__, function, lambda run: rpc(_as_method(run)))
        return function


def _as_method(run: Callable) -> Callable:
    """A fresh function object for the entrypoint to be registered on."""

    def method(self, *args, **kwargs):
        return run(self, *args, **kwargs)

    return method


def compose(*parts: Part) -> Callable[[type], type]:
    """Class decorator: every method of `parts` becomes a method of the service class."""

    def decorate(cls: type) -> type:
        for part in parts:
            for name, method in part.methods.items():
                if hasattr(cls, name):
                    raise TypeError(f"{cls.__name__}.{name} is declared twice")
                missing = [
                    dependency
                    for dependency in method.dependencies
                    if not isinstance(getattr(cls, dependency, None), DependencyProvider)
                ]
                if missing:
                    raise TypeError(f"{name} uses {missing}, which {cls.__name__} does not have")
                setattr(cls, name, method)
        return cls

    return decorate
