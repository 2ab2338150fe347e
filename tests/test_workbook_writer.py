"""The workbook writes a sheet's report rows as XML text (`workbook.ReportRows`): the same
bytes as openpyxl's own writer, cell by cell, for every kind of value a report can hold."""

import gc
import re
import zipfile
from datetime import UTC, datetime
from io import BytesIO

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter

from indicators.engine import progress
from indicators.reporting import report
from indicators.reporting.report import (
    AMOUNT,
    COUNT,
    COUNT_PA,
    NUMBER,
    PERCENT,
    STATED_PERCENT,
    STATUS,
    YEAR,
    Cell,
)
from indicators.spreadsheets import workbook

pytestmark = pytest.mark.django_db

TEXTS = [
    "智能制造",
    "需加快",  # a word of the catalogue: translated unless quoted
    " 前后有空格 ",
    "尾部空格 ",
    "全角空格\u3000",
    "\u3000",
    " ",
    "a & b < c > d \"q\" 'a' ]]>",
    "&amp; 已转义",
    "第一行\n第二行",
    "回车\r\n换行",
    "\t制表开头",
    "中间\t制表",
    "=1+1",
    "=",
    "-A",
    "+86",
    "@提及",
    "#N/A",
    "#DIV/0!",
    "#不是错误",
    "",
    "x" * 40,
    "x" * 41,
    "很长的说明" * 10,
    "Ünïcödé © ½ €",
    "删除符\x7f",
    "下一行\x85",
    "不换行空格\xa0",
    "扩展汉字𠀀",
    "😀",
    "\ufeff字节序",
    "\ud7ff\ue000\ufffd",
    "超长" * 20_000,  # openpyxl keeps the first 32,767 characters
]

NUMBERS = [
    0,
    1,
    -1,
    2**53 + 1,
    10**20,
    0.0,
    -0.0,
    1.0,
    0.5,
    0.1 + 0.2,
    1e-20,
    5e-324,
    1e22,
    12345678901234567.0,
    123456789.123456789,
    -2.5,
    float("nan"),
    float("inf"),
    float("-inf"),
]


def awkward_rows():
    rows = [[Cell(text), Cell(text, quoted=True)] for text in TEXTS]
    for fmt in (COUNT, NUMBER, PERCENT, YEAR, AMOUNT):
        rows += [[Cell(n, fmt), Cell(n, fmt, unit="家")] for n in NUMBERS]
    rows += [
        [Cell(status, STATUS) for status in progress.Status],
        [Cell(None), Cell(None, NUMBER), Cell(None)],
        [Cell(True), Cell(False), Cell(gettext_lazy("name")), Cell(progress.LIST_SEPARATOR)],
        [Cell(progress.Text("{year}年", year=2024)), Cell("2024年")],
        [Cell(progress.Text("{years}", years=(2023, 2024))), Cell("2023、2024")],
        # Sentences within sentences, a catalogue's word and a name read in the page's language
        # inside them, and a list holding a sentence (listed by its Chinese, as Text does).
        [
            Cell(
                progress.Text(
                    "{subject}：{where}",
                    subject=gettext_lazy("name"),
                    where=progress.Text(
                        "{year}年{status}", year=2024, status=progress.Text("需加快")
                    ),
                )
            ),
            Cell(progress.Text("{years}", years=(progress.Text("需加快"), "2024"))),
        ],
        [Cell(0.05, STATED_PERCENT), Cell(0.055, STATED_PERCENT), Cell(85, COUNT_PA, unit="家")],
        [Cell(42.5, COUNT_PA, unit="家"), Cell(1.5, NUMBER, prefix="五年增加")],
        [Cell(1.5, NUMBER), Cell(400, COUNT, unit="家")],
        [Cell(3.25), Cell(7), Cell(-0.0)],  # no number format: a cell without a style
        [Cell(400, COUNT, unit="家", prefix=progress.Text("五年增加"))],
        [Cell(n, NUMBER) for n in range(30)],  # wider than the headers
    ]
    # Each value again further down, where its XML is placed again rather than made.
    return rows + [list(reversed(row)) for row in rows]


