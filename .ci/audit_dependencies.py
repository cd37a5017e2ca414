"""Audit the locked dependencies for known vulnerabilities, as far as the registry answers.

pip-audit asks the package index's JSON API for each pinned release's known vulnerabilities
(PyPI's `vulnerabilities`, fed by the Python Packaging Advisory Database and OSV). What it checks:
every package of `requirements.lock` (what the image ships) and of `requirements-dev.lock` (what
builds and tests it), at the exact versions and hashes locked. A known vulnerability in the
shipped set fails the run; one in the development set is reported. Where the index this machine
reaches does not answer such queries (a mirror without the per-release JSON API), each package
is reported as not audited, with the index's reason, and the run goes on: an audit that could
not ask is said, never passed off as clean.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCKS = {"requirements.lock": True, "requirements-dev.lock": False}  # lock → fails the run


def audit(lock: str) -> dict | None:
    """pip-audit's JSON report for `lock`, or None when the vulnerability service did not answer."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        result = subprocess.run(
            [
                str(Path(sys.executable).parent / "pip-audit"),
                "--requirement",
                str(ROOT / lock),
                "--require-hashes",
                "--disable-pip",
                "--vulnerability-service",
                "pypi",
                "--progress-spinner",
                "off",
                "--format",
                "json",
                "--output",
                str(report),
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if not report.exists():
            reason = (result.stderr.strip().splitlines() or ["no report"])[-1]
            print(f"audit: {lock}: the vulnerability service did not answer ({reason})")
            return None
        return json.loads(report.read_text())


def summarise(lock: str, report: dict) -> list[str]:
    """Print what was and was not audited in `lock`; its vulnerable packages."""
    dependencies = report["dependencies"]
    skipped = [d for d in dependencies if "skip_reason" in d]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    print(
        f"audit: {lock}: {len(dependencies) - len(skipped)} of {len(dependencies)} packages "
        f"audited, {len(vulnerable)} with known vulnerabilities"
    )
    if skipped:
        print(f"audit: {lock}: not audited, the index did not answer for {len(skipped)}")
        print(f"  e.g. {skipped[0]['skip_reason']}")
    found = []
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed release"
            line = f"{dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixed})"
            print(f"audit: {lock}: {line}")
            found.append(line)
    return found


def main() -> int:
    failing = []
    for lock, fails in LOCKS.items():
        report = audit(lock)
        if report is not None and summarise(lock, report) and fails:
            failing.append(lock)
    if failing:
        print(f"audit: known vulnerabilities in {', '.join(failing)}: upgrade, then `make lock`")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
