"""The plan's indicators (监测评估), grouped by its tasks, with responsible units and targets.

Which indicators belong to which task, the units responsible and the targets are data
(`gateway/plan/indicators.json`, versioned), so a district edits them without code. Values come
from the services (`indicators(since, until)` RPCs); the headline indicator, graduates who
stayed to work or start a business, is the gateway's: it unites the person ids of graduates
hired in the district (jobs) and of graduates who registered a business (startup), so a person
who did both counts once.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from services.common.errors import InvalidInput

from .messages import MESSAGES
from .units import UNITS

PLAN_FILE = Path(__file__).parent / "plan" / "indicators.json"
HEADLINE = "headline.graduates_staying"


@dataclass(frozen=True)
class Period:
    """A half-open range of days [since, until) named like `2026`, `2026-Q4` or `2026-11`."""

    name: str
    since: date
    until: date

    @property
    def year(self) -> int:
        return self.since.year

    def months(self) -> list[Period]:
        """The twelve months of the period's year (the monthly series)."""
        return [month_period(self.year, month) for month in range(1, 13)]


def month_period(year: int, month: int) -> Period:
    until = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return Period(f"{year}-{month:02d}", date(year, month, 1), until)


def parse_period(text: str | None, today: date) -> Period:
    text = (text or str(today.year)).strip()
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        return Period(text, date(year, 1, 1), date(year + 1, 1, 1))
    quarter = re.fullmatch(r"(\d{4})-Q([1-4])", text)
    if quarter:
        year, number = int(quarter.group(1)), int(quarter.group(2))
        first = month_period(year, 3 * number - 2)
        last = month_period(year, 3 * number)
        return Period(text, first.since, last.until)
    month = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if month and 1 <= int(month.group(2)) <= 12:
        return month_period(int(month.group(1)), int(month.group(2)))
    raise InvalidInput.for_field("period", "invalid_period", MESSAGES)


def load_plan(path: Path = PLAN_FILE) -> dict:
    plan = json.loads(path.read_text(encoding="utf-8"))
    for task in plan["tasks"]:
        unknown = [unit for unit in task["units"] if unit not in UNITS]
        if unknown:
            raise ValueError(f"task {task['code']} names unknown units {unknown}")
    return plan


def indicator_codes(plan: dict) -> list[str]:
    return [indicator["code"] for task in plan["tasks"] for indicator in task["indicators"]]


def services_of(plan: dict) -> set[str]:
    """The services whose indicators the plan uses (a code is `<service>.<name>`)."""
    return {code.split(".", 1)[0] for code in indicator_codes(plan)} - {"headline"}


def target_met(value, target: dict | None) -> bool | None:
    if target is None or value is None:
        return None
    return value >= target["value"] if target["comparison"] == ">=" else value <= target["value"]


def assemble(
    plan: dict, period: Period, values: dict, series: dict[str, list], degraded: list[dict]
) -> dict:
    """The indicators answer: tasks in plan order, each with units, indicators, targets, series."""
    tasks = []
    for task in plan["tasks"]:
        indicators = []
        for indicator in task["indicators"]:
            value = values.get(indicator["code"])
            indicators.append(
                {
                    "code": indicator["code"],
                    "label": indicator["label"],
                    "unit": indicator.get("unit"),
                    "value": value,
                    "target": indicator.get("target"),
                    "met": target_met(value, indicator.get("target")),
                    "series": series.get(indicator["code"], [None] * 12),
                }
            )
        tasks.append(
            {
                "code": task["code"],
                "title": task["title"],
                "units": [UNITS[unit].as_dict() for unit in task["units"]],
                "indicators": indicators,
            }
        )
    return {
        "plan_version": plan["version"],
        "period": {
            "name": period.name,
            "since": period.since.isoformat(),
            "until": period.until.isoformat(),
        },
        "series_months": [month.name for month in period.months()],
        "tasks": tasks,
        "degraded": degraded,
    }


def as_csv(answer: dict, locale: str) -> str:
    """One row per indicator: task, units, code, label, value, target, met, then each month."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "task",
            "units",
            "indicator",
            "label",
            answer["period"]["name"],
            "target",
            "met",
            *answer["series_months"],
        ]
    )
    for task in answer["tasks"]:
        units = "、".join(unit["name"][locale] for unit in task["units"])
        for indicator in task["indicators"]:
            target = indicator["target"]
            writer.writerow(
                [
                    task["code"],
                    units,
                    indicator["code"],
                    indicator["label"][locale],
                    "" if indicator["value"] is None else indicator["value"],
                    "" if target is None else f"{target['comparison']} {target['value']}",
                    "" if indicator["met"] is None else ("yes" if indicator["met"] else "no"),
                    *["" if v is None else v for v in indicator["series"]],
                ]
            )
    return out.getvalue()