def sheet_xml(data):
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return {
            name: archive.read(name)
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") or name == "xl/styles.xml"
        }


def in_utf8(xml):
    """openpyxl's sheets as `workbook.SHEET_ENCODING` writes them: what lxml writes as a
    character reference in ASCII (every character beyond it) written as the character."""

    def character(reference):
        code = int(reference[1])
        return chr(code).encode() if code > 0x7F else reference[0]

    return {name: re.sub(rb"&#(\d+);", character, text) for name, text in xml.items()}


def written(rows):
    sheet = report.Sheet("表", "标题", ["甲", "乙", "丙", "丁"], rows=rows)
    rep = report.Report(2024, datetime(2025, 1, 1, tzinfo=UTC), None, [], [sheet])
    return sheet_xml(workbook.to_bytes(workbook.build(rep)))


ready_cells = workbook.StreamedSheet._values_to_row


def values_to_cells(ws, values, row_idx):
    """openpyxl's own way: each report cell made a worksheet cell (`write_cell`), then written
    by openpyxl's cell writer."""
    rows = ws.report_rows
    if rows is not None:
        values = [workbook.write_cell(ws, rows.styles, item, rows.texts) for item in values]
    return ready_cells(ws, values, row_idx)


@pytest.fixture
def cell_by_cell(monkeypatch):
    """The workbook written by openpyxl alone, cell by cell."""

    def use():
        monkeypatch.setattr(workbook.StreamedSheet, "_write_rows", WriteOnlyWorksheet._write_rows)
        monkeypatch.setattr(workbook.StreamedSheet, "_values_to_row", values_to_cells)
        monkeypatch.setattr(workbook, "StreamedWriter", WorksheetWriter)

    return use


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_report_rows_write_what_openpyxl_writes(cell_by_cell, language):
    with translation.override(language):
        ours = written(awkward_rows())
        cell_by_cell()
        theirs = in_utf8(written(awkward_rows()))
    assert b"inlineStr" in ours["xl/worksheets/sheet1.xml"]
    assert "<t>智能制造</t>".encode() in ours["xl/worksheets/sheet1.xml"]
    assert b'xml:space="preserve"' in ours["xl/worksheets/sheet1.xml"]
    assert ours == theirs


def test_a_sheet_of_empty_rows_is_written_as_openpyxl_writes_it(cell_by_cell):
    ours = written([[Cell(None)], [], [Cell(None), Cell(None, NUMBER)]])
    cell_by_cell()
    assert ours == in_utf8(written([[Cell(None)], [], [Cell(None), Cell(None, NUMBER)]]))


def test_plain_numbers_and_texts_are_written_without_openpyxl(monkeypatch):
    by_openpyxl = []
    original = workbook.ReportRows.written_by_openpyxl

    def spy(self, cell):
        by_openpyxl.append(cell.value)
        return original(self, cell)

    monkeypatch.setattr(workbook.ReportRows, "written_by_openpyxl", spy)
    written(awkward_rows())
    # Only what openpyxl writes its own way: an empty text, no number (NaN and infinity), and
    # characters other than those lxml writes as they are.
    assert {repr(v) for v in by_openpyxl} == {
        repr(v)
        for v in [
            *("", "回车\r\n换行", "删除符\x7f", "下一行\x85"),
            *("扩展汉字𠀀", "😀", float("nan"), float("inf"), float("-inf")),
        ]
    }


def test_a_text_that_spells_an_excel_error_value_stays_text():
    sheet = written([[Cell("#N/A"), Cell("#DIV/0!"), Cell("#N/A", quoted=True)]])[
        "xl/worksheets/sheet1.xml"
    ]

    assert b't="e"' not in sheet
    assert sheet.count(b't="inlineStr"><is><t>#N/A</t></is>') == 2
    assert b't="inlineStr"><is><t>#DIV/0!</t></is>' in sheet


