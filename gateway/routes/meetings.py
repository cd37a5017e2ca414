"""Joint meetings (联席会议, plan 四.(一)) under `/api/v1/plan/meetings`: the convening unit records
a meeting with its units, minutes, decisions and action items; each action item is a plan item
linked to the meeting, tracked to done by its unit through `/api/v1/plan/items/<id>`
(`gateway/meetings.py`).
"""

from __future__ import annotations

import json
import uuid

import sqlalchemy as sa
from marshmallow import Schema, fields, validate

from services.common.clock import clock, utcnow
from services.common.db import Database
from services.common.errors import NotFound
from services.common.pagination import DESC, MAX_LIMIT, keyset_page

from .. import meetings, plan_items
from ..accounts import STAFF
from ..api import Call, Created, PageResult
from ..composition import Routes
from ..indicators import parse_period
from ..models import Meeting, PlanItem
from ..units import UNITS
from .plan import PlanItemInput, PlanItemView, _change, item_view

UNIT_CODES = list(UNITS)


class ActionItemInput(Schema):
    """An action item (议定事项的落实任务): a task assigned to a unit with a due date."""

    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(validate=validate.Length(max=5000), load_default="")
    unit = fields.String(
        required=True,
        validate=validate.OneOf(UNIT_CODES),
        metadata={"description": "the unit it is assigned to; its officers track it to done"},
    )
    due_date = fields.Date(required=True)
    task_code = PlanItemInput._declared_fields["task_code"]
    leader = PlanItemInput._declared_fields["leader"]
    section = PlanItemInput._declared_fields["section"]
    person = PlanItemInput._declared_fields["person"]
    indicator_codes = PlanItemInput._declared_fields["indicator_codes"]


class MeetingInput(Schema):
    held_on = fields.Date(required=True, metadata={"description": "the day it was held"})
    title = fields.String(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"example": "2026年第四季度青年工作联席会议"},
    )
    units = fields.List(
        fields.String(validate=validate.OneOf(UNIT_CODES)),
        required=True,
        validate=validate.Length(min=1, max=len(UNIT_CODES)),
        metadata={"description": "the attending units (the convening unit is always one)"},
    )
    minutes = fields.String(validate=validate.Length(max=20000), load_default="")
    decisions = fields.List(
        fields.String(validate=validate.Length(min=1, max=1000)),
        validate=validate.Length(max=50),
        load_default=list,
        metadata={"description": "the decisions (议定事项), in order"},
    )
    action_items = fields.List(
        fields.Nested(ActionItemInput),
        validate=validate.Length(max=50),
        load_default=list,
        metadata={"description": "each becomes a task-list item linked to the meeting"},
    )


class MeetingUpdate(Schema):
    held_on = fields.Date()
    title = fields.String(validate=validate.Length(min=1, max=200))
    units = fields.List(
        fields.String(validate=validate.OneOf(UNIT_CODES)),
        validate=validate.Length(min=1, max=len(UNIT_CODES)),
    )
    minutes = fields.String(validate=validate.Length(max=20000))
    decisions = fields.List(
        fields.String(validate=validate.Length(min=1, max=1000)), validate=validate.Length(max=50)
    )


class MeetingProgress(Schema):
    total = fields.Integer()
    done = fields.Integer()
    overdue = fields.Integer()


class MeetingView(Schema):
    id = fields.String()
    held_on = fields.Date()
    title = fields.String()
    convened_by = fields.String()
    units = fields.List(fields.String())
    minutes = fields.String()
    decisions = fields.List(fields.String())
    action_items = fields.List(fields.Nested(PlanItemView))
    progress = fields.Nested(MeetingProgress)
    version = fields.Integer()
    created_at = fields.DateTime()
    created_by = fields.String(allow_none=True)
    updated_at = fields.DateTime()
    updated_by = fields.String(allow_none=True)


class MeetingFilter(Schema):
    period = fields.String(
        validate=validate.Length(max=8),
        metadata={"description": "held in a year (2026), quarter (2026-Q4) or month (2026-11)"},
    )
    limit = fields.Integer(validate=validate.Range(min=1, max=MAX_LIMIT), load_default=20)
    after = fields.String()


class MeetingPage(Schema):
    items = fields.List(fields.Nested(MeetingView), required=True)
    next = fields.String(allow_none=True)


routes = Routes(tags=["plan"])

TRACKING = (
    "Each action item is a task-list item (`kind: task`) with `meeting_id`: the officers of "
    "its unit track it to done through `PATCH /api/v1/plan/items/{item_id}` and its notes, "
    "every change in its history and the audit trail; the gateway's timer flags it when past "
    "due and reminds each officer of its unit (`plan_item.overdue`)."
)


def _action_item(meeting: Meeting, action: dict, actor: str) -> PlanItem:
    now = utcnow()
    stored = {**action, "indicator_codes": json.dumps(action.get("indicator_codes", []))}
    return PlanItem(
        id=str(uuid.uuid4()),
        kind=meetings.ACTION_ITEM_KIND,
        owner=meetings.owner_of(action),
        meeting_id=meeting.id,
        created_at=now,
        updated_at=now,
        updated_by=actor,
        version=1,
        **stored,
    )


def _add_action_items(uow, meeting: Meeting, actions: list[dict], actor: str) -> list[PlanItem]:
    items = []
    for action in actions:
        item = _action_item(meeting, action, actor)
        uow.session.add(item)
        uow.session.add(_change(item, actor, plan_items.changes_between({}, action)))
        uow.audit(
            "plan_item.added",
            ("plan_item", item.id),
            details={"kind": item.kind, "unit": item.unit, "meeting_id": meeting.id},
        )
        items.append(item)
    return items


