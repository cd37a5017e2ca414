"""RPC between services that never hangs: deadlines, expiry, and "nobody is there" at once.

nameko's `RpcProxy` has no timeout, and a request left in a durable queue runs whenever its
service comes back, long after the caller gave up. Here:

* **Every call has a deadline** (`RPC_TIMEOUT`, or less when the caller's own deadline is
  nearer). The request message expires with it, so the broker drops it unread, and the deadline
  travels in the headers, so a service that receives it late (it was hung, say) does not run it.
  Past the deadline the caller gets `ServiceTimeout` (HTTP 504).
* **No consumer, no wait**: a service's request queue `rpc-<service>` is auto-deleted when its
  last instance stops consuming, and requests are published `mandatory`; with nobody there the
  broker returns the request at once and the caller gets `ServiceUnavailable` (HTTP 503).
* **At most once**: a service acknowledges a request when it takes it, not after; a service that
  dies mid-call does not have the call run again by someone else. The caller decides.
* **One connection per process**: the client publishes and receives replies on one channel with
  RabbitMQ's direct reply-to, with no reply queue to declare and no per-call connection.

The wire format is nameko's (`{"args", "kwargs"}` in, `{"result", "error"}` out), in plain
JSON; the call context travels as one JSON header, `nameko.context`, signed in
`nameko.context-signature` (`services/common/trust.py`). A request whose context is missing,
forged or past its deadline is not run: the caller gets 403 `untrusted_call` (or nothing, when
its deadline passed).

Example::

    class GatewayService(ServiceBase):
        services = RpcClient()

        def list_posts(self, request):
            return self.services.jobs.search_posts(keyword="实习")

    class JobsService(ServiceBase):
        @rpc
        def search_posts(self, keyword):
            ...
"""

from __future__ import annotations

import functools
import json
import logging
import time
import uuid
from dataclasses import replace
from functools import partial

import eventlet
from amqp import Message
from eventlet.event import Event
from marshmallow import ValidationError
from nameko.exceptions import ContainerBeingKilled
from nameko.extensions import (
    DependencyProvider,
    Entrypoint,
    ProviderCollector,
    SharedExtension,
    register_entrypoint,
)

from . import trust
from .amqp import RPC_EXCHANGE, Link, rpc_queue
from .commands import answered_once, current_scope
from .config import Settings, settings_of
from .context import CallContext, current_context
from .db import DATABASE_OUTAGES
from .encoding import dumps
from .errors import (
    DomainError,
    Forbidden,
    InvalidInput,
    OutcomeUnknown,
    ServiceTimeout,
    ServiceUnavailable,
)
from .health import Check, dependency
from .i18n import COMMON, Catalog
from .metrics import (
    RPC_CLIENT_SECONDS,
    RPC_EXPIRED_ON_ARRIVAL,
    RPC_TIMEOUTS,
    RPC_UNAVAILABLE,
    RPC_UNTRUSTED,
)

log = logging.getLogger(__name__)

CONTEXT_HEADER = "nameko.context"
SIGNATURE_HEADER = "nameko.context-signature"
DIRECT_REPLY_TO = "amq.rabbitmq.reply-to"


class DeadlineExceeded(DomainError):
    status = 504
    code = "service_timeout"


# -- server ------------------------------------------------------------------------------------


