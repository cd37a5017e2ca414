"""The quarterly evaluation report (季度评估报告) an office hands to its leaders (四.(三) 过程评估
和目标评估, 四.(五) 总结推广): what the report says, as plain data; `report_files.py` writes it as
XLSX and PDF.

It holds the indicators against their targets with each one's trajectory, the rates with their
numerators and denominators, the headline's months as a chart, and the four lists: how many
items of each list are in each state and which are past due. Labels are in the caller's
language; figures are the indicators answer's, so the report and the console never disagree.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from . import plan_items
from .indicators import HEADLINE
from .units import UNITS

TEXT = {
    "title": {
        "zh-CN": "青年发展规划季度评估报告",
        "en": "Youth development plan: quarterly evaluation",
    },
    "period": {"zh-CN": "评估期", "en": "Period"},
    "plan_version": {"zh-CN": "指标体系版本", "en": "Indicator plan version"},
    "generated": {"zh-CN": "生成日期", "en": "Generated on"},
    "degraded": {"zh-CN": "以下服务未能提供数据", "en": "Services that did not answer"},
    "indicators": {"zh-CN": "一、指标与目标", "en": "1. Indicators against targets"},
    "rates": {"zh-CN": "二、比率指标", "en": "2. Rates"},
    "lists": {"zh-CN": "三、四个清单落实情况", "en": "3. The four lists"},
    "overdue": {"zh-CN": "逾期未完成事项", "en": "Items past due"},
    "headline_months": {
        "zh-CN": "留区就业创业高校毕业生(按月)",
        "en": "Graduates who stayed, by month",
    },
    "task": {"zh-CN": "任务", "en": "Task"},
    "indicator": {"zh-CN": "指标", "en": "Indicator"},
    "value": {"zh-CN": "数值", "en": "Value"},
    "target": {"zh-CN": "目标", "en": "Target"},
    "met": {"zh-CN": "是否达标", "en": "Met"},
    "trajectory": {"zh-CN": "进度", "en": "Trajectory"},
    "rate": {"zh-CN": "比率", "en": "Rate"},
    "numerator": {"zh-CN": "分子", "en": "Numerator"},
    "denominator": {"zh-CN": "分母(基数)", "en": "Denominator (baseline)"},
    "percent": {"zh-CN": "百分比", "en": "Percent"},
    "list": {"zh-CN": "清单", "en": "List"},
    "unit": {"zh-CN": "责任单位", "en": "Unit"},
    "due": {"zh-CN": "完成时限", "en": "Due"},
    "who": {"zh-CN": "分管领导 / 责任人", "en": "Leader / person"},
    "item": {"zh-CN": "事项", "en": "Item"},
    "month": {"zh-CN": "月份", "en": "Month"},
    "meetings": {"zh-CN": "四、联席会议", "en": "4. Joint meetings"},
    "action_items": {"zh-CN": "会议议定事项", "en": "Action items"},
    "held_on": {"zh-CN": "日期", "en": "Date"},
    "meeting": {"zh-CN": "会议", "en": "Meeting"},
    "units": {"zh-CN": "参会单位", "en": "Units"},
    "decisions": {"zh-CN": "议定事项数", "en": "Decisions"},
    "items_done": {"zh-CN": "已完成 / 事项", "en": "Done / items"},
    "status": {"zh-CN": "状态", "en": "Status"},
    "overdue_flag": {"zh-CN": "逾期", "en": "Overdue"},
    "survey": {"zh-CN": "五、青年获得感、幸福感、安全感调查", "en": "5. Survey of young people"},
    "aspect": {"zh-CN": "维度", "en": "Aspect"},
    "mean": {"zh-CN": "平均分(1–5)", "en": "Mean (1–5)"},
    "answers": {"zh-CN": "答卷数", "en": "Answers"},
    "satisfaction": {"zh-CN": "各项任务满意度", "en": "Satisfaction by task"},
    "suppressed": {
        "zh-CN": "答卷少于{k}份,不予公布",
        "en": "Fewer than {k} answers: not shown",
    },
    "gain": {"zh-CN": "获得感", "en": "Sense of gain"},
    "happiness": {"zh-CN": "幸福感", "en": "Sense of happiness"},
    "security": {"zh-CN": "安全感", "en": "Sense of security"},
    "yes": {"zh-CN": "是", "en": "yes"},
    "no": {"zh-CN": "否", "en": "no"},
    "on_track": {"zh-CN": "按计划", "en": "on track"},
    "at_risk": {"zh-CN": "有风险", "en": "at risk"},
    "behind": {"zh-CN": "滞后", "en": "behind"},
    "expected_outcome": {"zh-CN": "预期成果清单", "en": "Expected outcomes"},
    "policy_measure": {"zh-CN": "政策举措清单", "en": "Policy measures"},
    "practical_project": {"zh-CN": "实事项目清单", "en": "Practical projects"},
    "task_list": {"zh-CN": "任务落实清单", "en": "Tasks"},
    "planned": {"zh-CN": "计划中", "en": "planned"},
    "in_progress": {"zh-CN": "推进中", "en": "in progress"},
    "done": {"zh-CN": "已完成", "en": "done"},
    "delayed": {"zh-CN": "已延期", "en": "delayed"},
}


@dataclass(frozen=True)
class Table:
    title: str
    header: list[str]
    rows: list[list]


@dataclass(frozen=True)
class Chart:
    """Bars, one per category, for each named series."""

    title: str
    categories: list[str]
    series: dict[str, list[float]]


@dataclass
class Section:
    title: str
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


@dataclass
class Report:
    title: str
    facts: list[tuple[str, str]]
    sections: list[Section]
    #: what the file is called, without its extension
    name: str


def _t(key: str, locale: str) -> str:
    return TEXT[key][locale]


def _kind(kind: str, locale: str) -> str:
    return _t("task_list" if kind == "task" else kind, locale)


def _shown(value) -> str | float:
    return "" if value is None else value


@dataclass(frozen=True)
class Steering:
    """What the district did to steer in the period: the four lists' `items` (PlanItem rows),
    its joint `meetings` (`meetings.meetings_in`) and its `survey` (`surveys.survey_results`)."""

    items: list
    meetings: list[dict]
    survey: dict


def build(answer: dict, rates: list[dict], steering: Steering, today: date, locale: str) -> Report:
    """The report of the indicators answer `answer` (`indicators.gather`), its `rates`
    (`baselines.rates`) and the period's `steering`, as of `today`."""
    period = answer["period"]["name"]
    facts = [
        (_t("period", locale), period),
        (_t("plan_version", locale), answer["plan_version"]),
        (_t("generated", locale), today.isoformat()),
    ]
    if answer["degraded"]:
        names = ", ".join(d["service"] for d in answer["degraded"])
        facts.append((_t("degraded", locale), names))
    sections = [
        _indicators_section(answer, locale),
        _rates_section(rates, locale),
        _lists_section(steering.items, today, locale),
        _meetings_section(steering.meetings, locale),
        _survey_section(steering.survey, locale),
    ]
    return Report(_t("title", locale), facts, sections, f"evaluation-{period}")


