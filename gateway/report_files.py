"""The evaluation report (`report.py`) written as files: XLSX with openpyxl (a sheet per section,
its tables and a bar chart), PDF with reportlab (tables and the chart drawn in the document).

The PDF sets its text in STSong-Light, one of the Adobe CID fonts every PDF reader carries, so
Chinese shows without a font file on the server or in the document.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .report import Chart, Report

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"
FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


# -- XLSX --------------------------------------------------------------------------------------


def as_xlsx(report: Report) -> bytes:
    book = Workbook()
    cover = book.active
    cover.title = "report"
    _append(cover, [report.title])
    cover["A1"].font = Font(bold=True, size=14)
    for label, value in report.facts:
        _append(cover, [label, value])
    for number, section in enumerate(report.sections, start=1):
        sheet = book.create_sheet(f"{number}")
        _append(sheet, [section.title])
        sheet["A1"].font = Font(bold=True, size=12)
        for table in section.tables:
            _append(sheet, [])
            _append(sheet, [table.title])
            _append(sheet, table.header)
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
            for row in table.rows:
                _append(sheet, row)
        for chart in section.charts:
            _xlsx_chart(sheet, chart)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value):
    """A value a worksheet can hold: text the officers typed may carry control characters,
    which XLSX has no way to write."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _append(sheet, row: list) -> None:
    sheet.append([_cell(value) for value in row])


def _xlsx_chart(sheet, chart: Chart) -> None:
    """The chart's data below the tables, and a bar chart of it beside them."""
    _append(sheet, [])
    first = sheet.max_row + 1
    _append(sheet, [chart.title, *chart.series])
    for index, category in enumerate(chart.categories):
        _append(sheet, [category, *[values[index] for values in chart.series.values()]])
    bars = BarChart()
    bars.title = chart.title
    last = first + len(chart.categories)
    data = Reference(sheet, min_col=2, max_col=1 + len(chart.series), min_row=first, max_row=last)
    bars.add_data(data, titles_from_data=True)
    bars.set_categories(Reference(sheet, min_col=1, min_row=first + 1, max_row=last))
    sheet.add_chart(bars, f"H{first}")


# -- PDF ---------------------------------------------------------------------------------------


def as_pdf(report: Report) -> bytes:
    out = io.BytesIO()
    page = landscape(A4)
    document = SimpleDocTemplate(
        out, pagesize=page, title=report.title, leftMargin=15 * mm, rightMargin=15 * mm
    )
    title = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=22, spaceAfter=6)
    heading = ParagraphStyle("heading", fontName=FONT, fontSize=13, leading=18, spaceBefore=10)
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12)
    story = [Paragraph(_text(report.title), title)]
    story += [Paragraph(_text(f"{label}: {value}"), body) for label, value in report.facts]
    width = page[0] - 30 * mm
    for section in report.sections:
        story.append(Paragraph(_text(section.title), heading))
        for table in section.tables:
            if table.title != section.title:
                story.append(Paragraph(_text(table.title), body))
            story += [Spacer(1, 2 * mm), _pdf_table(table, body, width), Spacer(1, 4 * mm)]
        story += [_pdf_chart(chart, width) for chart in section.charts]
    document.build(story)
    return out.getvalue()


def _text(value) -> str:
    """A value as a paragraph's text: reportlab reads `<` and `&` as its markup, and the
    officers' titles are plain text."""
    return escape(_cell(str(value)))


def _pdf_table(table, style: ParagraphStyle, width: float) -> Table:
    """Cells as paragraphs, so long labels wrap within the page."""
    rows = [table.header, *table.rows]
    cells = [[Paragraph(_text(cell), style) for cell in row] for row in rows]
    if len(cells) == 1:
        cells.append([Paragraph("—", style)] + [""] * (len(table.header) - 1))
    pdf = Table(cells, colWidths=_widths(len(table.header), width), repeatRows=1)
    pdf.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return pdf


def _widths(columns: int, width: float) -> list[float]:
    """A wide second column (labels), the others shared alike."""
    if columns < 3:
        return [width / columns] * columns
    rest = width * 0.55 / (columns - 1)
    return [rest, width * 0.45] + [rest] * (columns - 2)


def _pdf_chart(chart: Chart, width: float) -> Drawing:
    drawing = Drawing(width, 70 * mm)
    drawing.add(String(0, 65 * mm, chart.title, fontName=FONT, fontSize=10))
    bars = VerticalBarChart()
    bars.x, bars.y = 10 * mm, 10 * mm
    bars.width, bars.height = width - 20 * mm, 48 * mm
    bars.data = [tuple(values) for values in chart.series.values()]
    bars.categoryAxis.categoryNames = chart.categories
    bars.valueAxis.valueMin = 0
    bars.bars[0].fillColor = colors.HexColor("#2f6fad")
    drawing.add(bars)
    return drawing
