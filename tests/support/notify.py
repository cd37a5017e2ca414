"""Helpers for notify's tests: a real SMTP server (aiosmtpd, in a process of its own), a local
HTTP server playing Alibaba Cloud SMS that checks requests the way its documentation says, a
webhook subscriber that can be taken down, events published as a service would, and the
`notify_stack` fixture that runs notify with a real gateway on a virtual host of their own.

The stack gets its own virtual host because the e2e platform, once started, keeps running for
the rest of the session on the run's virtual host, with a notify and a gateway of its own that
would take the stack's events and contact-detail calls.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import policy as email_policy
from email.parser import BytesParser
from pathlib import Path
from urllib.parse import parse_qsl, quote

import eventlet
import pytest
from eventlet import wsgi
from kombu import Connection, Exchange, Producer

from services.common import cloudevents
from services.common.registry import settings_class_of

from .fixtures import stop_container
from .infra import free_port
from .messaging import signed

ROOT = Path(__file__).resolve().parents[2]

#: retries in tenths of seconds, so that a test sees a whole schedule
FAST_POLICY = {
    "channel_retry_delays": [0.2, 0.4],
    "webhook_retry_delays": [0.2, 0.3, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
    "retry_jitter": 0,
    "dispatch_poll_interval": 0.5,
    "webhook_order_window_seconds": 0.2,
    "webhook_timeout_seconds": 2,
    "channel_timeout_seconds": 2,
    "default_channels": ["email"],
    "mandatory_channels": ["email", "sms"],
}
SMS_KEY_ID, SMS_SECRET = "LTAI-test-key", "test-secret-never-logged"


def wait_for_port(port: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise AssertionError(f"nothing listens on {port}")


class _Quiet:
    def write(self, _line: str) -> None:
        pass


# -- SMTP ----------------------------------------------------------------------------------


class SmtpSink:
    """aiosmtpd in a child process; each message it accepts is a file `<n>.eml` in `folder`.
    `refuse_next("451", "550")` makes it answer the next recipients with those codes."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.support.notify", "smtp", str(self.port), str(folder)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def refuse_next(self, *codes: str) -> None:
        (self.folder / "plan").write_text("\n".join(codes))

    def received(self) -> list:
        parser = BytesParser(policy=email_policy.default)
        return [
            parser.parsebytes(path.read_bytes())
            for path in sorted(self.folder.glob("*.eml"), key=lambda p: int(p.stem))
        ]

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _run_smtp_server(port: int, folder: Path) -> None:
    """The child process: aiosmtpd's Controller with a handler that writes messages to files."""
    from aiosmtpd.controller import Controller

    class Handler:
        count = 0

        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            plan = folder / "plan"
            if plan.exists():
                codes = plan.read_text().split()
                if codes:
                    plan.write_text("\n".join(codes[1:]))
                    return f"{codes[0]} refused for the test"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            Handler.count += 1
            target = folder / f"{Handler.count}.eml"
            target.with_suffix(".tmp").write_bytes(envelope.original_content)
            target.with_suffix(".tmp").rename(target)
            return "250 Message accepted for delivery"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    while not stop:
        time.sleep(0.1)
    controller.stop()


# -- HTTP servers --------------------------------------------------------------------------


