"""Fakes for service-layer unit tests (cosmicpython's pattern): a unit of work and a repository
that keep everything in memory, so a handler's rules are tested with no broker and no database.

A service's fake repository subclasses `FakeRepository` with the same named queries as its real
one, answered from the rows in memory. The fake unit of work checks each recorded event against
the service's catalogue exactly as the outbox does, and keeps what was recorded and audited for
the test to assert on.

Example::

    uow = FakeUnitOfWork(FakeHousingRepository(), EVENTS)
    book_station(uow, actor, person, booking, policy)
    assert uow.committed and uow.event_types() == ["stationbooking.confirmed"]
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from services.common.context import CallContext
from services.common.errors import DomainError
from services.common.events import EventCatalog


@dataclass(frozen=True)
class Recorded:
    type: str
    subject: str | None
    data: dict


class FakeRepository:
    """Rows by model and primary key, in memory; `Repository`'s functions over them."""

    def __init__(self, *rows):
        self._rows: dict[type, dict] = {}
        self._serial = itertools.count(1)
        for row in rows:
            self.add(row)

    def _key_of(self, row):
        column = sa.inspect(type(row)).primary_key[0]
        key = getattr(row, column.key)
        if key is None:  # an autoincrement key: what the database would give it
            key = next(self._serial)
            setattr(row, column.key, key)
        return key

    def add(self, row) -> None:
        self._rows.setdefault(type(row), {})[self._key_of(row)] = row

    def delete(self, row) -> None:
        self._rows.get(type(row), {}).pop(self._key_of(row), None)

    def get(self, model, row_id, not_found: DomainError | None = None):
        row = self._rows.get(model, {}).get(row_id)
        if row is None and not_found is not None:
            raise not_found
        return row

    def locked(self, model, row_id, not_found: DomainError):
        return self.get(model, row_id, not_found)

    def flush(self) -> None:
        pass

    def rows(self, model, where: Callable | None = None) -> list:
        """The rows of `model` (that `where(row)` accepts), in the order they were added: what a
        fake's named queries are written with."""
        found = list(self._rows.get(model, {}).values())
        return [row for row in found if where is None or where(row)]


class FakeUnitOfWork:
    """A unit of work in memory: `repo`, `record`, `audit`, `commit`, as the real one."""

    def __init__(
        self,
        repo: FakeRepository,
        events: EventCatalog | None = None,
        context: CallContext | None = None,
    ):
        self.repo = repo
        self.catalog = events
        self.context = context or CallContext.system()
        self.recorded: list[Recorded] = []
        self.audited: list[tuple[str, tuple[str, str], str | None, dict]] = []
        self.committed = False

    def __enter__(self) -> FakeUnitOfWork:
        return self

    def __exit__(self, *exc_info) -> None:
        if not self.committed:
            self.rollback()

    @property
    def session(self):
        raise AttributeError("a handler reaches its rows through uow.repo, not uow.session")

    def record(self, event_type: str, subject, data) -> None:
        dumped = self.catalog.dump(event_type, data) if self.catalog is not None else data
        self.recorded.append(
            Recorded(event_type, None if subject is None else str(subject), dumped)
        )

    def audit(self, action: str, subject: tuple[str, str], reason=None, details=None) -> None:
        self.audited.append((action, subject, reason, details or {}))

    def commit(self) -> None:
        self.committed = True

    def rollback(self) -> None:
        self.recorded.clear()
        self.audited.clear()

    def event_types(self) -> list[str]:
        return [event.type for event in self.recorded]
