"""The Kubernetes manifests as an operator would see them: rendered by kustomize, every object
checked against its schema (Kubernetes' own for built-in kinds, the operators' CRD schemas in
tests/schemas/crds for custom resources)."""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from tests.support.infra import missing

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
CRD_SCHEMAS = ROOT / "tests" / "schemas" / "crds"
OVERLAYS = ("dev", "prod")
#: components that must come after others (a patch needs its target to exist already)
LAST = ("amqp-subscriber",)


def _kustomize(directory: Path) -> list[dict]:
    if shutil.which("kubectl") is None:
        missing("kubectl is not installed")
    rendered = subprocess.run(
        ["kubectl", "kustomize", str(directory)], capture_output=True, text=True, check=True
    ).stdout
    return [doc for doc in yaml.safe_load_all(rendered) if doc]


@functools.cache
def overlay(name: str) -> tuple[dict, ...]:
    return tuple(_kustomize(K8S / "overlays" / name))


def components() -> list[str]:
    names = sorted(path.name for path in (K8S / "components").iterdir() if path.is_dir())
    return [name for name in names if name not in LAST] + [n for n in LAST if n in names]


@functools.cache
def every_component() -> tuple[dict, ...]:
    """The base with every component, shipped in an overlay or not (the outside subscriber)."""
    with tempfile.TemporaryDirectory() as folder:
        here = Path(folder)
        relative = Path(os.path.relpath(K8S, here))
        (here / "namespace.yaml").write_text(
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: youthcity\n  labels:\n"
            "    pod-security.kubernetes.io/enforce: restricted\n"
        )
        (here / "kustomization.yaml").write_text(
            yaml.safe_dump(
                {
                    "apiVersion": "kustomize.config.k8s.io/v1beta1",
                    "kind": "Kustomization",
                    "namespace": "youthcity",
                    "resources": [str(relative / "base"), "namespace.yaml"],
                    "components": [str(relative / "components" / name) for name in components()],
                }
            )
        )
        return tuple(_kustomize(here))


def of_kind(objects, kind: str) -> dict[str, dict]:
    return {obj["metadata"]["name"]: obj for obj in objects if obj["kind"] == kind}


def is_built_in(obj: dict) -> bool:
    group = obj["apiVersion"].rpartition("/")[0]
    return group == "" or "." not in group or group.endswith(".k8s.io")


def crd_schema_path(obj: dict) -> Path:
    group, _, version = obj["apiVersion"].rpartition("/")
    return CRD_SCHEMAS / f"{group}_{obj['kind'].lower()}_{version}.json"


@functools.cache
def _crd_validator(path: Path):
    import jsonschema

    return jsonschema.Draft7Validator(json.loads(path.read_text()))


def schema_errors(obj: dict) -> list[str]:
    """What is wrong with `obj` against its schema; a custom resource without a schema here is
    an error too (nothing passes by not being checked)."""
    where = f"{obj['kind']}/{obj['metadata']['name']}"
    if is_built_in(obj):
        import kubernetes_validate

        try:
            kubernetes_validate.validate(
                obj, kubernetes_validate.utils.latest_version(), strict=True
            )
        except kubernetes_validate.ValidationError as exc:
            return [f"{where}: {exc}"]
        return []
    path = crd_schema_path(obj)
    if not path.exists():
        return [f"{where}: no schema {path.name} in tests/schemas/crds"]
    return [
        f"{where} at {'.'.join(map(str, error.absolute_path))}: {error.message}"
        for error in _crd_validator(path).iter_errors(obj)
    ]


def load_generator():
    """deploy/k8s/generate.py as a module (with its siblings broker, database, sizing)."""
    spec = importlib.util.spec_from_file_location("generate", K8S / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    return generate, sys.modules["broker"], sys.modules["database"], sys.modules["sizing"]


def pod_specs(objects) -> dict[str, dict]:
    """Every pod template the manifests define, the RabbitMQ operator's override included."""
    pods = {
        f"Deployment/{name}": obj["spec"]["template"]["spec"]
        for name, obj in of_kind(objects, "Deployment").items()
    }
    for name, obj in of_kind(objects, "RabbitmqCluster").items():
        pods[f"RabbitmqCluster/{name}"] = obj["spec"]["override"]["statefulSet"]["spec"][
            "template"
        ]["spec"]
    return pods


def restricted_violations(pod: dict) -> list[str]:
    """What the `restricted` Pod Security Standard refuses in `pod` (a pod template spec)."""
    problems = []
    pod_context = pod.get("securityContext", {})
    for flag in ("hostNetwork", "hostPID", "hostIPC"):
        if pod.get(flag):
            problems.append(flag)
    problems += [f"hostPath volume {v['name']}" for v in pod.get("volumes", []) if "hostPath" in v]
    for container in pod.get("containers", []) + pod.get("initContainers", []):
        context = container.get("securityContext", {})
        name = container["name"]
        if context.get("privileged"):
            problems.append(f"{name}: privileged")
        if context.get("allowPrivilegeEscalation") is not False:
            problems.append(f"{name}: allowPrivilegeEscalation not false")
        capabilities = context.get("capabilities", {})
        if "ALL" not in capabilities.get("drop", []):
            problems.append(f"{name}: capabilities not all dropped")
        if set(capabilities.get("add", [])) - {"NET_BIND_SERVICE"}:
            problems.append(f"{name}: capabilities added")
        if not (context.get("runAsNonRoot") or pod_context.get("runAsNonRoot")):
            problems.append(f"{name}: runAsNonRoot not set")
        if 0 in (context.get("runAsUser"), pod_context.get("runAsUser")):
            problems.append(f"{name}: runs as root")
        seccomp = context.get("seccompProfile") or pod_context.get("seccompProfile") or {}
        if seccomp.get("type") not in ("RuntimeDefault", "Localhost"):
            problems.append(f"{name}: no seccomp profile")
    return problems
