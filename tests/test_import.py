"""Importing a year's actuals from a spreadsheet: the check, the refusals, applying it."""

import shutil
import subprocess
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook

from indicators.models import Actual, Metric, Subject
from indicators.spreadsheets import importing
from indicators.spreadsheets.workbook import to_bytes

pytestmark = pytest.mark.django_db

VALUE = importing.HEADERS.index("数值") + 1
NOTE = importing.HEADERS.index("备注") + 1
YEAR = importing.HEADERS.index("年份") + 1
SUBJECT = importing.HEADERS.index("对象代码") + 1
METRIC = importing.HEADERS.index("指标代码") + 1


def dump():
    """Every actual as it stands, and how many history records there are."""
    rows = list(
        Actual.objects.order_by("pk").values_list(
            "pk", "subject_id", "metric_id", "year", "value", "note", "state", "entered_by_id"
        )
    )
    return rows, Actual.history.count()


def row_of(ws, subject, metric):
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, SUBJECT).value == subject and ws.cell(r, METRIC).value == metric:
            return r
    raise AssertionError((subject, metric))


def filled(values, year=2025):
    """The template for `year` with {(subject, metric): value or (value, note)} filled in."""
    wb = importing.template(year)
    ws = wb[importing.SHEET_NAME]
    for (subject, metric), value in values.items():
        r = row_of(ws, subject, metric)
        value, note = value if isinstance(value, tuple) else (value, None)
        ws.cell(r, VALUE, value=value)
        if note is not None:
            ws.cell(r, NOTE, value=note)
    return wb


def check(wb, user):
    return importing.check(to_bytes(wb), "2025年实际值.xlsx", user)


def test_the_template_has_the_importers_header_and_one_row_per_target(alice):
    ws = importing.template(2025)[importing.SHEET_NAME]
    assert [c.value for c in ws[1]] == importing.HEADERS
    r = row_of(ws, "beichen", "strategic-output")
    row = [c.value for c in ws[r]]
    assert row == [
        "全区",
        "北辰区",
        "beichen",
        row[3],
        "strategic-output",
        "亿元",
        330,
        700,
        2025,
        "全年",
        None,
        None,
    ]
    # Two plans track high-tech firms, each with its own baseline and target.
    r = row_of(ws, "beichen", "hightech-firms")
    assert ws.cell(r, 7).value == "倍增行动方案 400；工业“十四五”规划 442"
    assert ws.cell(r, 8).value == "倍增行动方案 800；工业“十四五”规划 650"
    assert all(ws.cell(r, VALUE).value is None for r in range(2, ws.max_row + 1))
    assert ws.cell(row_of(ws, "beichen-etdz", "park-output"), 1).value == "园区"


def test_a_filled_template_previews_what_it_creates(alice):
    wb = filled({("beichen", "strategic-output"): 690, ("new-energy", "chain-output"): 280.5})
    preview = check(wb, alice)
    assert preview.errors == []
    assert [(r.subject.slug, r.metric.slug, r.value) for r in preview.created] == [
        ("beichen", "strategic-output", Decimal("690")),
        ("new-energy", "chain-output", Decimal("280.5")),
    ]
    assert preview.can_apply
    assert preview.skipped > 100


def test_the_preview_changes_nothing(alice):
    before = dump()
    check(filled({("beichen", "strategic-output"): 690}), alice)
    assert dump() == before


def test_applying_saves_drafts_entered_by_the_importer_with_history(alice):
    wb = filled({("beichen", "strategic-output"): (690, "快报数"), ("tianmu", "srdi-firms"): 2})
    importing.apply(to_bytes(wb), "2025年实际值.xlsx", alice)
    actual = Actual.objects.get(subject__slug="beichen", metric__slug="strategic-output", year=2025)
    assert actual.value == Decimal("690")
    assert actual.note == "快报数"
    assert actual.state == Actual.State.DRAFT
    assert actual.entered_by == alice
    record = actual.history.get()
    assert record.history_user == alice
    assert record.history_change_reason == "表格导入：2025年实际值.xlsx"
    assert record.history_type == "+"
    assert (
        Actual.objects.get(subject__slug="tianmu", metric__slug="srdi-firms", year=2025).value == 2
    )


def test_reimporting_the_same_file_changes_nothing(alice):
    data = to_bytes(filled({("beichen", "strategic-output"): 690}))
    importing.apply(data, "a.xlsx", alice)
    before = dump()
    preview = importing.apply(data, "a.xlsx", alice)
    assert dump() == before
    assert [r.action_label for r in preview.rows] == ["无变化"]
    assert not preview.can_apply


