"""Commands applied once, however often they arrive.

A front end that retries after a timeout sends the same command again (`Idempotency-Key`,
gateway/idempotency.py). The gateway gives each RPC call such a request makes a `command_id`
derived from the key, the target and the call's place in the request; the id travels in the
signed call context. A service that receives a call with a command id:

* writes the id into its `command` table in the same transaction as the command's effect (the
  unit of work's first commit, `services/common/db.py`), so the effect and "this command was
  applied" commit together or not at all;
* keeps the call's answer in the same row once the method returns;
* on a repeat, answers what it answered the first time without running the method again. A repeat
  that finds the effect committed but its answer not yet kept (the first is just finishing) waits
  for it within the call's deadline.

A call a service makes while serving a command gets a command id of its own, derived the same
way, so a command that reaches several services is applied once in each.

Example::

    with command_scope(command_id_of("account-1", "key-1")):
        cluster.events.register(activity_id=...)   # carries a derived command id
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import eventlet
import sqlalchemy as sa
from sqlalchemy.orm import Session

from .clock import utcnow
from .encoding import dumps
from .errors import DomainError
from .types import UtcDateTime

COMMAND_TABLE = "command"
#: how often a repeat looks again for the answer of a first attempt that is still finishing
_ANSWER_POLL_SECONDS = 0.05


def command_table(metadata: sa.MetaData) -> sa.Table:
    """The `command` table: ids of commands this service applied, with the answer it gave."""
    return sa.Table(
        COMMAND_TABLE,
        metadata,
        sa.Column("command_id", sa.String(64), primary_key=True),
        sa.Column("applied_at", UtcDateTime(), nullable=False),
        sa.Column("answer", sa.Text()),
        sa.Index("ix_command_applied_at", "applied_at"),
    )


class CommandAnswerPending(DomainError):
    """The command was applied, but its first answer is not known (yet): ask again later."""

    status = 409
    code = "command_answer_pending"


def command_id_of(*parts: str) -> str:
    """A command id from what names it (a caller, a key, a target, a position)."""
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:48]


@dataclass
class CommandScope:
    """The command a worker (or a gateway request) carries out, and what it did so far."""

    command_id: str | None
    #: False where the scope only names its calls' commands (the gateway: its own answers are
    #: kept by gateway/idempotency.py)
    records: bool = True
    calls: Counter = field(default_factory=Counter)
    recorded: bool = False
    #: the command's method is running: an entrypoint it calls directly (a service answering
    #: with its own query method) is part of it, not a command of its own
    running: bool = False

    def call_id(self, service: str, method: str) -> str | None:
        """The command id of this scope's next call to `service.method`: the n-th call to the
        same method gets the same id every time the request is repeated."""
        if self.command_id is None:
            return None
        target = f"{service}.{method}"
        position = self.calls[target]
        self.calls[target] += 1
        return command_id_of(self.command_id, target, str(position))


_scope: ContextVar[CommandScope | None] = ContextVar("youthcity_command_scope", default=None)


def current_scope() -> CommandScope | None:
    return _scope.get()


@contextmanager
def command_scope(command_id: str | None, records: bool = True):
    """Run a request or a worker as the command `command_id` (None: not a command)."""
    token = _scope.set(CommandScope(command_id, records))
    try:
        yield _scope.get()
    finally:
        _scope.reset(token)


def bind_scope(command_id: str | None):
    """`command_scope` for hooks that begin and end in different calls; returns the token."""
    return _scope.set(CommandScope(command_id))


def unbind_scope(token) -> None:
    _scope.reset(token)


def record_in(session: Session, metadata: sa.MetaData) -> None:
    """Write the current command's id in the unit of work about to commit (its first commit
    only). A repeat whose first attempt committed meanwhile fails here, before it commits."""
    scope = current_scope()
    table = metadata.tables.get(COMMAND_TABLE)
    if scope is None or scope.command_id is None or table is None:
        return
    if scope.recorded or not scope.records:
        return
    session.flush()  # the command's own rows first: a refusal of theirs is not a repeat
    try:
        session.execute(table.insert().values(command_id=scope.command_id, applied_at=utcnow()))
    except sa.exc.IntegrityError as exc:
        raise CommandAnswerPending() from exc
    scope.recorded = True


def answered_once(database, deadline: float | None, run: Callable):
    """`run()`'s answer, given once per command: a repeat of a command `database`'s service
    applied gets the kept answer; the first attempt runs and keeps what it answers."""
    scope = current_scope()
    table = database.metadata.tables.get(COMMAND_TABLE)
    if scope is None or scope.command_id is None or table is None or scope.running:
        return run()
    kept = _Kept(database, table, scope.command_id)
    applied, answer = kept.look()
    if applied:
        return kept.wait(answer, deadline)
    scope.running = True
    try:
        result = run()
    except CommandAnswerPending:  # a twin of this call committed first
        return kept.wait(None, deadline)
    finally:
        scope.running = False
    if scope.recorded:
        kept.keep(result)
    return result


@dataclass
class _Kept:
    """One command's row in a service's `command` table."""

    database: object
    table: sa.Table
    command_id: str

    def look(self) -> tuple[bool, str | None]:
        with self.database.reading() as session:
            row = session.execute(
                sa.select(self.table.c.answer).where(self.table.c.command_id == self.command_id)
            ).first()
        return (row is not None, row.answer if row is not None else None)

    def keep(self, result) -> None:
        with self.database.unit_of_work() as uow:
            uow.session.execute(
                self.table.update()
                .where(self.table.c.command_id == self.command_id)
                .values(answer=dumps({"result": result}).decode())
            )
            uow.commit()

    def wait(self, answer: str | None, deadline: float | None):
        until = min(deadline or time.time() + 5, time.time() + 5)
        while answer is None and time.time() < until:
            eventlet.sleep(_ANSWER_POLL_SECONDS)
            _, answer = self.look()
        if answer is None:
            raise CommandAnswerPending()
        return json.loads(answer)["result"]
