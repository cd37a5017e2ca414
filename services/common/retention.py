"""Retention: what the messaging kit keeps only for as long as it has a reason to.

Each `RetentionPolicy` deletes one kind of row older than its window (days, from the process's
settings, so an operator sets them per environment); the windows, their reasons and their effect on
personal data are in the operations guide (deploy/README.md, "Retention"). Every service purges
its sent outbox rows, its inbox ids and its applied commands' ids and answers, and expires its
dead letters; notify adds its messages and deliveries and its webhook deliveries
(`services/notify/retention.py`).

`ServiceBase` runs `sweep` every `SWEEP_SECONDS` on a nameko timer. Rows go in batches of
`BATCH_SIZE`, each its own short unit of work, so a first sweep over a year of rows never holds
a long lock; replicas sweeping together only find fewer rows. `youthcity_retention_purged_total`
counts what went.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .clock import utcnow
from .config import Settings, settings_of
from .metrics import RETENTION_PURGED

log = logging.getLogger(__name__)

#: hourly: the windows are days long, so an hour's lateness keeps nothing that matters longer
SWEEP_SECONDS = 3600
#: rows per transaction: short enough that a writer waiting behind a batch barely notices
BATCH_SIZE = 500


@dataclass(frozen=True)
class RetentionPolicy:
    """One kind of row and its window: `purge(session, metadata, cutoff, limit)` deletes at most
    `limit` rows older than `cutoff` and returns how many it deleted."""

    kind: str
    days: Callable[[Settings], int]
    purge: Callable[[Session, sa.MetaData, datetime, int], int]


def delete_keys(session: Session, table: sa.Table, key: sa.Column, where, limit: int) -> int:
    """Delete at most `limit` rows of `table` matching `where`, chosen by `key` (a portable
    `DELETE ... LIMIT`: neither backend's own spelling is in the other)."""
    keys = list(session.execute(sa.select(key).where(where).limit(limit)).scalars())
    if keys:
        session.execute(sa.delete(table).where(key.in_(keys)))
    return len(keys)


def _purge_outbox(session: Session, metadata: sa.MetaData, cutoff: datetime, limit: int) -> int:
    outbox = metadata.tables["outbox"]
    # pending rows are never old enough: only what the relay has published goes
    sent_before = sa.and_(outbox.c.published_at.is_not(None), outbox.c.published_at < cutoff)
    return delete_keys(session, outbox, outbox.c.seq, sent_before, limit)


def _purge_inbox(session: Session, metadata: sa.MetaData, cutoff: datetime, limit: int) -> int:
    inbox = metadata.tables["inbox"]
    return delete_keys(session, inbox, inbox.c.event_id, inbox.c.applied_at < cutoff, limit)


def _purge_commands(session: Session, metadata: sa.MetaData, cutoff: datetime, limit: int) -> int:
    commands = metadata.tables["command"]
    return delete_keys(
        session, commands, commands.c.command_id, commands.c.applied_at < cutoff, limit
    )


#: what every service with a database keeps no longer than it needs
MESSAGING_POLICIES = (
    RetentionPolicy("outbox", lambda s: s.outbox_retention_days, _purge_outbox),
    RetentionPolicy("inbox", lambda s: s.inbox_retention_days, _purge_inbox),
    RetentionPolicy("command", lambda s: s.command_retention_days, _purge_commands),
)


def purge(
    database, policy: RetentionPolicy, settings: Settings, now: datetime | None = None
) -> int:
    """Apply one policy until nothing is left past its window; the rows deleted."""
    cutoff = (now or utcnow()) - timedelta(days=policy.days(settings))
    total = 0
    while True:
        with database.unit_of_work() as uow:
            deleted = policy.purge(uow.session, database.metadata, cutoff, BATCH_SIZE)
            uow.commit()
        total += deleted
        if deleted < BATCH_SIZE:
            break
    if total:
        RETENTION_PURGED.labels(settings.service, policy.kind).inc(total)
    return total


def sweep(database, policies: Iterable[RetentionPolicy] = (), now: datetime | None = None) -> dict:
    """Every policy of the service, then its dead letters; what went, by kind."""
    from .deadletters import expire_dead_letters

    settings = settings_of(database.container)
    purged = {}
    for policy in (*MESSAGING_POLICIES, *policies):
        purged[policy.kind] = purge(database, policy, settings, now)
    cutoff = (now or utcnow()) - timedelta(days=settings.dead_letter_retention_days)
    purged["dead_letter"] = expire_dead_letters(settings.amqp_uri, settings.service, cutoff)
    if purged["dead_letter"]:
        RETENTION_PURGED.labels(settings.service, "dead_letter").inc(purged["dead_letter"])
    log.info("retention sweep", extra={"purged": purged})
    return purged
