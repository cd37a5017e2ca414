"""The gateway's areas composed into one service class: every route served once, every
pass-through aimed at an RPC that exists with the keywords it sends, every handler taking
exactly its path's values, and the composition refusing what would silently break."""

from __future__ import annotations

import inspect
import re

import pytest
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR

from gateway.api import ApiRoute
from gateway.composition import Background, Routes, compose
from gateway.forward import Forward
from gateway.service import GatewayService
from services.common.registry import PROCESSES
from services.common.rpc import RpcClient

PATH_VALUE = re.compile(r"<(?:[a-z]+:)?(\w+)>")


def served_routes() -> dict[str, list[ApiRoute]]:
    """The class's http entrypoints, by the method that carries them."""
    return {
        name: [
            e for e in getattr(method, ENTRYPOINT_EXTENSIONS_ATTR, ()) if isinstance(e, ApiRoute)
        ]
        for name, method in inspect.getmembers(GatewayService, inspect.isfunction)
    }


def test_every_route_is_served_by_exactly_one_entrypoint():
    served = {name: routes for name, routes in served_routes().items() if routes}
    assert all(len(routes) == 1 for routes in served.values())
    assert set(served) == set(GatewayService.routes())
    endpoints = [(r.spec.method, r.spec.path) for [r] in served.values()]
    assert len(endpoints) == len(set(endpoints)), "two routes answer the same method and path"


def route_functions() -> dict[str, object]:
    return {name: getattr(GatewayService, name).function for name in GatewayService.routes()}


def test_every_pass_through_calls_an_rpc_that_takes_what_it_sends():
    forwards = {n: f for n, f in route_functions().items() if isinstance(f, Forward)}
    assert len(forwards) > 100
    wrong = {}
    for name, forward in forwards.items():
        service_cls = PROCESSES[forward.service].load()
        rpc = getattr(service_cls, forward.method, None)
        path = GatewayService.routes()[name].path
        sent = {**dict.fromkeys(PATH_VALUE.findall(path)), **forward.arguments}
        try:
            inspect.signature(rpc).bind(None, **sent)
        except (TypeError, ValueError) as exc:
            wrong[name] = f"{forward.service}.{forward.method}: {exc}"
    assert wrong == {}


def test_every_handler_takes_exactly_its_paths_values():
    mismatched = {}
    for name, function in route_functions().items():
        if isinstance(function, Forward):
            continue
        parameters = inspect.signature(function).parameters.values()
        taken = [p.name for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD][1:]
        path_values = PATH_VALUE.findall(GatewayService.routes()[name].path)
        if taken != path_values:
            mismatched[name] = (taken, path_values)
    assert mismatched == {}


def test_a_name_declared_twice_stops_the_composition():
    routes = Routes(tags=["test"])

    @routes.route("GET", "/twice", summary="Once")
    def healthz(call):
        return {}

    with pytest.raises(TypeError, match="healthz is declared twice"):

        @compose(routes)
        class Twice(GatewayService):
            pass


def test_a_dependency_the_class_lacks_stops_the_composition():
    background = Background()

    @background.timer(interval=1)
    def tick(*, services, clock):
        """Names `clock`, which no service has."""

    with pytest.raises(TypeError, match=r"tick uses \['clock'\]"):

        @compose(background)
        class Lacking:
            services = RpcClient()
