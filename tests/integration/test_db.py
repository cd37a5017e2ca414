"""The database kit on both backends: overlap on PostgreSQL, serialised writers on SQLite,
and a unit of work that keeps a change and its events together."""

import json
import logging
import time

import eventlet
import pytest
import sqlalchemy as sa
from marshmallow import Schema, fields
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.config import Settings
from services.common.context import CallContext
from services.common.db import UnitOfWork, create_engine_for
from services.common.events import EventCatalog, EventSpec, UnknownEventType
from services.common.models import service_metadata
from services.common.outbox import OutboxWriter

#: the database's own behaviour (locks, migrations, SQL): on both backends
pytestmark = pytest.mark.both_backends


class Base(DeclarativeBase):
    metadata = service_metadata()


class Counter(Base):
    __tablename__ = "counter"
    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int]


class CounterCreated(Schema):
    id = fields.Integer(required=True)
    label = fields.String()


EVENTS = EventCatalog("kit", {"counter.created": EventSpec(CounterCreated, "A counter exists")})


@pytest.fixture
def engine(databases):
    engine = create_engine_for(databases.create("kit"), pool_size=4)
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


def unit_of_work(engine, context=None):
    outbox = OutboxWriter(Base.metadata, Settings(service="kit"), EVENTS)
    return UnitOfWork(engine, context or CallContext(request_id="r-1", actor_id="a-1"), outbox)


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_postgres_queries_yield_to_other_green_threads(engine):
    def sleep_one_second():
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT pg_sleep(1)")

    started = time.monotonic()
    pool = eventlet.GreenPool()
    for _ in range(2):
        pool.spawn(sleep_one_second)
    pool.waitall()
    assert time.monotonic() - started < 1.6


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_sqlite_concurrent_writers_both_succeed_while_each_yields_mid_transaction(engine):
    with unit_of_work(engine) as uow:
        uow.session.add(Counter(id=1, value=0))
        uow.commit()

    def increment():
        with unit_of_work(engine) as uow:
            counter = uow.session.get(Counter, 1)
            value = counter.value
            eventlet.sleep(0.05)  # another green thread runs here and wants to write too
            counter.value = value + 1
            uow.commit()

    pool = eventlet.GreenPool()
    threads = [pool.spawn(increment) for _ in range(5)]
    for thread in threads:
        thread.wait()  # re-raises "database is locked" if writers were not serialised
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT value FROM counter WHERE id = 1")).scalar() == 5


def test_a_unit_of_work_rolls_back_unless_committed(engine):
    with unit_of_work(engine) as uow:
        uow.session.add(Counter(id=7, value=1))
        uow.record("counter.created", subject=7, data={"id": 7})
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM counter")).scalar() == 0
        assert conn.execute(sa.text("SELECT count(*) FROM outbox")).scalar() == 0


def test_a_change_and_its_event_commit_together(engine):
    woken = []
    outbox = OutboxWriter(Base.metadata, Settings(service="kit"), EVENTS)
    context = CallContext(request_id="req-42", actor_id="acct-9")
    with UnitOfWork(engine, context, outbox, after_commit=lambda: woken.append(True)) as uow:
        uow.session.add(Counter(id=8, value=1))
        uow.record("counter.created", subject=8, data={"id": 8, "label": "青年"})
        uow.commit()
    with engine.connect() as conn:
        row = conn.execute(
            sa.text("SELECT type, subject, request_id, actor_id, data FROM outbox")
        ).one()
    assert row.type == "youthcity.kit.counter.created"
    assert (row.subject, row.request_id, row.actor_id) == ("8", "req-42", "acct-9")
    assert json.loads(row.data) == {"id": 8, "label": "青年"}
    assert woken == [True]


def test_an_event_type_outside_the_catalogue_is_refused(engine):
    with unit_of_work(engine) as uow, pytest.raises(UnknownEventType):
        uow.record("counter.deleted", subject=None, data={"id": 1})


def test_event_data_is_written_as_its_schema_dumps_it(engine):
    with unit_of_work(engine) as uow:
        uow.record("counter.created", subject=3, data={"id": 3, "label": "x", "secret": "dropped"})
        uow.commit()
    with engine.connect() as conn:
        data = conn.execute(sa.text("SELECT data FROM outbox")).scalar()
    assert json.loads(data) == {"id": 3, "label": "x"}


def test_a_locked_row_waits_for_the_unit_of_work_that_holds_it(engine):
    """Two units of work raising one counter: the second reads it only after the first
    committed, so neither increment is lost (PostgreSQL's row lock; SQLite's serialised
    writers)."""
    with unit_of_work(engine) as uow:
        uow.repo.add(Counter(id=1, value=0))
        uow.commit()
    order = []

    def increment(name: str):
        with unit_of_work(engine) as uow:
            counter = uow.repo.locked(Counter, 1, LookupError("counter"))
            order.append(f"{name} read {counter.value}")
            eventlet.sleep(0.2)  # the other unit of work tries meanwhile
            counter.value += 1
            uow.commit()

    pool = eventlet.GreenPool()
    for name in ("first", "second"):
        pool.spawn(increment, name)
        eventlet.sleep(0.05)
    pool.waitall()
    with unit_of_work(engine) as uow:
        assert uow.repo.get(Counter, 1).value == 2
    assert order == ["first read 0", "second read 1"]
    with unit_of_work(engine) as uow, pytest.raises(LookupError):
        uow.repo.locked(Counter, 2, LookupError("counter"))


class Person(Base):
    __tablename__ = "person"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(100), unique=True)
    name: Mapped[str] = mapped_column(sa.String(50))


def test_a_database_error_carries_no_value_of_its_statement_into_the_log(engine, caplog):
    """An integrity error on a row with an email and a name: its message, and whatever a
    worker logs of it, names the statement but none of the values."""
    Base.metadata.create_all(engine)
    with unit_of_work(engine) as uow:
        uow.repo.add(Person(id=1, email="xiaoming@example.org", name="王小明"))
        uow.commit()
    with pytest.raises(sa.exc.IntegrityError) as refused, unit_of_work(engine) as uow:
        uow.repo.add(Person(id=2, email="xiaoming@example.org", name="王小明"))
        uow.commit()
    logging.getLogger("nameko.containers").exception("worker failed", exc_info=refused.value)
    for text in (str(refused.value), caplog.text):
        assert "xiaoming@example.org" not in text and "王小明" not in text
    assert "INSERT INTO person" in str(refused.value)
