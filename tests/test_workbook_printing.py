"""The report workbook prints as officials print it: each table whole in width, headers repeated."""

from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from indicators.reporting import report
from indicators.spreadsheets import workbook
from tests.helpers import libreoffice_convert, needs_libreoffice

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def rep(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return report.build(2024)


def saved(rep):
    """The workbook as a reader opens it (it is written in streaming mode: no cell is read back
    before it is saved)."""
    return load_workbook(BytesIO(workbook.to_bytes(workbook.build(rep))))


def test_every_sheet_prints_on_a4_one_page_wide_with_its_headers_repeated(rep):
    wb = saved(rep)
    for sheet in rep.sheets:
        ws = wb[sheet.name]
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.print_title_rows == "$1:$2"
        assert ws.freeze_panes == "A3"
        assert ws.oddFooter.right.text == "第 &P 页，共 &N 页"
        assert ws.oddFooter.left.text.startswith("来源：北辰区制造业指标报告（2024年）")
        assert ws.evenFooter.right.text == "第 &P 页，共 &N 页"
        assert (ws.page_margins.left, ws.page_margins.top) == (0.4, 0.6)
        assert ws.print_options.horizontalCentered
        last = ws.cell(workbook.HEADER_ROW, len(sheet.headers)).column_letter
        rows = workbook.HEADER_ROW + len(sheet.rows)
        assert ws.print_area == f"'{ws.title}'!$A$1:${last}${rows}"
        # The title row spans the table, two lines high, wrapped.
        assert [str(r) for r in ws.merged_cells.ranges] == [f"A1:{last}1"]
        assert ws.row_dimensions[workbook.TITLE_ROW].height == 36
        assert ws["A1"].alignment.wrap_text and ws["A1"].font.sz == 13
    assert wb["汇总"].page_setup.orientation == "landscape"
    assert wb["工作举措"].page_setup.orientation == "landscape"


def test_columns_are_wide_enough_for_their_chinese_labels(rep):
    wb = saved(rep)
    ws = wb["汇总"]
    widths = {c.value: ws.column_dimensions[c.column_letter].width for c in ws[workbook.HEADER_ROW]}
    # 制造业增加值占GDP比重: 9 Chinese characters and 3 letters, two columns a character.
    assert widths["关键指标"] >= workbook.text_width("智能工厂/数字化车间数量") + 2
    assert widths["状态"] >= workbook.text_width("正常推进")
    assert widths["完成度"] >= workbook.text_width("107.6%")


@needs_libreoffice
def test_printed_to_pdf_no_sheet_is_split_across_pages_by_width(rep, tmp_path):
    source = tmp_path / "report.xlsx"
    source.write_bytes(workbook.to_bytes(workbook.build(rep)))
    libreoffice_convert(source, "pdf")
    pages = [page.extract_text() for page in PdfReader(tmp_path / "report.pdf").pages]
    # Every page shows one sheet's title row and both its first and last column header:
    # a table cut by width would leave the last header (or the first) off some page.
    for number, text in enumerate(pages, start=1):
        compact = text.replace(" ", "").replace("\n", "")
        sheet = next((s for s in rep.sheets if s.title.replace(" ", "") in compact), None)
        assert sheet is not None, f"第{number}页没有表头标题：{text[:80]}"
        for header in (sheet.headers[0], sheet.headers[-1]):
            assert header.replace(" ", "") in compact, (
                f"第{number}页（{sheet.name}）缺少列“{header}”"
            )
    printed = {
        s.name
        for s in rep.sheets
        if any(s.title.replace(" ", "") in p.replace(" ", "").replace("\n", "") for p in pages)
    }
    assert printed == {s.name for s in rep.sheets}
