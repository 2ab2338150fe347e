"""The workbook's sheet writer places prepared cell elements: the same XML as openpyxl's own
cell-by-cell writer, for every kind of value the report writes."""

import zipfile
from datetime import UTC, datetime
from io import BytesIO

import pytest
from openpyxl.worksheet._writer import WorksheetWriter

from indicators.engine import progress
from indicators.reporting import report
from indicators.reporting.report import COUNT, NUMBER, PERCENT, STATUS, YEAR, Cell
from indicators.spreadsheets import workbook

pytestmark = pytest.mark.django_db

ROWS = [
    [Cell("智能制造"), Cell(1, COUNT), Cell(0.5, PERCENT), Cell(2024, YEAR)],
    [Cell(" 前后有空格 "), Cell(-0.0, NUMBER), Cell(0.0, NUMBER), Cell(None)],
    [Cell("=1+1", quoted=True), Cell("#N/A", quoted=True), Cell(""), Cell(1e-20, NUMBER)],
    [Cell("智能制造"), Cell(1, COUNT), Cell(progress.Status.REACHED, STATUS), Cell(3.25)],
    [Cell("很长的说明" * 10), Cell(1.5, NUMBER, unit="家"), Cell(True), Cell(7, "amount")],
    [Cell(1.0, COUNT), Cell(-0.0, NUMBER), Cell(0.1 + 0.2, PERCENT), Cell(0.3, PERCENT)],
] * 3


def sheet_xml(data):
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return {
            name: archive.read(name)
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") or name == "xl/styles.xml"
        }


def written(monkeypatch=None):
    rows = [list(row) for row in ROWS]
    sheet = report.Sheet("表", "标题", ["甲", "乙", "丙", "丁"], rows=rows)
    rep = report.Report(2024, datetime(2025, 1, 1, tzinfo=UTC), None, [], [sheet])
    return sheet_xml(workbook.to_bytes(workbook.build(rep)))


def test_prepared_elements_write_what_openpyxl_writes(monkeypatch):
    ours = written()
    monkeypatch.setattr(workbook, "StreamedWriter", WorksheetWriter)
    theirs = written()
    assert b"inlineStr" in ours["xl/worksheets/sheet1.xml"]
    assert ours == theirs
