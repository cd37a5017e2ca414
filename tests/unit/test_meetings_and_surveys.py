"""The rules of joint meetings (联席会议) and of anonymous surveys (获得感、幸福感、安全感):
issue 25."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from gateway import indicators, meetings, surveys
from gateway.units import UNITS
from services.common.errors import Conflict, Forbidden, InvalidInput

K = 5


def test_only_the_convening_unit_or_an_administrator_records_meetings():
    meetings.check_may_convene("admin", None)
    meetings.check_may_convene("officer", "youth_league")
    for role, unit in (("officer", "hrss"), ("youth", None), ("officer", None)):
        with pytest.raises(Forbidden) as refused:
            meetings.check_may_convene(role, unit)
        assert refused.value.code == "not_convening_unit"


def test_a_meeting_is_recorded_once_held():
    meetings.check_held(date(2026, 12, 7), date(2026, 12, 7))
    with pytest.raises(InvalidInput) as refused:
        meetings.check_held(date(2026, 12, 8), date(2026, 12, 7))
    assert refused.value.errors[0]["code"] == "meeting_in_future"


def test_the_convening_unit_always_attends_and_units_follow_the_code_list():
    assert meetings.attending(["hrss", "organisation", "hrss"]) == [
        "organisation",
        "youth_league",
        "hrss",
    ]
    assert meetings.CONVENING_UNIT in UNITS


def test_an_action_items_owner_is_its_person_section_or_unit():
    assert meetings.owner_of({"unit": "hrss", "person": "李科长", "section": "就业科"}) == "李科长"
    assert meetings.owner_of({"unit": "hrss", "section": "就业科"}) == "就业科"
    assert meetings.owner_of({"unit": "hrss"}) == "区人社局"


def test_a_meetings_progress_counts_done_and_overdue_items():
    items = [
        {"status": "done", "overdue": False},
        {"status": "in_progress", "overdue": True},
        {"status": "planned", "overdue": False},
    ]
    assert meetings.progress_of(items) == {"total": 3, "done": 1, "overdue": 1}


def test_a_respondent_hash_is_keyed_per_survey_and_reveals_no_person():
    key = surveys.respondent_key("a-survey-key", "a-jwt-secret")
    same = surveys.respondent_hash(key, "survey-1", "person-1")
    assert same == surveys.respondent_hash(key, "survey-1", "person-1")
    assert same != surveys.respondent_hash(key, "survey-2", "person-1")
    assert same != surveys.respondent_hash(key, "survey-1", "person-2")
    other_key = surveys.respondent_key("another-key", "a-jwt-secret")
    assert same != surveys.respondent_hash(other_key, "survey-1", "person-1")
    assert "person-1" not in same and len(same) == 64


def test_without_its_own_key_the_respondent_key_is_derived_from_the_token_key():
    derived = surveys.respondent_key(None, "a-jwt-secret")
    assert derived == surveys.respondent_key("", "a-jwt-secret")
    assert derived != b"a-jwt-secret" and derived != surveys.respondent_key(None, "another")
    with pytest.raises(RuntimeError):
        surveys.respondent_key(None, None)


def test_a_survey_is_answered_only_while_open():
    survey = SimpleNamespace(opens_on=date(2026, 10, 1), closes_on=date(2026, 12, 31))
    surveys.check_open(survey, date(2026, 10, 1))
    surveys.check_open(survey, date(2026, 12, 31))
    for day in (date(2026, 9, 30), date(2027, 1, 1)):
        with pytest.raises(Conflict) as refused:
            surveys.check_open(survey, day)
        assert refused.value.code == "survey_not_open"
    with pytest.raises(InvalidInput):
        surveys.check_dates(date(2026, 12, 1), date(2026, 11, 30))


def test_satisfaction_is_asked_only_of_the_surveys_programmes():
    surveys.check_satisfaction({"一.2": 4}, ["一.2", "二.1"])
    with pytest.raises(InvalidInput) as refused:
        surveys.check_satisfaction({"三.1": 4}, ["一.2"])
    assert refused.value.errors[0]["field"] == "satisfaction"


def answer(area: str, happiness: int, age_band: str = "18-24", **satisfaction) -> surveys.Scores:
    return surveys.Scores(
        area=area,
        age_band=age_band,
        aspects={"gain": 3, "happiness": happiness, "security": 4},
        satisfaction=satisfaction,
    )


def test_results_are_suppressed_until_the_threshold_is_reached():
    four = [answer("township_1", 4) for _ in range(K - 1)]
    hidden = surveys.results(four, ["一.2"], K)
    assert hidden["suppressed"] and hidden["answers"] is None
    assert hidden["aspects"] == {"gain": None, "happiness": None, "security": None}
    assert all(cell["aspects"]["happiness"] is None for cell in hidden["by_area"])

    shown = surveys.results([*four, answer("township_1", 5)], ["一.2"], K)
    assert not shown["suppressed"] and shown["answers"] == K
    assert shown["aspects"] == {"gain": 3.0, "happiness": 4.2, "security": 4.0}
    township = next(c for c in shown["by_area"] if c["key"] == "township_1")
    assert (township["answers"], township["aspects"]["happiness"]) == (K, 4.2)
    assert surveys.results([], ["一.2"], K)["answers"] == 0


def test_one_small_area_hides_the_next_smallest_so_the_total_does_not_give_it_away():
    answers = (
        [answer("township_1", 5) for _ in range(6)]
        + [answer("subdistrict_1", 3) for _ in range(5)]
        + [answer("subdistrict_2", 1)]
    )
    by_area = {c["key"]: c for c in surveys.results(answers, [], K)["by_area"]}
    assert by_area["subdistrict_2"]["suppressed"] and by_area["subdistrict_2"]["answers"] is None
    assert by_area["subdistrict_2"]["aspects"]["happiness"] is None
    assert by_area["subdistrict_1"]["suppressed"]  # the next smallest goes with it
    assert by_area["township_1"]["aspects"]["happiness"] == 5.0
    assert by_area["subdistrict_4"] == {
        "key": "subdistrict_4",
        "answers": 0,
        "suppressed": False,
        "aspects": {"gain": None, "happiness": None, "security": None},
    }


def test_a_programme_rated_by_too_few_is_suppressed_on_its_own():
    answers = [answer("township_1", 4, **{"一.2": 5}) for _ in range(K)]
    answers += [answer("township_1", 4, **{"二.1": 2})]
    programmes = {p["code"]: p for p in surveys.results(answers, ["一.2", "二.1"], K)["programmes"]}
    assert programmes["一.2"] == {
        "code": "一.2",
        "answers": K,
        "suppressed": False,
        "satisfaction": 5.0,
    }
    assert programmes["二.1"]["suppressed"] and programmes["二.1"]["satisfaction"] is None


def test_a_year_holds_its_quarters_surveys_and_a_month_none():
    quarter = indicators.parse_period("2026-Q4", date(2026, 12, 7))
    assert surveys.within(quarter, indicators.parse_period("2026", date(2026, 12, 7)))
    assert surveys.within(quarter, quarter)
    assert not surveys.within(quarter, indicators.parse_period("2026-11", date(2026, 12, 7)))
    assert not surveys.within(quarter, indicators.parse_period("2027", date(2026, 12, 7)))


def test_survey_indicators_are_none_without_a_survey_or_below_the_threshold():
    none = surveys.indicator_values({"surveys": []})
    assert set(none) == {*surveys.INDICATORS.values(), surveys.ANSWERS_INDICATOR}
    assert set(none.values()) == {None}
    few = {"surveys": [{}], **surveys.results([answer("township_1", 4)], [], K)}
    assert set(surveys.indicator_values(few).values()) == {None}
    enough = {"surveys": [{}], **surveys.results([answer("township_1", 4)] * K, [], K)}
    values = surveys.indicator_values(enough)
    assert values["survey.sense_of_happiness"] == 4.0 and values["survey.answers"] == K


def test_the_survey_indicators_are_in_the_plan_and_counted_by_the_gateway():
    plan = indicators.load_plan()
    codes = indicators.indicator_codes(plan)
    assert {*surveys.INDICATORS.values(), surveys.ANSWERS_INDICATOR} <= set(codes)
    assert "survey" not in indicators.services_of(plan)
    period = indicators.parse_period("2026-Q4", date(2026, 12, 7))
    answer_ = indicators.assemble(plan, period, {}, {}, [])
    filled = indicators.with_values(
        answer_, {"survey.sense_of_happiness": 4.2}, period, date(2026, 12, 7)
    )
    shown = {i["code"]: i["value"] for t in filled["tasks"] for i in t["indicators"]}
    assert shown["survey.sense_of_happiness"] == 4.2
    before = {i["code"]: i["value"] for t in answer_["tasks"] for i in t["indicators"]}
    assert before["survey.sense_of_happiness"] is None  # the kept answer is not changed


def test_a_period_no_calendar_holds_is_refused_not_an_error():
    for text in ("0000", "9999", "0000-Q1"):
        with pytest.raises(InvalidInput) as refused:
            indicators.parse_period(text, date(2026, 12, 7))
        assert refused.value.errors[0]["code"] == "invalid_period"
