"""Closing a plan: the 终期评估 page and sheet list every figure with its verdict or 待补数."""

import re

import pytest
import time_machine
from django.utils.html import strip_tags

from indicators.domain import closing
from indicators.models import Plan, Target
from indicators.reporting import report
from tests.helpers import approved, mixed_final_figures, text_of

# In November 2026: the 2021–2025 plan has ended and 2026 is the year in progress.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november_2026")]

PLAN = "doubling-2021-2025"


def test_every_figure_of_the_plan_is_pending_until_2025_is_in(client):
    plan = Plan.objects.get(slug=PLAN)
    assessment = closing.final_assessment(plan)
    assert len(assessment.rows) == Target.objects.filter(plan=plan).count()
    assert assessment.counts == [
        (closing.Verdict.ACHIEVED, 0),
        (closing.Verdict.MISSED, 0),
        (closing.Verdict.PENDING, len(assessment.rows)),
    ]
    page = text_of(client.get(f"/plans/{PLAN}/final/"))
    assert "倍增行动方案终期评估" in page
    assert f"达成 0 项 未达成 0 项 待补数 {len(assessment.rows)} 项" in page
    assert "北辰区 · 工业战略性新兴产业产值：缺2025年全年数" in page


def test_a_2025_figure_gives_its_verdict_and_completion(client):
    # Table 1: 工业战略性新兴产业产值 330 → 700 亿元; 高技术（制造业）产值 target 2025.
    approved("beichen", "strategic-output", 2025, 720)
    approved("beichen", "hightech-firms", 2025, 715)
    rows = {
        (r.target.subject.slug, r.target.metric.slug): r
        for r in closing.final_assessment(Plan.objects.get(slug=PLAN)).rows
    }
    output = rows[("beichen", "strategic-output")]
    assert (output.verdict, round(output.completion * 100, 1)) == (closing.Verdict.ACHIEVED, 102.9)
    firms = rows[("beichen", "hightech-firms")]
    assert (firms.verdict, round(firms.completion * 100, 1)) == (closing.Verdict.MISSED, 89.4)
    page = text_of(client.get("/final/"))  # the plan that ended last
    assert "工业战略性新兴产业产值 亿元 330.0 亿元 700.0 亿元 720.0 亿元 102.9% 达成" in page
    assert "国家级高新技术企业数量 家 400 家 800 家 715 家 89.4% 未达成" in page


def test_a_missing_year_shows_its_latest_months_as_an_estimate(client):
    approved("beichen", "strategic-output", 2025, 610, period="months", month=10)
    row = next(
        r
        for r in closing.final_assessment(Plan.objects.get(slug=PLAN)).rows
        if (r.target.subject.slug, r.target.metric.slug) == ("beichen", "strategic-output")
    )
    assert row.verdict is closing.Verdict.PENDING
    page = text_of(client.get(f"/plans/{PLAN}/final/"))
    assert (
        "2025年1—10月 610.0 亿元；预计全年 732.0 亿元（按1—10月月均值×12/10推算） 缺2025年全年数"
        in page
    )


def test_the_workbook_has_a_final_assessment_sheet_per_ended_plan():
    rep = report.build(2024)
    sheet = rep.sheet("终期评估-倍增行动方案")
    assert (
        sheet.title.startswith("《北辰区制造业强区高质量倍增行动方案（2021-2025年）》")
        or "终期评估（2025年）" in sheet.title
    )
    assert len(sheet.rows) == Target.objects.filter(plan__slug=PLAN).count()
    assert {row[8].value for row in sheet.rows} == {"待补数"}
    assert {s.name for s in rep.sheets if s.name.startswith("终期评估")} == {
        "终期评估-倍增行动方案",
        "终期评估-工业“十四五”规划",
    }


def test_the_overview_says_which_plan_is_current_and_which_has_ended(client):
    page = text_of(client.get("/"))
    assert "2026年执行中的规划：暂无（下一期规划录入后显示）。" in page
    assert "已结束：倍增行动方案（2025年到期，终期评估）" in page


def test_before_the_target_year_ends_the_plan_is_current():
    with time_machine.travel("2025-06-01 10:00 +0800", tick=False):
        line = closing.plans_for(2024)
        assert [p.slug for p in line.running] == ["doubling-2021-2025", "industry-14th-fyp"]
        assert line.ended == []


def test_the_final_assessment_reads_in_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = text_of(client.get(f"/plans/{PLAN}/final/"))
    assert "Final assessment: Doubling action plan" in page
    assert "awaiting data" in page and "Verdict" in page


# -- the printable report's 终期评估 section --------------------------------------------------


def printed_rows(client, year):
    """The print report's rows as text, one string per table row (cells joined by " | ")."""
    html = client.get(f"/report/print/?year={year}").content.decode()
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    return html, [
        " | ".join(
            " ".join(strip_tags(c).split())
            for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)
        )
        for r in rows
    ]


def test_the_print_report_has_a_final_assessment_of_each_ended_plan(client):
    html, rows = printed_rows(client, 2024)
    text = " ".join(strip_tags(html).split())
    pending = Target.objects.filter(plan__slug=PLAN).count()
    assert (
        "终期评估-倍增行动方案：北辰区制造业强区高质量倍增行动方案（2021-2025年） "
        f"终期评估（2025年）：达成 0 项，未达成 0 项，待补数 {pending} 项"
    ) in text
    fourteenth = Target.objects.filter(plan__slug="industry-14th-fyp").count()
    assert f"终期评估（2025年）：达成 0 项，未达成 0 项，待补数 {fourteenth} 项" in text
    header = (
        "序号 | 对象 | 指标 | 单位 | 基数 | 目标 | 目标年份实际值 | 完成度 | 终期结论 | "
        "最近全年实际值 | 实际年份 | 预计（最新统计期） | 尚缺 | 来源"
    )
    assert header in rows
    # Table 1's high-tech firms: 400 → 800, no 2025 figure yet; 715 in 2024 shown beside it.
    assert any(
        "| 北辰区 | 国家级高新技术企业数量 | 家 | 400 | 800 |  |  | 待补数 | 715 | 2024 |  | "
        "缺2025年全年数 |" in r
        for r in rows
    )


