"""The report workbook: laid out like the government's tables, numbers as numbers."""

from io import BytesIO

import pytest
import time_machine
from openpyxl import load_workbook

from indicators.domain.tracking import track
from indicators.models import Actual, Subject
from indicators.reporting import report
from indicators.spreadsheets import workbook
from tests.helpers import ACTION_PLAN, libreoffice_convert, needs_libreoffice

pytestmark = pytest.mark.django_db

SHEETS = ["汇总", "五项倍增指标", "产业链", "属地", "园区", "其他数据", "工作举措", "数据质量"]


def build(year=2024):
    data = workbook.to_bytes(workbook.build(report.build(year)))
    return load_workbook(BytesIO(data)), data


def column(ws, header):
    headers = [c.value for c in ws[workbook.HEADER_ROW]]
    return headers.index(header) + 1


def rows(ws):
    return range(workbook.HEADER_ROW + 1, ws.max_row + 1)


def row_of(ws, name, header="关键指标", plan=None):
    for r in rows(ws):
        if ws.cell(r, column(ws, header)).value == name:
            if plan is None or ws.cell(r, column(ws, "规划")).value == plan:
                return r
    raise AssertionError(f"{name} not in {ws.title}")


@time_machine.travel("2026-11-22 10:00 +0800", tick=False)
def test_it_has_one_sheet_per_government_table_and_one_per_ended_plan():
    wb, _ = build()
    assert wb.sheetnames == [*SHEETS, "终期评估-倍增行动方案", "终期评估-工业“十四五”规划"]


@time_machine.travel("2025-06-01 10:00 +0800", tick=False)
def test_no_final_assessment_while_the_plans_run():
    wb, _ = build()
    assert wb.sheetnames == SHEETS


def test_summary_reproduces_the_reports_completion_column():
    wb, _ = build()
    ws = wb["汇总"]
    col = column(ws, "完成度")
    cells = [ws.cell(r, col) for r in range(3, 8)]
    assert [round(c.value, 3) for c in cells] == [1.076, 0.905, 1.1, 1.55, 1.138]
    assert {c.number_format for c in cells} == {"0.0%"}
    assert [ws.cell(r, column(ws, "关键指标")).value for r in range(3, 8)] == [
        "制造业增加值占GDP比重",
        "战略性新兴产业增加值占比",
        "国家级高新技术企业数量",
        "智能工厂/数字化车间数量",
        "国家级/市级绿色工厂数量",
    ]


def test_summary_shows_the_2023_figure_the_report_gives_for_strategic_share():
    wb, _ = build()
    ws = wb["汇总"]
    r = row_of(ws, "战略性新兴产业增加值占比")
    assert ws.cell(r, column(ws, "当年实际")).value == pytest.approx(0.498)
    assert ws.cell(r, column(ws, "实际年份")).value == 2023
    assert ws.cell(r, column(ws, "2020年基数")).value == pytest.approx(0.45)
    assert ws.cell(r, column(ws, "2020年基数")).number_format == "0.0%"


def test_amounts_and_counts_carry_their_number_formats():
    wb, _ = build()
    ws = wb["五项倍增指标"]
    r = row_of(ws, "工业战略性新兴产业产值", header="指标")
    assert ws.cell(r, column(ws, "2020年基数")).value == 330
    assert ws.cell(r, column(ws, "2020年基数")).number_format == "#,##0.0"
    r = row_of(ws, "国家级高新技术企业数量", header="指标")
    assert ws.cell(r, column(ws, "2024年实际")).value == 715
    assert ws.cell(r, column(ws, "2024年实际")).number_format == "#,##0"
    assert ws.cell(r, column(ws, "2025年目标")).value == 800


def test_every_number_is_stored_as_a_number():
    wb, _ = build()
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_row=workbook.HEADER_ROW + 1):
            for cell in row:
                if isinstance(cell.value, str):
                    text = cell.value.replace(",", "").rstrip("%")
                    with pytest.raises(ValueError):
                        float(text)


def test_the_workbook_numbers_equal_what_tracking_gives():
    wb, _ = build()
    from indicators.models import Target

    ws = wb["五项倍增指标"]
    tracked = track(Target.objects.headline().filter(plan__slug=ACTION_PLAN), 2024)
    assert ws.max_row - workbook.HEADER_ROW == len(tracked) == 5
    for offset, t in enumerate(tracked):
        r = workbook.HEADER_ROW + 1 + offset
        assert ws.cell(r, column(ws, "指标")).value == t.metric.name
        assert ws.cell(r, column(ws, "状态")).value == t.status.label
        completion = ws.cell(r, column(ws, "完成度")).value
        expected = t.completion if isinstance(t.completion, float) else None
        assert completion == (pytest.approx(expected) if expected is not None else None)
    chains = wb["产业链"]
    r = next(
        r
        for r in rows(chains)
        if chains.cell(r, column(chains, "产业链")).value == "新材料产业链"
        and chains.cell(r, column(chains, "指标")).value == "在链企业产值"
    )
    actual = Actual.objects.get(
        subject__slug="new-materials", metric__slug="chain-output", year=2024
    )
    assert chains.cell(r, column(chains, "2024年实际")).value == pytest.approx(float(actual.value))