class RpcServer(SharedExtension, ProviderCollector):
    """Consumes `rpc-<service>` and answers each request on its reply-to address."""

    def __init__(self):
        super().__init__()
        self.link: Link | None = None
        self.replies: Link | None = None
        self._channel = None
        self._reply_channel = None
        self._consumer_tag = None
        self._methods: dict[str, RpcEntrypoint] = {}

    def setup(self) -> None:
        settings = settings_of(self.container)
        self.service = self.container.service_name
        self.prefetch = settings.max_workers
        self.catalog: Catalog = getattr(self.container.service_cls, "messages", COMMON)
        self.link = Link(settings.amqp_uri, f"{self.service}-rpc", self._on_connect)
        # replies leave on a connection of their own: a reply held back by flow control must
        # not stop the consumer from reading
        self.replies = Link(
            settings.amqp_uri, f"{self.service}-rpc-replies", self._open_reply_channel
        )

    def register_provider(self, provider) -> None:
        super().register_provider(provider)
        self._methods[provider.method_name] = provider

    def start(self) -> None:
        if self._methods and self._channel is None:
            self.replies.start(spawn=self.container.spawn_managed_thread)
            self.replies.wait_connected(timeout=10)
            self.link.start(spawn=self.container.spawn_managed_thread)
            self.link.wait_connected(timeout=10)

    def unregister_provider(self, provider) -> None:
        self._methods.pop(provider.method_name, None)
        if not self._methods and self._channel is not None and self._consumer_tag:
            try:
                self._channel.basic_cancel(self._consumer_tag, nowait=True)
            except Exception:  # connection already gone: nothing to cancel
                log.debug("cancelling the rpc consumer failed", exc_info=True)
        super().unregister_provider(provider)

    def stop(self) -> None:
        super().stop()
        self.link.stop()
        self.replies.stop()

    def kill(self) -> None:
        if self.link is not None:
            self.link.stop()
            self.replies.stop()

    def readiness(self) -> Check:
        consuming, replying = self.link.readiness(), self.replies.readiness()
        return dependency(consuming.ok and replying.ok, f"{consuming.detail}; {replying.detail}")

    def amqp_links(self) -> list[Link]:
        """The links `/healthz` watches for a consumer stuck apart from a reachable broker."""
        return [self.link, self.replies] if self._methods else []

    def _open_reply_channel(self, connection) -> None:
        self._reply_channel = connection.channel()

    def _on_connect(self, connection) -> None:
        channel = connection.channel()
        channel.exchange_declare(RPC_EXCHANGE, "topic", durable=True, auto_delete=False)
        queue = rpc_queue(self.service)
        # auto-delete: with no instance consuming, the queue is gone and a mandatory request
        # comes straight back to its caller as "unavailable"
        channel.queue_declare(queue, durable=False, auto_delete=True)
        channel.queue_bind(queue, RPC_EXCHANGE, routing_key=f"{self.service}.*")
        channel.basic_qos(0, self.prefetch, False)
        self._consumer_tag = channel.basic_consume(queue, callback=self._on_request)
        self._channel = channel

    def _on_request(self, message: Message) -> None:
        headers = message.properties.get("application_headers") or {}
        method = message.delivery_info["routing_key"].partition(".")[2]
        message.channel.basic_ack(message.delivery_tag)
        context_data = trusted_context(headers, message.body)
        # every platform call has a deadline: a signed request without one could be replayed
        # for ever
        if context_data is None or context_data.get("deadline") is None:
            RPC_UNTRUSTED.labels(self.service, method).inc()
            log.warning(
                "rpc request with a missing or forged context; not run", extra={"method": method}
            )
            self._reply(message, None, Forbidden("untrusted_call"))
            return
        deadline = context_data.get("deadline")
        if deadline is not None and time.time() > float(deadline):
            RPC_EXPIRED_ON_ARRIVAL.labels(self.service, method).inc()
            log.warning("rpc request arrived after its deadline; not run", extra={"method": method})
            return
        provider = self._methods.get(method)
        if provider is None:
            self._reply(
                message,
                None,
                DomainError("method_not_found", status=501, params={"method": method}),
            )
            return
        try:
            body = json.loads(message.body)
            args, kwargs = body.get("args", []), body.get("kwargs", {})
        except (ValueError, AttributeError):
            self._reply(message, None, DomainError("malformed_request", status=400))
            return
        try:
            self.container.spawn_worker(
                provider,
                args,
                kwargs,
                context_data=context_data,
                handle_result=partial(self._on_result, message),
            )
        except ContainerBeingKilled:
            self._reply(message, None, ServiceUnavailable(self.service))

    def _on_result(self, message, worker_ctx, result, exc_info):
        self._reply(message, result, exc_info[1] if exc_info else None)
        return result, exc_info

    def _reply(self, message: Message, result, error: BaseException | None) -> None:
        reply_to = message.properties.get("reply_to")
        if not reply_to:
            return
        payload = {"result": result if error is None else None, "error": self._wire_error(error)}
        try:
            body = dumps(payload)
        except TypeError:
            log.exception("rpc result is not JSON serialisable")
            body = dumps(
                {"result": None, "error": self._wire_error(RuntimeError("unserialisable"))}
            )
        reply = Message(
            body,
            content_type="application/json",
            content_encoding="utf-8",
            correlation_id=message.properties.get("correlation_id"),
        )
        try:
            self._reply_channel.basic_publish(reply, exchange="", routing_key=reply_to)
        except Exception:  # the caller waits for its deadline either way
            log.warning("could not send an rpc reply", exc_info=True)

    def _wire_error(self, error: BaseException | None) -> dict | None:
        if error is None:
            return None
        if isinstance(error, DomainError):
            return error.to_wire(self.catalog)
        if isinstance(error, ValidationError):
            return InvalidInput.from_validation_error(error, self.catalog).to_wire(self.catalog)
        if isinstance(error, DATABASE_OUTAGES):
            return DomainError("database_unavailable", status=503).to_wire(self.catalog)
        return DomainError("internal_error", status=500).to_wire(self.catalog)


