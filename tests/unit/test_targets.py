"""Targets by period: an annual target is judged for whole years only, and every indicator's
trajectory is taken against the target pro-rated to the days elapsed (gateway/targets.py)."""

from datetime import date

import pytest

from gateway import indicators, targets

ANNUAL = {"comparison": ">=", "value": 1000, "per": "year"}
PER_REGISTRATION = {"comparison": "<=", "value": 120, "per": "registration"}


def period(text: str):
    return indicators.parse_period(text, date(2026, 11, 28))


def test_a_month_is_not_judged_against_the_annual_target():
    # the bug: 999 in a month was "not met" and 1,000 in a month "met" against the year's 1,000
    assert indicators.target_met(999, ANNUAL, period("2026-11")) is None
    assert indicators.target_met(1000, ANNUAL, period("2026-11")) is None
    assert indicators.target_met(5000, ANNUAL, period("2026-Q4")) is None


def test_a_whole_year_is_judged_against_the_annual_target():
    assert indicators.target_met(1000, ANNUAL, period("2026")) is True
    assert indicators.target_met(999, ANNUAL, period("2026")) is False


def test_a_bound_per_registration_is_judged_in_every_period():
    assert indicators.target_met(119, PER_REGISTRATION, period("2026-11")) is True
    assert indicators.target_met(121, PER_REGISTRATION, period("2026-11")) is False


def test_the_annual_target_is_pro_rated_to_the_days_elapsed_today_included():
    year = period("2026")
    assert targets.expected_by(ANNUAL, year.since, year.until, date(2026, 12, 31)) == 1000
    half = targets.expected_by(ANNUAL, year.since, year.until, date(2026, 7, 1))
    assert half == pytest.approx(1000 * 182 / 365)
    november = period("2026-11")
    whole_month = targets.expected_by(ANNUAL, november.since, november.until, date(2027, 2, 1))
    assert whole_month == pytest.approx(1000 * 30 / 365)
    assert targets.expected_by(ANNUAL, november.since, november.until, date(2026, 10, 31)) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [(500, "on_track"), (450, "at_risk"), (399, "at_risk"), (398, "behind"), (None, None)],
)
def test_the_trajectory_of_an_annual_target_half_way_through_the_year(value, expected):
    year = period("2026")
    today = date(2026, 7, 1)  # 182 of 365 days: 498.6 expected; at risk from 80 %, 398.9
    assert targets.trajectory(value, ANNUAL, year.since, year.until, today) == expected


def test_a_month_is_on_track_against_its_share_of_the_annual_target():
    november = period("2026-11")
    after = date(2026, 12, 15)
    assert targets.trajectory(83, ANNUAL, november.since, november.until, after) == "on_track"
    assert targets.trajectory(70, ANNUAL, november.since, november.until, after) == "at_risk"
    assert targets.trajectory(10, ANNUAL, november.since, november.until, after) == "behind"
    future = date(2026, 10, 1)
    assert targets.trajectory(0, ANNUAL, november.since, november.until, future) is None


def test_a_bound_is_on_track_when_kept_and_behind_when_not():
    november = period("2026-11")
    today = date(2026, 11, 28)
    assert targets.trajectory(90, PER_REGISTRATION, *_span(november), today) == "on_track"
    assert targets.trajectory(150, PER_REGISTRATION, *_span(november), today) == "behind"


def _span(p):
    return p.since, p.until


def test_the_answer_shows_met_expected_and_trajectory_per_period():
    plan = indicators.load_plan()
    values = {indicators.HEADLINE: 100}
    month = indicators.assemble(plan, period("2026-11"), values, {}, [], today=date(2026, 11, 30))
    headline = next(
        i for t in month["tasks"] for i in t["indicators"] if i["code"] == indicators.HEADLINE
    )
    assert headline["met"] is None  # 100 in a month is not judged against 1,000 a year
    assert headline["expected"] == pytest.approx(82.2, abs=0.1)
    assert headline["trajectory"] == "on_track"
    year = indicators.assemble(plan, period("2026"), values, {}, [], today=date(2026, 11, 30))
    headline = next(
        i for t in year["tasks"] for i in t["indicators"] if i["code"] == indicators.HEADLINE
    )
    assert (headline["met"], headline["trajectory"]) == (False, "behind")
