"""Surveys of young people (监测评估): the plan aims to make their sense of gain, happiness and
security (获得感、幸福感、安全感) fuller, which no count of activity shows; a questionnaire per
period asks each on a 1–5 scale, and how satisfied they are with each programme (the plan's
tasks) they used.

Answers are anonymous. A young person signs in to answer, so that each answers once, but what
is stored cannot be linked to them:

* `survey_respondent` keeps only a keyed hash (HMAC-SHA256 under SURVEY_RESPONDENT_KEY) of
  (survey, person): the same person gives the same hash, so a second answer is refused, and
  without the key no one can tell whose hash it is;
* `survey_answer` keeps the scores with two coarse attributes for breakdowns, the area the
  person's residence is located in and their age band, and nothing else: no person id, no
  hash, no time (a random id, so neither order nor time pairs it with a respondent row).

What remains: the two rows of one answer are written in one transaction, so someone holding
both the database (where PostgreSQL's `xmin`, or the order rows were written in, pairs them)
and the key could tell whose answer is whose. The key therefore lives outside the database,
with the operators of the gateway's secrets, not of its database.

Results are shown per period and per area (and age band) only for cells of at least
SMALL_CELL_K answers; a single small cell hides the next smallest too, as the breakdowns do
(`gateway/breakdowns.py`), or the total would give it away.

`survey_results(db, period, k)` is what the indicators and the quarterly report show.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from services.common.db import Database
from services.common.errors import Conflict, InvalidInput

from . import areas, breakdowns
from .indicators import parse_period, with_values
from .messages import MESSAGES
from .models import Survey, SurveyAnswer, YouthProfile

#: the plan's three aims, asked 1 (lowest) to 5 (highest)
ASPECTS = ("gain", "happiness", "security")
SCALE = (1, 5)
#: the indicator of each aim's average score (gateway/plan/indicators.json), and of the answers
INDICATORS = {
    "gain": "survey.sense_of_gain",
    "happiness": "survey.sense_of_happiness",
    "security": "survey.sense_of_security",
}
ANSWERS_INDICATOR = "survey.answers"


def respondent_key(survey_key: str | None, jwt_secret: str | None) -> bytes:
    """The key of respondents' hashes: SURVEY_RESPONDENT_KEY, or one derived from JWT_SECRET
    when unset (then rotating JWT_SECRET lets people answer open surveys again)."""
    if survey_key:
        return survey_key.encode()
    if not jwt_secret:
        raise RuntimeError("surveys need SURVEY_RESPONDENT_KEY or JWT_SECRET")
    return hmac.new(jwt_secret.encode(), b"youthcity survey respondent", hashlib.sha256).digest()


def respondent_hash(key: bytes, survey_id: str, person_id: str) -> str:
    """Who answered a survey, as only the key's holder can check it."""
    return hmac.new(key, f"{survey_id}\x00{person_id}".encode(), hashlib.sha256).hexdigest()


def check_open(survey: Survey, today: date) -> None:
    if not survey.opens_on <= today <= survey.closes_on:
        raise Conflict(
            "survey_not_open",
            params={"opens_on": str(survey.opens_on), "closes_on": str(survey.closes_on)},
        )


def check_dates(opens_on: date, closes_on: date) -> None:
    if closes_on < opens_on:
        raise InvalidInput.for_field("closes_on", "survey_closes_before_it_opens", MESSAGES)


def check_satisfaction(satisfaction: dict, programmes: list[str]) -> None:
    """Satisfaction is asked only of the survey's programmes."""
    unknown = sorted(set(satisfaction) - set(programmes))
    if unknown:
        raise InvalidInput.for_field(
            "satisfaction", "not_a_survey_programme", MESSAGES, codes="、".join(unknown)
        )


@dataclass(frozen=True)
class Attributes:
    """All that is kept of the person who answered: coarse enough for breakdowns."""

    area: str
    age_band: str


def attributes_of(profile: YouthProfile | None, today: date) -> Attributes:
    if profile is None:
        return Attributes(areas.OTHER, breakdowns.UNKNOWN)
    return Attributes(
        area=areas.locate(profile.residence) or areas.OTHER,
        age_band=breakdowns.age_band(breakdowns.age_on(profile.birth_date, today)),
    )


