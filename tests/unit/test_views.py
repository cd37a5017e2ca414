import time
from datetime import date

import eventlet
import pytest

from gateway import indicators, plan_items
from gateway.fanout import call_all
from services.common.errors import DomainError, Forbidden, ServiceUnavailable


@pytest.mark.parametrize(
    ("text", "since", "until"),
    [
        ("2026", date(2026, 1, 1), date(2027, 1, 1)),
        ("2026-Q4", date(2026, 10, 1), date(2027, 1, 1)),
        ("2026-02", date(2026, 2, 1), date(2026, 3, 1)),
        ("2026-12", date(2026, 12, 1), date(2027, 1, 1)),
    ],
)
def test_periods_are_half_open_ranges_of_days(text, since, until):
    period = indicators.parse_period(text, date(2026, 11, 28))
    assert (period.since, period.until) == (since, until)
    assert [m.name for m in period.months()][:2] == ["2026-01", "2026-02"]


def test_no_period_means_this_year_and_a_bad_one_is_refused():
    assert indicators.parse_period(None, date(2026, 11, 28)).name == "2026"
    for bad in ("2026-13", "26", "last year", "2026-Q5"):
        with pytest.raises(DomainError) as refused:
            indicators.parse_period(bad, date(2026, 11, 28))
        assert refused.value.errors[0]["code"] == "invalid_period"


def test_targets_are_met_in_the_direction_the_plan_sets():
    at_least = {"comparison": ">=", "value": 1000}
    at_most = {"comparison": "<=", "value": 2}
    assert indicators.target_met(1000, at_least) is True
    assert indicators.target_met(999, at_least) is False
    assert indicators.target_met(2, at_most) is True
    assert indicators.target_met(2.01, at_most) is False
    assert indicators.target_met(None, at_least) is None and indicators.target_met(5, None) is None


def test_the_plan_file_names_known_units_and_the_headline_target():
    plan = indicators.load_plan()
    codes = indicators.indicator_codes(plan)
    assert indicators.HEADLINE in codes
    assert [task["code"] for task in plan["tasks"]][:2] == ["一.1", "一.2"]


def test_the_answer_groups_indicators_by_task_and_exports_as_csv():
    plan = indicators.load_plan()
    period = indicators.parse_period("2026", date(2026, 11, 28))
    series = {indicators.HEADLINE: [10] * 11 + [None]}
    answer = indicators.assemble(plan, period, {indicators.HEADLINE: 1200}, series, [])
    task = next(t for t in answer["tasks"] if t["code"] == "一.2")
    headline = task["indicators"][0]
    assert (headline["value"], headline["met"]) == (1200, True)
    assert [u["code"] for u in task["units"]] == ["hrss", "finance", "youth_league"]
    rows = indicators.as_csv(answer, "zh-CN").splitlines()
    assert rows[0].startswith("task,units,indicator,label,2026,target,met,2026-01")
    headline_row = next(r for r in rows if indicators.HEADLINE in r)
    assert (
        "区人社局、区财政局、团区委" in headline_row
        and ">= 1000" in headline_row
        and headline_row.endswith("10,")
    )


def test_fan_out_answers_near_the_slowest_call_and_names_what_failed():
    def slow():
        eventlet.sleep(5)

    def unavailable():
        raise ServiceUnavailable("housing")

    started = time.monotonic()
    results, degraded = call_all(
        {"jobs": lambda: {"items": []}, "housing": unavailable, "events": slow}, timeout=0.3
    )
    assert time.monotonic() - started < 0.6
    assert results == {"jobs": {"items": []}}
    assert {d.part: d.reason for d in degraded} == {"housing": "unavailable", "events": "timeout"}


def test_plan_items_are_kept_by_officers_of_their_unit():
    plan_items.check_may_maintain("officer", "hrss", "hrss")
    plan_items.check_may_maintain("admin", None, "hrss")
    with pytest.raises(Forbidden):
        plan_items.check_may_maintain("officer", "housing", "hrss")


def test_a_change_records_only_what_changed():
    before = {
        "progress": 20,
        "owner": "王科长",
        "due_date": date(2026, 12, 31),
        "status": "in_progress",
    }
    after = {"progress": 40, "owner": "王科长", "due_date": date(2027, 1, 31)}
    assert plan_items.changes_between(before, after) == {
        "progress": [20, 40],
        "due_date": ["2026-12-31", "2027-01-31"],
    }


def test_an_item_not_done_past_its_due_date_is_overdue_and_a_done_one_never():
    due = date(2026, 12, 31)
    assert not plan_items.is_overdue(due, "in_progress", date(2026, 12, 31))
    assert plan_items.is_overdue(due, "in_progress", date(2027, 1, 1))
    assert plan_items.is_overdue(due, "delayed", date(2027, 1, 1))
    assert not plan_items.is_overdue(due, "done", date(2027, 6, 1))