class _HttpServer:
    """An eventlet WSGI server on a fixed port that can be stopped (connections refused) and
    started again on the same port."""

    def __init__(self):
        self.port = free_port()
        self._sock = None
        self._thread = None

    def start(self):
        self._sock = eventlet.listen(("127.0.0.1", self.port))
        self._thread = eventlet.spawn(
            wsgi.server, self._sock, self._app, log=_Quiet(), log_output=False, debug=False
        )
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._thread.kill()
            self._thread = None
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    @staticmethod
    def _request(environ) -> tuple[dict, bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        headers = {
            key[5:].replace("_", "-").lower(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        return headers, body


@dataclass
class Received:
    headers: dict
    body: bytes
    at: float = field(default_factory=time.time)

    @property
    def event(self) -> dict:
        return json.loads(self.body)


class WebhookReceiver(_HttpServer):
    """A subscriber's endpoint: records what it receives; `answer_with(503)` makes it refuse
    deliveries (recorded apart) until `answer_with(200)`."""

    def __init__(self):
        super().__init__()
        self.received: list[Received] = []
        self.refused: list[Received] = []
        self.status = 200

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/youthcity"

    def answer_with(self, status: int) -> None:
        self.status = status

    def _app(self, environ, start_response):
        headers, body = self._request(environ)
        status = self.status
        (self.received if 200 <= status < 300 else self.refused).append(Received(headers, body))
        start_response(f"{status} Answer", [("Content-Type", "text/plain")])
        return [b"ok" if status < 300 else b"not now"]


class FakeAliyunSms(_HttpServer):
    """Alibaba Cloud's SendSms, checking each request as the signature method V3 documentation
    says (written apart from the adapter, from the documentation): the `x-acs-*` headers, the
    body's hash, a fresh nonce, a date within 15 minutes, and the signature over the canonical
    request. `answer_next("isv.BUSINESS_LIMIT_CONTROL")` makes the next answers errors."""

    def __init__(self, secret: str = SMS_SECRET):
        super().__init__()
        self.secret = secret
        self.requests: list[dict] = []
        self.problems: list[str] = []
        self.plan: deque[str] = deque()
        self._nonces: set[str] = set()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def answer_next(self, *codes: str) -> None:
        self.plan.extend(codes)

    def check(self, method, path, query, headers, body) -> str | None:
        required = (
            "host",
            "x-acs-action",
            "x-acs-version",
            "x-acs-date",
            "x-acs-signature-nonce",
            "x-acs-content-sha256",
            "authorization",
        )
        missing = [name for name in required if name not in headers]
        if missing:
            return f"missing headers {missing}"
        if (headers["x-acs-action"], headers["x-acs-version"]) != ("SendSms", "2017-05-25"):
            return "wrong action or version"
        if hashlib.sha256(body).hexdigest() != headers["x-acs-content-sha256"]:
            return "x-acs-content-sha256 does not match the body"
        moment = datetime.strptime(headers["x-acs-date"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        if abs(datetime.now(UTC) - moment) > timedelta(minutes=15):
            return "x-acs-date is not within 15 minutes"
        if headers["x-acs-signature-nonce"] in self._nonces:
            return "nonce used twice"
        self._nonces.add(headers["x-acs-signature-nonce"])
        algorithm, _, rest = headers["authorization"].partition(" ")
        parts = dict(item.split("=", 1) for item in rest.split(","))
        if algorithm != "ACS3-HMAC-SHA256" or parts.get("Credential") != SMS_KEY_ID:
            return "wrong algorithm or credential"
        signed = parts["SignedHeaders"].split(";")
        if signed != sorted(signed) or not {"host", "x-acs-action"} <= set(signed):
            return "signed headers not sorted or incomplete"
        if any(name.startswith("x-acs-") and name not in signed for name in headers):
            return "an x-acs- header is not signed"

        def encode(text: str) -> str:
            return quote(text, safe="-_.~")

        pairs = sorted((encode(k), encode(v)) for k, v in parse_qsl(query, keep_blank_values=True))
        canonical = "\n".join(
            [
                method,
                path or "/",
                "&".join(f"{k}={v}" for k, v in pairs),
                "".join(f"{name}:{headers[name].strip()}\n" for name in signed),
                ";".join(signed),
                headers["x-acs-content-sha256"],
            ]
        )
        to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical.encode()).hexdigest()
        expected = hmac.new(self.secret.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, parts.get("Signature", "")):
            return "signature does not match"
        return None

    def _app(self, environ, start_response):
        headers, body = self._request(environ)
        query = environ.get("QUERY_STRING", "")
        problem = self.check(
            environ["REQUEST_METHOD"], environ.get("PATH_INFO"), query, headers, body
        )
        params = dict(parse_qsl(query, keep_blank_values=True))
        if problem:
            self.problems.append(problem)
            reply, status = {"Code": "SignatureDoesNotMatch", "Message": problem}, "400 Bad"
        elif self.plan:
            reply, status = {"Code": self.plan.popleft(), "Message": "planned"}, "200 OK"
        else:
            self.requests.append(params)
            reply = {"Code": "OK", "Message": "OK", "BizId": uuid.uuid4().hex, "RequestId": "r"}
            status = "200 OK"
        start_response(status, [("Content-Type", "application/json")])
        return [json.dumps(reply).encode()]


@pytest.fixture
def webhook_receiver():
    """A `WebhookReceiver`, not yet started (a test may want it down first); stopped after."""
    server = WebhookReceiver()
    yield server
    server.stop()


# -- events --------------------------------------------------------------------------------


def publish_event(
    amqp_uri: str,
    service: str,
    event_type: str,
    data: dict,
    subject: str | None = None,
    event_id: str | None = None,
    at: datetime | None = None,
    actor_id: str | None = None,
) -> str:
    """Publish a CloudEvent the way `service`'s relay does (`actor_id`: the account that
    acted, as the relay names it in `actorid`); returns its id."""
    event_id = event_id or str(uuid.uuid4())
    at = at or datetime.now(UTC)
    full_type = f"youthcity.{service}.{event_type}"
    body = cloudevents.encode(
        event_id=event_id,
        service=service,
        event_type=full_type,
        time=at,
        subject=subject,
        data_json=json.dumps(data, ensure_ascii=False, default=str),
        request_id=None,
        actor_id=actor_id,
    )
    properties = cloudevents.message_properties(event_id, full_type, service, at)
    with Connection(amqp_uri) as conn:
        exchange = Exchange(f"{service}.events", type="topic", durable=True)
        producer = Producer(conn.channel(), exchange=exchange)
        exchange(producer.channel).declare()
        producer.publish(
            body,
            routing_key=full_type,
            content_type=properties["content_type"],
            content_encoding="utf-8",
            delivery_mode=2,
            message_id=event_id,
            headers=signed(body),
        )
    return event_id


def whsec_of(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix("whsec_"))


# -- the stack -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def notify_amqp():
    """A virtual host of notify's integration tests' own (see the module docstring)."""
    from .infra import virtual_host

    with virtual_host("notify") as uri:
        yield uri


@dataclass
class NotifyStack:
    amqp_uri: str
    api: object
    notify: object
    notify_url: str
    smtp: SmtpSink | None
    sms: FakeAliyunSms | None

    def grant(self, partner, *purposes: str) -> None:
        """An administrator grants the partner's session the purposes (for its webhooks)."""
        admin = self.api.admin()
        for purpose in purposes:
            answer = admin.put(
                f"/api/v1/partners/{partner.id}/purposes/{purpose}",
                json={"reference": "测试协议-1"},
            )
            assert answer.status_code == 200, answer.text

    def publish(self, service: str, event_type: str, data: dict, **kwargs) -> str:
        return publish_event(self.amqp_uri, service, event_type, data, **kwargs)

    def rows(self, sql: str, **params) -> list:
        import sqlalchemy as sa

        from services.common.db import create_engine_for

        engine = create_engine_for(self.notify_url)
        try:
            with engine.connect() as conn:
                return conn.execute(sa.text(sql), params).all()
        finally:
            engine.dispose()

    def rpc(self, as_person: str | None = None):
        """RPC to notify as the platform (or, `as_person`, as a young person would through the
        gateway: what is theirs is asked as them)."""
        from services.common.context import CallContext
        from services.common.rpc import StandaloneRpc

        if as_person is None:
            return StandaloneRpc(self.amqp_uri, timeout=5)
        context = CallContext(request_id=uuid.uuid4().hex, actor_id=as_person, actor_role="youth")
        return StandaloneRpc(self.amqp_uri, timeout=5, context=context)


def _container(service_cls, amqp_uri: str, database_url: str, env: dict, extra=None):
    from nameko.containers import ServiceContainer

    settings = settings_class_of(service_cls.name).from_env(service_cls.name, 0, env)
    settings = settings.with_overrides(
        amqp_uri=amqp_uri,
        database_url=database_url,
        metrics_host="127.0.0.1",
        max_workers=8,
        db_pool_size=10,
        handler_retry_delays=(0.5, 1.0),
    )
    container = ServiceContainer(service_cls, settings.nameko_config() | (extra or {}))
    container.start()
    return container


@pytest.fixture
def notify_stack(notify_amqp, databases, tmp_path):
    """`notify_stack(smtp=True, sms=True, settings=None, **policy)`: the gateway and notify,
    each on a migrated database of the test's backend, on notify's own virtual host, with an
    SMTP server and the SMS provider when asked; `settings` are environment variables over the
    stack's (which allow webhooks to loopback); policy parameters default to FAST_POLICY."""
    from gateway.service import GatewayService
    from services.notify.service import NotifyService

    from .api import ADMIN, Api
    from .gateway import gateway_port
    from .messaging import delete_consumer_queues

    containers, servers = [], []

    def start(
        smtp: bool = True, sms: bool = True, settings: dict | None = None, **policy
    ) -> NotifyStack:
        delete_consumer_queues(notify_amqp, "notify", delays=(0.5, 1))
        env = {
            **os.environ,
            "ADMIN_USERNAME": ADMIN[0],
            "ADMIN_PASSWORD": ADMIN[1],
            "RATE_LIMIT_ADDRESS": "100000/minute",
            "LOGIN_RATE_LIMIT_ADDRESS": "100000/minute",
            # every test signs up and signs in from 127.0.0.1, and signs in as the bootstrap
            # administrator without changing its password (tests of those rules set their own)
            "REGISTRATION_RATE_LIMIT_ADDRESS": "100000/minute",
            "REGISTRATION_BACKOFF_AFTER": "100000",
            "SIGN_IN_BACKOFF_ADDRESS_AFTER": "100000",
            "ADMIN_PASSWORD_CHANGE_REQUIRED": "false",
            # the tests register dozens of young people with no SMS provider to prove phones
            # (tests of that proof set it true)
            "REGISTRATION_PHONE_PROOF_REQUIRED": "false",
            "STAFF_SECOND_FACTOR_REQUIRED": "false",
            "NOTIFY_POLICY": json.dumps({**FAST_POLICY, **policy}),
            # the receivers below listen on 127.0.0.1 over http: development's allowance
            "WEBHOOK_ALLOW_LOOPBACK": "true",
            **(settings or {}),
        }
        sink = fake = None
        if smtp:
            sink = SmtpSink(tmp_path / "mail")
            servers.append(sink)
            env["SMTP_URL"] = sink.url
            env["SMTP_FROM"] = "青春XX <notify@youthcity.example>"
        if sms:
            fake = FakeAliyunSms().start()
            servers.append(fake)
            env.update(
                SMS_PROVIDER="aliyun",
                SMS_ENDPOINT=fake.endpoint,
                SMS_ACCESS_KEY_ID=SMS_KEY_ID,
                SMS_ACCESS_KEY_SECRET=SMS_SECRET,
                SMS_SIGN_NAME="青春XX",
                SMS_TEMPLATE_CODE="SMS_000001",
            )
        gateway = _container(
            GatewayService,
            notify_amqp,
            databases.migrated("gateway"),
            env,
            {"WEB_SERVER_ADDRESS": "127.0.0.1:0"},
        )
        containers.append(gateway)
        notify_url = databases.migrated("services.notify")
        notify = _container(NotifyService, notify_amqp, notify_url, env)
        containers.append(notify)
        api = Api(f"http://127.0.0.1:{gateway_port(gateway)}")
        api.container = gateway
        return NotifyStack(notify_amqp, api, notify, notify_url, sink, fake)

    yield start
    for container in reversed(containers):
        stop_container(container)
    for server in servers:
        server.stop()


if __name__ == "__main__":  # python -m tests.support.notify smtp <port> <folder>
    _run_smtp_server(int(sys.argv[2]), Path(sys.argv[3]))
