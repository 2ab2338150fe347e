"""The report as an Excel workbook: `indicators.reporting.report.Report` in, openpyxl Workbook out.

No queries here. Numbers are written as numbers with a number format (never as text),
status cells are coloured and worded, and each sheet starts with a title row naming the
plans, the year and when it was generated, then a bold, frozen header row.
"""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from indicators.engine import formatting, kinds, progress
from indicators.reporting import report

NUMBER_FORMATS = {
    **{kind.code: kind.excel_format for kind in kinds.KINDS.values()},
    report.PERCENT: "0.0%",
    report.NUMBER: "#,##0.00",
    report.YEAR: "0",
    report.POINTS: '0.00"个百分点"',
    report.POINTS_PA: '0.00"个百分点/年"',
    report.PER_YEAR: '#,##0.0"/年"',
}

# Fill colours follow the dashboard's badges: green reached, amber slow, red behind.
STATUS_FILLS = {
    progress.Status.ACHIEVED: "C6EFCE",
    progress.Status.REACHED: "C6EFCE",
    progress.Status.ON_TRACK: "DDEBF7",
    progress.Status.ACCELERATE: "FFEB9C",
    progress.Status.LIMITED: "F8CBAD",
    progress.Status.REGRESSING: "FFC7CE",
    progress.Status.MISSED: "FFC7CE",
    progress.Status.NO_DATA: "EDEDED",
}

TITLE_ROW, HEADER_ROW = 1, 2


def write_text(cell, text):
    """Text that looks like a formula (a note “=1+1”, a name “-A”) stays text, by the same rule
    as every other export (`formatting.looks_like_formula`)."""
    cell.value = text
    if formatting.looks_like_formula(text):
        cell.data_type = "s"


def write_cell(ws, row, column, item):
    cell = ws.cell(row=row, column=column)
    if isinstance(item.value, progress.Status):
        cell.value = item.value.label
        cell.fill = PatternFill("solid", fgColor=STATUS_FILLS[item.value])
        cell.alignment = Alignment(horizontal="center")
    elif item.is_number:
        cell.value = item.value
        cell.number_format = NUMBER_FORMATS.get(item.fmt, "General")
    elif item.value is not None:
        write_text(cell, str(item.value))
        cell.alignment = Alignment(wrap_text=len(str(item.value)) > 40, vertical="top")
    return cell


def write_sheet(ws, sheet, heading):
    ws.title = sheet.name
    write_text(ws.cell(row=TITLE_ROW, column=1), f"{sheet.title} · {heading}")
    ws.cell(row=TITLE_ROW, column=1).font = Font(bold=True, size=13)
    for column, header in enumerate(sheet.headers, start=1):
        cell = ws.cell(row=HEADER_ROW, column=column, value=header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for offset, row in enumerate(sheet.rows, start=HEADER_ROW + 1):
        for column, item in enumerate(row, start=1):
            write_cell(ws, offset, column, item)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    for column, header in enumerate(sheet.headers, start=1):
        width = sheet.widths.get(header, max(10, min(len(header) * 2 + 2, 22)))
        ws.column_dimensions[get_column_letter(column)].width = width


def build(rep):
    """A Workbook with one sheet per report table, in the report's order."""
    wb = Workbook()
    heading = f"{rep.title} · {rep.generated_text}"
    for index, sheet in enumerate(rep.sheets):
        ws = wb.active if index == 0 else wb.create_sheet()
        write_sheet(ws, sheet, heading)
    wb.properties.title = rep.title
    wb.properties.creator = "北辰区制造业倍增指标看板"
    return wb


def to_bytes(workbook):
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filename(rep):
    return f"beichen-report-{rep.year}.xlsx"
