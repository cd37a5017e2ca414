"""A flash crowd: 5,000 distinct young people register for one activity with 500 places, their
first attempts offered within 10 seconds through the gateway (`python -m bench flash`).

The people are seeded straight into the gateway's database, signed in (an account, a profile
and a live session each; tests/support/people.py), as `bench.paths` seeds posts: registering
5,000 accounts over HTTP would cost an argon2 hash each before the clock starts, and is not
what is measured. What is timed is only the registrations, through the gateway, from a
separate process (`bench.crowd`), each person on a connection of their own; a 429 is waited
out for its `Retry-After` and tried again, as a client following the protocol does.

After the run it checks, and prints FAILED (exit status 1) when one fails:

* exactly CAPACITY places confirmed, never more (the registrations and the activity's count);
* the waitlist in arrival order: the confirmed hold the first arrival numbers, the waitlist
  positions people were told follow the arrival numbers, and an answer given before another
  attempt was sent carries the earlier number (the order the gateway accepted them);
* every attempt answered 201, 409, or 429 with `Retry-After`: no 5xx, no timeouts; and every
  registration in the database was answered 201 to its person.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import sqlalchemy as sa

from gateway.settings import GatewaySettings
from services.common.config import database_url_for
from services.common.db import create_engine_for
from tests.support.api import Api
from tests.support.people import signed_in
from tests.support.platform import running_platform

from .harness import ROOT, Measurement, median, percentile
from .paths import published_activity

PEOPLE = 5_000
CAPACITY = 500
OFFERED_SECONDS = 10
#: one attempt's answer is awaited this long before it counts as a timeout
ATTEMPT_TIMEOUT = 30
#: a person throttled still at this many seconds from the start stops trying
GIVE_UP_AFTER = 240


def _crowd(platform, activity_id: str, tokens: list[str]) -> dict:
    gateway = urlsplit(platform.url)
    plan = {
        "host": gateway.hostname,
        "port": gateway.port,
        "path": f"/api/v1/activities/{activity_id}/registrations",
        "tokens": tokens,
        "seconds": OFFERED_SECONDS,
        "timeout": ATTEMPT_TIMEOUT,
        "give_up_after": GIVE_UP_AFTER,
    }
    with tempfile.TemporaryDirectory() as folder:
        plan_file, result_file = Path(folder) / "plan.json", Path(folder) / "result.json"
        plan_file.write_text(json.dumps(plan))
        subprocess.run(
            [sys.executable, "-m", "bench.crowd", str(plan_file), str(result_file)],
            cwd=ROOT,
            check=True,
        )
        return json.loads(result_file.read_text())


def _registrations(platform, activity_id: str) -> tuple[list[dict], dict]:
    engine = create_engine_for(database_url_for("events", platform.env))
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT id, state, sequence FROM registration "
                    "WHERE activity_id = :id ORDER BY sequence"
                ),
                {"id": activity_id},
            ).mappings()
            rows = [dict(row) for row in rows]
            counts = conn.execute(
                sa.text(
                    "SELECT capacity, confirmed_count, waitlisted_count, last_sequence "
                    "FROM activity WHERE id = :id"
                ),
                {"id": activity_id},
            ).mappings()
            return rows, dict(counts.one())
    finally:
        engine.dispose()


def check(attempts: list[dict], rows: list[dict], activity: dict) -> list[str]:
    """What went wrong, if anything (see the module's docstring)."""
    failures = []
    wrong = Counter(
        str(a["status"])
        for a in attempts
        if a["status"] not in (201, 409)
        and not (a["status"] == 429 and str(a["retry_after"] or "").isdigit())
    )
    if wrong:
        failures.append(f"attempts not answered 201, 409 or 429 with Retry-After: {dict(wrong)}")
    confirmed = [r for r in rows if r["state"] == "confirmed"]
    waitlisted = [r for r in rows if r["state"] == "waitlisted"]
    if len(confirmed) != CAPACITY or activity["confirmed_count"] != CAPACITY:
        failures.append(
            f"{len(confirmed)} registrations confirmed (the activity counts "
            f"{activity['confirmed_count']}), not exactly {CAPACITY}"
        )
    if activity["waitlisted_count"] != len(waitlisted):
        failures.append(
            f"the activity counts {activity['waitlisted_count']} waitlisted, "
            f"the registrations {len(waitlisted)}"
        )
    sequences = [r["sequence"] for r in rows]
    if len(set(sequences)) != len(sequences):
        failures.append("two registrations share an arrival number")
    if (
        confirmed
        and waitlisted
        and max(r["sequence"] for r in confirmed) > min(r["sequence"] for r in waitlisted)
    ):
        failures.append("someone waitlisted arrived before someone confirmed")
    answered = {a["id"]: a for a in attempts if a["status"] == 201}
    unanswered = [r["id"] for r in rows if r["id"] not in answered]
    if unanswered or len(answered) != len(rows):
        failures.append(
            f"{len(unanswered)} registrations without their 201, "
            f"{len(answered) - len(rows) + len(unanswered)} 201s without their registration"
        )
    misplaced = sum(
        answered[r["id"]]["waitlist_position"] != place
        for place, r in enumerate(waitlisted, start=1)
        if r["id"] in answered
    )
    if misplaced:
        failures.append(f"{misplaced} waitlist positions told do not follow the arrival numbers")
    failures += _real_time_order(answered, {r["id"]: r["sequence"] for r in rows})
    return failures


def _real_time_order(answered: dict, sequence_of: dict) -> list[str]:
    """An answer given before another attempt was sent carries the earlier arrival number."""
    done = sorted((a["answered"], sequence_of[i]) for i, a in answered.items() if i in sequence_of)
    sent = sorted((a["sent"], sequence_of[i]) for i, a in answered.items() if i in sequence_of)
    latest, index, late = 0, 0, 0
    for sent_at, sequence in sent:
        while index < len(done) and done[index][0] < sent_at:
            latest = max(latest, done[index][1])
            index += 1
        late += latest > sequence
    return [f"{late} registrations numbered before one answered earlier"] if late else []


def measure(amqp_uri: str) -> tuple[Measurement, dict, list[str]]:
    with (
        tempfile.TemporaryDirectory() as folder,
        running_platform(
            amqp_uri,
            Path(folder),
            label="flash",
            extra_env={
                "LOG_LEVEL": "WARNING",
                "DB_POOL_SIZE": "6",
                # the production bound on a request's wait for a worker, not the tests' patience
                "GATEWAY_QUEUE_SECONDS": str(GatewaySettings.gateway_queue_seconds),
            },
        ) as platform,
    ):
        api = Api(platform.url)
        officer = api.staff("officer", unit="youth_league")
        activity_id = published_activity(officer, CAPACITY, "新年音乐会")
        started = time.perf_counter()
        tokens = signed_in(platform, PEOPLE, date(2004, 6, 1))
        print(f"flash: {len(tokens)} people seeded in {time.perf_counter() - started:.0f}s")
        result = _crowd(platform, activity_id, tokens)
        rows, activity = _registrations(platform, activity_id)
    attempts = result["attempts"]
    return (
        _measurement(attempts, rows),
        _figures(attempts, rows, result),
        check(attempts, rows, activity),
    )


def _measurement(attempts: list[dict], rows: list[dict]) -> Measurement:
    decided = [a for a in attempts if a["status"] in (201, 409)]
    latencies = [(a["answered"] - a["sent"]) * 1000 for a in decided]
    span = max((a["answered"] for a in decided), default=0) - min(
        (a["sent"] for a in attempts), default=0
    )
    return Measurement(
        "flash-crowd-registrations",
        "req/s",
        len([a for a in decided if a["status"] == 201]) / span if span > 0 else 0.0,
        median(latencies),
        percentile(latencies, 99),
        len(decided),
        {"span_s": round(span, 1)},
    )


def _figures(attempts: list[dict], rows: list[dict], result: dict) -> dict:
    statuses = Counter(a["status"] for a in attempts)
    throttled = {a["person"] for a in attempts if a["status"] == 429}
    decided = {a["person"] for a in attempts if a["status"] in (201, 409)}
    first = [a for a in attempts if a["status"] != 429]
    answers = [(a["answered"] - a["sent"]) * 1000 for a in attempts if a["status"] == 429]
    return {
        "people / places": f"{PEOPLE} / {CAPACITY}",
        "confirmed": sum(r["state"] == "confirmed" for r in rows),
        "waitlisted": sum(r["state"] == "waitlisted" for r in rows),
        "refused (409)": statuses[409],
        "throttled (429 answers / people)": f"{statuses[429]} / {len(throttled)}",
        "429 answer p50 / p99 ms": f"{median(answers):.1f} / {percentile(answers, 99):.1f}",
        "people who gave up throttled": len(throttled - decided),
        "other answers (5xx, timeouts)": sum(
            n for s, n in statuses.items() if s not in (201, 409, 429)
        ),
        "attempts": len(attempts),
        "last person answered after (s)": round(max((a["answered"] for a in first), default=0), 1),
    }
