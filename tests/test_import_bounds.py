"""The import is total and bounded: every cell gives a value or a Chinese message, numbers fit
the column the admin form enforces, quoted text is cut short, problems and rows are capped."""

import zipfile
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from indicators.models import Actual
from indicators.spreadsheets import importing
from indicators.spreadsheets.workbook import to_bytes
from tests.test_import import METRIC, NOTE, SUBJECT, VALUE, YEAR, check, dump, filled, row_of

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/indicators/actual/import/"
FIGURE = ("beichen", "strategic-output")


def upload(client, data, name="2025年实际值.xlsx"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data)})


def figure_row(wb):
    return row_of(wb[importing.SHEET_NAME], *FIGURE)


def test_a_number_cell_beyond_the_column_is_refused_as_excel_stores_it(alice):
    wb = filled({FIGURE: 99999999999999999})  # Excel keeps 15 digits: 1E+17
    row = figure_row(wb)
    assert check(wb, alice).errors == [
        f"第{row}行“数值”列：100000000000000000 超出可填写的范围，整数部分最多 12 位（金额以亿元计）。"
    ]


def test_a_number_longer_than_the_column_holds_is_refused_naming_row_and_column(client, alice):
    wb = filled({FIGURE: "99999999999999999"})
    row = figure_row(wb)
    preview = check(wb, alice)
    assert preview.errors == [
        f"第{row}行“数值”列：99999999999999999 超出可填写的范围，整数部分最多 12 位（金额以亿元计）。"
    ]
    client.force_login(alice)
    before = dump()
    response = upload(client, to_bytes(wb))
    assert response.status_code == 200
    assert "token" not in response.context
    assert dump() == before
    assert client.get("/admin/indicators/actual/").status_code == 200


def test_the_largest_number_the_column_holds_is_accepted(alice):
    preview = check(filled({FIGURE: "999999999999.9999"}), alice)
    assert preview.errors == []
    assert preview.created[0].value == Decimal("999999999999.9999")


@pytest.mark.parametrize("text", ["1e309", "1E+20", "-1e400", "inf", "NaN", "sNaN"])
def test_an_exponent_or_infinity_typed_as_text_is_refused_not_a_server_error(client, alice, text):
    wb = filled({FIGURE: text})
    row = figure_row(wb)
    client.force_login(alice)
    response = upload(client, to_bytes(wb))
    assert response.status_code == 200
    errors = response.context["preview"].errors
    assert len(errors) == 1 and errors[0].startswith(f"第{row}行“数值”列：")
    assert "超出可填写的范围" in errors[0] or "不是数字" in errors[0]


def with_text_replaced(data, placeholder, text):
    """The workbook with `placeholder` replaced inside its XML (Excel itself stops at 32,767
    characters a cell, a crafted file does not)."""
    source, out = zipfile.ZipFile(BytesIO(data)), BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info, content.replace(placeholder.encode(), text.encode()))
    return out.getvalue()


def test_a_huge_text_cell_is_quoted_cut_short_and_the_page_stays_small(client, alice):
    wb = filled({FIGURE: "PLACEHOLDER"})
    row = figure_row(wb)
    data = with_text_replaced(to_bytes(wb), "PLACEHOLDER", "9" + "x" * 2_000_000)
    assert len(data) < 50_000
    client.force_login(alice)
    response = upload(client, data)
    assert response.status_code == 200
    assert len(response.content) < 100_000
    assert response.context["preview"].errors == [
        f"第{row}行“数值”列：“9{'x' * 39}…（共 2000001 个字符）”不是数字。"
    ]


def test_an_overlong_note_is_refused(alice):
    wb = filled({FIGURE: (688.5, "说" * 1001)})
    row = figure_row(wb)
    assert check(wb, alice).errors == [f"第{row}行“备注”列有 1001 个字符，最多 1000 个，请精简。"]


def test_a_year_written_as_a_huge_exponent_is_refused(alice):
    wb = filled({FIGURE: 688.5})
    ws = wb[importing.SHEET_NAME]
    row = figure_row(wb)
    ws.cell(row, YEAR, value="1e999999999")
    assert check(wb, alice).errors == [f"第{row}行“年份”列：“1e999999999”不是四位年份。"]


def bad_rows(count):
    wb = Workbook()
    ws = wb.active
    ws.title = importing.SHEET_NAME
    ws.append(importing.HEADERS)
    for n in range(count):
        row = {"对象代码": f"nowhere-{n}", "指标代码": "strategic-output", "年份": 2025, "数值": 1}
        ws.append([row.get(header, "") for header in importing.HEADERS])
    return to_bytes(wb)


