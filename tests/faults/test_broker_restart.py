"""RabbitMQ stopped and started in the middle of a stream of commands through the gateway.

The test runs a RabbitMQ node of its own (another port, another node name) so that stopping it
disturbs nothing else on the machine, and a platform of its own on that node. Thousands of
activity registrations go through the gateway while the node's application is stopped and
started again (`rabbitmqctl stop_app` / `start_app`), each sent as a front end should: with an
`Idempotency-Key`, retried with the same key while the answer does not say what happened.
Afterwards every command intended was committed exactly once and answered 201, its event
delivered to notify and applied exactly once, and every process reconnected by itself."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import eventlet
import pytest
import requests
import sqlalchemy as sa

from services.common.config import database_url_for
from services.common.db import create_engine_for
from tests.support.api import Api
from tests.support.dates import district_time
from tests.support.infra import RUN_ID, free_port, missing
from tests.support.messaging import wait_for
from tests.support.platform import running_platform

pytestmark = pytest.mark.faults

REGISTERED = "youthcity.events.registration.confirmed"
#: answers that do not say what happened: the broker or a service away (503: unavailable or
#: outcome unknown, 504), the key's first attempt still running (409), no answer at all (0)
RETRY = {0, 409, 502, 503, 504}


class RabbitNode:
    """A RabbitMQ node beside the machine's own: its own name, port, data and logs."""

    def __init__(self, folder: Path):
        self.name = f"ycfault{RUN_ID}@localhost"
        self.port = free_port()
        self.folder = folder
        self.env = {
            "RABBITMQ_NODENAME": self.name,
            "RABBITMQ_CONFIG_FILE": str(folder / "rabbitmq.conf"),
            "RABBITMQ_DIST_PORT": str(free_port()),
            "RABBITMQ_MNESIA_BASE": str(folder / "mnesia"),
            "RABBITMQ_LOG_BASE": str(folder / "log"),
            "RABBITMQ_PID_FILE": str(folder / "pid"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(folder / "plugins"),
        }

    @property
    def uri(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/"

    def start(self) -> None:
        for sub in ("mnesia", "log"):
            (self.folder / sub).mkdir(parents=True, exist_ok=True)
        (self.folder / "rabbitmq.conf").write_text(f"listeners.tcp.local = 127.0.0.1:{self.port}\n")
        (self.folder / "plugins").write_text("[].\n")
        shutil.chown(self.folder, "rabbitmq", "rabbitmq")
        for path in self.folder.rglob("*"):
            shutil.chown(path, "rabbitmq", "rabbitmq")
        subprocess.run(["rabbitmq-server", "-detached"], env=self._env(), check=True, timeout=60)
        deadline = time.monotonic() + 90
        while True:  # the node registers itself a moment after -detached returns
            try:
                self.ctl("await_startup", "--timeout", "90", timeout=120)
                return
            except subprocess.CalledProcessError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)

    def ctl(self, *args: str, timeout: float = 60) -> None:
        subprocess.run(
            ["rabbitmqctl", "-q", "-n", self.name, *args],
            env=self._env(),
            check=True,
            capture_output=True,
            timeout=timeout,
        )

    def stop(self) -> None:
        subprocess.run(
            ["rabbitmqctl", "-q", "-n", self.name, "stop"],
            env=self._env(),
            capture_output=True,
            timeout=60,
        )

    def _env(self) -> dict:
        import os

        return {**os.environ, **self.env}


@pytest.fixture(scope="module")
def node():
    if shutil.which("rabbitmq-server") is None or shutil.which("rabbitmqctl") is None:
        missing("rabbitmq-server is not installed: the broker-restart test runs a node of its own")
    # not under pytest's tmp folder: the broker runs as the rabbitmq user, who cannot enter it
    folder = Path(tempfile.mkdtemp(prefix="youthcity-rabbit-"))
    node = RabbitNode(folder)
    try:
        node.start()
        yield node
    finally:
        node.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def platform(node, tmp_path_factory, postgres):
    with running_platform(
        node.uri,
        tmp_path_factory.mktemp("faults"),
        label="faults",
        # the node's accounts are made on the node (rabbitmqctl reads its name from here)
        extra_env={"RABBITMQ_NODENAME": node.name},
    ) as running:
        yield running


def activity(officer, title: str) -> str:
    created = officer.post(
        "/api/v1/activities",
        json={
            "title": title,
            "category": "volunteering",
            "venue": "社区服务中心",
            "starts_at": district_time(days=30, hour=9).isoformat(),
            "ends_at": district_time(days=30, hour=12).isoformat(),
            "capacity": 1000,
        },
    ).json()
    officer.post(f"/api/v1/activities/{created['id']}/publish")
    return created["id"]


def test_a_broker_restart_mid_stream_loses_no_event_and_applies_none_twice(node, platform):
    api = Api(platform.url)
    officer = api.staff("officer", unit="youth_league")
    youths = [api.youth(age=20 + n % 10) for n in range(20)]
    activities = [activity(officer, f"志愿服务 {n}") for n in range(100)]
    commands = [(youth, activity_id) for activity_id in activities for youth in youths]
    answers: dict[int, int] = {}
    first_answers: dict[int, int] = {}

    def send(index: int) -> None:
        """As a front end should: one key per command, the same key on every retry of it,
        retried while the answer does not say what happened."""
        youth, activity_id = commands[index]
        key = {"Idempotency-Key": str(uuid.uuid4())}
        deadline = time.monotonic() + 120
        while True:
            try:
                answer = youth.post(f"/api/v1/activities/{activity_id}/registrations", headers=key)
                status, wait = answer.status_code, float(answer.headers.get("Retry-After", 1))
            except requests.RequestException:
                status, wait = 0, 1.0
            first_answers.setdefault(index, status)
            answers[index] = status
            if status not in RETRY or time.monotonic() > deadline:
                return
            eventlet.sleep(min(wait, 2.0))

    def restart() -> None:
        node.ctl("stop_app")
        eventlet.sleep(3)
        node.ctl("start_app")

    pool = eventlet.GreenPool(8)
    restarting = None
    for index in range(len(commands)):
        if index == len(commands) // 3:
            restarting = eventlet.spawn(restart)  # while the commands keep coming
        pool.spawn_n(send, index)
    pool.waitall()
    restarting.wait()

    for name, url in platform.metrics.items():  # every process back on its own
        wait_for(
            lambda url=url: requests.get(f"{url}/readyz", timeout=2).status_code == 200,
            timeout=60,
            interval=0.5,
            message=f"{name} ready again",
        )

    events_db = create_engine_for(database_url_for("events", platform.env))
    notify_db = create_engine_for(database_url_for("notify", platform.env))
    try:

        def outbox_drained():
            with events_db.connect() as conn:
                return (
                    conn.execute(
                        sa.text("SELECT count(*) FROM outbox WHERE published_at IS NULL")
                    ).scalar()
                    == 0
                )

        wait_for(outbox_drained, timeout=90, interval=1, message="the events outbox published")
        with events_db.connect() as conn:
            committed = conn.execute(
                sa.text("SELECT count(*) FROM registration WHERE state = 'confirmed'")
            ).scalar()
            event_ids = set(
                conn.execute(
                    sa.text("SELECT event_id FROM outbox WHERE type = :t"), {"t": REGISTERED}
                ).scalars()
            )

        def delivered():
            with notify_db.connect() as conn:
                rows = (
                    conn.execute(
                        sa.text("SELECT event_id FROM message WHERE event_type = :t"),
                        {"t": REGISTERED},
                    )
                    .scalars()
                    .all()
                )
            return rows if set(rows) >= event_ids else None

        messages = wait_for(
            delivered, timeout=120, interval=1, message="every registration event applied"
        )
    finally:
        events_db.dispose()
        notify_db.dispose()

    accepted = sum(1 for status in answers.values() if status == 201)
    interrupted = sum(1 for status in first_answers.values() if status != 201)
    duplicates = len(messages) - len(set(messages))
    lost = len(event_ids - set(messages))
    print(
        f"\nbroker restart: commands intended {len(commands)}, first answers not 201 "
        f"{interrupted} (by status {dict(Counter(first_answers.values()))}), answered 201 after "
        f"retries with the same key {accepted}, committed {committed}, events expected "
        f"{len(event_ids)}, delivered {len(set(messages))}, duplicates applied {duplicates}, "
        f"lost {lost}"
    )
    assert len(commands) == accepted == committed == len(event_ids) == len(set(messages))
    assert duplicates == 0 and lost == 0
    assert interrupted > 0  # the restart did interrupt the stream
