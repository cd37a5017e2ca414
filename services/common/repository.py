"""Repositories: how a service's handlers reach its rows, one named function at a time.

A handler never writes a query: it asks its unit of work's repository (`uow.repo`) for the rows
it decides on, by name (`uow.repo.locked(Loan, loan_id, LOAN_NOT_FOUND)`,
`uow.repo.nights_booked(person_id)`), adds what it creates, and lets the unit of work commit.
So a workflow's rules are tested against an in-memory repository (`tests/support/fakes.py`),
with no broker and no database, and the SQL lives in one module per service where the
integration tests prove it (cosmicpython's repository pattern).

`Repository` holds what every service needs; a service's own repository subclasses it with the
named queries its handlers use. Lists, searches, dashboards and indicators are reads, not
decisions: they live in the service's `queries` module, on a reading session.

Example::

    class HousingRepository(Repository):
        def nights_booked(self, person_id: str) -> int:
            return self.session.scalar(select(func.count()).where(...))

    db = Database(Base.metadata, package="services.housing", repository=HousingRepository)

    with self.db.unit_of_work() as uow:
        unit = uow.repo.locked(HousingUnit, unit_id, UNIT_NOT_FOUND)
"""

from __future__ import annotations

from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .errors import DomainError

Row = TypeVar("Row")


class Repository:
    """A unit of work's access to its service's rows (the SQLAlchemy implementation)."""

    def __init__(self, session: Session):
        self.session = session

    def get(self, model: type[Row], row_id, not_found: DomainError | None = None) -> Row | None:
        """The row with the primary key `row_id`; None, or `not_found` raised, when absent."""
        row = self.session.get(model, row_id)
        if row is None and not_found is not None:
            raise not_found
        return row

    def locked(self, model: type[Row], row_id, not_found: DomainError) -> Row:
        """The row, locked until the unit of work ends (`SELECT … FOR UPDATE` on PostgreSQL;
        SQLite's writers are serialised anyway), freshly read; `not_found` when absent."""
        row = self.session.execute(
            sa.select(model)
            .where(sa.inspect(model).primary_key[0] == row_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).scalar_one_or_none()
        if row is None:
            raise not_found
        return row

    def add(self, row) -> None:
        """A new row, written when the unit of work flushes or commits."""
        self.session.add(row)

    def delete(self, row) -> None:
        self.session.delete(row)

    def flush(self) -> None:
        """Write pending changes now (database defaults and constraints apply before commit)."""
        self.session.flush()
