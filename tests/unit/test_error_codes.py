"""Every refusal's code follows one naming rule, and has its message in both languages.

A problem's `code` is what a front end branches on: snake_case words, never a service's name
(`station_full`, not `housing.station_full` or `housing_station_full`; the problem's service
is in its `type`), the same code for the same refusal in every service (`not_responsible_unit`).
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

from services.common.registry import PROCESSES

ROOT = Path(__file__).resolve().parents[2]
CODE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")
SERVICE_PREFIX = re.compile(rf"({'|'.join(PROCESSES)})[._]")
ERROR_TYPES = {
    "DomainError",
    "Forbidden",
    "Conflict",
    "InvalidInput",
    "IllegalTransition",
    "Unauthenticated",
    "RateLimited",
    "ServiceUnavailable",
    "ValidationError",
}


def _code_of(call: ast.Call) -> str | None:
    """The code a refusal is raised with: `Forbidden("code")`, `NotFound(..., code="code")`,
    `InvalidInput.for_field(field, "code")`, `ValidationError("code")`."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    for keyword in call.keywords:
        if keyword.arg == "code" and isinstance(keyword.value, ast.Constant):
            return keyword.value.value
    arguments = call.args[1:2] if name == "for_field" else call.args[:1]
    if name in ERROR_TYPES | {"for_field"} and arguments:
        first = arguments[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
    return None


def raised_codes() -> dict[str, set[str]]:
    """Each code raised in services/ and gateway/, with the files raising it."""
    codes: dict[str, set[str]] = {}
    for folder in ("services", "gateway"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                code = _code_of(node) if isinstance(node, ast.Call) else None
                if code:
                    codes.setdefault(code, set()).add(str(path.relative_to(ROOT)))
    return codes


def test_the_checker_finds_codes_in_each_way_they_are_raised():
    source = (
        'Forbidden("a_b")\n'
        'NotFound("loan", code="loan_not_found")\n'
        'InvalidInput.for_field("x", "c_d", MESSAGES)\n'
        'ValidationError("money_places")\n'
        'print("not a code")\n'
    )
    calls = [node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call)]
    assert {_code_of(call) for call in calls} - {None} == {
        "a_b",
        "loan_not_found",
        "c_d",
        "money_places",
    }


def test_every_code_is_snake_case_without_a_service_name():
    codes = raised_codes()
    assert len(codes) > 100
    wrong = {
        code: sorted(files)
        for code, files in codes.items()
        if not CODE.fullmatch(code) or SERVICE_PREFIX.match(code)
    }
    assert wrong == {}


def test_every_code_has_its_message_in_both_languages():
    catalogues = [
        importlib.import_module(f"{spec.package}.messages").MESSAGES for spec in PROCESSES.values()
    ]
    known = set().union(*(catalogue.entries for catalogue in catalogues))
    assert sorted(set(raised_codes()) - known) == []