def test_a_changed_value_updates_the_draft_and_records_old_and_new(alice, dan):
    first = importing.apply(to_bytes(filled({("beichen", "strategic-output"): 690})), "a.xlsx", dan)
    assert first.errors == []
    preview = importing.apply(
        to_bytes(filled({("beichen", "strategic-output"): 695})), "b.xlsx", alice
    )
    (row,) = preview.changed
    assert (row.old, row.value) == (Decimal("690"), Decimal("695"))
    actual = Actual.objects.get(subject__slug="beichen", metric__slug="strategic-output", year=2025)
    assert actual.value == Decimal("695") and actual.entered_by == alice
    latest = actual.history.first()
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "~",
        alice,
        "表格导入：b.xlsx",
    )
    assert actual.history.count() == 2


def test_an_approved_figure_with_the_same_value_is_unchanged(alice):
    wb = filled({("beichen", "hightech-firms"): 715}, year=2024)
    preview = check(wb, alice)
    assert preview.errors == []
    assert [r.action_label for r in preview.rows] == ["无变化"]


def refused(wb, user, message, filename="2025年实际值.xlsx"):
    before = dump()
    preview = importing.apply(to_bytes(wb) if not isinstance(wb, bytes) else wb, filename, user)
    assert message in preview.errors, preview.errors
    assert not preview.can_apply
    assert dump() == before
    return preview


def test_it_refuses_to_change_an_approved_figure(alice):
    wb = filled({("beichen", "hightech-firms"): 720}, year=2024)
    r = row_of(wb[importing.SHEET_NAME], "beichen", "hightech-firms")
    refused(
        wb,
        alice,
        f"第{r}行“数值”列：北辰区“国家级高新技术企业数量”2024年的数值 715 已审核，"
        "不能通过导入修改；如需更正，请审核人员先重新打开该数值。",
    )


def test_one_bad_row_stops_every_row(alice):
    wb = filled({("beichen", "strategic-output"): 690, ("new-energy", "chain-output"): -1})
    r = row_of(wb[importing.SHEET_NAME], "new-energy", "chain-output")
    preview = refused(wb, alice, f"第{r}行“数值”列：在链企业产值不能为负数（填写的是 -1）。")
    assert len(preview.errors) == 1


def test_it_refuses_an_unknown_chain_town_park_or_figure(alice):
    wb = filled({("new-energy", "chain-output"): 280})
    ws = wb[importing.SHEET_NAME]
    r = row_of(ws, "new-energy", "chain-output")
    ws.cell(r, SUBJECT, value="no-such-chain")
    refused(wb, alice, f"第{r}行“对象代码”列：没有代码为“no-such-chain”的产业链。")
    ws.cell(r, SUBJECT, value="new-energy")
    ws.cell(r, METRIC, value="chain-profit")
    refused(wb, alice, f"第{r}行“指标代码”列：没有代码为“chain-profit”的指标。")
    wb = filled({("shuangjie", "srdi-firms"): 5, ("beichen-etdz", "park-output"): 120})
    ws = wb[importing.SHEET_NAME]
    town, park = row_of(ws, "shuangjie", "srdi-firms"), row_of(ws, "beichen-etdz", "park-output")
    ws.cell(town, SUBJECT, value="shuang-jie")
    ws.cell(park, SUBJECT, value="etdz")
    preview = refused(
        wb, alice, f"第{town}行“对象代码”列：没有代码为“shuang-jie”的属地（开发区或镇）。"
    )
    assert f"第{park}行“对象代码”列：没有代码为“etdz”的园区。" in preview.errors


def test_it_refuses_text_in_a_number_cell(alice):
    wb = filled({("beichen", "strategic-output"): "约690"})
    r = row_of(wb[importing.SHEET_NAME], "beichen", "strategic-output")
    refused(wb, alice, f"第{r}行“数值”列：“约690”不是数字。")


def test_it_refuses_a_negative_count(alice):
    wb = filled({("beichen", "srdi-firms"): -3})
    r = row_of(wb[importing.SHEET_NAME], "beichen", "srdi-firms")
    refused(wb, alice, f"第{r}行“数值”列：“专精特新”企业和小巨人数量不能为负数（填写的是 -3）。")


