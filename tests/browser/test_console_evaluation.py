"""Evaluation in the browser: an officer of 团区委 imports the year's baselines from a CSV file
and sees the totals, then downloads the quarterly report as Excel and PDF; anyone, signed out,
reads the open-data page."""

from __future__ import annotations

from openpyxl import load_workbook

from services.common.clock import clock
from tests.support.api import PASSWORD


def test_an_officer_imports_baselines_and_downloads_the_quarterly_report(
    console, console_api, tmp_path
):
    year = clock.today().year
    baselines = tmp_path / "baselines.csv"
    baselines.write_text(
        "year,area,age_band,measure,value\n"
        f"{year},township_1,18-24,youth_population,6100\n"
        f"{year},subdistrict_1,25-29,youth_population,2345\n",
        encoding="utf-8",
    )
    league = console_api.staff("officer", unit="youth_league")
    console.sign_in(league.account["username"], PASSWORD, "/review")
    console.go("/evaluation")
    # the breakdowns as the API gives them: counts, and small cells hidden
    answer = league.get("/api/v1/indicators", params={"period": str(year)}).json()
    for cell in answer["breakdowns"]["youth.registered"]["dimensions"]["area"]:
        shown = console.find(
            f'[data-breakdown="youth.registered"] [data-cell="area:{cell["key"]}"]'
        )
        assert shown.text == ("不予公布" if cell["suppressed"] else str(cell["count"])), cell
    console.find("#baseline-file").send_keys(str(baselines))
    console.submit("baselines")
    console.wait_text('form[data-form="baselines"]', "已导入 2 条基数")
    console.wait_text("main", "8445")
    assert league.get(f"/api/v1/plan/baselines/{year}").json()["totals"]["youth_population"] == (
        8445
    )

    workbook = console.download('[data-action="report-xlsx"]', "evaluation-*.xlsx")
    cells = {
        cell
        for sheet in load_workbook(workbook).worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    }
    assert "青年发展规划季度评估报告" in cells
    pdf = console.download('[data-action="report-pdf"]', "evaluation-*.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    console.screenshot("officer-evaluation")
    console.sign_out()

    console.go("/open-data")
    console.wait_text("main", "留区就业创业的高校毕业生")
    console.switch_language("en")
    console.wait_text("main", "Graduates who stayed to work or start a business")
    console.screenshot("open-data-en")
