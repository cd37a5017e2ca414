"""The evaluation report's files hold whatever text officers typed: control characters, which
XLSX cannot store, and `<` or `&`, which reportlab would read as markup."""

import io

from openpyxl import load_workbook
from pypdf import PdfReader

from gateway import report_files
from gateway.report import Chart, Report, Section, Table

TYPED = "青年夜校\x02 <b>加开 & 扩容"


def report() -> Report:
    table = Table("清单", ["事项", "单位", "数值"], [[TYPED, "团区委", 3]])
    chart = Chart("按月", ["01", "02"], {"人数": [1, 2]})
    return Report("报告", [("评估期", "2026-Q4")], [Section("三、四个清单", [table], [chart])], "r")


def test_typed_text_reaches_both_files_without_breaking_them():
    cells = {
        cell
        for sheet in load_workbook(io.BytesIO(report_files.as_xlsx(report()))).worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    }
    assert "青年夜校 <b>加开 & 扩容" in cells and 3 in cells
    text = PdfReader(io.BytesIO(report_files.as_pdf(report()))).pages[0].extract_text()
    assert "<b>加开 & 扩容" in text
