"""The plan's four lists (四个清单): outcomes, policy measures, practical projects and tasks,
each item with its responsible unit, owner, due date and progress (`/api/v1/plan/items`).

The gateway keeps them in its own database; an officer maintains the items of their own unit
(`gateway/plan_items.py`), and every change is kept in the item's history.
"""

from __future__ import annotations

import json
import uuid

import sqlalchemy as sa
from marshmallow import Schema, fields, validate

from services.common.clock import clock, utcnow
from services.common.db import Database
from services.common.errors import NotFound
from services.common.pagination import ASC, MAX_LIMIT, keyset_page

from .. import plan_items
from ..accounts import STAFF
from ..api import Call, Created, PageResult
from ..composition import Routes
from ..indicators import current_plan, indicator_codes
from ..models import PlanItem, PlanItemChange, PlanItemNote
from ..units import UNITS


class PlanItemInput(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(plan_items.KINDS))
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(validate=validate.Length(max=5000), load_default="")
    task_code = fields.String(validate=validate.Length(max=8), metadata={"example": "一.2"})
    unit = fields.String(required=True, validate=validate.OneOf(list(UNITS)))
    owner = fields.String(
        required=True,
        validate=validate.Length(min=1, max=100),
        metadata={"description": "分管领导、责任科室或责任人"},
    )
    due_date = fields.Date(required=True)
    progress = fields.Integer(validate=validate.Range(min=0, max=100), load_default=0)
    status = fields.String(validate=validate.OneOf(plan_items.STATUSES), load_default="planned")
    note = fields.String(validate=validate.Length(max=2000))
    leader = fields.String(validate=validate.Length(max=100), metadata={"description": "分管领导"})
    section = fields.String(validate=validate.Length(max=100), metadata={"description": "责任科室"})
    person = fields.String(validate=validate.Length(max=100), metadata={"description": "责任人"})
    indicator_codes = fields.List(
        fields.String(validate=validate.OneOf(indicator_codes(current_plan()))),
        validate=validate.Length(max=20),
        metadata={"description": "the indicators the item serves (codes of /api/v1/indicators)"},
    )


class PlanItemUpdate(Schema):
    title = fields.String(validate=validate.Length(min=1, max=200))
    description = fields.String(validate=validate.Length(max=5000))
    task_code = fields.String(validate=validate.Length(max=8))
    owner = fields.String(validate=validate.Length(min=1, max=100))
    due_date = fields.Date()
    progress = fields.Integer(validate=validate.Range(min=0, max=100))
    status = fields.String(validate=validate.OneOf(plan_items.STATUSES))
    note = fields.String(validate=validate.Length(max=2000))
    leader = PlanItemInput._declared_fields["leader"]
    section = PlanItemInput._declared_fields["section"]
    person = PlanItemInput._declared_fields["person"]
    indicator_codes = PlanItemInput._declared_fields["indicator_codes"]


class PlanItemView(PlanItemInput):
    # optional on input, so an item may hold none
    task_code = fields.String(allow_none=True, metadata={"example": "一.2"})
    note = fields.String(allow_none=True)
    id = fields.String()
    version = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    updated_by = fields.String(allow_none=True)
    leader = fields.String(allow_none=True)
    section = fields.String(allow_none=True)
    person = fields.String(allow_none=True)
    indicator_codes = fields.List(fields.String())
    overdue = fields.Boolean(metadata={"description": "past its due date and not done"})
    overdue_since = fields.Date(
        allow_none=True, metadata={"description": "when the timer flagged it and reminded"}
    )
    meeting_id = fields.String(
        allow_none=True,
        metadata={
            "description": "the joint meeting whose action item it is (/api/v1/plan/meetings)"
        },
    )


class PlanItemFilter(Schema):
    kind = fields.String(validate=validate.OneOf(plan_items.KINDS))
    unit = fields.String(validate=validate.OneOf(list(UNITS)))
    task_code = fields.String(validate=validate.Length(max=8))
    meeting_id = fields.String(
        validate=validate.Length(max=36), metadata={"description": "a joint meeting's action items"}
    )
    limit = fields.Integer(validate=validate.Range(min=1, max=MAX_LIMIT), load_default=50)
    after = fields.String()


class PlanItemPage(Schema):
    items = fields.List(fields.Nested(PlanItemView), required=True)
    next = fields.String(allow_none=True)


