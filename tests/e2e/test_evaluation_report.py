"""Evaluation through the gateway: the district's baselines imported as CSV become the
denominators of rates; the quarterly report downloads as XLSX and PDF holding the indicators
answer's figures and the four lists; the open-data page shows district totals to anyone."""

from __future__ import annotations

import io
import uuid

from openpyxl import load_workbook
from pypdf import PdfReader

from services.common.clock import clock
from tests.support.dates import days_ago
from tests.support.indicators import complete_indicators
from tests.support.messaging import wait_for

RATE = "rate.graduates_staying"


def _year_and_quarter() -> tuple[int, str]:
    today = clock.today()
    return today.year, f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def _csv(year: int, rows: list[tuple]) -> str:
    lines = ["year,area,age_band,measure,value"]
    lines += [",".join(str(cell) for cell in (year, *row)) for row in rows]
    return "\n".join(lines) + "\n"


def test_a_rate_shows_its_denominator_from_an_imported_baseline(api):
    year, _ = _year_and_quarter()
    league = api.staff("officer", unit="youth_league")
    figures = [
        ("township_1", "18-24", "graduates_registered", 320),
        ("subdistrict_2", "18-24", "graduates_registered", 180),
        ("subdistrict_2", "25-29", "youth_population", 4100),
    ]
    imported = league.put(f"/api/v1/plan/baselines/{year}", json={"csv": _csv(year, figures)})
    assert imported.status_code == 200, imported.text
    assert imported.json()["totals"] == {"graduates_registered": 500, "youth_population": 4100}
    assert imported.json()["imported"] == 3

    # a bad row refuses the whole file, naming the row and the column, and changes nothing
    bad = _csv(
        year,
        [
            ("township_1", "18-24", "graduates_registered", 1),
            ("nowhere", "18-24", "graduates_registered", 5),
        ],
    )
    refused = league.in_english().put(f"/api/v1/plan/baselines/{year}", json={"csv": bad})
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["errors"][0]["field"] == "csv"
    assert problem["errors"][0]["code"] == "baseline_row"
    assert "Row 3, column area" in problem["errors"][0]["message"]
    hrss = api.staff("officer", unit="hrss")
    other_unit = hrss.put(f"/api/v1/plan/baselines/{year}", json={"csv": _csv(year, figures)})
    assert other_unit.status_code == 403
    assert (
        hrss.get(f"/api/v1/plan/baselines/{year}").json()["totals"]["graduates_registered"] == 500
    )

    answer = complete_indicators(hrss, str(year))
    (rate,) = [r for r in answer["rates"] if r["code"] == RATE]
    headline = next(
        i["value"]
        for task in answer["tasks"]
        for i in task["indicators"]
        if i["code"] == rate["numerator"]["indicator"]
    )
    assert rate["denominator"] == {"measure": "graduates_registered", "value": 500}
    assert rate["numerator"]["value"] == headline
    assert rate["percent"] == round(100 * headline / 500, 1)


def test_the_quarterly_report_downloads_as_xlsx_and_pdf_with_the_figures(api):
    year, quarter = _year_and_quarter()
    officer = api.staff("officer", unit="culture_tourism")
    title = f"青年文化节筹备 {uuid.uuid4().hex[:6]}"
    created = officer.post(
        "/api/v1/plan/items",
        json={
            "kind": "practical_project",
            "title": title,
            "unit": "culture_tourism",
            "owner": "文化科",
            "leader": "王副区长",
            "due_date": days_ago(3),
        },
    )
    assert created.status_code == 201, created.text
    league = api.staff("officer", unit="youth_league")
    meeting = f"青年工作联席会议 {uuid.uuid4().hex[:6]}"
    held = league.post(
        "/api/v1/plan/meetings",
        json={
            "held_on": days_ago(0),
            "title": meeting,
            "units": ["hrss"],
            "minutes": "研究见习岗位。",
            "decisions": ["扩大就业见习岗位"],
            "action_items": [
                {"title": f"{meeting} 见习岗位", "unit": "hrss", "due_date": days_ago(0)}
            ],
        },
    )
    assert held.status_code == 201, held.text
    figures = [("township_2", "25-29", "graduates_registered", 777)]
    assert (
        league.put(f"/api/v1/plan/baselines/{year}", json={"csv": _csv(year, figures)}).status_code
        == 200
    )

    def report_and_answer():
        """The report beside the indicators answer fetched just before it, once both are
        complete and agree: events of earlier tests may still be moving the figures."""
        answer = complete_indicators(officer, quarter)
        xlsx = officer.get("/api/v1/reports/quarterly.xlsx", params={"period": quarter})
        assert xlsx.status_code == 200, xlsx.text
        assert xlsx.headers["Content-Disposition"].endswith(f'evaluation-{quarter}.xlsx"')
        book = load_workbook(io.BytesIO(xlsx.content))
        rows = [row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
        shown = {}  # the indicators table comes first (the chart's data repeats a label)
        for row in rows:
            if len(row) > 2:
                shown.setdefault(row[1], row[2] if row[2] != "" else None)
        expected = {
            indicator["label"]["zh-CN"]: indicator["value"]
            for task in answer["tasks"]
            for indicator in task["indicators"]
        }
        agree = all(label in shown and shown[label] == value for label, value in expected.items())
        return (book, answer) if agree else None

    book, answer = wait_for(report_and_answer, timeout=90, interval=1, message="the report")
    cells = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]
    assert 777 in cells and title in cells and quarter in cells and meeting in cells
    assert any(sheet._charts for sheet in book.worksheets)  # the headline's months

    pdf = officer.in_english().get("/api/v1/reports/quarterly.pdf", params={"period": quarter})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    text = " ".join(text.split())
    assert "Youth development plan: quarterly evaluation" in text
    assert title in text and "777" in text and meeting in text
    headline = answer["tasks"][1]["indicators"][0]
    assert headline["code"] == "headline.graduates_staying"
    assert headline["label"]["en"] in text

    not_a_quarter = officer.get("/api/v1/reports/quarterly.pdf", params={"period": "2026-11"})
    assert not_a_quarter.status_code == 422


def test_open_data_shows_district_totals_to_anyone_and_no_breakdown(api):
    anonymous = api.anonymous
    answer = anonymous.get("/api/v1/open-data")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    codes = {indicator["code"] for indicator in body["indicators"]}
    assert "headline.graduates_staying" in codes
    assert "breakdowns" not in body and "areas" not in body
    assert {rate["code"] for rate in body["rates"]} == {RATE}