def test_a_control_character_is_refused_as_openpyxl_refuses_it():
    with pytest.raises(IllegalCharacterError):
        written([[Cell("正常")], [Cell("响铃\x07")]])


@pytest.fixture
def collector_on():
    enabled = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if enabled else gc.disable)()


def test_a_sheet_is_written_with_the_cyclic_collector_held_off(monkeypatch, collector_on):
    seen = []
    write_sheet = workbook.write_sheet

    def spy(*args):
        seen.append(gc.isenabled())
        write_sheet(*args)

    monkeypatch.setattr(workbook, "write_sheet", spy)
    written([[Cell("智能制造")]])
    assert seen == [False]
    assert gc.isenabled()


def printed_width(text):
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(text))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_text_is_translated_as_the_printable_page_shows_it(language):
    with translation.override(language):
        texts = workbook.Texts()
        cells = [c for row in awkward_rows() for c in row if isinstance(c.value, str)]
        assert [texts(c) for c in cells] == [c.text for c in cells]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_column_is_as_wide_as_the_widest_printed_value(language):
    rows = awkward_rows()
    headers = [f"列{i}" for i in range(30)]
    # No cap, so every value's width counts.
    sheet = report.Sheet("表", "标题", headers, rows=rows, widths=dict.fromkeys(headers, 10**6))
    with translation.override(language):
        for index, header in enumerate(headers):
            cells = [row[index] for row in rows if index < len(row)]
            longest = max((printed_width(c.text) for c in cells), default=0)
            header_width = (printed_width(header) + 1) // 2 + 2
            expected = max(header_width, longest + 2, workbook.MIN_WIDTH)
            assert workbook.column_width(sheet, index) == expected


P = "说明前缀"  # so that each is wider than a column's least width


@pytest.mark.parametrize(
    "narrow, wide",
    [
        (Cell(1.5, NUMBER, prefix=P), Cell(1.5, NUMBER, prefix=P + "五年增加")),
        (Cell(1.5, NUMBER, prefix=P), Cell(1.5, NUMBER, prefix=progress.Text(P + "五年增加"))),
        (Cell(5, COUNT, prefix=P), Cell(5, COUNT, unit="家", prefix=P)),
        (Cell(5, COUNT, prefix=P), Cell(5, PERCENT, prefix=P)),
        (Cell(0, YEAR, prefix=P), Cell(-0.0, YEAR, prefix=P)),
        (Cell(0.0, YEAR, prefix=P), Cell(-0.0, YEAR, prefix=P)),
        (Cell(123456789, YEAR), Cell(123456789.0, YEAR)),
    ],
)
def test_numbers_that_print_differently_are_measured_apart(narrow, wide):
    assert workbook.MIN_WIDTH < printed_width(narrow.text) + 2 < printed_width(wide.text) + 2
    sheet = report.Sheet("表", "标题", ["甲"], rows=[[narrow], [wide]], widths={"甲": 10**6})
    assert workbook.column_width(sheet, 0) == printed_width(wide.text) + 2


def test_a_text_is_as_wide_as_its_characters():
    for text in [*TEXTS, "\u2e7f", "\u2e80", "\u2e7f\u2e80", "⺀部首", "ａｂｃ"]:
        assert workbook.text_width(text) == printed_width(text)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_finding_of_the_documents_is_written_as_its_page_shows_it(language):
    """The 数据质量 sheet's sentences, read off what each is made of, are the page's own."""
    from indicators.domain import quality

    with translation.override(language):
        found = quality.findings()
        texts = workbook.Texts()
        cells = [Cell(f.message) for f in found] + [Cell(f.source) for f in found]
        assert [texts(c) for c in cells] == [c.text for c in cells]
        assert [texts(Cell(f.message)) for f in found] == [f.message_text for f in found]