def test_the_print_report_gives_the_verdicts_once_2025_is_in(client):
    # Were 2025 as the report's 2024: 715 high-tech firms (action plan 800, 14th plan 650) and a
    # manufacturing share of 39.8% (37% planned); 2025年1—10月 战新产值 610 亿元 still part-year.
    approved("beichen", "hightech-firms", 2025, 715)
    approved("beichen", "mfg-va-gdp-share", 2025, "39.8")
    approved("beichen", "strategic-output", 2025, 610, period="months", month=10)
    html, rows = printed_rows(client, 2025)
    text = " ".join(strip_tags(html).split())
    assert any(
        "| 北辰区 | 国家级高新技术企业数量 | 家 | 400 | 800 | 715 | 89.4% | 未达成 |" in r
        for r in rows
    )
    assert any(
        "| 北辰区 | 国家级高新技术企业数量 | 家 | 442 | 650 | 715 | 110.0% | 达成 |" in r
        for r in rows
    )
    assert any(
        "| 北辰区 | 制造业增加值占GDP比重 | % | 36.6% | 37.0% | 39.8% | 107.6% | 达成 |" in r
        for r in rows
    )
    assert any(
        "| 北辰区 | 工业战略性新兴产业产值 | 亿元 | 330.0 | 700.0 |  |  | 待补数 |  |  | "
        "2025年1—10月 610.0 亿元；预计全年 732.0 亿元（按1—10月月均值×12/10推算） | 缺2025年全年数"
        in r
        for r in rows
    )
    doubling = Target.objects.filter(plan__slug=PLAN).count()
    fourteenth = Target.objects.filter(plan__slug="industry-14th-fyp").count()
    assert f"终期评估（2025年）：达成 0 项，未达成 1 项，待补数 {doubling - 1} 项" in text
    assert f"终期评估（2025年）：达成 2 项，未达成 0 项，待补数 {fourteenth - 2} 项" in text


def test_a_pending_figure_shows_where_it_last_stood_a_whole_year(client):
    """The report's 2024 figure of 715 high-tech firms stands beside 待补数 (never as a verdict);
    a figure with no whole year before 2025 shows none."""
    plan = Plan.objects.get(slug=PLAN)
    rows = {
        (r.target.subject.slug, r.target.metric.slug): r
        for r in closing.final_assessment(plan).rows
    }
    firms = rows[("beichen", "hightech-firms")]
    assert firms.verdict is closing.Verdict.PENDING
    assert (firms.last_full_year.year, firms.last_full_year.value) == (2024, 715)
    assert rows[("beichen", "strategic-output")].last_full_year is None

    html = client.get(f"/plans/{PLAN}/final/").content.decode()
    firms_row = next(
        r for r in html.split("<tr") if "国家级高新技术企业数量" in r and "北辰区" in r
    )
    assert "715 家" in firms_row and "2024年" in firms_row and "待补数" in firms_row

    sheet = report.build(2024).sheet("终期评估-倍增行动方案")
    column = {h: i for i, h in enumerate(sheet.headers)}
    [cells] = [
        row
        for row in sheet.rows
        if row[column["对象"]].value == "北辰区"
        and row[column["指标"]].value == "国家级高新技术企业数量"
    ]
    assert cells[column["最近全年实际值"]].value == 715
    assert cells[column["实际年份"]].value == 2024
    assert cells[column["终期结论"]].value == "待补数"


def test_a_final_assessment_read_as_values_is_the_one_read_from_model_rows():
    mixed_final_figures()
    plan = Plan.objects.get(slug=PLAN)

    def read(values):
        rows = closing.final_assessment(plan, values=values).rows
        return [
            (
                r.target.subject.display_name,
                r.target.metric.slug,
                r.verdict,
                r.completion,
                r.final and (r.final.year, r.final.value, r.final.source),
                r.last_full_year and (r.last_full_year.year, r.last_full_year.value),
                r.period and r.period.text(r.target.metric.unit),
                str(r.missing),
            )
            for r in rows
        ]

    as_values = read(True)
    assert as_values == read(False)
    by_figure = {(name, metric): rest for name, metric, *rest in as_values}
    assert by_figure["新能源产业链", "chain-output"][:2] == [closing.Verdict.ACHIEVED, 3.0]
    assert by_figure["北辰区", "hightech-firms"][:2] == [closing.Verdict.MISSED, 0.89375]
    biomedicine = by_figure["生物医药产业链", "chain-output"]
    assert biomedicine[0] is closing.Verdict.PENDING
    assert biomedicine[4] == "2025年1—9月 40.0 亿元；预计全年 53.3 亿元（按1—9月月均值×12/9推算）"
    tcm = by_figure["中医药产业链", "chain-output"]
    assert tcm[3] == (2022, 60)
    assert tcm[4] == "2025年1—6月 36.0 亿元；预计全年 72.0 亿元（按1—6月月均值×12/6推算）"
    assert by_figure["高端装备产业链", "chain-output"][4].startswith(
        "2025年第二季度 33.0 亿元；预计全年 140.5 亿元（第一至第二季度合计"
    )
    assert by_figure["北辰区", "hightech-output"][4] == (
        "2025年第二季度 25.0 亿元；预计全年 70.0 亿元（第一至第二季度合计（即1—6月），按1—6月月均值×12/6推算）"
    )
