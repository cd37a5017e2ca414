"""The platform as `make run` starts it: six processes, each alive and ready."""

import json
import os
import subprocess
import sys

import requests

from services.common.registry import PROCESSES


def test_every_process_answers_its_probes(platform):
    assert set(platform.metrics) == set(PROCESSES)
    for name, url in platform.metrics.items():
        assert requests.get(f"{url}/healthz", timeout=5).json()["service"] == name
        ready = requests.get(f"{url}/readyz", timeout=5)
        assert ready.status_code == 200, (name, ready.text)


def test_the_gateway_answers_probes_on_its_own_port(platform):
    assert requests.get(platform.api("/healthz"), timeout=5).json() == {"status": "alive"}
    assert requests.get(platform.api("/readyz"), timeout=5).json()["status"] == "ready"


def test_logs_are_json_lines_without_query_strings(platform):
    requests.get(platform.api("/healthz?phone=13800138000"), timeout=5)
    lines = [line for line in platform.log_path.read_text().splitlines() if line.startswith("{")]
    assert lines, "no structured log lines"
    entries = [json.loads(line) for line in lines]
    assert {"ts", "level", "service", "msg"} <= set(entries[0])
    assert "13800138000" not in platform.log_path.read_text()
    access = [
        e for e in entries if e.get("logger") == "youthcity.access" and e.get("route") == "/healthz"
    ]
    assert access and access[-1]["status"] == 200


def test_without_a_broker_the_platform_says_so_in_one_line_and_exits_non_zero(tmp_path):
    env = {**os.environ, "AMQP_URI": "amqp://guest:guest@127.0.0.1:1/", "DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "youthcity", "up"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "RabbitMQ is not reachable" in lines[0] and "rabbitmq-server" in lines[0]
