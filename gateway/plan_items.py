"""The four lists of the plan's implementation (组织实施 二): expected outcomes (预期成果清单),
policy measures (政策举措清单), practical projects (实事项目清单) and tasks (任务落实清单).

Each item belongs to a responsible unit and names who answers for it (四.(二): 分管领导 leader,
责任科室 section, 责任人 person; `owner` is the older single field), a due date, the indicators it
serves and its progress; officers of that unit maintain it, write progress notes, and every
change is kept in its history.

The lists track themselves: an item not done by its due date is overdue (shown at once), and a
gateway timer flags it (`overdue_since`) and reminds its unit once. Notify messages accounts,
not units, so the reminder is one `plan_item.overdue` event per active officer account of the
unit (ids and the item's title only); notify turns each into a message in that officer's inbox.
"""

from __future__ import annotations

from datetime import date

from services.common.errors import Forbidden

KINDS = ("expected_outcome", "policy_measure", "practical_project", "task")
STATUSES = ("planned", "in_progress", "done", "delayed")
TRACKED_FIELDS = (
    "title",
    "description",
    "task_code",
    "owner",
    "due_date",
    "progress",
    "status",
    "note",
    "leader",
    "section",
    "person",
    "indicator_codes",
)


def check_may_maintain(role: str | None, actor_unit: str | None, item_unit: str) -> None:
    if role == "admin":
        return
    if role != "officer" or actor_unit != item_unit:
        raise Forbidden("not_unit_officer", params={"unit": item_unit})


def changes_between(before: dict, after: dict) -> dict:
    """{field: [old, new]} for every tracked field that changed (dates as ISO text)."""

    def shown(value):
        return value.isoformat() if isinstance(value, date) else value

    return {
        field: [shown(before.get(field)), shown(after[field])]
        for field in TRACKED_FIELDS
        if field in after and shown(before.get(field)) != shown(after[field])
    }


def is_overdue(due_date: date, status: str, today: date) -> bool:
    """Past its due date and not done (a done item is never overdue)."""
    return status != "done" and due_date < today
