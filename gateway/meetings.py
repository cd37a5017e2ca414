"""Joint meetings (联席会议, plan 四.(一)): the district's youth-work joint meeting, convened by the
Youth League committee (团区委: "共青团协调"), meets regularly to dispatch major policies,
projects and work; each meeting is recorded with the units that attended, its minutes, its
decisions (议定事项) and its action items.

An action item IS a plan item (`gateway/plan_items.py`) of the task list (任务落实清单) linked
to its meeting: assigned to a unit with a due date, it is tracked to done by that unit's
officers with progress notes and a history, flagged when past due and its unit reminded
through notify, by the same routes and the same timer as every other item. Only the convening
unit (or an administrator) records meetings and assigns their action items.

`meetings_in(db, period)` gives a period's meetings with their action items, for the
quarterly report.
"""

from __future__ import annotations

import json
from datetime import date

import sqlalchemy as sa

from services.common.db import Database
from services.common.errors import Forbidden, InvalidInput

from . import plan_items
from .messages import MESSAGES
from .models import Meeting, PlanItem
from .units import UNITS

#: the unit that convenes the joint meeting and keeps its record (团区委, plan 四.(一))
CONVENING_UNIT = "youth_league"
#: the list an action item belongs to: the plan's task list (任务落实清单)
ACTION_ITEM_KIND = "task"


def check_may_convene(role: str | None, actor_unit: str | None) -> None:
    """Only an administrator or an officer of the convening unit records meetings."""
    if role == "admin":
        return
    if role != "officer" or actor_unit != CONVENING_UNIT:
        raise Forbidden("not_convening_unit", params={"unit": UNITS[CONVENING_UNIT].zh})


def check_held(held_on: date, today: date) -> None:
    """A meeting is recorded once held: a date in the future is refused."""
    if held_on > today:
        raise InvalidInput.for_field("held_on", "meeting_in_future", MESSAGES)


def attending(units: list[str]) -> list[str]:
    """The attending units, each once and in the code list's order; the convening unit always
    attends its own meeting."""
    chosen = set(units) | {CONVENING_UNIT}
    return [code for code in UNITS if code in chosen]


def owner_of(action: dict) -> str:
    """An item's single `owner` text for an action item: its person, else its section, else
    the unit's name (the older field every item has)."""
    return action.get("person") or action.get("section") or UNITS[action["unit"]].zh


def progress_of(items: list[dict]) -> dict:
    """How far a meeting's action items are: how many, done, overdue."""
    return {
        "total": len(items),
        "done": sum(1 for item in items if item["status"] == "done"),
        "overdue": sum(1 for item in items if item["overdue"]),
    }


def meeting_view(meeting: Meeting, items: list[dict]) -> dict:
    """A meeting as shown, with its action items (plan items as `/api/v1/plan/items` shows
    them) and their progress."""
    return {
        "id": meeting.id,
        "held_on": meeting.held_on,
        "title": meeting.title,
        "convened_by": meeting.convened_by,
        "units": json.loads(meeting.units or "[]"),
        "minutes": meeting.minutes,
        "decisions": json.loads(meeting.decisions or "[]"),
        "action_items": items,
        "progress": progress_of(items),
        "version": meeting.version,
        "created_at": meeting.created_at,
        "created_by": meeting.created_by,
        "updated_at": meeting.updated_at,
        "updated_by": meeting.updated_by,
    }


def action_items_of(session, meeting_ids: list[str]) -> dict[str, list[PlanItem]]:
    """The action items of each meeting, by due date."""
    found: dict[str, list[PlanItem]] = {meeting_id: [] for meeting_id in meeting_ids}
    if not meeting_ids:
        return found
    rows = session.execute(
        sa.select(PlanItem)
        .where(PlanItem.meeting_id.in_(meeting_ids))
        .order_by(PlanItem.due_date, PlanItem.id)
    ).scalars()
    for item in rows:
        found[item.meeting_id].append(item)
    return found


def item_summary(item: PlanItem, today: date) -> dict:
    """An action item as a report lists it."""
    return {
        "id": item.id,
        "title": item.title,
        "unit": item.unit,
        "due_date": item.due_date,
        "status": item.status,
        "progress": item.progress,
        "overdue": plan_items.is_overdue(item.due_date, item.status, today),
    }


def meetings_in(db: Database, period, today: date) -> list[dict]:
    """The meetings held in `period` (an `indicators.Period`: [since, until)), oldest first,
    each with its decisions and action items (status, progress, overdue as of `today`) and
    their progress: what the quarterly report shows of the joint meetings."""
    with db.reading() as session:
        meetings = list(
            session.execute(
                sa.select(Meeting)
                .where(Meeting.held_on >= period.since, Meeting.held_on < period.until)
                .order_by(Meeting.held_on, Meeting.id)
            ).scalars()
        )
        items = action_items_of(session, [m.id for m in meetings])
        return [
            meeting_view(m, [item_summary(item, today) for item in items[m.id]]) for m in meetings
        ]
