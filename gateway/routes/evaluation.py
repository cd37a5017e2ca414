"""Evaluation (四.(三) 监测评估): the district's baseline figures behind the rates, the quarterly
report an office hands to its leaders (XLSX and PDF), and the open-data page anyone may read.

Baselines and the report are the gateway's (`gateway/baselines.py`, `gateway/report.py`); the
figures are the indicators answer's (`gateway/indicators.py`), so every page agrees.
"""

from __future__ import annotations

import sqlalchemy as sa
from marshmallow import Schema, fields, validate
from werkzeug.wrappers import Response

from services.common.clock import clock
from services.common.db import Database
from services.common.errors import Forbidden, NotFound
from services.common.rpc import ClusterProxy

from .. import baselines, indicators, meetings, report, report_files, surveys
from ..accounts import ADMIN, OFFICER, STAFF
from ..api import Call
from ..bodies import MAX_BODY_BYTES
from ..composition import Routes
from ..models import PlanItem
from ..settings import GatewaySettings

routes = Routes(tags=["evaluation"])

#: who imports the baselines: the Youth League runs the joint meeting on youth work (四.(一))
BASELINE_UNITS = ("youth_league",)


class BaselineImport(Schema):
    csv = fields.String(
        required=True,
        validate=validate.Length(min=1, max=MAX_BODY_BYTES),
        metadata={
            "description": "the figures as CSV, columns " + ",".join(baselines.COLUMNS),
            "example": "year,area,age_band,measure,value\n2026,township_1,18-24,"
            "graduates_registered,120\n",
        },
    )


class BaselineFigure(Schema):
    area = fields.String()
    age_band = fields.String()
    measure = fields.String()
    value = fields.Integer()


class BaselineAnswer(Schema):
    year = fields.Integer()
    imported = fields.Integer(
        metadata={"description": "how many figures the import just kept (an import only)"}
    )
    measures = fields.Dict(metadata={"description": "each measure's label (zh-CN, en)"})
    totals = fields.Dict(keys=fields.String(), values=fields.Integer())
    figures = fields.List(fields.Nested(BaselineFigure))


class ReportQuery(Schema):
    period = fields.String(
        validate=validate.Regexp(r"^\d{4}-Q[1-4]$"),
        metadata={"description": "a quarter, 2026-Q4 (default: this quarter)"},
    )


class OpenDataIndicator(Schema):
    code = fields.String()
    label = fields.Dict()
    unit = fields.String(allow_none=True)
    value = fields.Float(allow_none=True)
    target = fields.Dict(allow_none=True)
    trajectory = fields.String(allow_none=True)


class OpenData(Schema):
    period = fields.Dict()
    plan_version = fields.String()
    indicators = fields.List(fields.Nested(OpenDataIndicator))
    rates = fields.List(fields.Dict())


def _year(text: str) -> int:
    if not (text.isdigit() and len(text) == 4):
        raise NotFound("baselines")
    return int(text)


def _baseline_answer(db: Database, year: int) -> dict:
    with db.reading() as session:
        rows = baselines.of_year(session, year)
        return {
            "year": year,
            "measures": indicators.current_plan()["baselines"]["measures"],
            "totals": baselines.totals(rows),
            "figures": [
                {"area": r.area, "age_band": r.age_band, "measure": r.measure, "value": r.value}
                for r in rows
            ],
        }


@routes.route(
    "GET",
    "/api/v1/plan/baselines/<year>",
    summary="The district's baseline figures of a year (the denominators of rates)",
    roles=STAFF,
    response=BaselineAnswer,
    errors=(404,),
)
def get_baselines(call: Call, year: str, *, db: Database):
    return _baseline_answer(db, _year(year))


