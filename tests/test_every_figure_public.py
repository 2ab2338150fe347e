"""Every figure the documents report is public: on the page an official would open, in the
printable report and in the workbook (read back with openpyxl), with its period and source.

The report's 37 figures that no target tracks (93.1%, 303.89 亿元, 5,444 5G base stations …)
and its January–October 2025 figures were stored but shown nowhere; the 合计 rows and annex 2's
unnamed row under 双街镇 were missing from the lists, the print report and the workbook.
"""

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.helpers import read_page

pytestmark = pytest.mark.django_db


# (page, metric name, period, value as the page prints it)
DISTRICT = [
    ("在链企业产值占全区规上工业产值比重", "2024年", "93.1%"),
    ("制造业增加值", "2024年", "303.89 亿元"),
    ("规模以上工业企业数量", "2024年", "580 家"),
    ("市级专精特新中小企业数量", "2024年", "184 家"),
    ("新增国家级高新技术企业数量", "2024年", "208 家"),
    ("首台（套）重大技术装备数量", "2024年", "32 个"),
    ("首台（套）重大技术装备数量", "2020年", "16 个"),
    ("国家级和市级单项冠军数量", "2024年", "15 个"),
    ("国家级和市级单项冠军数量", "2020年", "8 个"),
    ("国家级绿色工厂数量", "2024年", "9 家"),
    ("市级绿色工厂数量", "2024年", "24 家"),
    ("5G基站数量", "2024年", "5,444 个"),
    ("累计获批市级专项资金", "2021-2025年累计", "2,948.85 万元"),
    ("配套区级资金", "2021-2025年累计", "1,474.425 万元"),
    ("国家级科技型中小企业数量", "2024年", "776 家"),
    ("创新型中小企业数量", "2024年", "421 家"),
    ("“海河英才”行动计划引进人才数量", "2024年", "1,313 名"),
    ("新材料和现代轻工产业链产值合计占比", "2024年", "53.9%"),
    # January–October 2025, with their period
    ("规模以上工业企业数量", "2025年1—10月", "574 家"),
    ("规模以上工业总产值", "2025年1—10月", "1,152.5 亿元"),
    ("规模以上工业产值同比增速", "2025年1—10月", "-0.3%"),
    ("规模以上工业增加值增速", "2025年1—10月", "1%"),
]

CHAINS = [
    ("light-industry", "产值同比增速", "2024年", "3.6%"),
    ("automotive", "产值同比增速", "2024年", "3.4%"),
    ("biomedicine", "产值同比增速", "2024年", "7.7%"),
    ("it-innovation", "产值同比增速", "2024年", "27.8%"),
    ("it-innovation", "在链企业产值", "2024年", "7 亿元"),
]

KAIFAQU = [("亩均产值", "2024年", "354 万元/亩"), ("亩均税收", "2024年", "19.6 万元/亩")]


@pytest.mark.parametrize(("metric", "period", "value"), DISTRICT)
def test_the_district_figures_page_lists_each_district_figure_with_its_period(
    client, metric, period, value
):
    assert f"{metric} {period} {value}" in read_page(client, "/figures/")


def test_the_overview_links_to_every_district_figure_and_lists_none_of_them_itself(client):
    """The overview shows its cards, charts, shares and counts; 全区数据一览 is its own page,
    linked from the overview's section of that name."""
    response = client.get("/")
    html = response.content.decode()
    assert 'href="/figures/"' in html
    assert "查看全区全部数据（含未设目标的数据与部分期间数据，按原文）" in html
    assert 'id="all-figures"' not in html
    assert "5G基站数量 2024年 5,444 个" not in read_page(client, "/")
    figures = read_page(client, "/figures/")
    assert figures.count("全区数据一览") >= 2  # the title and the heading
    assert "5G基站数量 2024年 5,444 个" in figures


@pytest.mark.parametrize(("chain", "metric", "period", "value"), CHAINS)
def test_each_chain_page_lists_its_figures_without_a_target(client, chain, metric, period, value):
    assert f"{metric} {period} {value}" in read_page(client, f"/chains/{chain}/")


