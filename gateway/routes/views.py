"""Aggregated views: my dashboard, and the plan's indicators (监测评估) with their CSV export.

Each asks several services at once (`gateway/fanout.py`): a slow or failing service leaves its
part empty and named in `degraded`, and the answer still comes within VIEW_TIMEOUT.
"""

from __future__ import annotations

import functools
from datetime import timedelta

from marshmallow import Schema, fields, validate
from werkzeug.wrappers import Response

from services.common.clock import clock
from services.common.db import Database
from services.common.finance.contract import BudgetView
from services.common.i18n import pick
from services.common.registry import DOMAIN_SERVICES
from services.common.rpc import ClusterProxy

from .. import areas, baselines, breakdowns, indicators, surveys
from ..accounts import STAFF, YOUTH
from ..api import Call
from ..composition import Routes
from ..fanout import call_all
from ..read_model import ReadModel
from ..settings import GatewaySettings


class DashboardItem(Schema):
    kind = fields.String(required=True)
    id = fields.String(required=True)
    title = fields.String()
    state = fields.String()
    next_step = fields.String(allow_none=True)
    updated_at = fields.String(allow_none=True)
    link = fields.String(allow_none=True)
    # an activity's or a job fair's start; a registration's place in line and check-in code
    starts_at = fields.String(allow_none=True)
    waitlist_position = fields.Integer(allow_none=True)
    check_in_code = fields.String(allow_none=True)


class DegradedPart(Schema):
    service = fields.String(required=True)
    reason = fields.String(
        required=True, validate=validate.OneOf(("unavailable", "timeout", "error"))
    )


class Dashboard(Schema):
    sections = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(DashboardItem)))
    unread_messages = fields.Integer(allow_none=True)
    degraded = fields.List(fields.Nested(DegradedPart))


class IndicatorQuery(Schema):
    period = fields.String(
        metadata={"description": "2026, 2026-Q4 or 2026-11 (default: this year)"}
    )


class IndicatorView(Schema):
    code = fields.String()
    label = fields.Dict()
    unit = fields.String(allow_none=True)
    value = fields.Float(allow_none=True)
    target = fields.Dict(allow_none=True)
    met = fields.Boolean(
        allow_none=True,
        metadata={"description": "an annual target is judged only for a whole year (else null)"},
    )
    expected = fields.Float(
        allow_none=True,
        metadata={"description": "an annual target pro-rated to the days of the period so far"},
    )
    trajectory = fields.String(
        allow_none=True,
        validate=validate.OneOf(("on_track", "at_risk", "behind")),
        metadata={"description": "against the target, as of the district's today"},
    )
    series = fields.List(fields.Float(allow_none=True))


class TaskView(Schema):
    code = fields.String()
    title = fields.Dict()
    units = fields.List(fields.Dict())
    indicators = fields.List(fields.Nested(IndicatorView))
    spending = fields.List(
        fields.Nested(BudgetView),
        metadata={"description": "the budgets of the programmes that pay for the task"},
    )


class BreakdownCell(Schema):
    key = fields.String(required=True)
    count = fields.Integer(allow_none=True, metadata={"description": "null when suppressed"})
    suppressed = fields.Boolean(required=True)


class Breakdown(Schema):
    total = fields.Integer(allow_none=True)
    dimensions = fields.Dict(
        keys=fields.String(validate=validate.OneOf(("area", "sex", "age_band", "education"))),
        values=fields.List(fields.Nested(BreakdownCell)),
    )


class IndicatorsAnswer(Schema):
    plan_version = fields.String()
    period = fields.Dict()
    series_months = fields.List(fields.String())
    tasks = fields.List(fields.Nested(TaskView))
    spending = fields.List(
        fields.Nested(BudgetView),
        metadata={"description": "every programme's envelope, committed, paid, left (the year)"},
    )
    rates = fields.List(
        fields.Dict(),
        metadata={
            "description": "rates with their numerator (an indicator) and denominator (a "
            "baseline measure's total for the year, `/api/v1/plan/baselines/{year}`)"
        },
    )
    areas = fields.List(fields.Dict(), metadata={"description": "the district's areas (两乡四办)"})
    breakdowns = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(Breakdown),
        metadata={
            "description": "people counted by area, sex, age band and education, cells under "
            "SMALL_CELL_K suppressed: `youth.registered` (young people who registered in the "
            "period) and the headline; counts only"
        },
    )
    degraded = fields.List(fields.Nested(DegradedPart))