@routes.route(
    "PUT",
    "/api/v1/plan/baselines/<year>",
    summary="Import a year's baseline figures from CSV (the Youth League's officers, admins)",
    roles=(OFFICER, ADMIN),
    body=BaselineImport,
    response=BaselineAnswer,
    errors=(403, 404, 422),
    description="Columns `year,area,age_band,measure,value`: an area code of the district's "
    "list, an age band (14-17, 18-24, 25-29, 30-35), a measure of the plan file's `baselines`. "
    "The year's figures of the measures in the file are replaced; a file with a bad row "
    "changes nothing, and the problem names the row and the column.",
)
def import_baselines(call: Call, year: str, *, db: Database):
    identity, year = call.identity, _year(year)
    if identity.role != ADMIN and identity.unit not in BASELINE_UNITS:
        raise Forbidden("not_unit_officer", params={"unit": BASELINE_UNITS[0]})
    measures = indicators.current_plan()["baselines"]["measures"]
    figures = baselines.parse(call.body["csv"], year, measures)
    with db.unit_of_work() as uow:
        kept = baselines.replace(uow.session, year, figures, identity.account_id)
        uow.audit(
            "baselines.imported",
            ("baselines", str(year)),
            details={"figures": kept, "measures": sorted({f.measure for f in figures})},
        )
        uow.commit()
    return {**_baseline_answer(db, year), "imported": kept}


def _quarter(call: Call) -> indicators.Period:
    today = clock.today()
    default = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    return indicators.parse_period(call.query.get("period") or default, today)


def _report(call: Call, services, settings, db: Database) -> report.Report:
    period = _quarter(call)
    answer = indicators.gather(period, services, settings)
    answer = surveys.with_survey_indicators(
        answer, db, period, settings.small_cell_k, clock.today()
    )
    with db.reading() as session:
        items = list(session.execute(sa.select(PlanItem)).scalars())
        session.expunge_all()
    steering = report.Steering(
        items,
        meetings.meetings_in(db, period, clock.today()),
        surveys.survey_results(db, period, settings.small_cell_k),
    )
    rates = baselines.rates_for(answer, db)
    return report.build(answer, rates, steering, clock.today(), call.locale)


def _file(body: bytes, content_type: str, name: str) -> Response:
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@routes.route(
    "GET",
    "/api/v1/reports/quarterly.xlsx",
    summary="The quarterly evaluation report as XLSX (indicators, rates, the four lists, "
    "joint meetings, the survey)",
    roles=STAFF,
    query=ReportQuery,
    errors=(422,),
    response_content_type=report_files.XLSX_TYPE,
    description="A sheet per section, with the headline's months as a bar chart; in the "
    "caller's language.",
)
def quarterly_report_xlsx(
    call: Call, *, services: ClusterProxy, settings: GatewaySettings, db: Database
):
    built = _report(call, services, settings, db)
    return _file(report_files.as_xlsx(built), report_files.XLSX_TYPE, f"{built.name}.xlsx")


@routes.route(
    "GET",
    "/api/v1/reports/quarterly.pdf",
    summary="The quarterly evaluation report as PDF (indicators, rates, the four lists, "
    "joint meetings, the survey)",
    roles=STAFF,
    query=ReportQuery,
    errors=(422,),
    response_content_type=report_files.PDF_TYPE,
)
def quarterly_report_pdf(
    call: Call, *, services: ClusterProxy, settings: GatewaySettings, db: Database
):
    built = _report(call, services, settings, db)
    return _file(report_files.as_pdf(built), report_files.PDF_TYPE, f"{built.name}.pdf")


@routes.route(
    "GET",
    "/api/v1/open-data",
    summary="Open data (公开数据): the plan's indicators for the year, district totals only",
    response=OpenData,
    errors=(422,),
    description="No sign-in. District-wide aggregates of the year so far with their targets "
    "and trajectories, and the rates; never a breakdown by area, sex, age or education, so "
    "no small group can be singled out.",
)
def open_data(call: Call, *, services: ClusterProxy, settings: GatewaySettings, db: Database):
    period = indicators.parse_period(None, clock.today())
    answer = indicators.gather(period, services, settings)
    # the surveys' averages too: district-wide, and none under SMALL_CELL_K answers
    answer = surveys.with_survey_indicators(
        answer, db, period, settings.small_cell_k, clock.today()
    )
    return {
        "period": answer["period"],
        "plan_version": answer["plan_version"],
        "indicators": [
            {key: indicator[key] for key in ("code", "label", "unit", "value", "target")}
            | {"trajectory": indicator["trajectory"]}
            for task in answer["tasks"]
            for indicator in task["indicators"]
        ],
        "rates": baselines.rates_for(answer, db),
    }
