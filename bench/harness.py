"""What every benchmark needs: a broker of its own, processes to measure, load from outside,
percentiles, memory, and a results file.

Load comes from a separate process: wrk when it is installed (Debian's `wrk`), otherwise
`bench.loadgen`, a small keep-alive HTTP client of ours; the floor and the path it is compared
with always use the same one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


@dataclass
class Measurement:
    name: str
    unit: str  # "req/s", "msg/s", "calls/s"
    rate: float
    p50_ms: float | None = None
    p99_ms: float | None = None
    count: int = 0
    extra: dict = field(default_factory=dict)


def percentile(samples: list[float], q: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def median(samples: list[float]) -> float:
    return statistics.median(samples) if samples else float("nan")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def own_vhost():
    """A RabbitMQ virtual host for this benchmark run, deleted afterwards."""
    from tests.support.infra import VirtualHosts, base_amqp_uri

    hosts = VirtualHosts(base_amqp_uri())
    name = f"ycb-{uuid.uuid4().hex[:8]}"
    uri = hosts.create(name)
    try:
        yield uri
    finally:
        hosts.delete(name)


@contextmanager
def process(args: list[str], env: dict | None = None, ready_url: str | None = None, timeout=60):
    """Start a child process, wait until `ready_url` answers 200, stop it afterwards."""
    child = subprocess.Popen(
        args,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        if ready_url:
            wait_ready(ready_url, child, timeout)
        yield child
    finally:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def wait_ready(url: str, child: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise RuntimeError(f"{child.args} exited: {child.stderr.read()[-2000:]}")
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} not ready after {timeout}s")


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


_WRK_LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
_WRK_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
_WRK_COUNT = re.compile(r"(\d+) requests in")
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def http_load(
    name: str,
    url: str,
    connections: int = 16,
    seconds: float = 8,
    headers=None,
    paths: list[str] | None = None,
    during=None,
):
    """Load `url` from a separate process at fixed concurrency; requests/s, p50 and p99.

    With `paths`, each request asks for one of them at random (on `url`'s host); `during` is
    called with the load's process while it runs (for writes made under the load)."""
    headers = headers or {}
    with tempfile.TemporaryDirectory() as folder:
        listing = Path(folder) / "paths.txt"
        if paths:
            listing.write_text("\n".join(paths) + "\n")
        if shutil.which("wrk"):
            script = Path(folder) / "random.lua"
            script.write_text(_WRK_RANDOM_PATHS.replace("PATHS", str(listing)))
            args = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "--latency"]
            for key, value in headers.items():
                args += ["-H", f"{key}: {value}"]
            args += ["-s", str(script)] if paths else []
            out = _run(args + [url], during)
            return _wrk_measurement(name, out, connections, len(paths or [url]))
        args = [sys.executable, "-m", "bench.loadgen", url, str(connections), str(seconds)]
        args += [json.dumps(headers), str(listing) if paths else ""]
        result = json.loads(_run(args, during))
    return Measurement(
        name,
        "req/s",
        result["rate"],
        result["p50_ms"],
        result["p99_ms"],
        result["count"],
        {
            "loader": "bench.loadgen",
            "connections": connections,
            "non_2xx": result["non_2xx"],
            "distinct_paths": len(paths or [url]),
        },
    )


_WRK_RANDOM_PATHS = """
local paths = {}
for line in io.lines("PATHS") do paths[#paths + 1] = line end
math.randomseed(7)
request = function() return wrk.format(nil, paths[math.random(#paths)]) end
"""


def _run(args: list[str], during) -> str:
    child = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT
    )
    if during is not None:
        during(child)
    out, err = child.communicate()
    if child.returncode:
        raise RuntimeError(f"{args[0]} failed: {err[-2000:]}")
    return out


def _wrk_measurement(name: str, out: str, connections: int, distinct: int) -> Measurement:
    latencies = {q: float(v) * _UNIT_MS[u] for q, v, u in _WRK_LATENCY.findall(out)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return Measurement(
        name,
        "req/s",
        float(_WRK_RATE.search(out).group(1)),
        latencies.get("50"),
        latencies.get("99"),
        int(_WRK_COUNT.search(out).group(1)),
        {
            "loader": "wrk",
            "connections": connections,
            "non_2xx": int(errors.group(1)) if errors else 0,
            "distinct_paths": distinct,
        },
    )


def ratio(path: Measurement, floor: Measurement) -> float:
    return path.rate / floor.rate if floor.rate else float("nan")


def report(
    title: str, rows: list[tuple[str, Measurement, Measurement | None]], extra: dict | None = None
):
    """Print each measurement beside its floor, and write everything as JSON."""
    print(f"\n== {title} ==")
    print(f"{'measurement':44} {'rate':>12} {'p50 ms':>9} {'p99 ms':>9} {'vs floor':>9}")
    for label, measured, floor in rows:
        p50 = f"{measured.p50_ms:.2f}" if measured.p50_ms is not None else "-"
        p99 = f"{measured.p99_ms:.2f}" if measured.p99_ms is not None else "-"
        versus = f"{ratio(measured, floor):.2f}" if floor else "floor"
        print(f"{label:44} {measured.rate:>9.0f} {measured.unit:<5}{p50:>7} {p99:>9} {versus:>9}")
    for key, value in (extra or {}).items():
        print(f"{key:44} {value}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    )
    document = {
        "title": title,
        "time": stamp,
        "commit": commit.stdout.strip() or None,
        "machine": {"cpus": os.cpu_count(), "platform": sys.platform},
        "rows": [
            {
                "label": label,
                **asdict(measured),
                "floor": floor.name if floor else None,
                "ratio": ratio(measured, floor) if floor else None,
            }
            for label, measured, floor in rows
        ],
        "extra": extra or {},
    }
    slug = re.sub(r"\W+", "-", title.lower()).strip("-")
    for path in (RESULTS / f"{slug}-{stamp}.json", RESULTS / f"{slug}-latest.json"):
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False))
    return document


def bench_settings(service: str, amqp_uri: str, database_url: str):
    """A service's settings in the bench's own process: its broker and database, probes on a
    free port, and the call-context key the bench's processes share (bench/__main__.py)."""
    from services.common.config import Settings

    return Settings(
        service=service,
        amqp_uri=amqp_uri,
        database_url=database_url,
        metrics_port=0,
        metrics_host="127.0.0.1",
        log_level="WARNING",
        call_context_keys=tuple(os.environ["CALL_CONTEXT_KEYS"].split(",")),
    )