class PlanItemChangeView(Schema):
    version = fields.Integer()
    changed_at = fields.DateTime()
    changed_by = fields.String(allow_none=True)
    changes = fields.Dict()


class PlanItemHistory(Schema):
    items = fields.List(fields.Nested(PlanItemChangeView))


class PlanItemNoteInput(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    progress = fields.Integer(validate=validate.Range(min=0, max=100))


class PlanItemNoteView(PlanItemNoteInput):
    id = fields.String()
    progress = fields.Integer(allow_none=True)
    written_at = fields.DateTime()
    written_by = fields.String(allow_none=True)


class PlanItemNotes(Schema):
    items = fields.List(fields.Nested(PlanItemNoteView))


PLAN_ITEM = PlanItemView()
NOTE = PlanItemNoteView()


def item_view(item: PlanItem) -> dict:
    """The item as shown: its indicator codes as a list, and whether it is overdue today."""
    view = PLAN_ITEM.dump(item)
    view["indicator_codes"] = json.loads(item.indicator_codes or "[]")
    view["overdue"] = plan_items.is_overdue(item.due_date, item.status, clock.today())
    return view


def _stored(body: dict) -> dict:
    """A body's fields as the table keeps them (indicator codes as JSON text)."""
    stored = dict(body)
    if "indicator_codes" in stored:
        stored["indicator_codes"] = json.dumps(stored["indicator_codes"])
    return stored


routes = Routes(tags=["plan"])


def _change(item: PlanItem, actor: str, changes: dict) -> PlanItemChange:
    """The history entry of `item`'s current version."""
    return PlanItemChange(
        id=str(uuid.uuid4()),
        item_id=item.id,
        version=item.version,
        changed_at=utcnow(),
        changed_by=actor,
        changes=json.dumps(changes, ensure_ascii=False),
    )


@routes.route(
    "GET",
    "/api/v1/plan/items",
    summary="The four lists: outcomes, policy measures, practical projects, tasks",
    roles=STAFF,
    query=PlanItemFilter,
    response=PlanItemPage,
    paginated=True,
)
def list_plan_items(call: Call, *, db: Database):
    query = sa.select(PlanItem)
    for name in ("kind", "unit", "task_code", "meeting_id"):
        if call.query.get(name):
            query = query.where(getattr(PlanItem, name) == call.query[name])
    # an officer's own unit's items come first, then everyone's by due date
    mine = call.identity.unit or ""
    theirs = sa.case((PlanItem.unit == mine, 0), else_=1)
    with db.reading() as session:
        page = keyset_page(
            session,
            query,
            [(theirs, ASC), (PlanItem.due_date, ASC), (PlanItem.id, ASC)],
            call.query.get("after"),
            call.query["limit"],
            key=lambda item: (0 if item.unit == mine else 1, item.due_date, item.id),
        )
        return PageResult([item_view(item) for item in page.items], page.next_cursor)


@routes.route(
    "POST",
    "/api/v1/plan/items",
    summary="Add an item to one of the four lists (an officer of its unit)",
    roles=STAFF,
    body=PlanItemInput,
    response=PlanItemView,
    status=201,
    errors=(403,),
)
def add_plan_item(call: Call, *, db: Database):
    identity = call.identity
    plan_items.check_may_maintain(identity.role, identity.unit, call.body["unit"])
    now = utcnow()
    with db.unit_of_work() as uow:
        item = PlanItem(
            id=str(uuid.uuid4()),
            created_at=now,
            updated_at=now,
            updated_by=identity.account_id,
            version=1,
            **_stored(call.body),
        )
        uow.session.add(item)
        uow.session.add(
            _change(item, identity.account_id, plan_items.changes_between({}, call.body))
        )
        uow.audit(
            "plan_item.added",
            ("plan_item", item.id),
            details={"kind": item.kind, "unit": item.unit},
        )
        uow.commit()
        return Created(item_view(item), f"/api/v1/plan/items/{item.id}")


@routes.route(
    "GET",
    "/api/v1/plan/items/<item_id>",
    summary="One item of the four lists",
    roles=STAFF,
    response=PlanItemView,
    errors=(404,),
)
def get_plan_item(call: Call, item_id: str, *, db: Database):
    with db.reading() as session:
        item = session.get(PlanItem, item_id)
        if item is None:
            raise NotFound("plan_item")
        return item_view(item)


@routes.route(
    "PATCH",
    "/api/v1/plan/items/<item_id>",
    summary="Update an item's progress, owner, due date… (every change kept in its history)",
    roles=STAFF,
    body=PlanItemUpdate,
    response=PlanItemView,
    errors=(403, 404),
)
def update_plan_item(call: Call, item_id: str, *, db: Database):
    identity = call.identity
    with db.unit_of_work() as uow:
        item = uow.session.execute(
            sa.select(PlanItem).where(PlanItem.id == item_id).with_for_update()
        ).scalar()
        if item is None:
            raise NotFound("plan_item")
        plan_items.check_may_maintain(identity.role, identity.unit, item.unit)
        before = {name: getattr(item, name) for name in plan_items.TRACKED_FIELDS}
        before["indicator_codes"] = json.loads(item.indicator_codes or "[]")
        changes = plan_items.changes_between(before, call.body)
        if changes:
            for name, value in _stored(call.body).items():
                setattr(item, name, value)
            if not plan_items.is_overdue(item.due_date, item.status, clock.today()):
                item.overdue_since = None  # done, or given a later date: flagged anew if missed
            item.version += 1
            item.updated_at, item.updated_by = utcnow(), identity.account_id
            uow.session.add(_change(item, identity.account_id, changes))
            # a status moved (an action item done, a task delayed) is a decision on the record
            uow.audit(
                "plan_item.updated",
                ("plan_item", item.id),
                details={"fields": sorted(changes), "status": changes.get("status")},
            )
            uow.commit()
        return item_view(item)


@routes.route(
    "GET",
    "/api/v1/plan/items/<item_id>/history",
    summary="Every change of an item, oldest first",
    roles=STAFF,
    response=PlanItemHistory,
    errors=(404,),
)
def plan_item_history(call: Call, item_id: str, *, db: Database):
    with db.reading() as session:
        if session.get(PlanItem, item_id) is None:
            raise NotFound("plan_item")
        changes = session.execute(
            sa.select(PlanItemChange)
            .where(PlanItemChange.item_id == item_id)
            .order_by(PlanItemChange.version)
        ).scalars()
        return {
            "items": [
                {
                    "version": c.version,
                    "changed_at": c.changed_at,
                    "changed_by": c.changed_by,
                    "changes": json.loads(c.changes),
                }
                for c in changes
            ]
        }


@routes.route(
    "POST",
    "/api/v1/plan/items/<item_id>/notes",
    summary="Write a progress note on an item (an officer of its unit); it may set the progress",
    roles=STAFF,
    body=PlanItemNoteInput,
    response=PlanItemNoteView,
    status=201,
    errors=(403, 404),
)
def add_plan_item_note(call: Call, item_id: str, *, db: Database):
    identity = call.identity
    with db.unit_of_work() as uow:
        item = uow.session.execute(
            sa.select(PlanItem).where(PlanItem.id == item_id).with_for_update()
        ).scalar()
        if item is None:
            raise NotFound("plan_item")
        plan_items.check_may_maintain(identity.role, identity.unit, item.unit)
        note = PlanItemNote(
            id=str(uuid.uuid4()),
            item_id=item.id,
            written_at=utcnow(),
            written_by=identity.account_id,
            text=call.body["text"],
            progress=call.body.get("progress"),
        )
        uow.session.add(note)
        if note.progress is not None and note.progress != item.progress:
            changes = {"progress": [item.progress, note.progress]}
            item.progress, item.version = note.progress, item.version + 1
            item.updated_at, item.updated_by = note.written_at, identity.account_id
            uow.session.add(_change(item, identity.account_id, changes))
        uow.audit("plan_item.noted", ("plan_item", item.id), details={"progress": note.progress})
        uow.commit()
        return Created(NOTE.dump(note), f"/api/v1/plan/items/{item.id}/notes")


@routes.route(
    "GET",
    "/api/v1/plan/items/<item_id>/notes",
    summary="An item's progress notes, oldest first",
    roles=STAFF,
    response=PlanItemNotes,
    errors=(404,),
)
def plan_item_notes(call: Call, item_id: str, *, db: Database):
    with db.reading() as session:
        if session.get(PlanItem, item_id) is None:
            raise NotFound("plan_item")
        notes = session.execute(
            sa.select(PlanItemNote)
            .where(PlanItemNote.item_id == item_id)
            .order_by(PlanItemNote.written_at, PlanItemNote.id)
        ).scalars()
        return {"items": NOTE.dump(list(notes), many=True)}
