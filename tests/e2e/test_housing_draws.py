"""A housing draw anyone can check, over HTTP on the whole platform: the entrant list's hash and
the commitment are public, without sign-in, once applications close, while the seed is not; an
officer's seed is refused; after the draw, the script the platform publishes, downloaded and run
in a subprocess with Python's standard library alone, fetches the round's public JSON and prints
the same order. The page carries application ids, never a name, an ID number or an account id.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from datetime import timedelta

from services.common.clock import clock
from tests.support.housing import (
    PUBLIC_VALUE,
    approved_over_http,
    open_and_close_over_http,
)

PROBLEM = "application/problem+json"


def test_a_draw_is_re_run_by_the_published_script_from_public_inputs_alone(
    api, platform, platform_clock, tmp_path
):
    officer = api.staff("officer", unit="housing")
    applicants = [
        approved_over_http(api, officer, "public_rental", group)
        for group in ("general", "priority", "general", "general")
    ]
    due = clock.utcnow() + timedelta(hours=2)
    closed = open_and_close_over_http(officer, "public_rental", due)
    round_path = f"/api/v1/housing/lotteries/{closed['id']}"

    before = api.anonymous.get(round_path)
    assert before.status_code == 200, before.text
    published = before.json()
    assert published["state"] == "closed" and published["seed"] is None
    assert published["order"] is None and len(published["commitment"]) == 64
    mine = {application["id"] for _, application in applicants}
    assert mine <= {e["application_id"] for e in published["entrants"]}

    refused = officer.in_english().post(
        f"{round_path}/draw", json={"public_value": PUBLIC_VALUE, "seed": "notarised-2026-07"}
    )
    assert refused.status_code == 422 and refused.headers["Content-Type"] == PROBLEM
    assert refused.json()["errors"][0]["field"] == "seed"
    assert refused.json()["errors"][0]["code"] == "seed_not_accepted"
    too_early = officer.post(f"{round_path}/draw", json={"public_value": PUBLIC_VALUE})
    assert too_early.status_code == 409 and too_early.json()["code"] == "public_value_not_yet"

    platform_clock((due + timedelta(minutes=5)).isoformat())
    drawn = officer.post(f"{round_path}/draw", json={"public_value": PUBLIC_VALUE})
    assert drawn.status_code == 200, drawn.text
    order = drawn.json()["order"]
    assert hashlib.sha256(drawn.json()["seed"].encode()).hexdigest() == published["commitment"]

    script = api.anonymous.get("/api/v1/housing/verify_draw.py")
    assert script.status_code == 200 and script.headers["Content-Type"].startswith("text/x-python")
    saved = tmp_path / "verify_draw.py"
    saved.write_bytes(script.content)
    # -I -S: no site-packages, no project on the path: what an outsider has
    rerun = subprocess.run(
        [sys.executable, "-I", "-S", str(saved), platform.api(round_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    lines = rerun.stdout.splitlines()
    assert {"commitment     ok", "entrants_hash  ok", "order          ok"} <= set(lines)
    printed = [line.split()[1] for line in lines if line[:5].strip().isdigit()]
    assert printed == order

    page = api.anonymous.get(round_path).text
    for applicant, _ in applicants:
        profile = applicant.get("/api/v1/accounts/me").json()["profile"]
        personal = [applicant.id, profile.get("name"), profile.get("citizen_id")]
        assert [value for value in personal if value and value in page] == []
    listed = api.anonymous.get("/api/v1/housing/lotteries", params={"kind": "public_rental"})
    assert closed["id"] in {item["id"] for item in listed.json()["items"]}
