"""The lock files pin every direct dependency at the version pyproject.toml asks for."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def pins(lock: str) -> dict[str, str]:
    found = {}
    for line in (ROOT / lock).read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)", line)
        if match:
            found[match.group(1).lower().replace("_", "-")] = match.group(2)
    return found


def direct(requirements: list[str]) -> dict[str, str]:
    # an extra (`moto[server]`) is locked as its package and the extra's dependencies
    return {
        name.split("[")[0].lower().replace("_", "-"): version
        for name, version in (r.split("==") for r in requirements)
    }


def test_every_runtime_dependency_is_pinned_and_locked():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = direct(project["dependencies"])
    assert all("==" in r for r in project["dependencies"])
    locked = pins("requirements.lock")
    assert {name: locked.get(name) for name in runtime} == runtime


def test_the_dev_lock_adds_the_test_tools():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = direct(project["dependencies"]) | direct(project["optional-dependencies"]["test"])
    locked = pins("requirements-dev.lock")
    assert {name: locked.get(name) for name in wanted} == wanted
