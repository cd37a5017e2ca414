"""Personal-data rights (PIPL) as every service takes part in them.

* **Export**: each service answers `export_person(person_id)` with everything it holds about the
  person; the gateway labels and joins the parts (`GET /api/v1/me/data`).
* **Erasure**: the gateway publishes `youthcity.gateway.person.erased`; each service, through its
  inbox, anonymises the person's records (personal fields removed, the records kept where the
  indicators count them, decisions on public money keeping the legal minimum) and records
  `<service>.person.anonymised`, by which the gateway tracks the erasure service by service.

What is shared lives here: the event schemas, the placeholder that replaces a personal text,
the reason a decision on public money keeps its legal minimum, the export's JSON shape of a row,
the redaction of audit reasons, and the closing step (audit entry and `person.anonymised`).
Which tables and columns hold a person is each service's own knowledge (its `privacy.py`).

Example::

    from . import privacy

    class JobsService(ServiceBase, Audited, PersonalData):
        personal_data = privacy   # export(service, session, person_id), anonymise(uow, person_id)
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from marshmallow import Schema, fields
from sqlalchemy.orm import Session

from .consumer import event_handler
from .events import EventSpec
from .rpc import rpc

#: what replaces a personal text that is kept as "there was one" (a reason, a note, a name)
ERASED = "[erased]"

#: why a decision on public money keeps its amount, dates and decision after an erasure: the
#: accounts of public funds (财政资金) must stay auditable for the period the law sets, which
#: PIPL art. 47 lets a handler keep, stored and no longer processed
PUBLIC_FUNDS_RETAINED = (
    "decision on public funds: amount, dates and decision retained for the legal audit period "
    "(PIPL art. 47); personal details erased"
)

#: why a record that an indicator counts is kept, without anything that describes the person
COUNTED_RETAINED = "counted by the plan's indicators: kept without personal details"


class PersonErased(Schema):
    person_id = fields.String(required=True)
    erasure_id = fields.String(required=True)
    erased_at = fields.DateTime(required=True)


class PersonAnonymised(Schema):
    person_id = fields.String(required=True)
    erasure_id = fields.String(required=True)
    records = fields.Integer(required=True, metadata={"description": "records anonymised"})


#: the entry every service adds to its catalogue
PERSON_ANONYMISED = EventSpec(
    PersonAnonymised,
    "The service has anonymised a person's records after an erasure (ids only)",
    "the person id",
)


def anonymised(event, records: int) -> dict:
    """The `person.anonymised` data answering a `person.erased` event."""
    return {
        "person_id": event.data["person_id"],
        "erasure_id": event.data["erasure_id"],
        "records": records,
    }


@dataclasses.dataclass
class Erasure:
    """What a service did to one person's records: how many it holds, and of those, which are
    kept for a reason (record kind → count) with the reason for each kind."""

    records: int = 0
    retained: dict[str, int] = dataclasses.field(default_factory=dict)
    reasons: dict[str, str] = dataclasses.field(default_factory=dict)

    def count(self, kind: str, rows: int, retained_because: str | None = None) -> None:
        self.records += rows
        if retained_because and rows:
            self.retained[kind] = self.retained.get(kind, 0) + rows
            self.reasons[kind] = retained_because


def _json_value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def exported(row, *, json_columns: Iterable[str] = ()) -> dict:
    """A mapped row, every column, as JSON values: the export shows all a service holds.
    Columns in `json_columns` hold JSON text and are exported decoded."""
    decoded = set(json_columns)
    out = {}
    for column in sa.inspect(row).mapper.column_attrs:
        value = getattr(row, column.key)
        if column.key in decoded and isinstance(value, str):
            value = json.loads(value)
        out[column.key] = _json_value(value)
    return out


def scrub(session: Session, model, where, values: Mapping[str, object]) -> int:
    """Set personal columns of the rows `where` selects; a value of `ERASED` replaces text only
    where there was some (NULL stays NULL: "no reason given" is not made up). The number of rows
    matched, the same however often it runs."""
    table = model.__table__

    def value_of(name, value):
        if value == ERASED:
            return sa.case((table.c[name].is_(None), sa.null()), else_=sa.literal(ERASED))
        return value

    statement = (
        sa.update(table)
        .where(where)
        .values({name: value_of(name, value) for name, value in values.items()})
    )
    return session.execute(statement).rowcount


def redact_audit(uow, subjects: Mapping[str, Iterable[str]]) -> None:
    """Replace the free-text reason of the audit entries about the person's records.

    The trail stays append-only for what was decided (who, when, which action, which record):
    only the reason, which officers write in their own words about the person, is erased."""
    table = uow.audit_table
    for subject_type, ids in subjects.items():
        ids = list(ids)
        for start in range(0, len(ids), 500):  # bounded IN lists, for any number of records
            uow.session.execute(
                sa.update(table)
                .where(
                    table.c.subject_type == subject_type,
                    table.c.subject_id.in_(ids[start : start + 500]),
                    table.c.reason.is_not(None),
                )
                .values(reason=ERASED)
            )


def redact_outbox(uow, subjects: Iterable[str], keys: Iterable[str]) -> None:
    """Replace free-text fields (`keys`) in the data of the events recorded about the person's
    records. Published rows stay in the outbox as the service's record of what it said; the
    subscribers that received the text honour the same erasure themselves."""
    table = uow.outbox_table
    keys, ids = tuple(keys), list(subjects)
    for start in range(0, len(ids), 500):
        rows = uow.session.execute(
            sa.select(table.c.seq, table.c.data).where(
                table.c.subject.in_(ids[start : start + 500])
            )
        ).all()
        for seq, data in rows:
            decoded = json.loads(data)
            if not isinstance(decoded, dict):
                continue
            present = [key for key in keys if decoded.get(key) not in (None, ERASED)]
            if present:
                decoded.update(dict.fromkeys(present, ERASED))
                uow.session.execute(
                    sa.update(table)
                    .where(table.c.seq == seq)
                    .values(data=json.dumps(decoded, ensure_ascii=False, separators=(",", ":")))
                )


def close_erasure(uow, event, erasure: Erasure) -> None:
    """Record the audit entry (once per person: a repeated `person.erased` finds it) and the
    `person.anonymised` answer (every time: the gateway may have missed the first)."""
    person_id = event.data["person_id"]
    table = uow.audit_table
    already = uow.session.execute(
        sa.select(sa.func.count())
        .select_from(table)
        .where(
            table.c.action == "person.anonymised",
            table.c.subject_type == "person",
            table.c.subject_id == person_id,
        )
    ).scalar()
    if not already:
        uow.audit(
            "person.anonymised",
            ("person", person_id),
            "; ".join(f"{kind}: {why}" for kind, why in sorted(erasure.reasons.items())) or None,
            {
                "erasure_id": event.data["erasure_id"],
                "records": erasure.records,
                "retained": erasure.retained,
            },
        )
    uow.record("person.anonymised", subject=person_id, data=anonymised(event, erasure.records))


class PersonalData:
    """Gives a service with a `db` its part in the PIPL rights: the `export_person` RPC and the
    `person.erased` handler. `personal_data` is the service's own module that knows its tables:
    `export(service, session, person_id) -> dict` (the service for its policy and views) and
    `anonymise(uow, person_id) -> Erasure`. Two hooks run in the erasure's transaction:
    `release_person` before the anonymisation, `after_anonymising` after it."""

    personal_data = None

    @rpc
    def export_person(self, person_id: str | None = None) -> dict:
        """Everything this service holds about the caller, as JSON values (PIPL art. 45: a
        person exports their own data; `person_id`, if given, must be theirs)."""
        person_id = self.caller.actor.person(person_id)
        with self.db.reading() as session:
            return self.personal_data.export(self, session, person_id)

    def release_person(self, uow, person_id: str) -> None:
        """Close what waits on the person, who can no longer act (a service with places or
        units held for them overrides this); it runs before the anonymisation, in its
        transaction, and finds nothing left to close when the erasure comes again."""

    @event_handler("gateway", "person.erased", PersonErased)
    def on_person_erased(self, event, uow):
        """Anonymise the person's records in the inbox's transaction and answer the gateway."""
        person_id = event.data["person_id"]
        self.release_person(uow, person_id)
        uow.session.flush()
        erasure = self.personal_data.anonymise(uow, person_id)
        erasure.count("dead_letter", self.purge_dead_letters_of(person_id))
        self.after_anonymising(uow, event, erasure)

    def purge_dead_letters_of(self, person_id: str) -> int:
        """Drop this service's dead letters that name the person: a letter keeps its whole
        body for a replay, and a replay must not bring the person's data back. Done before the
        erasure commits; a failure here fails the handler, which is retried."""
        from .config import settings_of
        from .deadletters import purge_dead_letters_naming

        settings = settings_of(self.db.container)
        return purge_dead_letters_naming(settings.amqp_uri, settings.service, person_id)

    def after_anonymising(self, uow, event, erasure: Erasure) -> None:
        """Close the erasure once the person's records are anonymised, in the same transaction:
        by default the audit entry and the `person.anonymised` answer (`close_erasure`).

        A service with more to do once the records are anonymised overrides this, and must
        still answer the gateway (`uow.record("person.anonymised", ..., anonymised(event,
        erasure.records))`, or `close_erasure`). Notify does: it answers without an audit entry
        (which would keep the person's id in its database) and passes the erasure on to its
        webhook subscribers like any other gateway event."""
        close_erasure(uow, event, erasure)
