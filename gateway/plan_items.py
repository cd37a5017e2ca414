"""The four lists of the plan's implementation (组织实施 二): expected outcomes (预期成果清单),
policy measures (政策举措清单), practical projects (实事项目清单) and tasks (任务落实清单).

Each item belongs to a responsible unit, has an owner, a due date and its progress; officers of
that unit maintain it, and every change is kept in its history.
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
