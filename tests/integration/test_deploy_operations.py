"""What an operator watches and follows: monitors and rules a kube-prometheus-stack selects,
alerts on metrics that exist, a runbook and a dashboard panel for each, and an operations guide
that creates every secret the manifests need and no operator makes."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from prometheus_client import REGISTRY

import services.common.metrics  # noqa: F401 - registers the platform's metrics
import services.notify.metrics  # noqa: F401
from tests.support.manifests import K8S, ROOT, every_component, of_kind, overlay, schema_errors

GUIDE = ROOT / "deploy" / "README.md"
DASHBOARD = K8S / "components" / "monitoring" / "dashboards" / "youthcity.json"
#: exporters outside this code whose metrics the alerts and the dashboard read
EXPORTERS = ("rabbitmq_", "cnpg_", "kubelet_", "barman_cloud_")
MONITORING_KINDS = ("ServiceMonitor", "PodMonitor", "PrometheusRule")


@pytest.fixture(scope="module")
def prod() -> tuple[dict, ...]:
    return overlay("prod")


@pytest.fixture(scope="module")
def alerts(prod) -> dict[str, dict]:
    (rules,) = of_kind(prod, "PrometheusRule").values()
    return {rule["alert"]: rule for group in rules["spec"]["groups"] for rule in group["rules"]}


def _defined_metrics() -> set[str]:
    names = set()
    for metric in REGISTRY.collect():
        for sample in metric.samples:
            names.add(sample.name)
        suffixes = {"counter": ("_total",), "histogram": ("_bucket", "_sum", "_count")}
        names |= {metric.name + suffix for suffix in ("", *suffixes.get(metric.type, ()))}
    return {name for name in names if name.startswith("youthcity_")}


def _metrics_in(expression: str) -> set[str]:
    prefixes = "|".join(("youthcity_", *EXPORTERS))
    return set(re.findall(rf"\b(?:{prefixes})[a-z0-9_]+", expression))


def test_monitors_and_rules_carry_the_label_kube_prometheus_stack_selects(prod):
    monitoring = [obj for obj in prod if obj["kind"] in MONITORING_KINDS]
    assert {obj["kind"] for obj in monitoring} == set(MONITORING_KINDS)
    assert {obj["metadata"]["labels"].get("release") for obj in monitoring} == {
        "kube-prometheus-stack"
    }


def test_every_process_database_and_pooler_is_scraped(prod):
    service_monitors, pod_monitors = of_kind(prod, "ServiceMonitor"), of_kind(prod, "PodMonitor")
    for name in (obj["metadata"]["name"] for obj in of_kind(prod, "Deployment").values()):
        assert service_monitors[name]["spec"]["endpoints"][0]["port"] == "metrics"
        assert {f"{name}-db", f"{name}-db-pooler"} <= set(pod_monitors)
    assert "youthcity-rabbitmq" in service_monitors


def test_the_alerts_cover_what_operators_must_act_on(alerts):
    for concern in (
        "InboxLag",
        "DeadLettersWaiting",
        "OutboxBacklog",
        "RpcTimeouts",
        "Http5xx",
        "ChannelFailing",
        "WebhookEndpointDisabled",
        "AboutToBreachTwoHours",
        "BreachedTwoHours",
        "DatabaseDisk",
        "DatabaseBackupStale",
        "BrokerAlarm",
    ):
        assert any(concern in name for name in alerts), concern
    # waiting letters are a state: the alert holds while any wait, however old
    waiting = alerts["YouthCityDeadLettersWaiting"]["expr"]
    assert "increase(" not in waiting and "rate(" not in waiting and "inbox\\\\.dead" in waiting


def test_alerts_and_dashboard_read_only_metrics_that_exist(alerts):
    defined = _defined_metrics()
    assert "youthcity_notify_channel_sends_total" in defined
    dashboard = json.loads(DASHBOARD.read_text())
    expressions = [rule["expr"] for rule in alerts.values()] + [
        target["expr"] for panel in dashboard["panels"] for target in panel["targets"]
    ]
    used = set().union(*map(_metrics_in, expressions))
    assert {name for name in used if name.startswith("youthcity_")} - defined == set()
    assert used - defined <= {name for name in used if name.startswith(EXPORTERS)}


def test_every_alert_has_a_runbook_in_the_guide_and_a_dashboard_panel(alerts):
    guide = GUIDE.read_text()
    titles = " ".join(panel["title"] for panel in json.loads(DASHBOARD.read_text())["panels"])
    for name, rule in alerts.items():
        assert f"\n#### {name}\n" in guide, name
        assert rule["annotations"]["runbook"] == f"deploy/README.md#{name.lower()}"
    charted = {name for name in alerts if name in titles}
    assert charted >= {
        "YouthCityInboxLag",
        "YouthCityDeadLettersWaiting",
        "YouthCityChannelFailing",
        "YouthCityWebhookEndpointDisabled",
        "YouthCityRegistrationAboutToBreachTwoHours",
        "YouthCityDatabaseDiskFilling",
        "YouthCityDatabaseBackupStale",
    }


def _secret_names(node) -> set[str]:
    """Every secret a rendered object refers to: env and envFrom references, secret volumes,
    certificates' and TLS fields' `secretName`, KEDA's secretTargetRef, S3 credentials."""
    names = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("secretKeyRef", "secretRef") or (
                key == "secret" and "secretName" not in value
            ):
                names.add(value["name"])
            elif key == "secretName" and isinstance(value, str):
                names.add(value)
            elif key in ("secretTargetRef",):
                names |= {ref["name"] for ref in value}
            elif key in ("accessKeyId", "secretAccessKey"):
                names.add(value["name"])
            else:
                names |= _secret_names(value)
    elif isinstance(node, list | tuple):
        for item in node:
            names |= _secret_names(item)
    return names