def _meeting(session, meeting_id: str, lock: bool = False) -> Meeting:
    query = sa.select(Meeting).where(Meeting.id == meeting_id)
    meeting = session.execute(query.with_for_update() if lock else query).scalar()
    if meeting is None:
        raise NotFound("meeting")
    return meeting


def _shown(session, meeting: Meeting) -> dict:
    items = meetings.action_items_of(session, [meeting.id])[meeting.id]
    return meetings.meeting_view(meeting, [item_view(item) for item in items])


@routes.route(
    "POST",
    "/api/v1/plan/meetings",
    summary="Record a joint meeting (联席会议) with its decisions and action items",
    description="An officer of the convening unit (团区委, `youth_league`) or an administrator "
    "records a meeting once held. " + TRACKING,
    roles=STAFF,
    body=MeetingInput,
    response=MeetingView,
    status=201,
    errors=(403, 422),
)
def record_meeting(call: Call, *, db: Database):
    identity = call.identity
    meetings.check_may_convene(identity.role, identity.unit)
    body = call.body
    meetings.check_held(body["held_on"], clock.today())
    now = utcnow()
    with db.unit_of_work() as uow:
        meeting = Meeting(
            id=str(uuid.uuid4()),
            held_on=body["held_on"],
            title=body["title"],
            convened_by=meetings.CONVENING_UNIT,
            units=json.dumps(meetings.attending(body["units"])),
            minutes=body["minutes"],
            decisions=json.dumps(body["decisions"], ensure_ascii=False),
            version=1,
            created_at=now,
            created_by=identity.account_id,
            updated_at=now,
            updated_by=identity.account_id,
        )
        uow.session.add(meeting)
        uow.audit(
            "meeting.recorded",
            ("meeting", meeting.id),
            details={"held_on": meeting.held_on, "action_items": len(body["action_items"])},
        )
        _add_action_items(uow, meeting, body["action_items"], identity.account_id)
        uow.commit()
        return Created(_shown(uow.session, meeting), f"/api/v1/plan/meetings/{meeting.id}")


@routes.route(
    "GET",
    "/api/v1/plan/meetings",
    summary="The joint meetings, latest first, with their action items' progress",
    roles=STAFF,
    query=MeetingFilter,
    response=MeetingPage,
    paginated=True,
    errors=(422,),
)
def list_meetings(call: Call, *, db: Database):
    query = sa.select(Meeting)
    if call.query.get("period"):
        period = parse_period(call.query["period"], clock.today())
        query = query.where(Meeting.held_on >= period.since, Meeting.held_on < period.until)
    with db.reading() as session:
        page = keyset_page(
            session,
            query,
            [(Meeting.held_on, DESC), (Meeting.id, DESC)],
            call.query.get("after"),
            call.query["limit"],
        )
        items = meetings.action_items_of(session, [m.id for m in page.items])
        return PageResult(
            [
                meetings.meeting_view(m, [item_view(item) for item in items[m.id]])
                for m in page.items
            ],
            page.next_cursor,
        )


@routes.route(
    "GET",
    "/api/v1/plan/meetings/<meeting_id>",
    summary="One joint meeting: units, minutes, decisions, action items",
    description=TRACKING,
    roles=STAFF,
    response=MeetingView,
    errors=(404,),
)
def get_meeting(call: Call, meeting_id: str, *, db: Database):
    with db.reading() as session:
        return _shown(session, _meeting(session, meeting_id))


@routes.route(
    "PATCH",
    "/api/v1/plan/meetings/<meeting_id>",
    summary="Correct a meeting's record: date, title, units, minutes, decisions",
    description="The convening unit or an administrator; the fields changed are in the audit "
    "trail. Action items are changed as plan items.",
    roles=STAFF,
    body=MeetingUpdate,
    response=MeetingView,
    errors=(403, 404, 422),
)
def update_meeting(call: Call, meeting_id: str, *, db: Database):
    identity = call.identity
    meetings.check_may_convene(identity.role, identity.unit)
    body = dict(call.body)
    if "held_on" in body:
        meetings.check_held(body["held_on"], clock.today())
    if "units" in body:
        body["units"] = json.dumps(meetings.attending(body["units"]))
    if "decisions" in body:
        body["decisions"] = json.dumps(body["decisions"], ensure_ascii=False)
    with db.unit_of_work() as uow:
        meeting = _meeting(uow.session, meeting_id, lock=True)
        changed = sorted(name for name, value in body.items() if getattr(meeting, name) != value)
        if changed:
            for name in changed:
                setattr(meeting, name, body[name])
            meeting.version += 1
            meeting.updated_at, meeting.updated_by = utcnow(), identity.account_id
            uow.audit("meeting.corrected", ("meeting", meeting.id), details={"fields": changed})
            uow.commit()
        return _shown(uow.session, meeting)


@routes.route(
    "POST",
    "/api/v1/plan/meetings/<meeting_id>/action-items",
    summary="Assign another action item of a meeting to a unit",
    description="The convening unit or an administrator. " + TRACKING,
    roles=STAFF,
    body=ActionItemInput,
    response=PlanItemView,
    status=201,
    errors=(403, 404, 422),
)
def add_action_item(call: Call, meeting_id: str, *, db: Database):
    identity = call.identity
    meetings.check_may_convene(identity.role, identity.unit)
    with db.unit_of_work() as uow:
        meeting = _meeting(uow.session, meeting_id, lock=True)
        (item,) = _add_action_items(uow, meeting, [call.body], identity.account_id)
        uow.commit()
        return Created(item_view(item), f"/api/v1/plan/items/{item.id}")
