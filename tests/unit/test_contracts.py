"""Each service's contract (`services/<svc>/contract.py`: the schemas the gateway validates with)
imports no domain code, and the gateway reaches a service only through its contract and messages:
changing a rule never changes what crosses the boundary by accident."""

from __future__ import annotations

import ast
from pathlib import Path

from services.common.registry import DOMAIN_SERVICES

ROOT = Path(__file__).resolve().parents[2]
#: what a contract may import of its own service: the vocabulary (names of states and kinds)
CONTRACT_MAY_IMPORT = {"vocabulary"}
#: what the gateway may import of a service
GATEWAY_MAY_IMPORT = {"contract", "messages", "asyncapi"}


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, relative imports written as `.name`."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            found.add("." * node.level + (node.module or ""))
    return found


def contract_files(service: str) -> list[Path]:
    """A service's contract: `contract.py`, or a `contract/` package of feature modules."""
    module = ROOT / "services" / service / "contract.py"
    return [module] if module.exists() else sorted((module.with_suffix("")).glob("*.py"))


def test_a_contract_imports_nothing_of_its_service_but_its_vocabulary():
    wrong = {}
    for service in DOMAIN_SERVICES:
        files = contract_files(service)
        # a package's modules import each other (`.fields`), which stays inside the contract
        own_modules = {path.stem for path in files} - {"__init__"}
        own = [
            module
            for path in files
            for module in imported_modules(path)
            if module.startswith(".") or module.startswith(f"services.{service}")
        ]
        names = {module.lstrip(".").removeprefix(f"services.{service}.") for module in own}
        names -= own_modules | {f"contract.{name}" for name in own_modules}
        if names - CONTRACT_MAY_IMPORT:
            wrong[service] = sorted(names - CONTRACT_MAY_IMPORT)
    assert wrong == {}


def test_the_vocabularies_import_nothing_of_their_service():
    for service in DOMAIN_SERVICES:
        modules = imported_modules(ROOT / "services" / service / "vocabulary.py")
        assert not [m for m in modules if m.startswith((".", f"services.{service}"))], service


def test_the_gateway_reaches_a_service_only_through_its_contract_and_messages():
    wrong = set()
    for path in (ROOT / "gateway").rglob("*.py"):
        for module in imported_modules(path):
            parts = module.split(".")
            of_a_service = len(parts) >= 3 and parts[:1] == ["services"]
            if of_a_service and parts[1] in DOMAIN_SERVICES and parts[2] not in GATEWAY_MAY_IMPORT:
                wrong.add(f"{path.relative_to(ROOT)}: {module}")
    assert wrong == set()
