"""Pass-through routes: the conventions check the request, one RPC answers it.

Most of the API is a service's RPC behind the gateway's conventions: `Routes.forward` declares
such a route in one statement, and `Forward` serves it. The RPC's keyword arguments are the
route's path values (by their names) and `arguments`, whose values are either taken from the
request by a function of the `Call` (the sources below) or given as they are (a constant)::

    routes.forward(
        "return_post",
        "POST",
        "/api/v1/posts/<post_id>/return",
        rpc="jobs.post_step",
        arguments={"action": "return", "reason": body_field("reason")},
        ...
    )

calls `services.jobs.post_step(post_id=..., action="return", reason=call.body.get("reason"))`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping

from services.common.errors import DomainError

from .api import Call, Created, NoContent, PageResult, RouteSpec

#: what any route that calls a service may meet: the service down (503) or too slow (504)
SERVICE_ERRORS = (503, 504)

#: the validated JSON body, the validated query, the caller's account id
BODY = operator.attrgetter("body")
QUERY = operator.attrgetter("query")
CALLER = operator.attrgetter("account_id")


def body_field(name: str) -> Callable[[Call], object]:
    """One field of the validated body (None when an optional field is not given)."""
    return lambda call: call.body.get(name)


def query_field(name: str) -> Callable[[Call], object]:
    """One parameter of the validated query (None when not given)."""
    return lambda call: call.query.get(name)


#: a page of the caller's own records, for the services' `<records>_of(person_id, after, limit)`
MY_PAGE = {"person_id": CALLER, "after": query_field("after"), "limit": query_field("limit")}


def profile_facts(call: Call) -> dict:
    """Every fact of the caller's youth profile a service may decide on (never a name, an ID
    number or a phone); a young person without a profile is a 422 naming `profile`."""
    facts = call.identity.youth_facts
    if not facts.get("person_id"):
        raise DomainError("youth_profile_required", status=422, field="profile")
    return facts


def caller_facts(*names: str) -> Callable[[Call], dict]:
    """The caller's id and only the named facts of their profile (None where it has none)."""

    def facts(call: Call) -> dict:
        known = call.identity.youth_facts
        return {**{name: known.get(name) for name in names}, "person_id": call.account_id}

    return facts


class Forward:
    """Serves a pass-through route: calls `<service>.<method>` and answers with its result,
    shaped by the route's spec (a page when paginated, 201 with `location` when it creates,
    204 when it answers nothing)."""

    def __init__(
        self, spec: RouteSpec, rpc: str, arguments: Mapping[str, object], location: str | None
    ):
        self.service, _, self.method = rpc.partition(".")
        self.arguments = dict(arguments)
        self.location = location
        self.paginated, self.status = spec.paginated, spec.status

    def __call__(self, call: Call, *, services, **path_values):
        arguments = {
            name: source(call) if callable(source) else source
            for name, source in self.arguments.items()
        }
        answer = getattr(getattr(services, self.service), self.method)(**path_values, **arguments)
        if self.paginated:
            return PageResult.of(answer)
        if self.status == 201:
            return Created(answer, self._location(answer, path_values))
        if self.status == 204:
            return NoContent
        return answer

    def _location(self, created: dict, path_values: dict) -> str | None:
        """`location` filled in with the path values and the new resource's `{id}`."""
        if self.location is None:
            return None
        if "{id}" in self.location:
            return self.location.format(**path_values, id=created["id"])
        return self.location.format(**path_values)
