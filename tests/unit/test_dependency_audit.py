"""The CI step that audits the locked dependencies (.ci/audit_dependencies.py): a known
vulnerability in what the image ships fails the run, one in the development set is reported,
and packages the index could not be asked about are said to be unaudited, not clean."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "audit_dependencies.py"
spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
audit_dependencies = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit_dependencies)

VULNERABLE = {
    "dependencies": [
        {
            "name": "jinja2",
            "version": "3.1.2",
            "vulns": [{"id": "GHSA-h5c8-rqwp-cp95", "fix_versions": ["3.1.3"]}],
        },
        {"name": "alembic", "version": "1.20.1", "vulns": []},
        {"name": "amqp", "skip_reason": "Dependency not found on PyPI and could not be audited"},
    ]
}


def test_a_vulnerable_shipped_package_fails_the_run_and_a_dev_one_is_reported(monkeypatch, capsys):
    reports = {"requirements.lock": VULNERABLE, "requirements-dev.lock": {"dependencies": []}}
    monkeypatch.setattr(audit_dependencies, "audit", reports.get)
    assert audit_dependencies.main() == 1
    out = capsys.readouterr().out
    assert "jinja2 3.1.2: GHSA-h5c8-rqwp-cp95 (fixed in 3.1.3)" in out
    assert "2 of 3 packages audited, 1 with known vulnerabilities" in out
    assert "not audited, the index did not answer for 1" in out

    reports = {"requirements.lock": {"dependencies": []}, "requirements-dev.lock": VULNERABLE}
    monkeypatch.setattr(audit_dependencies, "audit", reports.get)
    assert audit_dependencies.main() == 0
    assert "GHSA-h5c8-rqwp-cp95" in capsys.readouterr().out


@pytest.mark.parametrize("answered", [None, {"dependencies": []}])
def test_an_index_that_does_not_answer_is_said_and_does_not_fail(monkeypatch, answered):
    monkeypatch.setattr(audit_dependencies, "audit", lambda lock: answered)
    assert audit_dependencies.main() == 0