routes = Routes(tags=["views"])


@routes.route(
    "GET",
    "/api/v1/me/dashboard",
    summary="My dashboard: applications, bookings, registrations, loans, messages",
    roles=(YOUTH,),
    response=Dashboard,
    description="The services are asked at once; a slow or failing one leaves its section "
    "empty and named in `degraded`, and the answer still comes within the timeout. A whole "
    "answer is kept in the gateway until an event about the person changes it (at most "
    "GATEWAY_READ_MODEL_MAX_AGE seconds).",
)
def my_dashboard(
    call: Call, *, services: ClusterProxy, settings: GatewaySettings, read_model: ReadModel
):
    person_id = call.account_id
    gathered = read_model.dashboards.fetch(
        person_id,
        lambda: _gathered(person_id, services, settings.view_timeout),
        keep=lambda answers: not answers["degraded"],
    )
    sections = {name: [] for name in DOMAIN_SERVICES if name != "notify"}
    unread = None
    for name, answer in gathered["answers"].items():
        items = [_localised(item, call.locale) for item in (answer or {}).get("items", [])]
        if name == "notify":
            unread = answer.get("unread", len(items))
            sections["messages"] = items
        else:
            sections[name] = items
    return {"sections": sections, "unread_messages": unread, "degraded": gathered["degraded"]}


def _gathered(person_id: str, services: ClusterProxy, timeout: float) -> dict:
    """Every service's dashboard answer about the person (both languages), and those missing."""
    within = services.with_timeout(timeout)
    calls = {
        name: functools.partial(getattr(within, name).dashboard, person_id=person_id)
        for name in DOMAIN_SERVICES
    }
    answers, degraded = call_all(calls, timeout)
    return {"answers": answers, "degraded": [d.as_dict() for d in degraded]}


def _localised(item: dict, locale: str) -> dict:
    """A dashboard item with its texts in the caller's language."""
    view = dict(item)
    for key in ("title", "next_step"):
        if isinstance(view.get(key), dict):
            view[key] = pick(view[key], locale)
    return view


@routes.route(
    "GET",
    "/api/v1/indicators",
    summary="The plan's indicators (监测评估) by task: units, targets, monthly series",
    roles=STAFF,
    query=IndicatorQuery,
    response=IndicatorsAnswer,
    errors=(422,),
)
def plan_indicators(call: Call, *, services: ClusterProxy, settings: GatewaySettings, db: Database):
    period = indicators.parse_period(call.query.get("period"), clock.today())
    answer, people = indicators.gather_with_people(period, services, settings)
    answer = surveys.with_survey_indicators(
        answer, db, period, settings.small_cell_k, clock.today()
    )
    return {
        **answer,
        "rates": baselines.rates_for(answer, db),
        "areas": [area.as_dict() for area in areas.configured()],
        "breakdowns": _breakdowns(period, people, db, settings.small_cell_k),
    }


def _breakdowns(period, people: set[str] | None, db: Database, k: int) -> dict:
    """Counts of people by area, sex, age band and education, read from the profiles here in
    the gateway (`gateway/breakdowns.py`); ages on the period's last day, or today if earlier."""
    day = min(clock.today(), period.until - timedelta(days=1))
    with db.reading() as session:
        found = {
            "youth.registered": breakdowns.registered_youth(
                session, period.since, period.until, day
            )
        }
        if people is not None:
            found[indicators.HEADLINE] = breakdowns.people(session, people, day)
    return {code: breakdowns.breakdown(facts, k) for code, facts in found.items()}


@routes.route(
    "GET",
    "/api/v1/indicators.csv",
    summary="The plan's indicators as CSV (one row per indicator, a column per month)",
    roles=STAFF,
    query=IndicatorQuery,
    errors=(422,),
    response_content_type="text/csv",
)
def plan_indicators_csv(
    call: Call, *, services: ClusterProxy, settings: GatewaySettings, db: Database
):
    period = indicators.parse_period(call.query.get("period"), clock.today())
    answer = indicators.gather(period, services, settings)
    answer = surveys.with_survey_indicators(
        answer, db, period, settings.small_cell_k, clock.today()
    )
    text = indicators.as_csv(answer, call.locale)
    response = Response("\ufeff" + text, content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="indicators-{period.name}.csv"'
    return response