def test_it_refuses_a_percentage_outside_0_to_100(alice):
    wb = filled({("beichen", "rd-share"): 250})
    r = row_of(wb[importing.SHEET_NAME], "beichen", "rd-share")
    refused(
        wb,
        alice,
        f"第{r}行“数值”列：R&D经费投入占营业收入比重是百分比，须在 0 到 100 之间（填写的是 250）。",
    )


def test_it_refuses_the_same_figure_twice(alice):
    wb = filled({("beichen", "strategic-output"): 690})
    ws = wb[importing.SHEET_NAME]
    r = row_of(ws, "beichen", "strategic-output")
    ws.append([c.value for c in ws[r]])
    ws.cell(ws.max_row, VALUE, value=691)
    refused(
        wb,
        alice,
        f"第{ws.max_row}行与第{r}行重复：北辰区“工业战略性新兴产业产值”2025年只能填写一次。",
    )


@pytest.mark.parametrize("year", [2019, 2031])
def test_it_refuses_a_year_outside_the_plans(alice, year, time_machine):
    time_machine.move_to(datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    wb = filled({("beichen", "strategic-output"): 690})
    r = row_of(wb[importing.SHEET_NAME], "beichen", "strategic-output")
    wb[importing.SHEET_NAME].cell(r, YEAR, value=year)
    refused(wb, alice, f"第{r}行“年份”列：年份须在 2020 年至 2026 年之间（填写的是 {year} 年）。")


@pytest.mark.parametrize("error", ["#DIV/0!", "#REF!"])
def test_it_refuses_excel_error_values(alice, error):
    wb = filled({("beichen", "strategic-output"): 690})
    ws = wb[importing.SHEET_NAME]
    r = row_of(ws, "beichen", "strategic-output")
    ws.cell(r, VALUE).value = error
    ws.cell(r, VALUE).data_type = "e"
    refused(wb, alice, f"第{r}行“数值”列是 Excel 错误值 {error}，请改为填写数字。")


def test_it_refuses_a_formula_instead_of_a_value(alice):
    wb = filled({("beichen", "strategic-output"): "=600+90"})
    r = row_of(wb[importing.SHEET_NAME], "beichen", "strategic-output")
    refused(
        wb,
        alice,
        f"第{r}行“数值”列是公式“=600+90”，不是数值。请复制后“选择性粘贴→数值”，再导入。",
    )


def test_a_note_that_is_text_starting_with_equals_is_kept_as_text(alice):
    wb = filled({("beichen", "strategic-output"): 690})
    ws = wb[importing.SHEET_NAME]
    r = row_of(ws, "beichen", "strategic-output")
    ws.cell(r, NOTE).value = "=1+1"
    ws.cell(r, NOTE).data_type = "s"
    importing.apply(to_bytes(wb), "a.xlsx", alice)
    assert (
        Actual.objects.get(subject__slug="beichen", metric__slug="strategic-output", year=2025).note
        == "=1+1"
    )


def test_it_refuses_a_missing_header(alice):
    wb = filled({("beichen", "strategic-output"): 690})
    wb[importing.SHEET_NAME].cell(1, VALUE, value="填报值")
    refused(
        wb,
        alice,
        "第1行表头缺少“数值”列。第1行应为：" + "、".join(importing.HEADERS) + "。",
    )


def test_it_refuses_an_empty_header_row(alice):
    wb = filled({("beichen", "strategic-output"): 690})
    wb[importing.SHEET_NAME].delete_rows(1)
    wb[importing.SHEET_NAME].insert_rows(1)
    refused(
        wb,
        alice,
        "工作表“年度实际值”第1行没有表头。第1行应为：" + "、".join(importing.HEADERS) + "。",
    )


def test_it_refuses_an_empty_sheet(alice):
    wb = Workbook()
    wb.active.title = "年度实际值"
    refused(wb, alice, "工作表“年度实际值”是空的，没有表头和数据。请使用下载的模板填写。")


def test_it_refuses_a_template_with_no_values(alice):
    refused(importing.template(2025), alice, "文件中没有填写数值的行，没有可导入的数据。")


def test_it_refuses_a_csv_renamed_to_xlsx(alice):
    csv = "对象代码,指标代码,年份,数值\nbeichen,strategic-output,2025,690\n".encode()
    refused(
        csv,
        alice,
        "文件内容是 CSV 或文本，不是 Excel 工作簿（只是扩展名为 .xlsx）。"
        "请用 Excel 打开后另存为“Excel 工作簿（.xlsx）”再导入。",
    )


CORRUPT = "文件已损坏或不是 Excel 工作簿，无法读取。请重新下载模板填写后再导入。"


def test_it_refuses_a_corrupt_file(alice):
    data = to_bytes(filled({("beichen", "strategic-output"): 690}))
    refused(data[: len(data) // 2], alice, CORRUPT)
    refused(b"PK\x03\x04" + bytes(range(256)) * 4, alice, CORRUPT)
    refused(bytes(range(256)) * 4, alice, CORRUPT)


def test_it_refuses_a_password_protected_file(alice):
    # An encrypted .xlsx is an OLE compound file, not a zip.
    ole = importing.OLE_MAGIC + b"\0" * 2048
    refused(
        ole,
        alice,
        "文件设有打开密码，或是旧版 .xls 格式，无法读取。"
        "请取消密码，另存为“Excel 工作簿（.xlsx）”后再导入。",
    )


def test_it_refuses_an_empty_file(alice):
    refused(b"", alice, "文件是空的（0 字节），请选择填写好的 .xlsx 模板。")


def test_it_refuses_a_file_over_the_size_limit(alice, settings):
    settings.BEICHEN_IMPORT_MAX_BYTES = 2 * 1024 * 1024
    data = b"PK" + b"\0" * (3 * 1024 * 1024)
    refused(data, alice, "文件大小为 3.0 MB，超过导入上限 2.0 MB，请分批导入。")


def test_a_town_clerk_cannot_import_another_towns_figures(bob):
    wb = filled({("shuangjie", "srdi-firms"): 5, ("tianmu", "srdi-firms"): 2})
    r = row_of(wb[importing.SHEET_NAME], "tianmu", "srdi-firms")
    preview = refused(wb, bob, f"第{r}行“对象代码”列：您没有填报“天穆镇”数据的权限。")
    assert len(preview.errors) == 1


def test_a_town_clerk_imports_the_towns_and_its_parks_figures(bob):
    wb = filled({("shuangjie", "srdi-firms"): 5, ("shuangjie-park", "park-output"): 8.5})
    preview = importing.apply(to_bytes(wb), "双街镇.xlsx", bob)
    assert preview.errors == []
    assert Actual.objects.get(subject__slug="shuangjie-park", year=2025).entered_by == bob


def test_three_thousand_rows_import_with_history(alice):
    """Three thousand new figures in one file are all created, each with its history entry.
    (How long it takes is measured by `make bench`, benchmarks/import_bench.py.)"""
    taken = set(Actual.objects.values_list("subject__slug", "metric__slug", "year"))
    subjects = list(Subject.objects.values_list("slug", flat=True))
    metrics = list(Metric.objects.values_list("slug", flat=True))
    wb = Workbook()
    ws = wb.active
    ws.append(importing.HEADERS)
    keys = (
        (s, m, y)
        for y in range(2021, 2026)
        for s in subjects
        for m in metrics
        if (s, m, y) not in taken
    )
    for index, (subject, metric, year) in zip(range(3000), keys, strict=False):
        ws.append(["", "", subject, "", metric, "", "", "", year, "", 1 + index % 50, ""])
    data = to_bytes(wb)
    history = Actual.history.count()
    preview = importing.apply(data, "big.xlsx", alice)
    assert preview.errors == []
    assert len(preview.created) == 3000
    assert Actual.history.count() == history + 3000
    created = Actual.history.filter(history_type="+", source="表格导入：big.xlsx")
    assert created.count() == 3000
    assert Actual.objects.filter(source="表格导入：big.xlsx", state="draft").count() == 3000


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_template_saved_again_by_libreoffice_imports_the_same(alice, tmp_path):
    wb = filled({("beichen", "strategic-output"): 690.5, ("beichen", "srdi-firms"): "=70+1"})
    (tmp_path / "in.xlsx").write_bytes(to_bytes(wb))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(tmp_path / "out"),
            str(tmp_path / "in.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    preview = importing.check((tmp_path / "out" / "in.xlsx").read_bytes(), "in.xlsx", alice)
    r = row_of(wb[importing.SHEET_NAME], "beichen", "srdi-firms")
    assert preview.errors == [
        f"第{r}行“数值”列是公式“=70+1”，不是数值。请复制后“选择性粘贴→数值”，再导入。"
    ]
    assert [row.value for row in preview.rows if not row.errors] == [Decimal("690.5")]
