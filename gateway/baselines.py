"""The district's baseline figures (基数): how many young people live in each area and age band,
how many graduates are registered, … per year, as the statistics office publishes them. They are
the denominators of the plan's rate indicators (留区率: graduates who stayed among graduates
registered), which the platform cannot count itself.

Officers import them as CSV, one figure a row:

    year,area,age_band,measure,value
    2026,township_1,18-24,youth_population,5120

`area` is a code of the district's area list (`gateway/plan/areas.json`), `age_band` one of the
breakdowns' bands (`14-17`, `18-24`, `25-29`, `30-35`), `measure` one of the plan file's
`baselines`. An import replaces the year's figures of the measures it carries, so importing a
corrected file again is safe; a file with any bad row changes nothing and the answer names the
row, the column and the reason.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from services.common.clock import utcnow
from services.common.errors import InvalidInput
from services.common.models import new_id

from . import areas, breakdowns
from .indicators import current_plan, values_of
from .messages import MESSAGES
from .models import PopulationBaseline

COLUMNS = ("year", "area", "age_band", "measure", "value")
#: a file of every area, band and measure for one year is ~100 rows; this bounds a mistake
MAX_ROWS = 5000


@dataclass(frozen=True)
class Figure:
    year: int
    area: str
    age_band: str
    measure: str
    value: int


def age_bands() -> list[str]:
    return [f"{low}-{high}" for low, high in breakdowns.AGE_BANDS]


def parse(text: str, year: int, measures: dict) -> list[Figure]:
    """The figures of a CSV file for `year`; 422 naming the first bad row, column and reason."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows or tuple(cell.strip() for cell in rows[0]) != COLUMNS:
        raise _refused("baseline_header", columns=",".join(COLUMNS))
    if len(rows) - 1 > MAX_ROWS:
        raise _refused("baseline_too_many_rows", limit=MAX_ROWS)
    known_areas = {area.code for area in areas.configured()}
    figures, seen = [], set()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = dict(zip(COLUMNS, (cell.strip() for cell in row), strict=False))
        checks = (
            ("year", cells.get("year") == str(year)),
            ("area", cells.get("area") in known_areas),
            ("age_band", cells.get("age_band") in age_bands()),
            ("measure", cells.get("measure") in measures),
            ("value", (cells.get("value") or "").isdigit()),
        )
        for column, ok in checks:
            if not ok:
                raise _refused("baseline_row", row=number, column=column, value=cells.get(column))
        key = (cells["area"], cells["age_band"], cells["measure"])
        if key in seen:
            raise _refused("baseline_duplicate", row=number)
        seen.add(key)
        figures.append(Figure(year, *key[:2], key[2], int(cells["value"])))
    if not figures:
        raise _refused("baseline_empty")
    return figures


def _refused(code: str, **params) -> InvalidInput:
    return InvalidInput.for_field("csv", code, MESSAGES, **params)


def replace(session, year: int, figures: list[Figure], actor_id: str | None) -> int:
    """The year's figures of the measures in `figures` replaced by them; how many were kept."""
    measures = {figure.measure for figure in figures}
    session.execute(
        sa.delete(PopulationBaseline).where(
            PopulationBaseline.year == year, PopulationBaseline.measure.in_(measures)
        )
    )
    now = utcnow()
    session.add_all(
        PopulationBaseline(
            id=new_id(),
            year=year,
            area=figure.area,
            age_band=figure.age_band,
            measure=figure.measure,
            value=figure.value,
            imported_at=now,
            imported_by=actor_id,
        )
        for figure in figures
    )
    return len(figures)


def of_year(session, year: int) -> list[PopulationBaseline]:
    query = sa.select(PopulationBaseline).where(PopulationBaseline.year == year)
    return list(session.execute(query.order_by("measure", "area", "age_band")).scalars())


def totals(rows: list[PopulationBaseline]) -> dict[str, int]:
    """Each measure summed over areas and age bands: a rate's denominator."""
    summed: dict[str, int] = defaultdict(int)
    for row in rows:
        summed[row.measure] += row.value
    return dict(summed)


def rates(plan: dict, values: dict, denominators: dict[str, int]) -> list[dict]:
    """The plan's rate indicators: each with its numerator (an indicator's value), its
    denominator (a baseline measure's total) and the rate in percent, None where either is
    missing or the denominator is zero."""
    answer = []
    for rate in plan.get("rates", []):
        numerator = values.get(rate["numerator"])
        denominator = denominators.get(rate["denominator"])
        share = None
        if numerator is not None and denominator:
            share = round(100 * numerator / denominator, 1)
        answer.append(
            {
                "code": rate["code"],
                "task": rate["task"],
                "label": rate["label"],
                "numerator": {"indicator": rate["numerator"], "value": numerator},
                "denominator": {"measure": rate["denominator"], "value": denominator},
                "percent": share,
            }
        )
    return answer


def rates_for(answer: dict, db) -> list[dict]:
    """The plan's rates for an indicators answer, over the baselines of the answer's year."""
    year = int(answer["period"]["since"][:4])
    with db.reading() as session:
        denominators = totals(of_year(session, year))
    return rates(current_plan(), values_of(answer), denominators)
