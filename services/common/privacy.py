"""Personal-data rights (PIPL) as every service takes part in them.

* **Export**: each service answers `export_person(person_id)` with everything it holds about the
  person; the gateway labels and joins the parts (`GET /api/v1/me/data`).
* **Erasure**: the gateway publishes `youthcity.gateway.person.erased`; each service, through its
  inbox, anonymises the person's records (personal fields removed, the records kept where the
  indicators count them, decisions on public money keeping the legal minimum) and records
  `<service>.person.anonymised`, by which the gateway tracks the erasure service by service.

Example::

    @event_handler("gateway", "person.erased", PersonErased)
    def on_person_erased(self, event, uow):
        anonymise_applicant(uow.session, event.data["person_id"])
        uow.record("person.anonymised", subject=event.data["person_id"], data=anonymised(event))
"""

from __future__ import annotations

from marshmallow import Schema, fields

from .events import EventSpec


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