def _signed_part(context_json: str, body: bytes | str) -> bytes:
    """What a request's signature covers: its context and its arguments, so neither the actor
    nor the facts sent with the call can be changed or replayed onto other arguments."""
    return context_json.encode() + b"\n" + (body.encode() if isinstance(body, str) else body)


def signed_context_headers(context_data: dict, body: bytes) -> dict:
    """The headers of a request made in a context: the context's JSON and the signature of it
    and the request's body."""
    encoded = json.dumps(context_data, sort_keys=True, separators=(",", ":"))
    return {CONTEXT_HEADER: encoded, SIGNATURE_HEADER: trust.sign(_signed_part(encoded, body))}


def trusted_context(headers: dict, body: bytes | str) -> dict | None:
    """The context a request's headers carry, or None when it is missing or the signature of
    it and `body` does not verify under the platform's keys."""
    encoded = headers.get(CONTEXT_HEADER)
    if isinstance(encoded, bytes):
        encoded = encoded.decode(errors="replace")
    if not isinstance(encoded, str) or not trust.verify(
        _signed_part(encoded, body), headers.get(SIGNATURE_HEADER)
    ):
        return None
    try:
        data = json.loads(encoded)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


class RpcEntrypoint(Entrypoint):
    server = RpcServer()

    def setup(self) -> None:
        self.server.register_provider(self)

    def stop(self) -> None:
        self.server.unregister_provider(self)


def rpc(method=None, *, expected_exceptions=(DomainError, ValidationError)):
    """Expose `method` to other services. A call whose deadline passed before a worker took it
    raises `DeadlineExceeded` instead of running; a repeated command gets its first answer
    (services/common/commands.py)."""

    def decorate(fn):
        @functools.wraps(fn)
        def guarded(self, *args, **kwargs):
            context = current_context()
            if (
                context is not None
                and context.deadline is not None
                and time.time() > context.deadline
            ):
                raise DeadlineExceeded()
            database = getattr(self, "db", None)
            if database is None or database.engine is None:
                return fn(self, *args, **kwargs)
            return answered_once(
                database,
                context.deadline if context is not None else None,
                functools.partial(fn, self, *args, **kwargs),
            )

        register_entrypoint(guarded, RpcEntrypoint(expected_exceptions=expected_exceptions))
        return guarded

    return decorate(method) if method is not None else decorate