@pytest.mark.parametrize(("metric", "period", "value"), KAIFAQU)
def test_the_development_zone_page_lists_its_per_mu_figures(client, metric, period, value):
    text = read_page(client, "/towns/kaifaqu/")
    assert f"{metric} {period} {value}" in text
    assert "未注明所用面积" in text  # which area and year: another measure than the parks'


def test_the_lists_show_their_stated_totals_and_the_sums_where_they_differ(client):
    chains = read_page(client, "/chains/")
    assert "附件3 合计目标 战略性新兴企业数量 基数 111 家 → 目标 180 家" in chains
    assert (
        "附件3 合计目标 在链企业数量 基数 312 家 → 目标 500 家 基数 322 家 → 目标 520 家" in chains
    )
    parks = read_page(client, "/parks/")
    assert "附件2 合计 园区占地面积 7,484 公顷 7,485 公顷 与分项之和不一致" in parks
    assert "附件2 合计 园区规上企业数量 366 个" in parks
    assert "附件2 合计 园区产值 基数 890 亿元 → 目标 1,419 亿元" in parks
    towns = read_page(client, "/towns/")
    assert "附件1 全区合计 国家级高新技术企业数量 基数 400 家 → 目标 800 家" in towns


def test_the_it_chain_list_row_says_its_target_is_revenue(client):
    text = read_page(client, "/chains/")
    assert "尚无在链企业营业收入实际值；2024年在链企业产值7亿元口径不同，不据以评估" in text


# -- the printable report and the workbook --------------------------------------------------

PRINTED = [value for _, _, value in DISTRICT] + ["3.6%", "3.4%", "7.7%", "27.8%", "354 万元/亩"]


def workbook():
    from indicators.reporting import report
    from indicators.spreadsheets import workbook as writer

    data = writer.to_bytes(writer.build(report.build(2024)))
    return load_workbook(BytesIO(data))


def sheet_rows(ws):
    return [[c.value for c in row] for row in ws.iter_rows(min_row=3)]


def test_the_print_report_has_every_figure_with_its_period(client):
    text = read_page(client, "/report/print/?year=2024")
    assert "其他数据" in text
    for metric, period, value in DISTRICT:
        # The sheet names the unit in its own column; percentages print as stated (1%, -0.3%).
        shown = re.sub(r" \S+$", "", value) if not value.endswith("%") else value
        assert f"{metric} " in text and f"{period} {shown}" in text, (metric, period, shown)
    assert "北辰区 规模以上工业总产值 亿元 2025年1—10月 1,152.5" in text
    assert "北辰区 5G基站数量 个 2024年 5,444" in text
    assert "北辰区 累计获批市级专项资金 万元 2021-2025年累计 2,948.85" in text
    assert "信息技术应用创新产业链 产值同比增速 % 2024年 27.8%" in text
    assert "开发区 亩均产值 万元/亩 2024年 354" in text


