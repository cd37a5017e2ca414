"""The plan's indicators (监测评估), grouped by its tasks, with responsible units and targets.

Which indicators belong to which task, the units responsible and the targets are data
(`gateway/plan/indicators.json`, versioned), so a district edits them without code. Values come
from the services (`indicators(since, until)` RPCs); the headline indicator, graduates who
stayed to work or start a business, is the gateway's: it unites the person ids of graduates
hired in the district (jobs) and of graduates who registered a business (startup), so a person
who did both counts once.

`gather` asks every service at once (`gateway/fanout.py`) and keeps a complete answer for
INDICATORS_MAX_AGE seconds; the rest is plain functions of the plan and the values.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from services.common.clock import clock
from services.common.errors import InvalidInput
from services.common.finance.rules import LEDGERS, PROGRAMMES

from . import targets
from .fanout import Degraded, call_all
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
    try:
        return _period(text, today)
    except ValueError:  # a year no calendar date has (0000, 9999's next)
        raise InvalidInput.for_field("period", "invalid_period", MESSAGES) from None


def _period(text: str | None, today: date) -> Period:
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


#: indicators the gateway counts itself: the headline, and the surveys' (`gateway/surveys.py`)
GATEWAY_SOURCES = {"headline", "survey"}


def services_of(plan: dict) -> set[str]:
    """The services whose indicators the plan uses (a code is `<service>.<name>`)."""
    return {code.split(".", 1)[0] for code in indicator_codes(plan)} - GATEWAY_SOURCES


def with_values(answer: dict, values: dict, period: Period, today: date) -> dict:
    """`answer` (a kept one is not changed) with the values of indicators counted outside the
    services' answers (the surveys'), judged against their targets like the others."""
    at_risk = current_plan().get("trajectory", {}).get("at_risk_ratio")
    tasks = []
    for task in answer["tasks"]:
        shown = []
        for indicator in task["indicators"]:
            if indicator["code"] in values:
                value, target = values[indicator["code"]], indicator["target"]
                indicator = {
                    **indicator,
                    "value": value,
                    "met": target_met(value, target, period),
                    "trajectory": targets.trajectory(
                        value,
                        target,
                        period.since,
                        period.until,
                        today,
                        at_risk or targets.DEFAULT_AT_RISK_RATIO,
                    ),
                }
            shown.append(indicator)
        tasks.append({**task, "indicators": shown})
    return {**answer, "tasks": tasks}


def target_met(value, target: dict | None, period: Period | None = None) -> bool | None:
    """Whether `value` meets `target` in `period`: an annual target is judged only for a whole
    year (`gateway/targets.py`)."""
    if period is None:
        return targets.target_met(value, target)
    return targets.target_met(value, target, period.since, period.until)


def assemble(
    plan: dict,
    period: Period,
    values: dict,
    series: dict[str, list],
    degraded: list[dict],
    spending: list[dict] | None = None,
    today: date | None = None,
) -> dict:
    """The indicators answer: tasks in plan order, each with units, indicators, targets (met,
    and the trajectory as of `today`, the period's last day if not given), series, and the
    budget figures of the programmes that pay for the task (the period's year)."""
    tasks = []
    spending = spending or []
    today = today or period.until - timedelta(days=1)
    at_risk = plan.get("trajectory", {}).get("at_risk_ratio", targets.DEFAULT_AT_RISK_RATIO)
    for task in plan["tasks"]:
        indicators = []
        for indicator in task["indicators"]:
            value, target = values.get(indicator["code"]), indicator.get("target")
            indicators.append(
                {
                    "code": indicator["code"],
                    "label": indicator["label"],
                    "unit": indicator.get("unit"),
                    "value": value,
                    "target": target,
                    "met": target_met(value, target, period),
                    "expected": _expected(target, period, today),
                    "trajectory": targets.trajectory(
                        value, target, period.since, period.until, today, at_risk
                    ),
                    "series": series.get(indicator["code"], [None] * 12),
                }
            )
        tasks.append(
            {
                "code": task["code"],
                "title": task["title"],
                "units": [UNITS[unit].as_dict() for unit in task["units"]],
                "indicators": indicators,
                "spending": [item for item in spending if _task_of(item) == task["code"]],
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
        "spending": spending,
        "degraded": degraded,
    }


def _expected(target: dict | None, period: Period, today: date) -> float | None:
    """What an annual target asks of the period by today (pro-rated), rounded for display."""
    if not targets.is_annual(target):
        return None
    expected = targets.expected_by(target, period.since, period.until, today)
    return None if expected is None else round(expected, 1)


def _task_of(budget: dict) -> str | None:
    programme = PROGRAMMES.get(budget["programme"])
    return programme.task if programme else None


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


def values_of(answer: dict) -> dict:
    """Each indicator's value in an answer, by code."""
    return {i["code"]: i["value"] for task in answer["tasks"] for i in task["indicators"]}


# -- gathering the values ----------------------------------------------------------------

#: complete answers by period name and the district's date (the trajectory is today's), with the
#: monotonic time they were gathered; kept for the whole process, whichever worker (a request,
#: the gauges' timer) asked
_kept: dict[tuple[str, date], tuple[float, dict, set[str] | None]] = {}


@functools.cache
def current_plan() -> dict:
    """The plan file, read once per process."""
    return load_plan()


def gather(period: Period, services, settings) -> dict:
    """The indicators of `period` with their monthly series, asked of every service at once
    within VIEW_TIMEOUT (kept INDICATORS_MAX_AGE seconds: officers refresh, the numbers move
    slowly); a service that does not answer is named in `degraded`, and such an answer is not
    kept."""
    return gather_with_people(period, services, settings)[0]


def gather_with_people(period: Period, services, settings) -> tuple[dict, set[str] | None]:
    """`gather`, and the person ids the headline counted in the period (for its breakdown in
    the gateway: `gateway/breakdowns.py`; never part of an answer), None when unknown."""
    today = clock.today()
    kept = _kept.get((period.name, today))
    if kept and time.monotonic() - kept[0] < settings.indicators_max_age:
        return kept[1], kept[2]
    plan = current_plan()
    timeout = settings.view_timeout
    results, degraded = call_all(_calls(plan, period, services.with_timeout(timeout)), timeout)
    values, series = _values_and_series(results)
    values[HEADLINE] = _graduates_staying(results, period.name)
    series[HEADLINE] = [_graduates_staying(results, str(index)) for index in range(12)]
    spending = [
        item
        for name in LEDGERS
        for item in (results.get(f"{name}-budget|total") or {}).get("items", [])
    ]
    answer = assemble(
        plan, period, values, series, _degraded_services(degraded), spending, today=today
    )
    people = _staying_people(results, period.name)
    if not degraded:
        _kept[(period.name, today)] = (time.monotonic(), answer, people)
    return answer, people


def _calls(plan: dict, period: Period, services) -> dict:
    """Every RPC the answer needs, by `<source>|<slot>` (`total` or a month's index; the
    headline's sources are `jobs-people` and `startup-people`, slotted by period name)."""
    calls = {}
    for name in services_of(plan):
        proxy = getattr(services, name)
        calls[f"{name}|total"] = functools.partial(
            proxy.indicators, since=str(period.since), until=str(period.until)
        )
        for index, month in enumerate(period.months()):
            calls[f"{name}|{index}"] = functools.partial(
                proxy.indicators, since=str(month.since), until=str(month.until)
            )
    for name in LEDGERS:
        # what the programmes behind the tasks spent: their budget figures of the period's year
        calls[f"{name}-budget|total"] = functools.partial(
            getattr(services, name).spending, year=period.year
        )
    headline = [(period.name, period)] + [(str(i), m) for i, m in enumerate(period.months())]
    for label, span in headline:
        calls[f"jobs-people|{label}"] = functools.partial(
            services.jobs.graduates_hired_in_district,
            since=str(span.since),
            until=str(span.until),
        )
        calls[f"startup-people|{label}"] = functools.partial(
            services.startup.graduates_registered_businesses,
            since=str(span.since),
            until=str(span.until),
        )
    return calls


def _values_and_series(results: dict) -> tuple[dict, dict[str, list]]:
    """The services' own indicators: the period's values, and each month's in its series."""
    values: dict = {}
    series: dict[str, list] = {}
    for key_name, answer in results.items():
        source, _, slot = key_name.partition("|")
        if source.endswith(("-people", "-budget")):
            continue
        for code, value in (answer or {}).items():
            if slot == "total":
                values[code] = value
            else:
                series.setdefault(code, [None] * 12)[int(slot)] = value
    return values, series


def _staying_people(results: dict, slot: str) -> set[str] | None:
    """Graduates hired in the district or who registered a business in one slot, each person
    once; unknown when either source did not answer."""
    hired, started = results.get(f"jobs-people|{slot}"), results.get(f"startup-people|{slot}")
    if hired is None or started is None:
        return None
    return set(hired) | set(started)


def _graduates_staying(results: dict, slot: str) -> int | None:
    """The headline of one slot: how many people `_staying_people` finds."""
    people = _staying_people(results, slot)
    return None if people is None else len(people)


def _degraded_services(degraded: list[Degraded]) -> list[dict]:
    """Each service that left part of the answer out, once, with its reason."""
    reasons = {
        d.part.split("|")[0].replace("-people", "").replace("-budget", ""): d.reason
        for d in degraded
    }
    return [{"service": service, "reason": reasons[service]} for service in sorted(reasons)]