def test_only_approved_actuals_appear():
    beichen = Subject.objects.get(slug="beichen")
    from indicators.models import Metric

    metric = Metric.objects.get(slug="strategic-output")
    Actual.objects.create(subject=beichen, metric=metric, year=2024, value=650)
    wb, _ = build()
    ws = wb["五项倍增指标"]
    r = row_of(ws, "工业战略性新兴产业产值", header="指标")
    assert ws.cell(r, column(ws, "2024年实际")).value is None
    assert ws.cell(r, column(ws, "状态")).value == "无数据"


def test_a_note_that_looks_like_a_formula_is_written_as_text():
    from indicators.models import Metric

    Actual.objects.create(
        subject=Subject.objects.get(slug="beichen"),
        metric=Metric.objects.get(slug="strategic-output"),
        year=2024,
        value=650,
        note="=1+1",
        state=Actual.State.APPROVED,
    )
    wb, _ = build()
    ws = wb["五项倍增指标"]
    r = row_of(ws, "工业战略性新兴产业产值", header="指标")
    cell = ws.cell(r, column(ws, "备注"))
    assert cell.value == "=1+1"
    assert cell.data_type == "s"
    assert ws.cell(r, column(ws, "2024年实际")).value == 650
    assert ws.cell(r, column(ws, "完成度")).value == pytest.approx(650 / 700)


def test_header_rows_are_bold_and_frozen_with_a_title_above():
    wb, _ = build()
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A3"
        assert all(c.font.b for c in ws[workbook.HEADER_ROW] if c.value)
        title = ws["A1"].value
        assert "2024年" in title and "倍增行动方案" in title and "生成时间" in title
        assert "北京时间" in title
        assert ws.column_dimensions["B"].width >= 10


def test_status_cells_are_coloured_and_worded():
    wb, _ = build()
    ws = wb["汇总"]
    cell = ws.cell(row_of(ws, "战略性新兴产业增加值占比"), column(ws, "状态"))
    assert cell.value == "需加快"
    assert cell.fill.fgColor.rgb.endswith("FFEB9C")
    cell = ws.cell(row_of(ws, "国家级高新技术企业数量", plan="倍增行动方案"), column(ws, "状态"))
    assert cell.value == "正常推进"


def test_each_row_names_its_source():
    wb, _ = build()
    ws = wb["汇总"]
    source = ws.cell(row_of(ws, "国家级/市级绿色工厂数量"), column(ws, "来源")).value
    assert "一（二）核心指标完成亮点表" in source
    for ws in wb.worksheets:
        col = column(ws, "来源")
        assert all(ws.cell(r, col).value for r in rows(ws))


def test_parks_show_output_per_mu():
    wb, _ = build()
    ws = wb["园区"]
    r = next(r for r in rows(ws) if ws.cell(r, column(ws, "2020年基数")).value == 100)
    area = ws.cell(r, column(ws, "占地面积（公顷）")).value
    per_mu = ws.cell(r, column(ws, "2020年亩均产出（2020年产值 ÷ 占地毛面积，万元/亩）")).value
    assert per_mu == pytest.approx(100 * 10000 / (area * 15))


def test_measures_list_twelve_measures_with_responsible_units():
    wb, _ = build()
    ws = wb["工作举措"]
    assert ws.max_row - workbook.HEADER_ROW == 12
    assert ws.cell(3, column(ws, "责任单位")).value.startswith("发改委")


def test_data_quality_findings_keep_both_numbers():
    wb, _ = build()
    ws = wb["数据质量"]
    r = next(
        r
        for r in rows(ws)
        if ws.cell(r, column(ws, "指标")).value == "在链企业数量"
        and ws.cell(r, column(ws, "年份")).value == 2020
        and "附件3" in ws.cell(r, column(ws, "来源")).value
    )
    assert ws.cell(r, column(ws, "本处数值")).value == 312
    assert ws.cell(r, column(ws, "另一处或合计")).value == 322
    assert ws.cell(r, column(ws, "差额")).value == -10
    assert ws.cell(r, column(ws, "级别")).value == "不一致"


@needs_libreoffice
def test_it_opens_cleanly_in_libreoffice(tmp_path):
    _, data = build()
    source = tmp_path / "report.xlsx"
    source.write_bytes(data)
    libreoffice_convert(
        source, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true", timeout=180
    )
    text = (tmp_path / "report.csv").read_text(encoding="utf-8")
    assert "107.6%" in text and "113.8%" in text and "提前达到" in text


def test_each_text_is_translated_once_by_what_it_is_made_of_not_by_its_chinese():
    from django.utils import translation

    from indicators.engine.progress import Text

    texts = workbook.Texts()
    year, plain = report.Cell(Text("{year}年", year=2024)), report.Cell("2024年")
    with translation.override("en"):
        assert (texts(year), texts(plain)) == ("2024 ", "2024年")
        assert texts(report.Cell(Text("{year}年", year=2024))) == "2024 "
