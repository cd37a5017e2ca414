"""Surveys (获得感、幸福感、安全感 and satisfaction with the plan's programmes): the convening unit
sets one per period (`/api/v1/plan/surveys`), young people answer it anonymously
(`/api/v1/me/surveys`), officers read the results above the small-cell threshold
(`gateway/surveys.py` says how an answer is kept apart from its respondent).
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import sqlalchemy as sa
from marshmallow import Schema, fields, validate

from services.common.clock import clock, utcnow
from services.common.db import Database
from services.common.errors import Conflict, NotFound

from .. import meetings, surveys
from ..accounts import STAFF, YOUTH
from ..api import Call, Created
from ..composition import Routes
from ..indicators import current_plan, parse_period
from ..models import Survey, SurveyAnswer, SurveyRespondent, YouthProfile
from ..settings import GatewaySettings

TASK_CODES = [task["code"] for task in current_plan()["tasks"]]
#: asked by default: the programmes young people use (part 四 is how the district steers)
PROGRAMMES = [code for code in TASK_CODES if not code.startswith("四")]
SCORE = validate.Range(min=surveys.SCALE[0], max=surveys.SCALE[1])


class SurveyInput(Schema):
    period = fields.String(
        required=True,
        validate=validate.Length(min=4, max=8),
        metadata={"description": "a year (2026), quarter (2026-Q4) or month", "example": "2026-Q4"},
    )
    title = fields.String(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"example": "2026年第四季度青年获得感、幸福感、安全感调查"},
    )
    programmes = fields.List(
        fields.String(validate=validate.OneOf(TASK_CODES)),
        validate=validate.Length(max=len(TASK_CODES)),
        metadata={
            "description": "the plan's tasks whose satisfaction is asked (default: those of "
            "parts 一 to 三, the programmes young people use)"
        },
    )
    opens_on = fields.Date(metadata={"description": "default: the period's first day"})
    closes_on = fields.Date(metadata={"description": "default: the period's last day"})


class SurveyedProgramme(Schema):
    code = fields.String()
    title = fields.Dict()


class SurveyView(Schema):
    id = fields.String()
    period = fields.String()
    title = fields.String()
    programmes = fields.List(fields.Nested(SurveyedProgramme))
    aspects = fields.List(
        fields.String(),
        metadata={"description": "gain 获得感, happiness 幸福感, security 安全感: each 1–5"},
    )
    opens_on = fields.Date()
    closes_on = fields.Date()
    created_at = fields.DateTime()


class SurveyList(Schema):
    items = fields.List(fields.Nested(SurveyView))


class OpenSurvey(SurveyView):
    answered = fields.Boolean(metadata={"description": "whether I have answered it"})


class OpenSurveys(Schema):
    items = fields.List(fields.Nested(OpenSurvey))


class AnswerInput(Schema):
    gain = fields.Integer(required=True, validate=SCORE, metadata={"description": "获得感 1–5"})
    happiness = fields.Integer(required=True, validate=SCORE, metadata={"description": "幸福感"})
    security = fields.Integer(required=True, validate=SCORE, metadata={"description": "安全感"})
    satisfaction = fields.Dict(
        keys=fields.String(validate=validate.OneOf(TASK_CODES)),
        values=fields.Integer(validate=SCORE),
        load_default=dict,
        metadata={
            "description": "1–5 by programme (task code) of the survey; leave out those not used"
        },
    )


class AnswerReceipt(Schema):
    survey_id = fields.String()
    answered = fields.Boolean()


class ResultsQuery(Schema):
    period = fields.String(
        validate=validate.Length(max=8),
        metadata={"description": "a year, quarter or month (default: this year)"},
    )


class ProgrammeResult(Schema):
    code = fields.String()
    answers = fields.Integer(allow_none=True)
    suppressed = fields.Boolean()
    satisfaction = fields.Float(allow_none=True)


class CellResult(Schema):
    key = fields.String()
    answers = fields.Integer(allow_none=True, metadata={"description": "null when suppressed"})
    suppressed = fields.Boolean()
    aspects = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True))


class SurveyResults(Schema):
    period = fields.Dict()
    surveys = fields.List(fields.Dict())
    areas = fields.List(fields.Dict(), metadata={"description": "the district's areas (两乡四办)"})
    answers = fields.Integer(allow_none=True, metadata={"description": "null when suppressed"})
    suppressed = fields.Boolean(metadata={"description": "fewer answers than SMALL_CELL_K"})
    threshold = fields.Integer(metadata={"description": "SMALL_CELL_K"})
    aspects = fields.Dict(
        keys=fields.String(),
        values=fields.Float(allow_none=True),
        metadata={"description": "the mean score (1–5) of gain, happiness and security"},
    )
    programmes = fields.List(fields.Nested(ProgrammeResult))
    by_area = fields.List(fields.Nested(CellResult))
    by_age_band = fields.List(fields.Nested(CellResult))


routes = Routes(tags=["plan"])

ANONYMITY = (
    "Answers are anonymous: the gateway keeps a keyed hash of (survey, person) so each person "
    "answers once, and the answer apart from it with only the area and age band; no person "
    "id, no time, no idempotency record."
)


def survey_view(survey: Survey) -> dict:
    titles = {task["code"]: task["title"] for task in current_plan()["tasks"]}
    return {
        "id": survey.id,
        "period": survey.period,
        "title": survey.title,
        "programmes": [
            {"code": code, "title": titles.get(code, {})} for code in json.loads(survey.programmes)
        ],
        "aspects": list(surveys.ASPECTS),
        "opens_on": survey.opens_on,
        "closes_on": survey.closes_on,
        "created_at": survey.created_at,
    }


@routes.route(
    "POST",
    "/api/v1/plan/surveys",
    summary="Set the survey of a period (获得感、幸福感、安全感 and programme satisfaction)",
    description="The convening unit (团区委) or an administrator; one survey per period, open "
    "from its first to its last day unless given other dates. " + ANONYMITY,
    roles=STAFF,
    body=SurveyInput,
    response=SurveyView,
    status=201,
    errors=(403, 409, 422),
)
def set_survey(call: Call, *, db: Database):
    identity = call.identity
    meetings.check_may_convene(identity.role, identity.unit)
    body = call.body
    period = parse_period(body["period"], clock.today())
    opens_on = body.get("opens_on", period.since)
    closes_on = body.get("closes_on", period.until - timedelta(days=1))
    surveys.check_dates(opens_on, closes_on)
    survey = Survey(
        id=str(uuid.uuid4()),
        period=period.name,
        title=body["title"],
        programmes=json.dumps(body.get("programmes", PROGRAMMES), ensure_ascii=False),
        opens_on=opens_on,
        closes_on=closes_on,
        created_at=utcnow(),
        created_by=identity.account_id,
    )
    try:
        with db.unit_of_work() as uow:
            if uow.session.execute(
                sa.select(Survey.id).where(Survey.period == period.name)
            ).first():
                raise Conflict("survey_period_taken", params={"period": period.name})
            uow.session.add(survey)
            uow.audit("survey.set", ("survey", survey.id), details={"period": period.name})
            uow.commit()
    except sa.exc.IntegrityError as exc:  # another officer set it at the same moment
        raise Conflict("survey_period_taken", params={"period": period.name}) from exc
    return Created(survey_view(survey), "/api/v1/plan/surveys")


@routes.route(
    "GET",
    "/api/v1/plan/surveys",
    summary="The surveys, latest period first",
    roles=STAFF,
    response=SurveyList,
)
def list_surveys(call: Call, *, db: Database):
    with db.reading() as session:
        # one a period: a few a year, so the whole list
        found = session.execute(
            sa.select(Survey).order_by(Survey.opens_on.desc(), Survey.id)
        ).scalars()
        return {"items": [survey_view(s) for s in found]}


@routes.route(
    "GET",
    "/api/v1/plan/surveys/results",
    summary="Survey results of a period, by area and age band, small cells suppressed",
    description="Every answer to the surveys of the period (a year holds its quarters'). A "
    "figure of fewer than SMALL_CELL_K answers is not shown (no count, no mean); one small "
    "area hides the next smallest too.",
    roles=STAFF,
    query=ResultsQuery,
    response=SurveyResults,
    errors=(422,),
)
def survey_results(call: Call, *, db: Database, settings: GatewaySettings):
    period = parse_period(call.query.get("period"), clock.today())
    return surveys.survey_results(db, period, settings.small_cell_k)


@routes.route(
    "GET",
    "/api/v1/me/surveys",
    summary="The surveys open today, and whether I answered each",
    description=ANONYMITY,
    roles=(YOUTH,),
    response=OpenSurveys,
)
def my_surveys(call: Call, *, db: Database, settings: GatewaySettings):
    today = clock.today()
    key = surveys.respondent_key(settings.survey_respondent_key, settings.jwt_secret)
    with db.reading() as session:
        open_now = list(
            session.execute(
                sa.select(Survey)
                .where(Survey.opens_on <= today, Survey.closes_on >= today)
                .order_by(Survey.opens_on, Survey.id)
            ).scalars()
        )
        hashes = {s.id: surveys.respondent_hash(key, s.id, call.account_id) for s in open_now}
        answered = set(
            session.execute(
                sa.select(SurveyRespondent.survey_id).where(
                    SurveyRespondent.respondent_hash.in_(list(hashes.values()) or [""])
                )
            ).scalars()
        )
        return {"items": [{**survey_view(s), "answered": s.id in answered} for s in open_now]}


@routes.route(
    "POST",
    "/api/v1/me/surveys/<survey_id>/answers",
    summary="Answer a survey, once and anonymously",
    description=ANONYMITY + " A second answer is refused (409).",
    roles=(YOUTH,),
    body=AnswerInput,
    response=AnswerReceipt,
    status=201,
    errors=(404, 409, 422),
    # a kept answer would pair the caller with a hash of the scores they sent
    replayable=False,
)
def answer_survey(call: Call, survey_id: str, *, db: Database, settings: GatewaySettings):
    today = clock.today()
    key = surveys.respondent_key(settings.survey_respondent_key, settings.jwt_secret)
    body = call.body
    try:
        with db.unit_of_work() as uow:
            survey = uow.session.get(Survey, survey_id)
            if survey is None:
                raise NotFound("survey")
            surveys.check_open(survey, today)
            surveys.check_satisfaction(body["satisfaction"], json.loads(survey.programmes))
            respondent = surveys.respondent_hash(key, survey.id, call.account_id)
            if uow.session.get(SurveyRespondent, (survey.id, respondent)) is not None:
                raise Conflict("survey_already_answered")
            who = surveys.attributes_of(uow.session.get(YouthProfile, call.account_id), today)
            uow.session.add(SurveyRespondent(survey_id=survey.id, respondent_hash=respondent))
            uow.session.add(
                SurveyAnswer(
                    id=str(uuid.uuid4()),
                    survey_id=survey.id,
                    area=who.area,
                    age_band=who.age_band,
                    satisfaction=json.dumps(body["satisfaction"], ensure_ascii=False),
                    **{aspect: body[aspect] for aspect in surveys.ASPECTS},
                )
            )
            uow.commit()
    except sa.exc.IntegrityError as exc:  # the same person's second answer at the same moment
        raise Conflict("survey_already_answered") from exc
    return Created({"survey_id": survey_id, "answered": True})
