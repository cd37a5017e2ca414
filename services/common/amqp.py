"""AMQP plumbing shared by the relay, the consumers and RPC: names, a self-healing connection,
and a publisher that confirms whole batches.

Names (one virtual host per platform):

* `<service>.events`        durable topic exchange a service publishes its events to
* `<service>.inbox`         durable queue a service consumes other services' events from
* `<service>.inbox.retry.<n>s`  holding queues: a failed event waits there n seconds, then
                                dead-letters back to the inbox (so retries survive restarts)
* `<service>.inbox.dead`    the dead-letter queue an operator lists and replays
* `nameko-rpc`              the RPC exchange (nameko's name); `rpc-<service>` its request queue
"""

from __future__ import annotations

import contextlib
import logging
import socket
import time
from collections.abc import Callable

import eventlet
from amqp import Message
from amqp.exceptions import ConnectionError as AmqpConnectionError
from amqp.exceptions import RecoverableConnectionError
from eventlet.event import Event
from kombu import Connection
from kombu.exceptions import OperationalError

from .health import Check, dependency

log = logging.getLogger(__name__)

RPC_EXCHANGE = "nameko-rpc"
HEARTBEAT = 30
#: what losing the broker looks like, whichever layer notices first
CONNECTION_ERRORS = (
    OSError,
    socket.timeout,
    AmqpConnectionError,
    RecoverableConnectionError,
    OperationalError,
)


def events_exchange(service: str) -> str:
    return f"{service}.events"


def inbox_queue(service: str) -> str:
    return f"{service}.inbox"


def retry_queue(service: str, delay: float) -> str:
    return f"{service}.inbox.retry.{delay:g}s"


def dead_letter_queue(service: str) -> str:
    return f"{service}.inbox.dead"


def rpc_queue(service: str) -> str:
    return f"rpc-{service}"


def durable_queue_arguments(queue_type: str) -> dict:
    return {"x-queue-type": queue_type} if queue_type != "classic" else {}


