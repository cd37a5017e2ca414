"""The gateway's kept keys (gateway/idempotency.py) and a service's command log
(services/common/commands.py) on both backends: a key is held while its command runs, its answer
kept, let go when the answer tells nothing, taken over when its gateway died, forgotten when it
expires; a command whose effect committed is recorded with it and answered from the log."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from werkzeug.wrappers import Response

from gateway.events import EVENTS
from gateway.idempotency import Claim, IdempotencyKeys, KeyInProgress
from gateway.models import Base, IdempotentRequest
from services.common.clock import clock
from services.common.commands import (
    COMMAND_TABLE,
    CommandAnswerPending,
    answered_once,
    command_scope,
)
from services.common.config import Settings
from services.common.context import CallContext
from services.common.db import UnitOfWork, create_engine_for
from services.common.errors import InvalidInput
from services.common.outbox import OutboxWriter

pytestmark = pytest.mark.both_backends


class GatewayDatabase:
    """What the key store and the command log use of a `Database`: units of work and reads."""

    def __init__(self, engine):
        self.engine = engine
        self.metadata = Base.metadata
        self._outbox = OutboxWriter(Base.metadata, Settings(service="gateway"), EVENTS)

    def unit_of_work(self):
        return UnitOfWork(self.engine, CallContext.system(), self._outbox)

    def reading(self):
        from sqlalchemy.orm import Session

        return Session(bind=self.engine, expire_on_commit=False)


@pytest.fixture
def database(databases):
    engine = create_engine_for(databases.create("keys"), pool_size=4)
    Base.metadata.create_all(engine)
    yield GatewayDatabase(engine)
    engine.dispose()


@pytest.fixture
def keys(database):
    return IdempotencyKeys(database, keep_hours=24, hold_seconds=30)


def answered(status: int = 201, body: bytes = b'{"id":"r-1"}') -> Response:
    response = Response(body, status=status, content_type="application/json")
    response.headers["Location"] = "/api/v1/things/r-1"
    return response


def test_a_key_is_held_while_its_command_runs_then_its_answer_is_replayed(keys):
    claim = keys.claim("account-1", "k-1", "fp")
    assert isinstance(claim, Claim)
    with pytest.raises(KeyInProgress) as running:
        keys.claim("account-1", "k-1", "fp")
    assert 1 <= running.value.params["retry_after"] <= 31

    keys.settle(claim, answered())
    replay = keys.claim("account-1", "k-1", "fp")

    assert isinstance(replay, Response)
    assert (replay.status_code, replay.get_data()) == (201, b'{"id":"r-1"}')
    assert replay.headers["Location"] == "/api/v1/things/r-1"
    assert replay.headers["Idempotent-Replayed"] == "true"


def test_the_same_key_for_another_request_is_refused_and_another_caller_has_its_own(keys):
    keys.settle(keys.claim("account-1", "k-1", "fp"), answered())
    with pytest.raises(InvalidInput) as refused:
        keys.claim("account-1", "k-1", "another fp")
    assert refused.value.errors[0]["code"] == "idempotency_key_reused"
    assert isinstance(keys.claim("account-2", "k-1", "another fp"), Claim)


def test_an_answer_that_tells_nothing_lets_the_key_go_for_the_repeat(keys):
    keys.settle(keys.claim("account-1", "k-1", "fp"), answered(503, b"{}"))
    assert isinstance(keys.claim("account-1", "k-1", "fp"), Claim)


def test_a_key_held_by_a_gateway_that_died_is_taken_over_after_its_hold(keys):
    keys.claim("account-1", "k-1", "fp")
    clock.advance(timedelta(seconds=31))
    try:
        assert isinstance(keys.claim("account-1", "k-1", "fp"), Claim)
    finally:
        clock.reset()


def test_expired_keys_are_new_again_and_purged(keys, database):
    keys.settle(keys.claim("account-1", "k-1", "fp"), answered())
    clock.advance(timedelta(hours=25))
    try:
        assert isinstance(keys.claim("account-1", "k-1", "another fp"), Claim)
        keys.settle(keys.claim("account-1", "k-2", "fp"), answered())
        clock.advance(timedelta(hours=25))
        assert keys.purge_expired() == 2
    finally:
        clock.reset()
    with database.reading() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(IdempotentRequest)) == 0


def commands(database) -> list[tuple[str, str | None]]:
    table = database.metadata.tables[COMMAND_TABLE]
    with database.reading() as session:
        return [
            tuple(row) for row in session.execute(sa.select(table.c.command_id, table.c.answer))
        ]


def test_a_command_is_recorded_with_its_effect_and_answered_from_the_log(database):
    runs = []

    def register():
        with database.unit_of_work() as uow:
            runs.append(1)
            uow.commit()
        return {"id": "r-1", "runs": len(runs)}

    with command_scope("c-1"):
        first = answered_once(database, None, register)
    with command_scope("c-1"):
        again = answered_once(database, None, register)
    with command_scope("c-2"):
        other = answered_once(database, None, register)

    assert first == again == {"id": "r-1", "runs": 1}
    assert other == {"id": "r-1", "runs": 2}
    assert sorted(commands(database)) == [
        ("c-1", '{"result":{"id":"r-1","runs":1}}'),
        ("c-2", '{"result":{"id":"r-1","runs":2}}'),
    ]


def test_a_command_that_changed_nothing_leaves_no_record_and_runs_again(database):
    def refuse():
        raise InvalidInput.for_field("title", "required")

    for _ in range(2):
        with command_scope("c-1"), pytest.raises(InvalidInput):
            answered_once(database, None, refuse)
    assert commands(database) == []


def test_a_twin_that_commits_second_changes_nothing_and_waits_for_the_first_answer(database):
    table = database.metadata.tables[COMMAND_TABLE]
    with database.unit_of_work() as uow:  # the first attempt committed, its answer not yet kept
        uow.session.execute(
            table.insert().values(command_id="c-1", applied_at=clock.now(), answer=None)
        )
        uow.commit()

    with command_scope("c-1"), pytest.raises(CommandAnswerPending):
        answered_once(database, time.time() + 0.3, lambda: {"id": "r-2"})
    with (
        command_scope("c-1"),
        pytest.raises(CommandAnswerPending),
        database.unit_of_work() as uow,  # a twin that got past the look-up
    ):
        uow.session.add(
            IdempotentRequest(
                caller="twin",
                key="k",
                fingerprint="fp",
                held_until=clock.now(),
                expires_at=clock.now(),
            )
        )
        uow.commit()

    assert commands(database) == [("c-1", None)]
    with database.reading() as session:
        assert session.get(IdempotentRequest, ("twin", "k")) is None


def test_a_command_that_answers_with_another_entrypoint_of_its_service_is_one_command(database):
    def query():
        return answered_once(database, None, lambda: {"choices": 1})

    def command():
        with database.unit_of_work() as uow:
            uow.commit()
        return query()  # as notify's set_preferences answers with its preferences query

    with command_scope("c-1"):
        assert answered_once(database, time.time() + 1, command) == {"choices": 1}
    with command_scope("c-1"):
        assert answered_once(database, time.time() + 1, command) == {"choices": 1}
    assert commands(database) == [("c-1", '{"result":{"choices":1}}')]
