"""Erasure requests past their deadline are counted for the operator's alert
(`youthcity_erasures_overdue`, `YouthCityErasureOverdue`): an active request older than the
deadline counts, a younger one or a completed one does not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from gateway.erasure import count_overdue
from gateway.models import Base, ErasureRequest
from services.common.clock import utcnow
from services.common.db import create_engine_for
from services.common.metrics import ERASURES_OVERDUE
from services.common.models import new_id

pytestmark = pytest.mark.both_backends


class Reader:
    """What `count_overdue` asks of the gateway's `Database`: a reading session."""

    def __init__(self, engine):
        self.engine = engine

    def reading(self) -> Session:
        return Session(bind=self.engine)


def request(status: str, age: timedelta) -> ErasureRequest:
    made = utcnow() - age
    return ErasureRequest(
        id=new_id(), person_id=new_id(), status=status, requested_at=made, confirm_after=made
    )


def test_only_active_requests_older_than_the_deadline_are_overdue(databases):
    engine = create_engine_for(databases.create("gateway"))
    Base.metadata.create_all(engine)
    deadline = timedelta(days=15)
    with Session(engine) as session:
        session.add_all(
            [
                request("requested", deadline + timedelta(hours=1)),
                request("confirmed", deadline + timedelta(days=3)),
                request("confirmed", deadline - timedelta(hours=1)),
                request("completed", deadline + timedelta(days=30)),
            ]
        )
        session.commit()
    try:
        assert count_overdue(Reader(engine), deadline) == 2
        assert ERASURES_OVERDUE._value.get() == 2
        assert count_overdue(Reader(engine), deadline + timedelta(days=5)) == 0
        assert ERASURES_OVERDUE._value.get() == 0
    finally:
        engine.dispose()