# -- client ------------------------------------------------------------------------------------


class RpcTransport:
    """The process's RPC connection: publishes requests, receives replies and returns."""

    _instances: dict[str, RpcTransport] = {}

    def __init__(self, uri: str):
        self.uri = uri
        self.users = 0
        self._pending: dict[str, Event] = {}
        self._channel = None
        self.link = Link(uri, "rpc-client", self._on_connect, self._on_disconnect)
        self.link.start()

    @classmethod
    def acquire(cls, uri: str) -> RpcTransport:
        transport = cls._instances.get(uri)
        if transport is None:
            transport = cls._instances[uri] = cls(uri)
        transport.users += 1
        return transport

    def release(self) -> None:
        self.users -= 1
        if self.users <= 0 and self._instances.get(self.uri) is self:
            del self._instances[self.uri]
            self.link.stop()

    def _on_connect(self, connection) -> None:
        channel = connection.channel()
        channel.events["basic_return"].add(self._on_return)
        channel.basic_consume(DIRECT_REPLY_TO, no_ack=True, callback=self._on_reply)
        self._channel = channel

    def _on_disconnect(self, error: Exception) -> None:
        self._channel = None
        for waiter in list(self._pending.values()):
            if not waiter.ready():
                waiter.send(("lost", None))

    def _on_reply(self, message: Message) -> None:
        waiter = self._pending.get(message.properties.get("correlation_id"))
        if waiter is not None and not waiter.ready():
            waiter.send(("reply", message.body))

    def _on_return(self, exc, exchange, routing_key, message) -> None:
        waiter = self._pending.get(message.properties.get("correlation_id"))
        if waiter is not None and not waiter.ready():
            waiter.send(("returned", None))

    def call(
        self,
        service: str,
        method: str,
        kwargs: dict,
        timeout: float,
        context: CallContext,
        caller: str,
    ):
        started = time.perf_counter()
        deadline = time.time() + timeout
        if context.deadline is not None:
            deadline = min(deadline, context.deadline)
        remaining = deadline - time.time()
        if remaining <= 0:
            raise ServiceTimeout(service)
        if not self.link.wait_connected(min(remaining, 2.0)) or self._channel is None:
            RPC_UNAVAILABLE.labels(caller, service).inc()
            raise ServiceUnavailable(service)
        correlation_id = uuid.uuid4().hex
        waiter = Event()
        self._pending[correlation_id] = waiter
        body = dumps({"args": [], "kwargs": kwargs})
        headers = signed_context_headers({**context.as_data(), "deadline": deadline}, body)
        request = Message(
            body,
            content_type="application/json",
            content_encoding="utf-8",
            correlation_id=correlation_id,
            reply_to=DIRECT_REPLY_TO,
            expiration=str(max(1, int(remaining * 1000))),
            delivery_mode=1,
            application_headers=headers,
        )
        try:
            self._channel.basic_publish(
                request, exchange=RPC_EXCHANGE, routing_key=f"{service}.{method}", mandatory=True
            )
            kind, body = self._wait(waiter, deadline - time.time())
        except (OSError, AttributeError) as exc:
            RPC_UNAVAILABLE.labels(caller, service).inc()
            raise ServiceUnavailable(service) from exc
        finally:
            self._pending.pop(correlation_id, None)
            RPC_CLIENT_SECONDS.labels(caller, service, method).observe(
                time.perf_counter() - started
            )
        if kind == "timeout":
            RPC_TIMEOUTS.labels(caller, service).inc()
            raise ServiceTimeout(service)
        if kind == "returned":  # nobody took it: it was not done
            RPC_UNAVAILABLE.labels(caller, service).inc()
            raise ServiceUnavailable(service)
        if kind == "lost":  # sent, then the connection went: it may have been done
            RPC_UNAVAILABLE.labels(caller, service).inc()
            raise OutcomeUnknown(service)
        reply = json.loads(body)
        if reply.get("error"):
            raise DomainError.from_wire(reply["error"])
        return reply.get("result")

    @staticmethod
    def _wait(waiter: Event, timeout: float):
        with eventlet.Timeout(max(timeout, 0), False):
            return waiter.wait()
        return "timeout", None