def _indicators_section(answer: dict, locale: str) -> Section:
    rows = []
    for task in answer["tasks"]:
        for indicator in task["indicators"]:
            target = indicator["target"]
            met = indicator["met"]
            trajectory = indicator.get("trajectory")
            rows.append(
                [
                    task["code"],
                    indicator["label"][locale],
                    _shown(indicator["value"]),
                    "" if target is None else f"{target['comparison']} {target['value']}",
                    "" if met is None else _t("yes" if met else "no", locale),
                    _t(trajectory, locale) if trajectory in TEXT else "",
                ]
            )
    header = [_t(key, locale) for key in ("task", "indicator", "value", "target", "met")]
    table = Table(_t("indicators", locale), [*header, _t("trajectory", locale)], rows)
    headline = next(
        (i for task in answer["tasks"] for i in task["indicators"] if i["code"] == HEADLINE), None
    )
    charts = []
    if headline is not None:
        charts.append(
            Chart(
                _t("headline_months", locale),
                [month[-2:] for month in answer["series_months"]],
                {headline["label"][locale]: [v or 0 for v in headline["series"]]},
            )
        )
    return Section(_t("indicators", locale), [table], charts)


def _rates_section(rates: list[dict], locale: str) -> Section:
    rows = [
        [
            rate["label"][locale],
            _shown(rate["numerator"]["value"]),
            _shown(rate["denominator"]["value"]),
            _shown(rate["percent"]),
        ]
        for rate in rates
    ]
    header = [_t(key, locale) for key in ("rate", "numerator", "denominator", "percent")]
    return Section(_t("rates", locale), [Table(_t("rates", locale), header, rows)])


