"""`youthcity migrate|downgrade|deadletters` as an operator runs them, against the real database
and broker: progress a line a revision, a bounded wait for the migration lock, unknown names
refused, pages past 1,000 letters, and no replay of everything without `--all`."""

import os
import subprocess
import sys
import time
import uuid

import pytest
from kombu import Connection, Queue

from services.common.amqp import dead_letter_queue
from services.common.clock import utcnow
from services.common.migrations import (
    MigrationLockTimeout,
    current_revisions,
    head_revisions,
    migration_lock,
)
from tests.support.messaging import delete_consumer_queues


def youthcity(*args, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "youthcity", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.both_backends
def test_migrate_to_a_revision_shows_each_step_and_downgrade_goes_back(databases):
    url = databases.create("jobs")
    env = {"JOBS_DATABASE_URL": url}
    up = youthcity("migrate", "jobs", "--revision", "452fec1dc3d7", env=env)
    assert up.returncode == 0, up.stderr
    assert "jobs: upgraded messaging_0001 -> audit_0001" in up.stderr
    assert "jobs: upgraded audit_0001 -> 452fec1dc3d7" in up.stderr
    assert current_revisions(url) == {"452fec1dc3d7"}

    [head] = head_revisions("services.jobs")
    current = youthcity("migrate", "current", "jobs", env=env)
    assert current.stdout.startswith(f"jobs: schema at 452fec1dc3d7, code expects {head}")

    assert youthcity("migrate", "jobs", env=env).returncode == 0
    down = youthcity("downgrade", "jobs", "--revision", "452fec1dc3d7", env=env)
    assert down.returncode == 0, down.stderr
    assert f"jobs: downgraded {head} -> " in down.stderr
    assert "jobs: downgraded a88cfced6a8f -> 452fec1dc3d7" in down.stderr
    # the shared command log is a branch of its own that jobs' history merges: going back on
    # jobs' branch leaves it (it only adds a table older code does not read)
    assert current_revisions(url) == {"452fec1dc3d7", "commands_0001"}


@pytest.mark.both_backends
def test_a_migration_waits_for_the_lock_no_longer_than_told(databases):
    url = databases.create("jobs")
    with migration_lock("services.jobs", url, timeout=5):
        started = time.monotonic()
        waited = youthcity(
            "migrate", "jobs", "--lock-timeout", "1.5", env={"JOBS_DATABASE_URL": url}
        )
        elapsed = time.monotonic() - started
    assert waited.returncode == 1
    assert "held the lock for 1.5s; gave up" in waited.stderr
    assert elapsed < 30
    assert current_revisions(url) == set()
    with (
        pytest.raises(MigrationLockTimeout),
        migration_lock("services.jobs", url, timeout=5),
        migration_lock("services.jobs", url, timeout=0.3),
    ):
        pass


def test_migrate_refuses_an_unknown_process_and_a_revision_for_several():
    assert youthcity("migrate", "jbos", env={}).returncode == 2
    several = youthcity("migrate", "all", "--revision", "x", env={})
    assert several.returncode == 2 and "one process" in several.stderr


def fill_dead_letters(amqp_uri: str, service: str, count: int) -> None:
    queue = Queue(dead_letter_queue(service), durable=True)
    with Connection(amqp_uri) as conn:
        producer = conn.Producer()
        for _ in range(count):
            producer.publish(
                b"{}",
                routing_key=queue.name,
                declare=[queue],
                message_id=str(uuid.uuid4()),
                headers={"x-death-reason": "handler_failed", "x-dead-at": utcnow().isoformat()},
            )


def test_deadletters_refuses_a_service_that_does_not_exist(amqp_uri):
    answer = youthcity("deadletters", "list", "notfy", env={"AMQP_URI": amqp_uri})
    assert answer.returncode == 2
    assert "unknown service 'notfy'" in answer.stderr
    assert answer.stdout == ""


def test_deadletters_pages_past_a_thousand_and_replays_all_only_when_told(amqp_uri):
    delete_consumer_queues(amqp_uri, "notify")
    fill_dead_letters(amqp_uri, "notify", 1005)
    env = {"AMQP_URI": amqp_uri}

    first = youthcity("deadletters", "list", "notify", env=env)
    assert first.returncode == 0
    assert len(first.stdout.splitlines()) == 1000
    assert "(1-1000 of 1005)" in first.stderr and "next page: --offset 1000" in first.stderr
    second = youthcity("deadletters", "list", "notify", "--offset", "1000", env=env)
    assert len(second.stdout.splitlines()) == 5
    assert "next page" not in second.stderr

    refused = youthcity("deadletters", "replay", "notify", env=env)
    assert refused.returncode == 2
    assert "1005 dead letter(s) waiting" in refused.stderr and "--all" in refused.stderr

    replayed = youthcity("deadletters", "replay", "notify", "--all", env=env)
    assert replayed.returncode == 0
    assert replayed.stderr.splitlines()[0] == "replaying 1005 dead letter(s) of notify"
    assert len(replayed.stdout.splitlines()) == 1005
    delete_consumer_queues(amqp_uri, "notify")