def test_listing_stops_at_two_hundred_problems_and_counts_the_rest(client, alice):
    client.force_login(alice)
    response = upload(client, bad_rows(450))
    preview = response.context["preview"]
    assert len(preview.listed_errors) == 200
    assert (
        preview.listed_errors[0] == "第2行“对象代码”列：没有代码为“nowhere-0”的产业链、属地或园区。"
    )
    assert preview.unchecked == 250
    html = response.content.decode()
    assert html.count("没有代码为") == 200
    assert "问题较多，只列出前 200 处；其后 250 行未检查。请改正后重新上传。" in html
    assert "文件至少有 200 处问题" in html


def huge_workbook(rows):
    """A workbook of `rows` filled rows, written in streaming mode."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(importing.SHEET_NAME)
    ws.append(importing.REQUIRED)
    for n in range(rows):
        ws.append(["beichen", "strategic-output", 2025, n])
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_a_hundred_thousand_row_file_is_refused_after_reading_the_row_limit(
    client, alice, monkeypatch
):
    data = huge_workbook(100_000)
    assert len(data) < 5 * 1024 * 1024  # under the upload limit: only the row limit stops it
    consumed = []
    opened = importing.open_sheet

    def counting_sheet(data):
        sheet = opened(data)

        class Counting:
            title = sheet.title

            def iter_rows(self):
                for row in sheet.iter_rows():
                    consumed.append(1)
                    yield row

        return Counting()

    monkeypatch.setattr(importing, "open_sheet", counting_sheet)
    client.force_login(alice)
    response = upload(client, data)
    assert response.status_code == 200
    assert response.context["preview"].errors == [
        "文件超过 5000 行数据，已在第 5002 行停止读取，未导入任何数据。"
        "请分批导入，每个文件不超过 5000 行。"
    ]
    assert len(consumed) == importing.MAX_ROWS + 2  # header, 5000 rows, the one that stopped it
    assert len(response.content) < 100_000
    assert "token" not in response.context


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused(alice, monkeypatch):
    monkeypatch.setattr(importing, "MAX_UNPACKED_BYTES", 10_000)
    preview = check(filled({FIGURE: 688.5}), alice)
    assert len(preview.errors) == 1
    assert preview.errors[0].startswith("文件解压后为 ")
    assert "超过上限 10 KB" in preview.errors[0]


# -- property: any cell gives a value or a Chinese message, never an exception ---------------


class Cell:
    def __init__(self, value, data_type="s"):
        self.value, self.data_type = value, data_type


cell_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.text(max_size=80),
    st.from_regex(r"-?[0-9]{0,30}(\.[0-9]{0,30})?([eE][-+]?[0-9]{1,12})?", fullmatch=True),
    st.datetimes(),
)
CHINESE = "第"


@settings(max_examples=300, deadline=None)
@given(value=cell_values)
def test_any_number_cell_gives_a_value_that_fits_or_a_chinese_message(value):
    parsed, message = importing.parse_number(7, "数值", Cell(value))
    if message is None:
        assert isinstance(parsed, Decimal) and parsed.is_finite()
        Actual._meta.get_field("value").clean(parsed, None)  # fits the column as the form does
    else:
        assert parsed is None and message.startswith("第7行“数值”列：")
        assert len(message) < 200


@settings(max_examples=300, deadline=None)
@given(value=cell_values)
def test_any_year_cell_gives_a_year_in_bounds_or_a_chinese_message(value):
    year, message = importing.parse_year(7, Cell(value), (2020, 2026))
    if message is None:
        assert 2020 <= year <= 2026
    else:
        assert year is None and message.startswith("第7行“年份”列：") and len(message) < 200


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cells=st.fixed_dictionaries(
        {column: cell_values for column in ("对象代码", "指标代码", "年份", "数值", "备注")}
    ),
    data_type=st.sampled_from(["s", "n", "f", "e", "d"]),
)
def test_any_row_is_checked_without_an_exception(alice, cells, data_type):
    checker = importing.Checker(alice)
    row = checker.row(
        importing.RawRow(
            9, {k: Cell(v, data_type if k == "数值" else "s") for k, v in cells.items()}
        )
    )
    if row.errors:
        assert all(e.startswith(CHINESE) and len(e) < 300 for e in row.errors)
    else:
        assert row.subject and row.metric and row.year and row.value is not None


def test_the_template_columns_match_the_ones_these_tests_fill():
    assert (SUBJECT, METRIC, VALUE, NOTE) == tuple(
        importing.HEADERS.index(h) + 1 for h in ("对象代码", "指标代码", "数值", "备注")
    )