def test_the_guide_creates_every_secret_no_operator_makes():
    objects = every_component()
    made = {c["spec"]["secretName"] for c in of_kind(objects, "Certificate").values()}
    made |= {f"{name}-user-credentials" for name in of_kind(objects, "User")}
    made |= {f"{name}-app" for name in of_kind(objects, "Cluster")}
    made |= {i["spec"]["tls"][0]["secretName"] for i in of_kind(objects, "Ingress").values()}
    to_create = _secret_names(objects) - made
    assert to_create >= {"youthcity-gateway", "youthcity-call-context", "youthcity-backup-s3"}
    guide = GUIDE.read_text()
    for name in to_create:
        assert re.search(rf"create secret generic {re.escape(name)}\b", guide), name


def test_the_restore_drill_validates_and_restores_from_the_backups_object_store():
    drill = [
        d for d in yaml.safe_load_all((K8S / "examples" / "restore-drill.yaml").read_text()) if d
    ]
    assert [error for obj in drill for error in schema_errors(obj)] == []
    (cluster,) = of_kind(drill, "Cluster").values()
    (origin,) = cluster["spec"]["externalClusters"]
    assert cluster["spec"]["bootstrap"]["recovery"]["source"] == origin["name"]
    (store,) = of_kind(overlay("prod"), "ObjectStore").values()
    assert origin["plugin"]["parameters"] == {
        "barmanObjectName": store["metadata"]["name"],
        "serverName": "jobs-db",
    }


def test_the_guide_walks_from_operators_to_a_restore_in_the_order_the_manifests_need():
    guide = GUIDE.read_text()
    steps = [
        "kubectl apply -f deploy/k8s/overlays/prod/namespace.yaml",
        "create secret generic youthcity-call-context",
        "create secret generic youthcity-backup-s3",
        "kubectl apply --server-side -k deploy/k8s/overlays/prod",
        "kubectl cnpg backup",
        "kubectl -n youthcity apply -f deploy/k8s/examples/restore-drill.yaml",
    ]
    positions = [guide.find(step) for step in steps]
    assert -1 not in positions, [s for s, p in zip(steps, positions, strict=True) if p == -1]
    assert positions == sorted(positions)