def _lists_section(items: list, today: date, locale: str) -> Section:
    counts = Counter((item.kind, item.status) for item in items)
    summary = [
        [_kind(kind, locale), *[counts[(kind, status)] for status in plan_items.STATUSES]]
        for kind in plan_items.KINDS
    ]
    statuses = [_t(status, locale) for status in plan_items.STATUSES]
    overdue = [
        [
            _kind(item.kind, locale),
            item.title,
            _unit_name(item.unit, locale),
            item.due_date.isoformat(),
            " / ".join(part for part in (item.leader, item.person or item.owner) if part),
        ]
        for item in sorted(items, key=lambda row: (row.due_date, row.title))
        if plan_items.is_overdue(item.due_date, item.status, today)
    ]
    header = [_t(key, locale) for key in ("list", "item", "unit", "due", "who")]
    return Section(
        _t("lists", locale),
        [
            Table(_t("lists", locale), [_t("list", locale), *statuses], summary),
            Table(_t("overdue", locale), header, overdue),
        ],
    )


def _unit_name(code: str, locale: str) -> str:
    return UNITS[code].as_dict()["name"][locale] if code in UNITS else code


def _meetings_section(meetings: list[dict], locale: str) -> Section:
    held = [
        [
            str(meeting["held_on"]),
            meeting["title"],
            "、".join(_unit_name(unit, locale) for unit in meeting["units"]),
            len(meeting["decisions"]),
            f"{sum(i['status'] == 'done' for i in meeting['action_items'])}"
            f" / {len(meeting['action_items'])}",
        ]
        for meeting in meetings
    ]
    items = [
        [
            meeting["title"],
            item["title"],
            _unit_name(item["unit"], locale),
            str(item["due_date"]),
            _t(item["status"], locale),
            _t("yes" if item["overdue"] else "no", locale),
        ]
        for meeting in meetings
        for item in meeting["action_items"]
    ]
    keys = ("held_on", "meeting", "units", "decisions", "items_done")
    item_keys = ("meeting", "item", "unit", "due", "status", "overdue_flag")
    return Section(
        _t("meetings", locale),
        [
            Table(_t("meetings", locale), [_t(key, locale) for key in keys], held),
            Table(_t("action_items", locale), [_t(key, locale) for key in item_keys], items),
        ],
    )


def _survey_section(survey: dict, locale: str) -> Section:
    hidden = _t("suppressed", locale).format(k=survey["threshold"])
    aspects = [
        [_t(aspect, locale), hidden if survey["suppressed"] else _shown(mean)]
        for aspect, mean in survey["aspects"].items()
    ]
    programmes = [
        [p["code"], hidden if p["suppressed"] else _shown(p["satisfaction"])]
        for p in survey["programmes"]
    ]
    answers = survey["answers"]
    title = f"{_t('survey', locale)} ({_t('answers', locale)}: {_shown(answers) or hidden})"
    return Section(
        title,
        [
            Table(title, [_t("aspect", locale), _t("mean", locale)], aspects),
            Table(_t("satisfaction", locale), [_t("task", locale), _t("mean", locale)], programmes),
        ],
    )