class Link:
    """One AMQP connection kept alive: reconnects with backoff, reads in one green thread, sends
    heartbeats from another.

    The reader never waits on anything a writer holds. py-amqp writes each frame under its own
    lock, so any green thread may publish or acknowledge; but a write can block for as long as
    the broker applies flow control, and a reader stuck behind it would stop reading the very
    replies and confirms the broker waits to deliver. So heartbeats, which write, run apart.

    `on_connect(connection)` runs after every (re)connection to declare queues and start
    consumers; `on_disconnect(error)` lets the owner fail what was waiting on the old one.
    """

    def __init__(
        self,
        uri: str,
        name: str,
        on_connect: Callable[[Connection], None],
        on_disconnect: Callable[[Exception], None] | None = None,
    ):
        self.uri = uri
        self.name = name
        self.on_connect = on_connect
        self.on_disconnect = on_disconnect
        self.connection: Connection | None = None
        self.connected = Event()
        self._running = False
        self._threads: list = []
        self.last_error: str | None = None
        #: since when (monotonic) the link has been trying to connect; None while connected
        self.disconnected_since: float | None = time.monotonic()

    def start(self, spawn=eventlet.spawn) -> None:
        self._running = True
        self._threads = [spawn(self._run), spawn(self._beat)]

    def wait_connected(self, timeout: float) -> bool:
        with eventlet.Timeout(timeout, False):
            self.connected.wait()
            return True
        return False

    def is_connected(self) -> bool:
        return self.connected.ready()

    def readiness(self) -> Check:
        """The broker is shared by every replica: its absence is reported, never gating
        (`services/common/health.py`)."""
        if self.is_connected():
            return dependency(True, f"{self.name}: connected")
        return dependency(False, f"{self.name}: not connected ({self.last_error or 'connecting'})")

    def liveness(self, broker_reachable: bool, stuck_after: float) -> tuple[bool, str]:
        """Dead when the broker answers a fresh connection but this link has not got back to it
        for `stuck_after` seconds: something in this process is stuck, and a restart helps
        (while the broker itself is away, a restart would not)."""
        since = self.disconnected_since
        if not self._running or since is None or not broker_reachable:
            return True, f"{self.name}: ok"
        waited = time.monotonic() - since
        if waited < stuck_after:
            return True, f"{self.name}: reconnecting"
        return False, f"{self.name}: not reconnected for {waited:.0f}s though the broker answers"

    def stop(self) -> None:
        """Stop reading, then close: closing waits for the broker's answer, and only one green
        thread may read the socket."""
        self._running = False
        current = eventlet.getcurrent()
        for thread in self._threads:
            if thread is not current:
                thread.kill()
        self._threads = []
        self._close()

    def _run(self) -> None:
        backoff = 0.2
        while self._running:
            try:
                self._connect()
                backoff = 0.2
                self._read_forever()
            except CONNECTION_ERRORS as exc:
                if not self._running:
                    return
                self.last_error = type(exc).__name__
                log.warning("amqp link %s lost: %s; reconnecting", self.name, type(exc).__name__)
            self._mark_disconnected(ConnectionError(self.last_error or "disconnected"))
            self._close()
            eventlet.sleep(backoff)
            backoff = min(backoff * 2, 5)

    def _connect(self) -> None:
        connection = Connection(self.uri, heartbeat=HEARTBEAT, connect_timeout=5)
        connection.ensure_connection(max_retries=1, timeout=5)
        self.connection = connection
        self.on_connect(connection)
        self.last_error = None
        self.disconnected_since = None
        self.connected.send(True)
        log.info("amqp link %s connected", self.name)

    def _read_forever(self) -> None:
        connection = self.connection
        while self._running and connection is self.connection:
            with contextlib.suppress(socket.timeout):
                connection.drain_events(timeout=1)

    def _beat(self) -> None:
        """Send heartbeats and notice a silent broker; a dead connection is closed, which ends
        the reader's wait and makes it reconnect."""
        while self._running:
            eventlet.sleep(HEARTBEAT / 4)
            connection = self.connection
            if connection is None or not self.is_connected():
                continue
            try:
                connection.heartbeat_check()
            except CONNECTION_ERRORS as exc:
                self.last_error = type(exc).__name__
                log.warning("amqp link %s missed heartbeats; reconnecting", self.name)
                self._abort(connection)

    @staticmethod
    def _abort(connection: Connection) -> None:
        """Drop the socket without a closing handshake (which would read, beside the reader)."""
        try:
            connection.connection.transport.close()
        except Exception:  # already broken: the reader notices either way
            log.debug("aborting an amqp connection failed", exc_info=True)

    def _mark_disconnected(self, error: Exception) -> None:
        if self.connected.ready():
            self.connected = Event()
        if self.disconnected_since is None:
            self.disconnected_since = time.monotonic()
        if self.on_disconnect is not None:
            self.on_disconnect(error)

    def _close(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            try:
                connection.close()
            except Exception:  # closing a broken connection may fail in many ways; it is gone
                log.debug("closing amqp link %s failed", self.name, exc_info=True)


class ConfirmingPublisher:
    """Publishes a batch of messages on a confirm-mode channel and waits once for all confirms.

    One confirm per batch instead of one per message is what lets the relay approach raw
    publishing speed. A nack or a lost connection fails the whole batch; the caller republishes
    it (consumers apply an event once whatever the number of copies).
    """

    def __init__(self, uri: str, confirm_timeout: float = 10.0):
        self.uri = uri
        self.confirm_timeout = confirm_timeout
        self._connection: Connection | None = None
        self._channel = None
        self._next_tag = 1
        self._unconfirmed: set[int] = set()
        self._nacked = False
        self._declared: set[str] = set()

    def _ensure(self):
        if self._channel is None:
            connection = Connection(self.uri, heartbeat=0, connect_timeout=5)
            connection.ensure_connection(max_retries=1, timeout=5)
            channel = connection.channel()
            channel.confirm_select()
            channel.events["basic_ack"].add(self._on_ack)
            channel.events["basic_nack"].add(self._on_nack)
            self._connection, self._channel = connection, channel
            self._next_tag, self._nacked = 1, False
            self._unconfirmed.clear()
            self._declared.clear()
        return self._channel

    def _on_ack(self, delivery_tag: int, multiple: bool) -> None:
        if multiple:
            self._unconfirmed = {tag for tag in self._unconfirmed if tag > delivery_tag}
        else:
            self._unconfirmed.discard(delivery_tag)

    def _on_nack(self, delivery_tag: int, multiple: bool) -> None:
        self._nacked = True
        self._on_ack(delivery_tag, multiple)

    def declare_exchange(self, name: str) -> None:
        channel = self._ensure()
        if name not in self._declared:
            channel.exchange_declare(name, "topic", durable=True, auto_delete=False)
            self._declared.add(name)

    def publish_batch(self, messages: list[tuple[str, str, bytes, dict]]) -> None:
        """Publish (exchange, routing_key, body, properties) tuples; return once all confirmed."""
        if not messages:
            return
        try:
            channel = self._ensure()
            for exchange, routing_key, body, properties in messages:
                if exchange:
                    self.declare_exchange(exchange)
                # a confirm can be read while later messages are still being written, so the
                # tag is awaited before its message leaves
                self._unconfirmed.add(self._next_tag)
                self._next_tag += 1
                channel.basic_publish(
                    Message(body, **properties), exchange=exchange, routing_key=routing_key
                )
            self._wait_for_confirms()
        except BaseException:
            self.close()
            raise

    def _wait_for_confirms(self) -> None:
        deadline = time.monotonic() + self.confirm_timeout
        while self._unconfirmed:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"broker did not confirm within {self.confirm_timeout}s")
            self._connection.drain_events(timeout=remaining)
        if self._nacked:
            raise RecoverableConnectionError("broker refused (nacked) a published message")

    def close(self) -> None:
        connection, self._connection, self._channel = self._connection, None, None
        if connection is not None:
            try:
                connection.close()
            except Exception:  # a connection that failed may not close cleanly; drop it
                log.debug("closing publisher connection failed", exc_info=True)