@dataclass(frozen=True)
class Scores:
    """One answer's scores, as the results count them."""

    area: str
    age_band: str
    aspects: dict[str, int]
    satisfaction: dict[str, int] = field(default_factory=dict)


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _cells(answers: list[Scores], dimension: str, keys: list[str], k: int) -> list[dict]:
    """The answers by one dimension: each cell's count and mean scores, small cells hidden."""
    counter = Counter(getattr(answer, dimension) for answer in answers)
    shown = breakdowns.suppressed(counter, keys, k)
    cells = []
    for cell in shown:
        mine = [a for a in answers if getattr(a, dimension) == cell["key"]]
        hidden = cell["suppressed"]
        cells.append(
            {
                "key": cell["key"],
                "answers": cell["count"],
                "suppressed": hidden,
                "aspects": {
                    aspect: None if hidden else _mean([a.aspects[aspect] for a in mine])
                    for aspect in ASPECTS
                },
            }
        )
    return cells


def results(answers: list[Scores], programmes: list[str], k: int) -> dict:
    """A period's results: the mean of each aim and of each programme's satisfaction, and the
    aims by area and by age band; anything counting fewer than `k` answers is suppressed (no
    count, no mean)."""
    total = len(answers)
    hidden = total < k
    keys = breakdowns.dimension_keys()
    rated = {
        code: [a.satisfaction[code] for a in answers if code in a.satisfaction]
        for code in programmes
    }
    return {
        "answers": None if 0 < total < k else total,
        "suppressed": hidden,
        "threshold": k,
        "aspects": {
            aspect: None if hidden else _mean([a.aspects[aspect] for a in answers])
            for aspect in ASPECTS
        },
        "programmes": [
            {
                "code": code,
                "answers": None if 0 < len(rated[code]) < k else len(rated[code]),
                "suppressed": len(rated[code]) < k,
                "satisfaction": None if len(rated[code]) < k else _mean(rated[code]),
            }
            for code in programmes
        ],
        "by_area": _cells(answers, "area", keys["area"], k),
        "by_age_band": _cells(answers, "age_band", keys["age_band"], k),
    }


def within(survey_period, period) -> bool:
    """Whether a survey's period lies within `period` (a year holds its quarters' surveys, a
    month holds no quarter's)."""
    return period.since <= survey_period.since and survey_period.until <= period.until


def survey_results(db: Database, period, k: int) -> dict:
    """The results of the surveys of `period` (an `indicators.Period`): every answer to a
    survey held within it, counted together; the programmes are those any of them asked."""
    with db.reading() as session:
        surveys = [
            survey
            for survey in session.execute(sa.select(Survey).order_by(Survey.opens_on)).scalars()
            if within(parse_period(survey.period, period.since), period)
        ]
        ids = [s.id for s in surveys]
        rows = (
            session.execute(
                sa.select(SurveyAnswer).where(SurveyAnswer.survey_id.in_(ids))
            ).scalars()
            if ids
            else []
        )
        answers = [scores_of(row) for row in rows]
    programmes: list[str] = []
    for survey in surveys:
        programmes += [c for c in json.loads(survey.programmes) if c not in programmes]
    return {
        "period": {
            "name": period.name,
            "since": period.since.isoformat(),
            "until": period.until.isoformat(),
        },
        "surveys": [{"id": s.id, "period": s.period, "title": s.title} for s in surveys],
        "areas": [area.as_dict() for area in areas.configured()],
        **results(answers, programmes, k),
    }


def scores_of(row: SurveyAnswer) -> Scores:
    return Scores(
        area=row.area,
        age_band=row.age_band,
        aspects={aspect: getattr(row, aspect) for aspect in ASPECTS},
        satisfaction=json.loads(row.satisfaction or "{}"),
    )


def indicator_values(found: dict) -> dict:
    """The survey indicators of a period's results: each aim's average score and the number of
    answers, None while suppressed (fewer than SMALL_CELL_K answers) or without a survey."""
    if not found["surveys"]:
        return {code: None for code in [*INDICATORS.values(), ANSWERS_INDICATOR]}
    values = {INDICATORS[aspect]: found["aspects"][aspect] for aspect in ASPECTS}
    values[ANSWERS_INDICATOR] = None if found["suppressed"] else found["answers"]
    return values


def with_survey_indicators(answer: dict, db: Database, period, k: int, today: date) -> dict:
    """The indicators `answer` with the surveys' values of `period` filled in (the services do
    not hold them: the gateway does)."""
    return with_values(answer, indicator_values(survey_results(db, period, k)), period, today)