class ServiceProxy:
    """`proxy.method(**kwargs)` calls `service.method` with the bound context and timeout."""

    def __init__(
        self,
        transport: RpcTransport,
        service: str,
        context: CallContext,
        timeout: float,
        caller: str,
    ):
        self._transport = transport
        self._service = service
        self._context = context
        self._timeout = timeout
        self._caller = caller

    def __getattr__(self, method: str):
        if method.startswith("_"):
            raise AttributeError(method)
        return functools.partial(self._call, method)

    def _call(self, method: str, **kwargs):
        # the worker's context may have changed since injection (the gateway learns the actor
        # only once it has authenticated the request)
        context = current_context() or self._context
        scope = current_scope()
        if scope is not None:  # a command's calls carry ids of their own; others carry none
            context = replace(context, command_id=scope.call_id(self._service, method))
        return self._transport.call(
            self._service, method, kwargs, self._timeout, context, self._caller
        )


class ClusterProxy:
    """`cluster.jobs.search_posts(...)`; `cluster.with_timeout(1).jobs...` for a tighter one."""

    def __init__(self, transport: RpcTransport, context: CallContext, timeout: float, caller: str):
        self._transport = transport
        self._context = context
        self._timeout = timeout
        self._caller = caller

    def __getattr__(self, service: str) -> ServiceProxy:
        if service.startswith("_"):
            raise AttributeError(service)
        return ServiceProxy(self._transport, service, self._context, self._timeout, self._caller)

    def with_timeout(self, timeout: float) -> ClusterProxy:
        return ClusterProxy(self._transport, self._context, timeout, self._caller)

    def with_context(self, context: CallContext) -> ClusterProxy:
        return ClusterProxy(self._transport, context, self._timeout, self._caller)


class RpcClient(DependencyProvider):
    """Injects a `ClusterProxy` bound to the worker's call context (request id, actor, deadline)."""

    def __init__(self, timeout: float | None = None):
        self.timeout = timeout
        self.transport: RpcTransport | None = None

    def setup(self) -> None:
        settings = settings_of(self.container)
        self.timeout = self.timeout or settings.rpc_timeout
        self.transport = RpcTransport.acquire(settings.amqp_uri)

    def stop(self) -> None:
        if self.transport is not None:
            self.transport.release()
            self.transport = None

    def kill(self) -> None:
        self.stop()

    def readiness(self) -> Check:
        return self.transport.link.readiness()

    def amqp_links(self) -> list[Link]:
        """The reply link `/healthz` watches (shared by the process's RPC clients)."""
        return [self.transport.link] if self.transport is not None else []

    def get_dependency(self, worker_ctx) -> ClusterProxy:
        context = current_context() or CallContext.from_data(worker_ctx.data)
        return ClusterProxy(self.transport, context, self.timeout, self.container.service_name)


class StandaloneRpc:
    """RPC from outside any service (tools, tests, benchmarks).

    Example::

        with StandaloneRpc(amqp_uri) as cluster:
            cluster.jobs.search_posts(keyword="实习")
    """

    def __init__(self, uri: str, timeout: float = 5.0, context: CallContext | None = None):
        self.uri = uri
        self.timeout = timeout
        self.context = context or CallContext.system()

    def __enter__(self) -> ClusterProxy:
        if not trust.configured():  # a tool signs with the platform's keys, as a process does
            trust.configure(Settings.from_env("tools").call_context_keys)
        self.transport = RpcTransport.acquire(self.uri)
        self.transport.link.wait_connected(5)
        return ClusterProxy(self.transport, self.context, self.timeout, "standalone")

    def __exit__(self, *exc_info) -> None:
        self.transport.release()
