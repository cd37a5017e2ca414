"""`youthcity up`: migrations, then every service and the gateway as child processes.

The supervisor checks the broker first (no broker: one line saying how to start one, exit 2),
applies every service's migrations, starts one child per process and waits. Ctrl-C or SIGTERM
stops the children gracefully (SIGTERM, then SIGKILL after a grace period); a child that dies on
its own stops the platform with a non-zero exit, so a broken start is never mistaken for a
running platform.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

from services.common.registry import PROCESSES

from .broker import BrokerAdmin, provision_platform, remove_platform

GRACE_SECONDS = 20


def broker_problem(amqp_uri: str) -> str | None:
    """Why the broker cannot be used, or None when it answers."""
    from kombu import Connection

    try:
        with Connection(amqp_uri, connect_timeout=3) as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def _redacted(uri: str) -> str:
    from kombu.utils.url import maybe_sanitize_url

    return maybe_sanitize_url(uri)


def _local_key(data_dir: Path) -> str:
    """A local platform's second-factor key: made once, kept in `DATA_DIR` (owner only)."""
    path = data_dir / "second-factor.key"
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as key_file:
        key_file.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def run_platform() -> int:
    # the processes sign and verify each other's calls and events with a shared key; a local
    # platform without one gets a key of its own, which lives as long as the platform
    os.environ.setdefault("CALL_CONTEXT_KEYS", secrets.token_urlsafe(32))
    # a local platform is development: its gateway signs access tokens with a key of its own
    # (sessions survive a restart: refresh tokens are checked against the database, not the
    # key); anywhere else the gateway refuses to start without JWT_SECRET
    if "JWT_SECRET" not in os.environ and "SECOND_FACTOR_KEY" not in os.environ:
        # the staff's TOTP secrets are sealed under a key that must outlive a restart, as the
        # data does: kept beside it, which only a development platform may do
        os.environ["SECOND_FACTOR_KEY"] = _local_key(Path(os.environ.get("DATA_DIR") or "./var"))
    os.environ.setdefault("JWT_SECRET", secrets.token_urlsafe(48))
    gateway = PROCESSES["gateway"].settings()
    amqp_uri = gateway.amqp_uri
    problem = broker_problem(amqp_uri)
    if problem:
        print(
            f"youthcity: RabbitMQ is not reachable at {_redacted(amqp_uri)} ({problem}); "
            "start one with `rabbitmq-server -detached` (or `docker run -d -p 5672:5672 "
            "rabbitmq:3-management`) or point AMQP_URI at yours.",
            file=sys.stderr,
        )
        return 2

    migrate = subprocess.run([sys.executable, "-m", "youthcity", "migrate"], check=False)
    if migrate.returncode != 0:
        print("youthcity: migrations failed; not starting the platform", file=sys.stderr)
        return migrate.returncode

    accounts = _broker_accounts(amqp_uri)
    children: dict[str, subprocess.Popen] = {
        name: subprocess.Popen(
            [sys.executable, "-m", "youthcity", "run", name],
            env=_child_env(index, accounts.get(name)),
            # a terminal's Ctrl-C reaches only the supervisor, which stops each child once
            process_group=0,
            preexec_fn=_die_with_parent,
        )
        for index, name in enumerate(PROCESSES)
    }
    print(
        f"youthcity: gateway on http://{gateway.web_server_address} (Ctrl-C stops everything)",
        file=sys.stderr,
    )

    stop_requested = []
    signal.signal(signal.SIGINT, lambda *_: stop_requested.append(True))
    signal.signal(signal.SIGTERM, lambda *_: stop_requested.append(True))

    exit_code = 0
    while not stop_requested:
        dead = {
            name: child.returncode for name, child in children.items() if child.poll() is not None
        }
        if dead:
            for name, code in dead.items():
                print(
                    f"youthcity: {name} exited with {code}; stopping the platform", file=sys.stderr
                )
            exit_code = 1
            break
        time.sleep(0.2)

    _stop(children)
    if accounts:
        remove_platform(amqp_uri)
    return exit_code


def _broker_accounts(amqp_uri: str) -> dict[str, str]:
    """Each process's own broker account (youthcity/broker.py), when this machine can create
    them; otherwise every process shares `AMQP_URI`, and the supervisor says so."""
    if BrokerAdmin(amqp_uri).available():
        try:
            accounts = provision_platform(amqp_uri)
        except Exception as exc:  # not allowed to manage users: say so, run on the one account
            print(f"youthcity: broker accounts not created ({type(exc).__name__})", file=sys.stderr)
        else:
            # rabbitmqctl may have reached another node than AMQP_URI's: use the accounts only
            # when the broker the processes will use knows them
            if broker_problem(accounts["gateway"]) is None:
                print("youthcity: one broker account per process", file=sys.stderr)
                return accounts
            remove_platform(amqp_uri)
    print(
        "youthcity: every process uses AMQP_URI's account (no rabbitmqctl here and no "
        "RABBITMQ_MANAGEMENT_URL to create one per process)",
        file=sys.stderr,
    )
    return {}


def _child_env(index: int, amqp_uri: str | None) -> dict[str, str]:
    """The supervisor's environment; with METRICS_PORT_BASE, each child's port is base + index;
    with an account of its own, the child's `AMQP_URI` is that account's."""
    env = dict(os.environ)
    base = env.get("METRICS_PORT_BASE")
    if base:
        env["METRICS_PORT"] = str(int(base) + index)
    if amqp_uri:
        env["AMQP_URI"] = amqp_uri
    return env


def _die_with_parent() -> None:
    """Ask Linux to SIGTERM the child if the supervisor itself is killed (best effort)."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
    except OSError:
        pass


def _stop(children: dict[str, subprocess.Popen]) -> None:
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    for child in children.values():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
