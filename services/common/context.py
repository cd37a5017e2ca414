"""Who is calling and on behalf of which request: carried through RPC calls and into events.

The gateway authenticates a person and starts a `CallContext`; every RPC call it makes carries
the context in message headers, every worker that handles the call runs with it, and every event
the worker records names the request and the actor. Only ids travel: never names, ID numbers or
phone numbers.
"""

from __future__ import annotations

import uuid
from contextvars import ContextVar
from dataclasses import asdict, dataclass, replace

from nameko.extensions import DependencyProvider

from .actor import Actor
from .commands import bind_scope, unbind_scope

SUPPORTED_LOCALES = ("zh-CN", "en")
DEFAULT_LOCALE = "zh-CN"


def new_request_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class CallContext:
    """The request id, the acting account, the caller's language and the call's deadline."""

    request_id: str
    actor_id: str | None = None
    actor_role: str | None = None
    actor_unit: str | None = None
    locale: str = DEFAULT_LOCALE
    #: epoch seconds after which nobody waits for this call's answer any more
    deadline: float | None = None
    #: the command this call carries out, applied once however often it arrives
    #: (services/common/commands.py)
    command_id: str | None = None

    @classmethod
    def system(cls, request_id: str | None = None) -> CallContext:
        """The context of work the platform does by itself (timers, relays)."""
        return cls(request_id=request_id or new_request_id(), actor_role="system")

    @classmethod
    def from_data(cls, data: dict | None) -> CallContext:
        data = data or {}
        locale = data.get("locale")
        deadline = data.get("deadline")
        return cls(
            request_id=str(data.get("request_id") or new_request_id()),
            actor_id=data.get("actor_id"),
            actor_role=data.get("actor_role"),
            actor_unit=data.get("actor_unit"),
            locale=locale if locale in SUPPORTED_LOCALES else DEFAULT_LOCALE,
            deadline=float(deadline) if deadline is not None else None,
            command_id=data.get("command_id"),
        )

    def as_data(self) -> dict:
        """Plain values for message headers; `None` values are left out."""
        return {k: v for k, v in asdict(self).items() if v is not None}

    def with_actor(self, actor_id: str | None, role: str | None, unit: str | None = None):
        return replace(self, actor_id=actor_id, actor_role=role, actor_unit=unit)

    @property
    def actor(self) -> Actor:
        """Who acts in this call (`services/common/actor.py`)."""
        return Actor(self.actor_id, self.actor_role, self.actor_unit)


_current: ContextVar[CallContext | None] = ContextVar("youthcity_call_context", default=None)


def current_context() -> CallContext | None:
    """The context of the running green thread, if it runs on behalf of a call."""
    return _current.get()


def bind_context(context: CallContext):
    """Make `context` current for this green thread; returns a token for `unbind_context`."""
    return _current.set(context)


def unbind_context(token) -> None:
    _current.reset(token)


class Caller(DependencyProvider):
    """Injects the worker's `CallContext` and makes it current while the worker runs.

    `worker_setup` runs in the worker's own green thread, so the context it binds is seen by
    the log formatter, the RPC client and the outbox for exactly that worker.

    Example::

        class JobsService:
            caller = Caller()

            @rpc
            def apply(self, post_id):
                log.info("apply by %s", self.caller.actor_id)
    """

    def get_dependency(self, worker_ctx) -> CallContext:
        return self._context_of(worker_ctx)

    def worker_setup(self, worker_ctx) -> None:
        context = self._context_of(worker_ctx)
        worker_ctx.youthcity_token = bind_context(context)
        worker_ctx.youthcity_command = bind_scope(context.command_id)

    def worker_teardown(self, worker_ctx) -> None:
        token = getattr(worker_ctx, "youthcity_token", None)
        if token is not None:
            unbind_scope(worker_ctx.youthcity_command)
            unbind_context(token)

    @staticmethod
    def _context_of(worker_ctx) -> CallContext:
        cached = getattr(worker_ctx, "youthcity_context", None)
        if cached is None:
            cached = CallContext.from_data(worker_ctx.data)
            worker_ctx.youthcity_context = cached
        return cached