def test_the_workbook_has_every_figure_as_a_number_with_its_period():
    ws = workbook()["其他数据"]
    rows = {(r[0], r[1], r[3]): r[4] for r in sheet_rows(ws)}
    assert rows[("北辰区", "在链企业产值占全区规上工业产值比重", "2024年")] == pytest.approx(0.931)
    assert rows[("北辰区", "制造业增加值", "2024年")] == pytest.approx(303.89)
    assert rows[("北辰区", "规模以上工业企业数量", "2024年")] == 580
    assert rows[("北辰区", "规模以上工业企业数量", "2025年1—10月")] == 574
    assert rows[("北辰区", "规模以上工业总产值", "2025年1—10月")] == pytest.approx(1152.5)
    assert rows[("北辰区", "规模以上工业产值同比增速", "2025年1—10月")] == pytest.approx(-0.003)
    assert rows[("北辰区", "规模以上工业增加值增速", "2025年1—10月")] == pytest.approx(0.01)
    assert rows[("北辰区", "5G基站数量", "2024年")] == 5444
    assert rows[("北辰区", "累计获批市级专项资金", "2021-2025年累计")] == pytest.approx(2948.85)
    assert rows[("北辰区", "配套区级资金", "2021-2025年累计")] == pytest.approx(1474.425)
    for metric, value in (
        ("市级专精特新中小企业数量", 184),
        ("新增国家级高新技术企业数量", 208),
        ("国家级绿色工厂数量", 9),
        ("市级绿色工厂数量", 24),
        ("国家级科技型中小企业数量", 776),
        ("创新型中小企业数量", 421),
        ("“海河英才”行动计划引进人才数量", 1313),
    ):
        assert rows[("北辰区", metric, "2024年")] == value
        assert isinstance(rows[("北辰区", metric, "2024年")], int)
    assert rows[("北辰区", "首台（套）重大技术装备数量", "2020年")] == 16
    assert rows[("北辰区", "国家级和市级单项冠军数量", "2020年")] == 8
    assert rows[("北辰区", "新材料和现代轻工产业链产值合计占比", "2024年")] == pytest.approx(0.539)
    assert rows[("信息技术应用创新产业链", "产值同比增速", "2024年")] == pytest.approx(0.278)
    assert rows[("信息技术应用创新产业链", "在链企业产值", "2024年")] == pytest.approx(7)
    assert rows[("开发区", "亩均产值", "2024年")] == pytest.approx(354)
    assert rows[("开发区", "亩均税收", "2024年")] == pytest.approx(19.6)


def test_the_workbook_sheets_carry_the_stated_totals_and_the_unnamed_park():
    wb = workbook()
    chains = sheet_rows(wb["产业链"])
    stated = [r for r in chains if str(r[1]).startswith("文件所列合计（附件3 合计目标）")]
    firms = next(r for r in stated if "战略性新兴企业数量" in r)
    assert (firms[9], firms[10]) == (111, 180)
    parks = sheet_rows(wb["园区"])
    unnamed = next(r for r in parks if "原表未列园区名称" in str(r[1]))
    assert (unnamed[2], unnamed[4], unnamed[5]) == ("双街镇", 40, 14)
    total = [r for r in parks if str(r[1]).startswith("文件所列合计（附件2 合计）")]
    assert {r[4] for r in total} >= {7484}
    assert {r[5] for r in total} >= {366}
    output = next(r for r in total if "园区产值" in r)
    assert (output[10], output[11]) == (890, 1419)


def test_the_print_report_has_the_unnamed_park_and_the_totals(client):
    text = read_page(client, "/report/print/?year=2024")
    assert "（原表未列园区名称）双街镇未列名园区" in text
    assert "文件所列合计（附件2 合计）" in text and "7,484" in text and "1,419" in text
    assert "文件所列合计（附件3 合计目标）" in text and "111" in text and "180" in text


def test_no_page_or_sheet_says_ten_towns(client):
    for url in ("/", "/towns/", "/parks/", "/chains/", "/report/print/?year=2024"):
        assert "十个镇" not in read_page(client, url)
    from pathlib import Path

    readme = Path(__file__).resolve().parent.parent / "README.md"
    assert "十个镇" not in readme.read_text(encoding="utf-8")
    assert "ten towns" not in readme.read_text(encoding="utf-8")


def test_the_print_report_keeps_the_stated_precision_of_the_january_october_rates(client):
    # The report: "同比下降0.3%，增加值增速1%" — never "1.0%".
    text = read_page(client, "/report/print/?year=2024")
    assert "北辰区 规模以上工业产值同比增速 % 2025年1—10月 -0.3%" in text
    assert "北辰区 规模以上工业增加值增速 % 2025年1—10月 1%" in text
    assert "2025年1—10月 1.0%" not in text


def test_the_workbook_keeps_the_stated_precision_of_the_january_october_rates():
    ws = workbook()["其他数据"]
    cells = {(r[0].value, r[1].value, r[3].value): r[4] for r in ws.iter_rows(min_row=3)}
    growth = cells[("北辰区", "规模以上工业增加值增速", "2025年1—10月")]
    assert growth.value == pytest.approx(0.01) and growth.number_format == "0%"
    output = cells[("北辰区", "规模以上工业产值同比增速", "2025年1—10月")]
    assert output.value == pytest.approx(-0.003) and output.number_format == "0.0%"
