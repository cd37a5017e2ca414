"""Targets by period (监测评估: 过程评估与目标评估): whether an indicator met its target, and its
trajectory against it (on track, at risk, behind).

A target may be set `per` a year (`{"comparison": ">=", "value": 1000, "per": "year"}`: at least
1,000 graduates stay in a year). Such a target is **judged only for a whole year**: a month or a
quarter is never "met" or "not met" against the annual figure (`met` is None), because 80
graduates in November is neither a success nor a failure of a 1,000-a-year target. Progress
within the year is what the trajectory shows instead: the target **pro-rated by the days
elapsed** (of the period, up to today) is what the indicator should have reached by now.

Any other target (`per` a registration, a rate, or none) is a bound every value must keep: it is
judged in every period, and its trajectory is on track when met, behind when not.

The at-risk band is the plan's (`trajectory.at_risk_ratio` in `gateway/plan/indicators.json`,
0.8 by default): a value that has reached at least that share of what was expected by now is at
risk rather than behind.
"""

from __future__ import annotations

from datetime import date, timedelta

#: a value that reached this share of the pro-rated target is at risk, below it behind
#: (the plan file may set another: `trajectory.at_risk_ratio`)
DEFAULT_AT_RISK_RATIO = 0.8

ON_TRACK, AT_RISK, BEHIND = "on_track", "at_risk", "behind"


def _days(since: date, until: date) -> int:
    return max((until - since).days, 0)


def is_annual(target: dict | None) -> bool:
    return bool(target) and target.get("per") == "year"


def whole_year(since: date, until: date) -> bool:
    return since == date(since.year, 1, 1) and until == date(since.year + 1, 1, 1)


def _compare(value, bound, comparison: str) -> bool:
    return value >= bound if comparison == ">=" else value <= bound


def target_met(value, target: dict | None, since: date | None = None, until: date | None = None):
    """Whether `value` of the period [since, until) meets `target`; None when there is nothing to
    judge: no value, no target, or an annual target and a period that is not a whole year."""
    if target is None or value is None:
        return None
    if is_annual(target) and since is not None and not whole_year(since, until):
        return None
    return _compare(value, target["value"], target["comparison"])


def expected_by(target: dict, since: date, until: date, today: date) -> float | None:
    """What an annual target asks of the period [since, until) by `today`: its value times the
    days elapsed (in the period, today included) over the days of the year; None before the
    period starts."""
    if today < since:
        return None
    year_days = _days(date(since.year, 1, 1), date(since.year + 1, 1, 1))
    # today counts as elapsed: on a period's first day its first day's share is expected
    elapsed = _days(since, min(today + timedelta(days=1), until))
    return target["value"] * elapsed / year_days


def trajectory(
    value,
    target: dict | None,
    since: date,
    until: date,
    today: date,
    at_risk_ratio: float = DEFAULT_AT_RISK_RATIO,
) -> str | None:
    """on_track, at_risk or behind against the target; None with no value, no target, or a
    period that has not started."""
    if target is None or value is None or today < since:
        return None
    if not is_annual(target):
        return ON_TRACK if _compare(value, target["value"], target["comparison"]) else BEHIND
    expected = expected_by(target, since, until, today)
    if target["comparison"] == ">=":
        if value >= expected:
            return ON_TRACK
        return AT_RISK if value >= expected * at_risk_ratio else BEHIND
    # an annual ceiling (at most so many a year): under the pro-rated share is on track
    if value <= expected:
        return ON_TRACK
    return AT_RISK if value * at_risk_ratio <= expected else BEHIND
